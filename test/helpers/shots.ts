// Screenshots of a page at the two sizes every changed page is checked at (1600×1000, 1024×700),
// saved as test artifacts (LAKEBOOK_SHOTS or test-artifacts/) for a look by eye.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { ROOT } from './build'

export const ARTIFACTS = process.env['LAKEBOOK_SHOTS'] ?? join(ROOT, 'test-artifacts')

/** Saves `<name>-<w>x<h>.png` at both sizes (after `prepare`, e.g. a scroll), then back to 1600×1000. */
export async function saveShots(
  page: Page,
  name: string,
  prepare: () => Promise<void> = () => page.waitForTimeout(200)
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  for (const [w, h] of [
    [1600, 1000],
    [1024, 700]
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await prepare()
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${String(w)}x${String(h)}.png`) })
  }
  await page.setViewportSize({ width: 1600, height: 1000 })
}

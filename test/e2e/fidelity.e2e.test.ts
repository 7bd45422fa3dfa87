// End to end: the Fidelity page compares the real spot capture with its Lake-format conversion
// (a window of it, to stay quick) and shows the scorecard and the plots.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { CAPTURES, hasCaptures } from '../helpers/data'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures)('Fidelity page', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    host = await startBuiltHost(tempDir())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('shows a scorecard and the distribution plots', async () => {
    const dir = join(CAPTURES, 'spot-btcusdt-20240808')
    await page.goto(host.url)
    await page.getByTestId('nav-fidelity').click()
    await page.getByTestId('fid-reference').fill(`capture:${dir}@..+4m`)
    await page
      .getByTestId('fid-candidates')
      .fill(`converted:${dir}@..+4m\ncapture:${dir}@..+4m+impact`)
    await page.getByTestId('fid-run').click()
    const card = page.getByTestId('fid-scorecard')
    await card.waitFor({ timeout: 120_000 })
    // The conversion loses nothing: every applicable metric is within the real-vs-real noise.
    await expect.poll(() => card.textContent()).toMatch(/marginal 0 · beyond 0/)
    expect(await page.locator('.fid-charts canvas').count()).toBeGreaterThan(3)
    // Same moments: the conversion's mids equal the capture's at every shared grid time.
    await page.getByTestId('fid-paired-none').waitFor()
    // The trade impact model moves the best bid/ask: the moments it differs most, largest first,
    // each opening the Book (no replay covers them here, and the link says what to do).
    await card.locator('select').selectOption('1')
    const rows = page.locator('[data-testid="fid-paired-largest"] tbody tr')
    await expect.poll(() => rows.count()).toBeGreaterThan(0)
    const diffs = (await rows.locator('td:nth-child(2)').allTextContents()).map(Number)
    for (let i = 1; i < diffs.length; i++)
      expect(diffs[i]).toBeLessThanOrEqual(diffs[i - 1] ?? Infinity)
    expect(diffs[0]).toBeGreaterThan(0)
    await rows.first().getByTestId('book-link').click()
    await expect
      .poll(() => page.getByTestId('book-link-note').textContent())
      .toMatch(/^ No replay covers 2024-08-0[89] \d\d:\d\d:\d\d\.\d{3}: replay that day/)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.screenshot({
      path: join(ROOT, 'test-artifacts', 'fidelity-page.png'),
      fullPage: true
    })
    expect(pageErrors).toEqual([])
  })
})

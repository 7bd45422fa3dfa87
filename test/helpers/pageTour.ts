// One walk through the app, the same for every shell that shows the renderer (the browser host in
// Chromium, the Electron window): every page of the navigation opens with its heading and no page
// error, the Doctor's report names the runtime, and a real capture is replayed on the Book page
// into a drawn heatmap and a labelled ladder.
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { PAGES, type Page as AppPage } from '../../src-renderer/src/stores/nav'

export interface TourResult {
  /** The Doctor page's first line, e.g. "Node 20.20.2 · lake /tmp/… · 6 passed, …". */
  readonly doctorLine: string
  readonly pageErrors: readonly string[]
}

export async function tourPages(page: Page, captureFiles: readonly string[]): Promise<TourResult> {
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  for (const p of Object.keys(PAGES) as AppPage[]) {
    await page.getByTestId(`nav-${p}`).click()
    if (p !== 'book') await page.getByRole('heading', { name: PAGES[p], exact: true }).waitFor()
  }
  await page.getByTestId('nav-doctor').click()
  const doctor = page.getByTestId('doctor')
  await doctor.waitFor({ timeout: 30_000 })
  const doctorLine = (await doctor.locator('.muted').first().textContent()) ?? ''

  await page.getByTestId('nav-book').click()
  await page.getByTestId('capture-paths').fill(captureFiles.join('\n'))
  await page.getByTestId('replay-start').click()
  await page.locator('[data-testid="job-panel"][data-state="done"]').waitFor({ timeout: 60_000 })
  await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor({ timeout: 30_000 })
  expect(await page.getByLabel('order book heatmap').count()).toBe(1)
  expect(await page.getByLabel('order book ladder').count()).toBe(1)
  return { doctorLine, pageErrors }
}

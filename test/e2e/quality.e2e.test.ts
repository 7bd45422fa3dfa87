// End to end: the Quality page imports Lake-format files converted from the real capture, runs the
// data gate, and certifies the range, in Chromium through the browser host.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { convertedLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures)('Quality page: import, validate, certify', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  let dir = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    dir = (await convertedLake('spot-btcusdt-20240808')).root
    host = await startBuiltHost(tempDir())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  const waitDone = async (): Promise<void> => {
    await expect
      .poll(() => page.locator('[data-testid="job-panel"][data-state="done"]').count(), {
        timeout: 60_000
      })
      .toBeGreaterThanOrEqual(1)
  }

  it('moves passing files to ready and shows the certificate, failing short days', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-quality').click()
    await page.getByTestId('import-dir').fill(dir)
    await page.getByTestId('import').click()
    await waitDone()
    await expect
      .poll(() => page.locator('[data-testid="gate-grid"] [data-status="staged"]').count())
      .toBe(6)
    await page.getByTestId('validate').click()
    await expect
      .poll(
        () =>
          page
            .locator(
              '[data-testid="gate-grid"] [data-status="warn"], [data-testid="gate-grid"] [data-status="pass"]'
            )
            .count(),
        { timeout: 60_000 }
      )
      .toBe(6)
    await page.locator('input[type="date"]').first().fill('2024-08-08')
    await page.locator('input[type="date"]').nth(1).fill('2024-08-09')
    await page.getByTestId('certify').click()
    // The files pass, but each day of the capture spans minutes of 24 h: the certificate fails
    // its coverage gate (default: a day must cover 99 % of 24 h).
    await expect
      .poll(() => page.getByTestId('last-certificate').textContent(), { timeout: 60_000 })
      .toContain('fail')
    const cert = (await page.getByTestId('last-certificate').textContent()) ?? ''
    expect(cert).toMatch(/coverage\s*fail/)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.screenshot({
      path: join(ROOT, 'test-artifacts', 'quality-page.png'),
      fullPage: true
    })
    expect(pageErrors).toEqual([])
  })
})

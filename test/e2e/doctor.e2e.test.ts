// End to end: the Doctor page shows lakebook doctor's checks through the browser host, in Chromium;
// the network lines say "answered" or "unreachable" (bounded) whatever this machine's network is.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium)('Doctor page', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    host = await startBuiltHost(tempDir())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('lists every check with its status, and the fix where one is needed', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-doctor').click()
    await page.getByTestId('doctor').waitFor({ timeout: 30_000 })
    const sqlite = page.getByTestId('doctor-sqlite')
    expect(await sqlite.locator('td').first().textContent()).toBe('pass')
    expect(await sqlite.textContent()).toMatch(/loads \(SQLite 3\./)
    expect(await page.getByTestId('doctor-parquet-wasm').locator('td').first().textContent()).toBe(
      'pass'
    )
    const binance = (await page.getByTestId('doctor-binance').textContent()) ?? ''
    expect(binance).toMatch(/answered HTTP|unreachable: /)
    if (binance.includes('unreachable')) expect(binance).toMatch(/fix|check the network/)
    expect(await page.getByTestId('doctor').textContent()).toMatch(/Node \d+\.\d+\.\d+ · lake /)
    expect(pageErrors).toEqual([])
  })

  it('runs the same checks at start: the menu counts what did not pass, a failure is a banner', async () => {
    await page.goto(`${host.url}&fresh=1`)
    // The Doctor page is not opened: the badge comes from the checks the app ran at start.
    const badge = page.getByTestId('doctor-badge')
    await badge.waitFor({ timeout: 30_000 })
    const rows = page.locator('[data-testid="doctor"] tbody tr')
    await page.getByTestId('nav-doctor').click()
    await page.getByTestId('doctor').waitFor({ timeout: 30_000 })
    const states = await rows.locator('td:first-child').allTextContents()
    const notPassing = states.filter((s) => s !== 'pass').length
    const failed = states.filter((s) => s === 'fail').length
    // This machine has no Electron binary and no Crypto Lake keys: at least those two warn.
    expect(notPassing).toBeGreaterThanOrEqual(2)
    expect(await badge.textContent()).toBe(String(notPassing))
    expect(await page.getByTestId('doctor-banner').count()).toBe(failed > 0 ? 1 : 0)
    expect(pageErrors).toEqual([])
  })
})

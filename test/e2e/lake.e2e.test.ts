// End to end on a lake: Crypto Lake-format data converted from the real spot capture, replayed
// from the Book page in Chromium through the browser host; drift and markers shown.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures } from '../helpers/data'
import { convertedLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures)('Book page on a Crypto Lake root', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  let root = ''
  const pageErrors: string[] = []

  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
    host = await startBuiltHost(tempDir())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1200 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('lists the series, replays it, and shows drift, markers and the ladder', async () => {
    await page.goto(host.url)
    await page.getByTestId('source-lake').click()
    await page.getByTestId('lake-root').fill(root)
    await page.getByTestId('lake-load').click()
    await expect
      .poll(() => page.getByTestId('lake-series').textContent())
      .toContain('BINANCE BTC-USDT')
    await page.getByTestId('lake-replay-start').click()
    await page.locator('[data-testid="job-panel"][data-state="done"]').waitFor({ timeout: 60_000 })
    await page.getByTestId('ladder').waitFor()
    const exact = (await page.getByTestId('counter-driftExact').textContent()) ?? ''
    const [a, b] = exact.split('/').map((x) => Number(x.replace(/[^0-9]/g, '')))
    expect(a).toBeGreaterThan(4000)
    expect(a).toBe(b)
    expect(await page.getByTestId('counter-bursts').textContent()).toBe('1')
    await expect.poll(() => page.getByTestId('markers').textContent()).toContain('burst 1')
    const slider = page.getByTestId('scrubber')
    const max = Number(await slider.getAttribute('max'))
    expect(max).toBeGreaterThan(100)
    await slider.fill(String(Math.floor(max / 3)))
    await expect
      .poll(async () => Number(await page.getByTestId('frame-info').getAttribute('data-frame')))
      .toBe(Math.floor(max / 3))
    const bid = Number(await page.getByTestId('best-bid-price').textContent())
    const ask = Number(await page.getByTestId('best-ask-price').textContent())
    expect(bid).toBeGreaterThan(50_000)
    expect(ask).toBeGreaterThan(bid)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'book-lake.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })
})

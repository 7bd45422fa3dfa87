// End to end on a lake: Crypto Lake-format data converted from the real spot capture, replayed
// from the Book page in Chromium through the browser host; drift and markers shown.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { hasCaptures, hasVendorWriter } from '../helpers/data'
import { convertedLake, vendorWriterLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures || !hasVendorWriter)(
  'Book page on a Crypto Lake root',
  () => {
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

    /** Opens a Lake folder on the Book page, replays its series and waits for the job to end. */
    const replayFromBookPage = async (dir: string): Promise<void> => {
      await page.goto(host.url)
      await page.getByTestId('source-lake').click()
      await page.getByTestId('lake-root').fill(dir)
      await page.getByTestId('lake-load').click()
      await expect
        .poll(() => page.getByTestId('lake-series').textContent())
        .toContain('BINANCE BTC-USDT')
      await page.getByTestId('lake-replay-start').click()
      await page
        .locator('[data-testid="job-panel"][data-state="done"]')
        .waitFor({ timeout: 60_000 })
    }

    afterAll(async () => {
      await browser.close()
      await host.stop()
    })

    it('lists the series, replays it, and shows drift, markers and the ladder', async () => {
      await replayFromBookPage(root)
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

    it('on a delta-only day: says there is no seed, and replays with the progressive seed on request', async () => {
      const deltas = vendorWriterLake({ tables: ['book_delta_v2'], days: ['2024-08-09'] })
      await page.setViewportSize({ width: 1600, height: 1000 })
      await replayFromBookPage(deltas)
      await expect
        .poll(() => page.getByTestId('replay-issues').textContent())
        .toContain('no seed for 2024-08-09: no book rows and no snapshot burst')
      expect(await page.getByTestId('day-seeds').textContent()).toContain(
        '2024-08-09: seed none, applied 0.0% of 174,021 delta rows'
      )
      expect(await page.getByTestId('no-frames').textContent()).toContain('applied no message')
      await page.screenshot({ path: join(ROOT, 'test-artifacts', 'book-noseed-1600.png') })
      await page.getByTestId('lake-seed').selectOption('progressive')
      await page.getByTestId('lake-replay-start').click()
      await expect
        .poll(() => page.getByTestId('day-seeds').textContent(), { timeout: 60_000 })
        .toContain(
          '2024-08-09: seed progressive at 00:00:00.001Z, applied 100.0% of 174,021 delta rows'
        )
      expect(await page.getByTestId('replay-issues').count()).toBe(0)
      mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
      await page.screenshot({ path: join(ROOT, 'test-artifacts', 'book-progressive-1600.png') })
      await page.setViewportSize({ width: 1024, height: 700 })
      await page.screenshot({ path: join(ROOT, 'test-artifacts', 'book-progressive-1024.png') })
      expect(pageErrors).toEqual([])
    })
  }
)

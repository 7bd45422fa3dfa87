// End to end: the Capture page records from a local Binance-like server (127.0.0.1, replaying the
// real spot capture accelerated), shows live counters, lists the session, and replays it.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { BinanceTestServer, loadCapture, startBinanceServer } from '../helpers/binanceServer'
import { captureFiles, hasCaptures } from '../helpers/data'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures)('Capture page', () => {
  let server: BinanceTestServer
  let host: RunningHost
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    const lines = await loadCapture(captureFiles('spot-btcusdt-20240808'))
    const first = lines[0]?.us ?? 0
    // The first 90 s of the real capture at 30× (3 s of wall time), starting when the app connects.
    server = await startBinanceServer({ lines, market: 'spot', speed: 30, toUs: first + 90e6 })
    server.start(100, true)
    host = await startBuiltHost(tempDir())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
    await server.close()
  })

  it('records live data with counters, lists the session and replays it', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-capture').click()
    await page.getByText('endpoints (default: Binance)').click()
    await page.getByTestId('ws-base').fill(server.wsBase)
    await page.getByTestId('rest-base').fill(server.restBase)
    await page.getByLabel('for').fill('6s')
    await page.getByTestId('capture-start').click()
    await expect
      .poll(
        async () =>
          Number((await page.getByTestId('live-messages').textContent())?.replace(/,/g, '')),
        { timeout: 20_000 }
      )
      .toBeGreaterThan(100)
    await page.locator('[data-testid="job-panel"][data-state="done"]').waitFor({ timeout: 30_000 })
    await expect.poll(() => page.getByTestId('capture-sessions').textContent()).toContain('spot')
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.screenshot({
      path: join(ROOT, 'test-artifacts', 'capture-page.png'),
      fullPage: true
    })
    expect(await page.getByTestId('live-offticklevels').textContent()).toBe('0')
    for (const [w, h] of [
      [1600, 1000],
      [1024, 700]
    ] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.screenshot({ path: join(ROOT, 'test-artifacts', `capture-${w}x${h}.png`) })
    }
    await page.getByRole('button', { name: 'Replay' }).first().click()
    await page.getByTestId('ladder').waitFor({ timeout: 30_000 })
    const counter = (await page.getByTestId('counter-bbo').textContent()) ?? ''
    const [matched, compared] = counter.split('/').map((x) => Number(x.replace(/[^0-9]/g, '')))
    expect(compared).toBeGreaterThan(0)
    expect(matched).toBe(compared)
    expect(pageErrors).toEqual([])
  })
})

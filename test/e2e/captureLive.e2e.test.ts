// End to end: the Book page on a RUNNING capture. The local Binance-like server replays the real
// spot capture (2 minutes at 10×) with a sequence gap in it; the Capture page records it and
// "Watch in Book" shows the live book while it grows: frames stream in, the cursor follows the
// newest one, the gap and the resync after it are marked as they happen, and when the capture
// stops the timeline is complete, every frame stamped with an exchange time the server sent.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { BinanceTestServer, loadCapture, startBinanceServer } from '../helpers/binanceServer'
import { captureFiles, hasCaptures } from '../helpers/data'
import { tempDir } from '../helpers/synthetic'

describe.skipIf(!hasChromium || !hasCaptures)('Book page on a live capture', () => {
  let server: BinanceTestServer
  let host: RunningHost
  let browser: Browser
  let page: Page
  let firstE = 0
  let lastE = 0
  const pageErrors: string[] = []

  beforeAll(async () => {
    const lines = await loadCapture(captureFiles('spot-btcusdt-20240808'))
    const first = lines[0]?.us ?? 0
    for (const l of lines) {
      if (l.kind !== 'depth' || l.us > first + 130e6) continue
      if (firstE === 0) firstE = l.E
      lastE = l.E
    }
    server = await startBinanceServer({
      lines,
      market: 'spot',
      speed: 10,
      toUs: first + 130e6,
      faults: [{ atUs: first + 50e6, kind: 'gap', diffs: 3 }]
    })
    server.start(100, true)
    host = await startBuiltHost(tempDir())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
    await server.close()
  })

  const frames = async (): Promise<number> =>
    Number(
      /of ([\d,]+)/
        .exec((await page.getByTestId('frame-info').textContent()) ?? '')?.[1]
        ?.replace(/,/g, '') ?? 0
    )

  it('streams the live book into the Book page, follows its edge, marks the gap', async () => {
    await page.goto(host.url)
    await page.getByTestId('nav-capture').click()
    await page.getByText('endpoints (default: Binance)').click()
    await page.getByTestId('ws-base').fill(server.wsBase)
    await page.getByTestId('rest-base').fill(server.restBase)
    await page.getByLabel('for').fill('14s')
    await page.getByTestId('capture-start').click()
    await page.getByTestId('capture-watch').click({ timeout: 20_000 })
    // On the Book page while the capture runs: its timeline streams in.
    await page.getByTestId('frame-info').waitFor({ timeout: 20_000 })
    await expect
      .poll(() => page.getByTestId('timeline-status').textContent())
      .toContain('frames stream in')
    expect(await page.getByTestId('live-edge').isChecked()).toBe(true)
    const n1 = await frames()
    await expect.poll(frames, { timeout: 10_000 }).toBeGreaterThan(n1)
    // The cursor follows the newest frame: it is the last one (or one written a moment later).
    await expect
      .poll(async () => {
        const text = (await page.getByTestId('frame-info').textContent()) ?? ''
        const m = /frame ([\d,]+) of ([\d,]+)/.exec(text)
        const [at, of] = [m?.[1], m?.[2]].map((x) => Number(x?.replace(/,/g, '')))
        return (of ?? 0) - (at ?? 0)
      })
      .toBeLessThanOrEqual(30)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true })
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'book-live-1600x1000.png') })
    // The gap the server made, and the resync after it, are marked while the capture runs or at
    // its end; the finished timeline is complete.
    await page.locator('[data-testid="job-panel"][data-state="done"]').waitFor({ timeout: 40_000 })
    await expect
      .poll(() => page.getByTestId('timeline-status').getAttribute('data-complete'))
      .toBe('true')
    const markers = (await page.getByTestId('markers').textContent()) ?? ''
    expect(markers).toMatch(/gap 1/)
    expect(markers).toMatch(/resync 1/)
    expect(server.droppedDiffs.length).toBe(3)
    // Every frame on the exchange's clock: inside the span of E the server sent.
    await page.getByTestId('heatmap-window-0').click()
    await page.getByTestId('scrubber').fill('0')
    await expect.poll(() => page.getByTestId('frame-info').getAttribute('data-frame')).toBe('0')
    const t0 = Number(await page.getByTestId('frame-time').getAttribute('data-time-ms'))
    expect(t0).toBeGreaterThanOrEqual(firstE)
    expect(t0).toBeLessThanOrEqual(lastE)
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'book-live-1024x700.png') })
    expect(pageErrors).toEqual([])
  }, 120_000)
})

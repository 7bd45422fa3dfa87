// End to end: the built browser host in a real Chromium. Load a real capture, wait for the replay
// job, scrub to a bookTicker checkpoint, and check the ladder's best bid/ask against Binance's own
// bookTicker for that update id (read here straight from the capture file, independently of the
// engine). Saves a screenshot as a test artifact.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { captureFiles, hasCaptures } from '../helpers/data'
import { tempDir } from '../helpers/synthetic'
import { saveShots } from '../helpers/shots'

const ARTIFACTS = process.env['LAKEBOOK_SHOTS'] ?? join(ROOT, 'test-artifacts')

/** bookTicker messages by update id, parsed directly from the capture files. */
function bookTickers(files: string[]): Map<number, { b: string; B: string; a: string; A: string }> {
  const out = new Map<number, { b: string; B: string; a: string; A: string }>()
  for (const f of files) {
    for (const line of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) {
      if (!line.includes('@bookTicker')) continue
      const msg = JSON.parse(line.slice(line.indexOf(' ') + 1)) as {
        data: { u: number; b: string; B: string; a: string; A: string }
      }
      out.set(msg.data.u, msg.data)
    }
  }
  return out
}

const trimZeros = (s: string): string => s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')

describe.skipIf(!hasChromium || !hasCaptures)('Book page in Chromium via the browser host', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    host = await startBuiltHost(tempDir())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text())
    })
  })

  afterAll(async () => {
    await browser.close()
    await host.stop()
  })

  it('replays a real capture and shows Binance’s best bid/ask at a checkpoint', async () => {
    const files = captureFiles('spot-btcusdt-20240808')
    await page.goto(host.url)
    await page.getByTestId('capture-paths').fill(files.join('\n'))
    await page.getByTestId('replay-start').click()
    await page.locator('[data-testid="job-panel"][data-state="done"]').waitFor({ timeout: 60_000 })
    await page.getByTestId('ladder').waitFor()
    await expect.poll(() => page.getByTestId('counter-bbo').textContent()).toBe('1,072 / 1,072')

    // Scrub: to the middle with the slider, then on to the next bookTicker checkpoint.
    const slider = page.getByTestId('scrubber')
    const max = Number(await slider.getAttribute('max'))
    await slider.fill(String(Math.floor(max / 2)))
    await expect
      .poll(async () => Number(await page.getByTestId('frame-info').getAttribute('data-frame')))
      .toBe(Math.floor(max / 2))
    await page.getByTestId('next-checkpoint').click()
    await expect
      .poll(async () => Number(await page.getByTestId('frame-info').getAttribute('data-frame')))
      .toBeGreaterThan(Math.floor(max / 2))

    const u = Number(await page.getByTestId('frame-info').getAttribute('data-update-id'))
    const bt = bookTickers(files).get(u)
    expect(bt, `a bookTicker with u=${u} exists in the capture`).toBeDefined()
    expect(await page.getByTestId('best-bid-price').textContent()).toBe(Number(bt?.b).toFixed(2))
    expect(await page.getByTestId('best-ask-price').textContent()).toBe(Number(bt?.a).toFixed(2))
    expect(await page.getByTestId('best-bid-size').textContent()).toBe(trimZeros(bt?.B ?? ''))
    expect(await page.getByTestId('best-ask-size').textContent()).toBe(trimZeros(bt?.A ?? ''))

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'book-page.png'), fullPage: true })
    expect(pageErrors).toEqual([])
  })

  it('draws the heatmap at the cursor’s time from the replayed book’s levels', async () => {
    const time = async (): Promise<number> =>
      Number(await page.getByTestId('frame-time').getAttribute('data-time-ms'))
    const t0 = await time()
    const bid = Number(await page.getByTestId('best-bid-price').textContent())
    const ask = Number(await page.getByTestId('best-ask-price').textContent())
    await page.getByTestId('step-forward').click()
    await expect.poll(time).toBeGreaterThan(t0)
    const t1 = await time()
    await page.getByTestId('step-back').click()
    await expect.poll(time).toBe(t0)
    // A 10 s window around the cursor, trades hidden so that only the book is drawn.
    await page.getByTestId('heatmap-trades').uncheck()
    await page.getByTestId('heatmap-window-10000').click()
    await page.getByTestId('heatmap-price-span').selectOption('100')
    const canvas = page.getByTestId('heatmap')
    await expect.poll(async () => Number(await canvas.getAttribute('data-from-ms'))).toBe(t0 - 5000)
    expect(await canvas.getAttribute('aria-label')).toBe('order book heatmap')
    expect(await page.getByTestId('ladder').getAttribute('aria-label')).toBe('order book ladder')
    const attr = async (n: string): Promise<number> =>
      Number(await canvas.getAttribute(`data-${n}`))
    // The window and the 100-tick price span may be drawn one frame apart: wait for both.
    await expect
      .poll(async () => (await attr('price-hi')) - (await attr('price-lo')))
      .toBeCloseTo(1, 6)
    const from = await attr('from-ms')
    const to = await attr('to-ms')
    const lo = await attr('price-lo')
    const hi = await attr('price-hi')
    const cols = await attr('columns')
    const pw = await attr('plot-width')
    const ph = await attr('plot-height')
    // The column that ends between this frame and the next shows exactly this frame.
    const colMs = (to - from) / cols
    expect(t1 - t0).toBeGreaterThan(2 * colMs)
    const c = Math.floor((t0 + (t1 - t0) / 2 - from) / colMs)
    const x = Math.floor((c + 0.5) * (pw / cols))
    // A level's row starts at its upper edge (price + half a tick); rows never overlap.
    const tick = 0.01
    const rowTop = (p: number): number => Math.floor(((hi - (p + tick / 2)) / (hi - lo)) * ph)
    expect(ph / ((hi - lo) / tick)).toBeGreaterThan(1) // more than a pixel per tick
    // The canvas's own pixels (device pixel ratio 1 in headless Chromium).
    const pixel = (y: number): Promise<number[]> =>
      page.evaluate<number[]>(
        `Array.from(document.querySelector('[data-testid="heatmap"]')` +
          `.getContext('2d').getImageData(${x}, ${y}, 1, 1).data.slice(0, 3))`
      )
    const isBid = ([r, g]: number[]) => (g ?? 0) > (r ?? 0) + 60
    const isAsk = ([r, g]: number[]) => (r ?? 0) > (g ?? 0) + 60
    expect(isBid(await pixel(rowTop(bid))), 'best bid row is bid-coloured').toBe(true)
    expect(isAsk(await pixel(rowTop(ask))), 'best ask row is ask-coloured').toBe(true)
    for (const k of [1, 2, 3]) {
      const above = await pixel(rowTop(ask + k * tick))
      expect(isBid(above), `${k} ticks above the best ask is not bid-coloured`).toBe(false)
    }
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: join(ARTIFACTS, 'book-heatmap-10s.png') })
    // Zoomed out to 2,000 ticks: below the 20th recorded bid the depth is drawn as unknown (grey
    // hatching), not as empty background.
    const deepest = Number(await page.getByTestId('ladder').getAttribute('data-deepest-bid'))
    await page.getByTestId('heatmap-price-span').selectOption('2000')
    await expect
      .poll(async () => (await attr('price-hi')) - (await attr('price-lo')))
      .toBeCloseTo(20, 6)
    const [lo2, hi2] = [await attr('price-lo'), await attr('price-hi')]
    const below = deepest - 100 * tick
    expect(below).toBeGreaterThan(lo2)
    const [r, g, b] = await pixel(Math.floor(((hi2 - below) / (hi2 - lo2)) * ph))
    const grey = Math.max(r ?? 0, g ?? 0, b ?? 0) - Math.min(r ?? 0, g ?? 0, b ?? 0) <= 12
    expect(grey && (r ?? 0) >= 25, `unknown depth is hatched grey, got ${String([r, g, b])}`).toBe(
      true
    )
    await page.getByTestId('heatmap-trades').check()
    await page.getByTestId('heatmap-price-span').selectOption('0')
    // The depth chart and the tape follow the cursor; the tape lists the window's single trades.
    await page.getByTestId('depth-chart').waitFor()
    const tapeTimes = await page
      .locator('[data-testid="trades-tape"] tbody tr td:first-child')
      .allTextContents()
    expect(tapeTimes.length).toBeGreaterThan(0)
    const cursor = new Date(t0).toISOString().slice(11, 23)
    for (const t of tapeTimes)
      expect(t <= cursor, `${t} is not after the cursor ${cursor}`).toBe(true)
    expect(pageErrors).toEqual([])
  })

  it('Jobs → Open shows the job asked for, not a later replay', async () => {
    const first = await page.getByTestId('replay-view').getAttribute('data-job-id')
    const firstCount = await page.getByTestId('frame-info').textContent()
    await page.getByTestId('capture-paths').fill(captureFiles('usdm-btcusdt-20240808').join('\n'))
    await page.getByTestId('replay-start').click()
    await page.locator('[data-testid="job-panel"][data-state="done"]').waitFor({ timeout: 60_000 })
    await expect
      .poll(() => page.getByTestId('replay-view').getAttribute('data-job-id'))
      .not.toBe(first)
    await page.getByTestId('nav-jobs').click()
    await page.locator(`tr:has(td:text-is("${first ?? ''}")) button:text-is("Open")`).click()
    const shown = () => page.getByTestId('replay-view').getAttribute('data-job-id')
    await expect.poll(shown).toBe(first)
    await page.getByTestId('frame-info').waitFor()
    // Still the asked-for job once everything has settled (the later replay's frames differ).
    await page.waitForTimeout(500)
    expect(await shown()).toBe(first)
    const frames = (t: string | null): string | undefined => /of ([\d,]+)/.exec(t ?? '')?.[1]
    expect(frames(await page.getByTestId('frame-info').textContent())).toBe(frames(firstCount))
    expect(pageErrors).toEqual([])
  })

  it('takes screenshots of the Book page at 1600×1000 and 1024×700', async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.getByTestId('heatmap-window-0').click()
    for (const [w, h] of [
      [1600, 1000],
      [1024, 700]
    ] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor()
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(ARTIFACTS, `book-${w}x${h}.png`) })
      await page.screenshot({ path: join(ARTIFACTS, `book-${w}x${h}-full.png`), fullPage: true })
    }
  })

  it('lists the job on the Jobs page, from the manifest', async () => {
    await page.getByTestId('nav-jobs').click()
    await expect
      .poll(() => page.getByTestId('jobs-table').textContent())
      .toContain('replay-capture')
  })

  it('runs a failed job again from the Jobs page, and shows it at 1600×1000 and 1024×700', async () => {
    await page.getByTestId('nav-book').click()
    await page.getByTestId('capture-paths').fill('/nonexistent/lakebook-e2e.gz')
    await page.getByTestId('replay-start').click()
    await page.getByTestId('nav-jobs').click()
    const failedRows = page.locator('tr:has(td:text-is("failed"))')
    await expect.poll(() => failedRows.count()).toBe(1)
    await failedRows.first().locator('button:text-is("Run again")').click()
    // The same spec again: a second job, failing for the same stated reason.
    await expect.poll(() => failedRows.count()).toBe(2)
    const reasons = await failedRows.locator('td.error').allTextContents()
    expect(reasons).toEqual([reasons[0], reasons[0]])
    expect(reasons[0]).toContain('lakebook-e2e.gz')
    await saveShots(page, 'jobs')
    expect(pageErrors).toEqual([])
  })
})

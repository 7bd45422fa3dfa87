// End to end in Chromium through the built browser host, on REAL data: the three wrong pictures of
// the Book page made into checks (a 34 h capture stamped from 1970, Jobs → Open showing a later
// replay, a Lake book running 1.27 s off its trades), the page's one clock and time format, the
// shared window of its time charts, go to time, shortcuts, and the view kept in the URL hash.
// Times are checked against the capture files themselves (Binance's E and T), not the engine.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { hasChromium, launchChromium, startBuiltHost, type RunningHost } from '../helpers/browser'
import { captureFiles, hasCaptures, hasVendorWriter, type CaptureSet } from '../helpers/data'
import { convertedLake } from '../helpers/lake'
import { tempDir } from '../helpers/synthetic'

const ARTIFACTS = process.env['LAKEBOOK_SHOTS'] ?? join(ROOT, 'test-artifacts')

/** Exchange times straight from the capture files: depth diffs by final update id, and trades. */
function exchangeTimes(set: CaptureSet): { diffE: Map<number, number>; tradeT: number[] } {
  const diffE = new Map<number, number>()
  const tradeT: number[] = []
  for (const f of captureFiles(set)) {
    for (const line of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) {
      const depth = line.includes('@depth')
      if (!depth && !line.includes('@trade')) continue
      const msg = JSON.parse(line.slice(line.indexOf(' ') + 1)) as {
        data: { u: number; E: number; T: number }
      }
      if (depth) diffE.set(msg.data.u, msg.data.E)
      else tradeT.push(msg.data.T)
    }
  }
  tradeT.sort((a, b) => a - b)
  return { diffE, tradeT }
}

describe.skipIf(!hasChromium || !hasCaptures || !hasVendorWriter)(
  'Book page: the right picture, one clock, one window',
  () => {
    let host: RunningHost
    let browser: Browser
    let page: Page
    const pageErrors: string[] = []
    let captureJob = ''
    let lakeJob = ''

    beforeAll(async () => {
      host = await startBuiltHost(tempDir())
      browser = await launchChromium()
      page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
      page.on('pageerror', (e) => pageErrors.push(e.message))
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(m.text())
      })
    })

    afterAll(async () => {
      await browser.close()
      await host.stop()
    })

    const attr = async (id: string, name: string): Promise<number> =>
      Number(await page.getByTestId(id).getAttribute(name))
    const jobShown = (): Promise<string | null> =>
      page.getByTestId('replay-view').getAttribute('data-job-id')

    it('NEXOUSDT: the first frame is on the exchange clock and the 34 h fill the heatmap', async () => {
      const set = 'spot-nexousdt-20240723'
      await page.goto(host.url)
      await page.getByTestId('capture-paths').fill(captureFiles(set).join('\n'))
      await page.getByTestId('replay-start').click()
      await page
        .locator('[data-testid="job-panel"][data-state="done"]')
        .waitFor({ timeout: 90_000 })
      await page.getByTestId('frame-info').waitFor()
      captureJob = (await jobShown()) ?? ''
      const { diffE, tradeT } = exchangeTimes(set)
      const firstE = Math.min(...diffE.values())
      const lastE = Math.max(...diffE.values(), tradeT.at(-1) ?? 0)
      // Frame 0 is the REST snapshot opening the capture: it carries no time and takes the first
      // exchange time seen (it was 0, 1970-01-01).
      expect(await page.getByTestId('frame-info').getAttribute('data-frame')).toBe('0')
      const t0 = await attr('frame-time', 'data-time-ms')
      expect(t0).toBeGreaterThanOrEqual(Math.min(firstE, tradeT[0] ?? Infinity))
      expect(t0).toBeLessThanOrEqual(firstE)
      expect(await page.getByTestId('frame-time').textContent()).toMatch(
        /^2024-07-23 15:39:4\d\.\d{3}$/
      )
      expect(await page.getByTestId('clock-label').getAttribute('data-clock')).toBe('exchange')
      expect(await page.getByTestId('clock-label').textContent()).toBe('UTC · exchange time')
      // The whole replay: the heatmap and the chart span the 34 h, not 54 years.
      const canvas = page.locator('[data-testid="heatmap"][data-state="drawn"]')
      await canvas.waitFor()
      const from = await attr('heatmap', 'data-from-ms')
      const to = await attr('heatmap', 'data-to-ms')
      expect(from).toBe(t0)
      expect(to).toBe(lastE)
      expect((to - from) / 3_600_000).toBeCloseTo(34.2, 1)
      expect(await attr('bbo-chart', 'data-from-ms')).toBe(from)
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.waitForTimeout(300)
      await page.screenshot({ path: join(ARTIFACTS, 'book-nexo-1600x1000.png') })
      expect(pageErrors).toEqual([])
    })

    it('Lake view: the book at the cursor and the trades before it are both on exchange time', async () => {
      const { root } = await convertedLake('spot-btcusdt-20240808')
      await page.getByTestId('source-lake').click()
      await page.getByTestId('lake-root').fill(root)
      await page.getByTestId('lake-load').click()
      await expect
        .poll(() => page.getByTestId('lake-series').textContent())
        .toContain('BINANCE BTC-USDT')
      await page.getByTestId('lake-replay-start').click()
      await page
        .locator('[data-testid="job-panel"][data-state="done"]')
        .waitFor({ timeout: 90_000 })
      await expect.poll(jobShown).not.toBe(captureJob)
      lakeJob = (await jobShown()) ?? ''
      await page.getByTestId('frame-info').waitFor()
      expect(await page.getByTestId('clock-label').getAttribute('data-clock')).toBe('exchange')
      const { diffE, tradeT } = exchangeTimes('spot-btcusdt-20240808')
      // The example: update id 50093240814 is at 23:54:16.508 on the exchange's clock
      // (the Lake view showed it at 15.237, the recorder's clock).
      for (const at of ['2024-08-08 23:54:16.508', '2024-08-08 23:58:00.000', '00:03:30.250']) {
        await page.getByTestId('goto-time').fill(at)
        await page.getByTestId('goto-time').press('Enter')
        await page.getByTestId('heatmap-window-10000').click()
        await page.waitForTimeout(100)
        const err = page.getByTestId('goto-error')
        expect(await err.count(), (await err.allTextContents()).join()).toBe(0)
        const u = await attr('frame-info', 'data-update-id')
        const t = await attr('frame-time', 'data-time-ms')
        expect(diffE.get(u), `the book at ${at}: update id ${u} at its exchange time`).toBe(t)
        // The tape's newest trade is the capture's newest trade at or before the cursor.
        await page.locator('[data-testid="trades-tape"] tbody tr').first().waitFor()
        const newest = await page
          .locator('[data-testid="trades-tape"] tbody tr td:first-child')
          .first()
          .textContent()
        const expected = tradeT.filter((x) => x <= t).at(-1) ?? 0
        expect(newest).toBe(new Date(expected).toISOString().slice(11, 23))
      }
      const u = await attr('frame-info', 'data-update-id')
      expect(u).toBeGreaterThan(0)
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, 'book-lake-10s-1600x1000.png') })
      expect(pageErrors).toEqual([])
    })

    it('shares one window: a wheel over the chart zooms the heatmap and the drift chart', async () => {
      await page.getByTestId('heatmap-window-60000').click()
      // The page follows the heatmap's window after the frame that moved its picture.
      const shown = async (): Promise<number> =>
        (await attr('bbo-chart', 'data-to-ms')) - (await attr('bbo-chart', 'data-from-ms'))
      await expect.poll(shown).toBe(60_000)
      const before = await shown()
      const over = page.locator('[data-testid="bbo-chart"] .u-over')
      await over.hover()
      await page.mouse.wheel(0, 400)
      await expect
        .poll(
          async () =>
            (await attr('bbo-chart', 'data-to-ms')) - (await attr('bbo-chart', 'data-from-ms'))
        )
        .toBeGreaterThan(before * 2)
      const from = await attr('bbo-chart', 'data-from-ms')
      await expect.poll(() => attr('heatmap', 'data-from-ms')).toBe(from)
      expect(await attr('drift-chart', 'data-from-ms')).toBe(from)
      // A time that is not one, and one outside the replay: said in a sentence, with what to do.
      await page.getByTestId('goto-time').fill('yesterday')
      await page.getByTestId('goto-time').press('Enter')
      expect(await page.getByTestId('goto-error').textContent()).toMatch(/^Type a UTC time as/)
      await page.getByTestId('goto-time').fill('2024-08-10 00:00:00')
      await page.getByTestId('goto-time').press('Enter')
      expect(await page.getByTestId('goto-error').textContent()).toContain('outside this replay')
      expect(pageErrors).toEqual([])
    })

    it('keyboard: ? lists the shortcuts, Space plays and pauses, → steps a frame', async () => {
      await page.getByTestId('heatmap').click({ position: { x: 5, y: 5 } })
      await page.keyboard.press('?')
      await page.getByTestId('shortcuts-help').waitFor()
      expect(await page.getByTestId('shortcuts-help').textContent()).toContain('play / pause')
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByTestId('shortcuts-help').count()).toBe(0)
      const f0 = await attr('frame-info', 'data-frame')
      await page.keyboard.press('ArrowRight')
      await expect.poll(() => attr('frame-info', 'data-frame')).toBe(f0 + 1)
      await page.getByTestId('play-speed').selectOption('100')
      await page.locator('body').press(' ')
      await expect.poll(() => attr('frame-info', 'data-frame')).toBeGreaterThan(f0 + 3)
      await page.locator('body').press(' ')
      await page.waitForTimeout(200)
      const stopped = await attr('frame-info', 'data-frame')
      await page.waitForTimeout(400)
      expect(await attr('frame-info', 'data-frame')).toBe(stopped)
      expect(pageErrors).toEqual([])
    })

    it('a scrub shows every frame as the engine has it, from frames fetched in blocks', async () => {
      // Every request the page sends over the host's WebSocket, by channel (the page reloaded,
      // the hash keeps the view, so its socket is watched from the start).
      const sent: string[] = []
      page.on('websocket', (ws) => {
        ws.on('framesent', (f) => {
          const m = /"channel":"([a-z.]+)"/.exec(String(f.payload))
          if (m?.[1]) sent.push(m[1])
        })
      })
      await page.reload()
      await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor()
      await expect.poll(jobShown).toBe(lakeJob)
      await page.getByTestId('heatmap').click({ position: { x: 5, y: 5 } })
      // The click asks for the frame at its time: the first step goes on from the frame shown
      // once that ask is answered, so read it then, not while the answer may still be on its way.
      await expect
        .poll(() => page.getByTestId('frame-info').getAttribute('data-pending'), {
          timeout: 30_000
        })
        .toBe('false')
      const f0 = await attr('frame-info', 'data-frame')
      const steps = 300
      for (let i = 1; i <= steps; i++) {
        await page.keyboard.press('ArrowRight')
        if (i % 100 !== 0) continue
        // Every press must count; how soon the last frame arrives is the engine's load, not the
        // test's business (the shared CI machine took over a second), so the wait is generous.
        await expect.poll(() => attr('frame-info', 'data-frame'), { timeout: 30_000 }).toBe(f0 + i)
        const engine = await page.evaluate<{ timeMs: number; updateId: number }>(
          `window.api.invoke('replay.frame', { jobId: ${JSON.stringify(lakeJob)}, index: ${String(f0 + i)} })`
        )
        expect(await attr('frame-info', 'data-update-id')).toBe(engine.updateId)
        expect(await attr('frame-time', 'data-time-ms')).toBe(engine.timeMs)
        // The cursor line stands over the heatmap where the frame's time falls in the window.
        const from = await attr('heatmap', 'data-from-ms')
        const to = await attr('heatmap', 'data-to-ms')
        const w = await attr('heatmap', 'data-plot-width')
        const left = await attr('heatmap-cursor', 'data-x')
        expect(Math.abs(left - ((engine.timeMs - from) / (to - from)) * w)).toBeLessThanOrEqual(1)
        // So does the chart's, moved over the plot without a redraw of the chart.
        const bbo = page.getByTestId('bbo-chart')
        const bx = Number(await bbo.getByTestId('chart-cursor').getAttribute('data-x'))
        const bFrom = await attr('bbo-chart', 'data-from-ms')
        const bTo = await attr('bbo-chart', 'data-to-ms')
        const plotW = (await bbo.locator('.u-over').boundingBox())?.width ?? NaN
        expect(
          Math.abs(bx - ((engine.timeMs - bFrom) / (bTo - bFrom)) * plotW)
        ).toBeLessThanOrEqual(1)
      }
      // Three checks asked for a frame each; the 300 steps asked for blocks, not frame by frame.
      const single = sent.filter((c) => c === 'replay.frame').length
      expect(single).toBeLessThan(20)
      expect(sent.filter((c) => c === 'replay.frames').length).toBeGreaterThan(0)
      expect(pageErrors).toEqual([])
    })

    it('keeps the view in the URL hash: a reload reopens the same replay, cursor and window', async () => {
      const t = await attr('frame-time', 'data-time-ms')
      const from = await attr('heatmap', 'data-from-ms')
      await expect.poll(() => page.evaluate('location.hash')).toContain(`t=${t}`)
      await page.reload()
      await expect.poll(jobShown).toBe(lakeJob)
      await expect.poll(() => attr('frame-time', 'data-time-ms')).toBe(t)
      await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor()
      expect(Math.abs((await attr('heatmap', 'data-from-ms')) - from)).toBeLessThanOrEqual(1)
      expect(pageErrors).toEqual([])
    })

    it('says what the timeline holds, opens markers, and zoomed charts fetch their window', async () => {
      const status = page.getByTestId('timeline-status')
      expect(await status.getAttribute('data-complete')).toBe('true')
      expect(await status.textContent()).toContain('at most one frame per 100 ms')
      // The Lake replay opens with its snapshot burst: a marker chip puts the cursor on it.
      const chip = page.getByTestId('marker').first()
      const at = Number(await chip.getAttribute('data-from-ms'))
      await page.getByTestId('heatmap-window-0').click()
      await chip.click()
      await expect
        .poll(async () => Math.abs((await attr('frame-time', 'data-time-ms')) - at))
        .toBeLessThanOrEqual(100)
      const from = await attr('heatmap', 'data-from-ms')
      const to = await attr('heatmap', 'data-to-ms')
      expect(from).toBeLessThanOrEqual(at)
      expect(to).toBeGreaterThanOrEqual(at)
      // A 10 s window: the chart shows that window's own points, not the overview's.
      await page.getByTestId('heatmap-window-10000').click()
      await expect
        .poll(() => page.getByTestId('bbo-chart').getAttribute('data-points-from'))
        .toBe('window')
      expect(await attr('bbo-chart', 'data-points')).toBeGreaterThan(20)
      await page.getByTestId('heatmap-window-0').click()
      await expect
        .poll(() => page.getByTestId('bbo-chart').getAttribute('data-points-from'))
        .toBe('overview')
      expect(pageErrors).toEqual([])
    })

    it('zooms and pans the price axis, remembers pane sizes, and saves the view as PNG and CSV', async () => {
      await page.getByTestId('heatmap-window-60000').click()
      await expect
        .poll(
          async () =>
            (await attr('heatmap', 'data-to-ms')) - (await attr('heatmap', 'data-from-ms'))
        )
        .toBe(60_000)
      const lo0 = await attr('heatmap', 'data-price-lo')
      const hi0 = await attr('heatmap', 'data-price-hi')
      const box = await page.getByTestId('heatmap').boundingBox()
      if (!box) throw new Error('no heatmap box')
      const plotH = await attr('heatmap', 'data-plot-height')
      // Wheel over the price axis, at the middle: the span shrinks around the middle price.
      await page.mouse.move(box.x + box.width - 20, box.y + plotH / 2)
      await page.mouse.wheel(0, -100)
      await page.mouse.wheel(0, -100)
      await expect.poll(() => attr('heatmap', 'data-price-hi')).toBeLessThan(hi0)
      const lo1 = await attr('heatmap', 'data-price-lo')
      const hi1 = await attr('heatmap', 'data-price-hi')
      expect(hi1 - lo1).toBeCloseTo((hi0 - lo0) / 1.44, 6)
      expect((lo1 + hi1) / 2).toBeCloseTo((lo0 + hi0) / 2, 6)
      // Dragging the axis down by a quarter of the plot shows prices a quarter span higher.
      await page.mouse.move(box.x + box.width - 20, box.y + plotH / 2)
      await page.mouse.down()
      await page.mouse.move(box.x + box.width - 20, box.y + plotH / 2 + plotH / 4, { steps: 4 })
      await page.mouse.up()
      const span1 = hi1 - lo1
      await expect
        .poll(async () => Math.abs((await attr('heatmap', 'data-price-lo')) - (lo1 + span1 / 4)))
        .toBeLessThan(span1 * 0.01)
      expect(await page.getByTestId('heatmap-price-span').inputValue()).toBe('-1')

      // The view's CSV: the engine's rows for exactly the window shown.
      const from = await attr('heatmap', 'data-from-ms')
      const to = await attr('heatmap', 'data-to-ms')
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('heatmap-csv').click()
      ])
      const text = readFileSync(await csv.path(), 'utf8')
        .trim()
        .split('\n')
      expect(text[0]).toMatch(/^time_utc,time_ms,kind,update_id,bid_price/)
      const times = text.slice(1).map((l) => Number(l.split(',')[1]))
      expect(times.length).toBeGreaterThan(100)
      expect(Math.min(...times)).toBeGreaterThanOrEqual(from)
      expect(Math.max(...times)).toBeLessThanOrEqual(to)
      expect(text.some((l) => l.split(',')[2] === 'trade')).toBe(true)
      expect(csv.suggestedFilename()).toMatch(new RegExp(`^lakebook-${lakeJob}-.*\\.csv$`))
      // The picture as PNG: the canvas's own pixels.
      const [png] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('heatmap-png').click()
      ])
      const bytes = readFileSync(await png.path())
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
      expect(Math.abs(bytes.readUInt32BE(16) - box.width)).toBeLessThanOrEqual(1)

      // Pane sizes: drag the ladder's edge 120 px left; a reload keeps the wider ladder.
      const ladder0 = (await page.getByTestId('ladder-panel').boundingBox())?.width ?? 0
      const split = await page.getByTestId('split-ladder-width').boundingBox()
      if (!split) throw new Error('no splitter')
      await page.mouse.move(split.x + 3, split.y + 100)
      await page.mouse.down()
      await page.mouse.move(split.x - 117, split.y + 100, { steps: 5 })
      await page.mouse.up()
      await expect
        .poll(async () => (await page.getByTestId('ladder-panel').boundingBox())?.width ?? 0)
        .toBeCloseTo(ladder0 + 120, -1)
      await page.reload()
      await page.getByTestId('ladder-panel').waitFor()
      expect((await page.getByTestId('ladder-panel').boundingBox())?.width ?? 0).toBeCloseTo(
        ladder0 + 120,
        -1
      )
      // Double click: back to the default width; the price axis fits again.
      await page.getByTestId('split-ladder-width').dblclick()
      await expect
        .poll(async () => (await page.getByTestId('ladder-panel').boundingBox())?.width ?? 0)
        .toBeCloseTo(ladder0, -1)
      expect(pageErrors).toEqual([])
    })

    it('Jobs → Open on the earlier capture replay shows it, not the later Lake replay', async () => {
      await page.getByTestId('nav-jobs').click()
      await page.locator(`tr:has(td:text-is("${captureJob}")) button:text-is("Open")`).click()
      await expect.poll(jobShown).toBe(captureJob)
      await page.getByTestId('frame-info').waitFor()
      await page.waitForTimeout(500)
      expect(await jobShown()).toBe(captureJob)
      expect(await page.getByTestId('frame-info').textContent()).toContain('of 99,031')
      expect(await page.getByTestId('frame-time').textContent()).toMatch(/^2024-07-2/)
    })

    it('takes screenshots of the Book page at 1600×1000 and 1024×700', async () => {
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.getByTestId('nav-jobs').click()
      await page.locator(`tr:has(td:text-is("${lakeJob}")) button:text-is("Open")`).click()
      await page.getByTestId('frame-info').waitFor()
      for (const [w, h] of [
        [1600, 1000],
        [1024, 700]
      ] as const) {
        await page.setViewportSize({ width: w, height: h })
        await page.locator('[data-testid="heatmap"][data-state="drawn"]').waitFor()
        await page.waitForTimeout(400)
        await page.screenshot({ path: join(ARTIFACTS, `book-views-${w}x${h}.png`) })
        await page.screenshot({
          path: join(ARTIFACTS, `book-views-${w}x${h}-full.png`),
          fullPage: true
        })
      }
      // The DOM ladder: contiguous rows at the group, centred on the touch, unknown depth said.
      await page.setViewportSize({ width: 1600, height: 1000 })
      await page.getByTestId('ladder-group').selectOption('10')
      await expect.poll(() => page.getByTestId('ladder').getAttribute('data-group')).toBe('10')
      const rendered = async (): Promise<number[]> =>
        (
          await page.evaluate<(string | null)[]>(
            `Array.from(document.querySelectorAll('[data-testid="ladder"] tbody tr:not(.spacer)'))` +
              `.map((tr) => tr.getAttribute('data-price'))`
          )
        ).map(Number)
      const ladder = page.getByTestId('ladder')
      // 100 groups above the best ask and below the best bid (one shared when both are in it);
      // only those in and near the scroll box are in the page, contiguous at the group.
      const total = Number(await ladder.getAttribute('data-rows'))
      expect(total).toBeGreaterThanOrEqual(199)
      const prices = await rendered()
      expect(prices.length).toBeGreaterThanOrEqual(30)
      expect(prices.length).toBeLessThan(total)
      for (let i = 1; i < prices.length; i++)
        expect((prices[i - 1] ?? 0) - (prices[i] ?? 0)).toBeCloseTo(0.1, 6)
      // The mid row is in the middle of the box, and the ladder scrolls to its ends.
      const midAt = await page.evaluate<number>(
        `(() => { const box = document.querySelector('.dom-scroll').getBoundingClientRect();` +
          ` const r = document.querySelector('[data-testid="ladder"] tr.best-ask').getBoundingClientRect();` +
          ` return (r.bottom - box.top) / box.height })()`
      )
      expect(midAt).toBeGreaterThan(0.4)
      expect(midAt).toBeLessThan(0.6)
      await page.getByTestId('ladder-follow').uncheck()
      const scrollTo = (top: string): Promise<unknown> =>
        page.evaluate(`{ const el = document.querySelector('.dom-scroll'); el.scrollTop = ${top} }`)
      await scrollTo('0')
      await expect
        .poll(async () => (await rendered())[0]?.toFixed(2))
        .toBe(await ladder.getAttribute('data-top-price'))
      await scrollTo('el.scrollHeight')
      await expect
        .poll(async () => (await rendered()).at(-1)?.toFixed(2))
        .toBe(await ladder.getAttribute('data-bottom-price'))
      await page.getByTestId('ladder-follow').check()
      await page.screenshot({ path: join(ARTIFACTS, 'book-ladder-x10-1600x1000.png') })
      // At ×50 (100 groups of $0.50 a side) the rows reach past the recorded top 20: unknown.
      await page.getByTestId('ladder-group').selectOption('50')
      const unknown = page.locator('[data-testid="ladder"] tr.bid.unknown-all td.bid-size')
      await expect.poll(() => unknown.count()).toBeGreaterThan(0)
      expect(await unknown.first().textContent()).toBe('?')
      await page.screenshot({ path: join(ARTIFACTS, 'book-ladder-x50-1600x1000.png') })
      await page.getByTestId('ladder-group').selectOption('1')
      await page.setViewportSize({ width: 1024, height: 700 })
      await page.keyboard.press('?')
      await page.screenshot({ path: join(ARTIFACTS, 'book-shortcuts-1024x700.png') })
      await page.keyboard.press('Escape')
      expect(pageErrors).toEqual([])
    })

    it('the trade impact switch leaves a trace: the effective best bid/ask drawn, and said', async () => {
      const { root } = await convertedLake('spot-btcusdt-20240808')
      await page.setViewportSize({ width: 1600, height: 1000 })
      await page.getByTestId('nav-book').click()
      await page.getByTestId('source-lake').click()
      await page.getByTestId('lake-root').fill(root)
      await page.getByTestId('lake-load').click()
      await page.getByTestId('lake-trade-impact').check()
      await page.getByTestId('lake-replay-start').click()
      await page
        .locator('[data-testid="job-panel"][data-state="done"]')
        .waitFor({ timeout: 90_000 })
      await expect.poll(jobShown).not.toBe(lakeJob)
      await expect
        .poll(() => page.getByTestId('bbo-chart').getAttribute('data-trade-impact'))
        .toBe('on')
      expect(await page.getByTestId('trade-impact-on').textContent()).toContain(
        'effective best bid/ask'
      )
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.getByTestId('goto-time').fill('2024-08-08 23:58:00')
      await page.getByTestId('goto-time').press('Enter')
      await page.getByTestId('heatmap-window-10000').click()
      await page.waitForTimeout(400)
      await page
        .getByTestId('bbo-chart')
        .screenshot({ path: join(ARTIFACTS, 'book-trade-impact-10s.png') })
      // The plain replay said nothing of the kind.
      await page.getByTestId('nav-jobs').click()
      await page.locator(`tr:has(td:text-is("${lakeJob}")) button:text-is("Open")`).click()
      await expect.poll(jobShown).toBe(lakeJob)
      await expect
        .poll(() => page.getByTestId('bbo-chart').getAttribute('data-trade-impact'))
        .toBe('off')
      expect(pageErrors).toEqual([])
    })
  }
)

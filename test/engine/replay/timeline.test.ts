// Recorded replay timelines on the REAL shared captures and their Lake conversion: every frame is
// stamped with exchange time (never 0, never the recorder's clock), so the book and the trades of a
// timeline line up whichever source it was replayed from.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BookSeries } from '../../../src-shared/replay'
import { PriceGrid } from '../../../src-shared/units'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { TimelineRecorder } from '../../../src-main/engine/sink/timeline'
import { TimelineStore } from '../../../src-main/replay/timelineStore'
import { captureFiles, hasCaptures, type CaptureSet } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const dirs = tempDir('lakebook-timelines-')
const store = new TimelineStore((id) => join(dirs, id), 8)

async function captureTimeline(set: CaptureSet): Promise<string> {
  const timeline = new TimelineRecorder(0)
  const r = await replayCapture(captureFiles(set), { timeline })
  const grid = new PriceGrid(r.tick)
  timeline.write(join(dirs, set), {
    symbol: r.symbol,
    tick: r.tick,
    priceScale: grid.scale,
    tickStep: grid.step,
    lotScale: 8
  })
  return set
}

/** Every frame's time and update id, read one frame at a time as the scrubber does. */
function frameTimes(id: string): Map<number, number> {
  const first = store.frame(id, 0)
  const out = new Map<number, number>()
  for (let i = 0; i < first.count; i++) {
    const f = store.frame(id, i)
    if (!out.has(f.updateId)) out.set(f.updateId, f.timeMs)
  }
  return out
}

/**
 * Sell prints above the best ask by more than the spread, against the book around the print: the
 * frame before it and the next one (a depth@100ms diff carries the end of its window, so the trades
 * of a window print before the diff that shows their effect).
 */
function sellsAboveTheAsk(s: BookSeries): { sells: number; above: number } {
  let frame = 0
  let sells = 0
  let above = 0
  for (let k = 0; k < s.trades.timeMs.length; k++) {
    const t = s.trades.timeMs[k] ?? 0
    while (frame + 1 < s.timeMs.length && (s.timeMs[frame + 1] ?? 0) <= t) frame++
    if (s.trades.buy[k] || (s.timeMs[frame] ?? Infinity) > t) continue
    const next = Math.min(frame + 1, s.timeMs.length - 1)
    const [b0, a0, b1, a1] = [s.bestBid[frame], s.bestAsk[frame], s.bestBid[next], s.bestAsk[next]]
    if (b0 == null || a0 == null || b1 == null || a1 == null) continue
    sells++
    const spread = Math.max(a0 - b0, a1 - b1)
    if ((s.trades.price[k] ?? NaN) > Math.max(a0, a1) + spread) above++
  }
  return { sells, above }
}

describe.skipIf(!hasCaptures)('replay timelines on exchange time', () => {
  it('NEXOUSDT: the first frame (the snapshot opening the capture) is not stamped 1970', async () => {
    const id = await captureTimeline('spot-nexousdt-20240723')
    const s = store.series(id, 1_000_000)
    expect(s.clock).toBe('exchange')
    expect(s.frameStep).toBe(1)
    const start = Date.parse('2024-07-23T15:39:00Z')
    expect(s.timeMs[0]).toBeGreaterThan(start)
    expect(Math.min(...s.timeMs)).toBe(s.timeMs[0])
    expect(s.timeMs.at(-1)).toBeLessThan(Date.parse('2024-07-25T01:52:00Z'))
    for (const m of s.markers) expect(m.fromMs).toBeGreaterThan(start)
  })

  describe('spot BTCUSDT from the capture and from its Lake conversion', () => {
    let lakeId = ''
    let captureId = ''
    beforeAll(async () => {
      const { root } = await convertedLake('spot-btcusdt-20240808')
      lakeId = 'lake-spot'
      await runLakeReplay(
        { root, exchange: 'BINANCE', symbol: 'BTC-USDT', frameIntervalMs: 0 },
        { workers: 0, timelineDir: join(dirs, lakeId) }
      )
      captureId = await captureTimeline('spot-btcusdt-20240808')
    })

    it('shows every update id at the same exchange time in both timelines', () => {
      const lake = frameTimes(lakeId)
      const capture = frameTimes(captureId)
      let same = 0
      for (const [u, t] of lake) {
        const c = capture.get(u)
        if (c === undefined) continue
        expect(t, `update id ${u}`).toBe(c)
        same++
      }
      expect(same).toBeGreaterThan(6000)
      // The example that showed the lag: 23:54:16.508 is its exchange time, not 15.237.
      expect(lake.get(50093240814)).toBe(Date.parse('2024-08-08T23:54:16.508Z'))
      expect(Math.min(...lake.values())).toBeGreaterThan(Date.parse('2024-08-08T23:54:00Z'))
    })

    it('puts the trades on the book’s clock: sell prints are not above the best ask', () => {
      const counts = [lakeId, captureId].map((id) => {
        const s = store.series(id, 1_000_000)
        expect(s.clock).toBe('exchange')
        return sellsAboveTheAsk(s)
      })
      // Both timelines show the same picture. Of the ~10,800 sells a handful (10: two fast
      // 100 ms windows where the price went up and back) print above the ask; with the book on the
      // recorder's clock (1.27 s late) it was 7,034.
      expect(counts[0]).toEqual(counts[1])
      const { sells, above } = counts[0] ?? { sells: 0, above: 0 }
      expect(sells).toBeGreaterThan(10_000)
      expect(above).toBeLessThan(sells * 0.002)
    })

    it('serves heatmap columns that are the recorded frames, and every traded lot once', () => {
      const s = store.series(captureId, 1_000_000)
      const from = s.timeMs[0] ?? 0
      const to = s.timeMs.at(-1) ?? 0
      const h = store.heatmap(captureId, { fromMs: from, toMs: to, columns: 300, maxTrades: 1000 })
      expect(h.frame).toHaveLength(300)
      expect(h.tradesMerged).toBe(true)
      for (const c of [0, 17, 150, 299]) {
        const f = store.frame(captureId, h.frame[c] ?? -1)
        // The column shows the last frame at or before its end time.
        expect(f.timeMs).toBeLessThanOrEqual(from + ((c + 1) * (to - from)) / 300)
        expect(h.bidPrice.slice(c * 20, c * 20 + f.bids.length)).toEqual(f.bids.map((l) => l[0]))
        expect(h.askSize.slice(c * 20, c * 20 + f.asks.length)).toEqual(f.asks.map((l) => l[1]))
      }
      const lots = (xs: number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) * 1e8)
      const inWindow = s.trades.size.filter((_, i) => (s.trades.timeMs[i] ?? 0) >= from)
      expect(lots(h.trades.size)).toBe(lots(inWindow))
      // Coarser columns read the trades' levels of detail, with the prints at the window's edges.
      for (const columns of [100, 30, 7]) {
        const c = store.heatmap(captureId, { fromMs: from, toMs: to, columns, maxTrades: 1000 })
        expect(lots(c.trades.size)).toBe(lots(inWindow))
      }
    })
  })
})

// The DOM ladder's rows on REAL frames: the spot BTCUSDT capture (a full top 20 on each side, the
// book going on beyond it) and its trades, replayed by the engine into a timeline and read back as
// the Book page reads it.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BookFrame, BookSeries } from '../../src-shared/replay'
import { PriceGrid } from '../../src-shared/units'
import { replayCapture } from '../../src-main/engine/captureReplay'
import { TimelineRecorder } from '../../src-main/engine/sink/timeline'
import { TimelineStore } from '../../src-main/replay/timelineStore'
import { ladderRows, RECORDED_DEPTH } from '../../src-renderer/src/components/ladderRows'
import { captureFiles, hasCaptures } from '../helpers/data'
import { tempDir } from '../helpers/synthetic'

const dir = tempDir('lakebook-ladder-')
const store = new TimelineStore((id) => join(dir, id), 2)
const TICK = 0.01

describe.skipIf(!hasCaptures)('DOM ladder rows on a real spot BTCUSDT frame', () => {
  let frame: BookFrame
  let series: BookSeries
  beforeAll(async () => {
    const timeline = new TimelineRecorder(0)
    const r = await replayCapture(captureFiles('spot-btcusdt-20240808'), { timeline })
    const grid = new PriceGrid(r.tick)
    timeline.write(join(dir, 'spot'), {
      symbol: r.symbol,
      tick: r.tick,
      priceScale: grid.scale,
      tickStep: grid.step,
      lotScale: 8
    })
    series = store.series('spot', 1_000_000)
    frame = store.frame('spot', Math.floor(series.frames / 2))
    expect(frame.bids).toHaveLength(RECORDED_DEPTH)
    expect(frame.asks).toHaveLength(RECORDED_DEPTH)
  }, 120_000)

  it('×1: contiguous ticks, every recorded level at its price, unknown beyond the 20th', () => {
    const rows = ladderRows(frame, TICK, 1, 1000, null)
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.key).toBe((rows[i - 1]?.key ?? 0) - 1)
    const byPrice = new Map(rows.map((r) => [r.price.toFixed(2), r]))
    for (const [p, s] of frame.bids) expect(byPrice.get(p.toFixed(2))?.bidSize).toBe(s)
    for (const [p, s] of frame.asks) expect(byPrice.get(p.toFixed(2))?.askSize).toBe(s)
    // Centred: as many rows above the best ask as below the best bid.
    const ba = rows.findIndex((r) => r.bestAsk)
    const bb = rows.findIndex((r) => r.bestBid)
    expect(ba).toBe(rows.length - 1 - bb)
    expect(rows[ba]?.price.toFixed(2)).toBe(frame.asks[0]?.[0].toFixed(2))
    expect(rows[bb]?.price.toFixed(2)).toBe(frame.bids[0]?.[0].toFixed(2))
    // Between the touch and the 20th level: known (a price without a level is known empty);
    // beyond it: unknown, never drawn as empty.
    const deepBid = frame.bids.at(-1)?.[0] ?? 0
    const deepAsk = frame.asks.at(-1)?.[0] ?? 0
    let emptyKnown = 0
    for (const r of rows) {
      const beyond =
        r.side === 'bid'
          ? r.price < deepBid - TICK / 2
          : r.side === 'ask'
            ? r.price > deepAsk + TICK / 2
            : false
      expect(r.unknown, r.price.toFixed(2)).toBe(beyond ? 'all' : 'no')
      if (!beyond && r.side !== 'inside' && r.bidLevels + r.askLevels === 0) emptyKnown++
    }
    expect(rows.some((r) => r.unknown === 'all')).toBe(true)
    expect(emptyKnown).toBeGreaterThan(0)
  })

  it('×10 and ×50: groups hold the sum of their levels; a group straddling the 20th is partly known', () => {
    for (const g of [5, 10, 50]) {
      const rows = ladderRows(frame, TICK, g, 1000, null)
      const sum = (xs: number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) * 1e8)
      expect(sum(rows.map((r) => r.bidSize))).toBe(sum(frame.bids.map((l) => l[1])))
      expect(sum(rows.map((r) => r.askSize))).toBe(sum(frame.asks.map((l) => l[1])))
      for (const r of rows) {
        const lo = Math.round(r.price / TICK)
        expect(lo % g).toBe(0)
      }
      const deepBid = Math.round((frame.bids.at(-1)?.[0] ?? 0) / TICK)
      const straddle = rows.find(
        (r) => r.side === 'bid' && Math.round(r.price / TICK) === Math.floor(deepBid / g) * g
      )
      expect(straddle?.unknown).toBe(deepBid % g === 0 ? 'no' : 'part')
    }
  })

  it('counts the window’s traded volume at each price once', () => {
    const t = frame.timeMs
    const inWindow = series.trades.timeMs.flatMap((x, i) => (x > t - 60_000 && x <= t ? [i] : []))
    const trades = {
      price: inWindow.map((i) => series.trades.price[i] ?? 0),
      size: inWindow.map((i) => series.trades.size[i] ?? 0),
      buy: inWindow.map((i) => series.trades.buy[i] ?? false)
    }
    expect(trades.price.length).toBeGreaterThan(100)
    const rows = ladderRows(frame, TICK, 1, 100_000, trades)
    const lo = rows.at(-1)?.price ?? 0
    const hi = rows[0]?.price ?? 0
    const lots = (xs: number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) * 1e8)
    const covered = trades.size.filter(
      (_, i) => (trades.price[i] ?? 0) >= lo && (trades.price[i] ?? 0) <= hi
    )
    expect(covered.length).toBe(trades.size.length)
    expect(lots(rows.map((r) => r.bought + r.sold))).toBe(lots(trades.size))
    const buys = trades.size.filter((_, i) => trades.buy[i])
    expect(lots(rows.map((r) => r.bought))).toBe(lots(buys))
  })
})

describe('a crossed book in the ladder (SYNTHETIC frame built here)', () => {
  it('shows the crossed prices as rows of both sides instead of failing', () => {
    // Best ask 99.95 below best bid 100.00: the crossing a broken reconstruction produces.
    const crossed: BookFrame = {
      index: 0,
      count: 1,
      timeMs: 0,
      updateId: 1,
      bids: [
        [100.0, 1],
        [99.99, 2]
      ],
      asks: [
        [99.95, 3],
        [99.96, 4]
      ],
      crossed: true,
      unknownDepth: false
    }
    const rows = ladderRows(crossed, TICK, 1, 5, null)
    const prices = rows.map((r) => Math.round(r.price / TICK))
    // Contiguous from 5 ticks above the best bid down to 5 below the best ask.
    expect(prices[0]).toBe(10004)
    expect(prices.at(-1)).toBe(9991)
    for (let i = 1; i < prices.length; i++) expect((prices[i - 1] ?? 0) - (prices[i] ?? 0)).toBe(1)
    const at = (ticks: number) => rows.find((r) => Math.round(r.price / TICK) === ticks)
    expect(at(9995)?.side).toBe('both')
    expect(at(9995)?.askSize).toBe(3)
    expect(at(10000)?.bidSize).toBe(1)
    expect(at(10000)?.bestBid).toBe(true)
    expect(at(9995)?.bestAsk).toBe(true)
  })
})

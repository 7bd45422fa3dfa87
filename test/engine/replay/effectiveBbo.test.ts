// The trade impact model's effective best bid/ask as the Book page draws it, rebuilt from the
// recorded timeline of a REAL Lake replay (the spot BTCUSDT capture converted by the project's
// converter, every book message kept): it is the plain best at every frame, and between frames the
// trades take what they printed against.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BookSeries } from '../../../src-shared/replay'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { TimelineStore } from '../../../src-main/replay/timelineStore'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const dirs = tempDir('lakebook-impact-')
const store = new TimelineStore((id) => join(dirs, id), 4)

describe.skipIf(!hasCaptures)('effective best bid/ask of a trade impact replay', () => {
  let impact: BookSeries
  let plain: BookSeries
  beforeAll(async () => {
    const { root } = await convertedLake('spot-btcusdt-20240808')
    for (const [id, tradeImpact] of [
      ['impact', true],
      ['plain', false]
    ] as const) {
      await runLakeReplay(
        { root, exchange: 'BINANCE', symbol: 'BTC-USDT', frameIntervalMs: 0, tradeImpact },
        { workers: 0, timelineDir: join(dirs, id) }
      )
    }
    impact = store.series('impact', 1_000_000)
    plain = store.series('plain', 1_000_000)
  }, 120_000)

  it('is served only for a replay that ran with the model', () => {
    expect(plain.effective).toBeUndefined()
    expect(impact.effective).toBeDefined()
    expect(impact.timeMs).toEqual(plain.timeMs)
  })

  it('equals the plain best at every frame and departs from it after trades', () => {
    const e = impact.effective
    if (!e) throw new Error('no effective series')
    // One point per frame and per trade.
    expect(e.timeMs.length).toBe(
      impact.frames + impact.trades.timeMs.length - skippedTrades(impact)
    )
    // The points in their order: the trades up to a frame's time (printing on the frame before),
    // then the frame.
    const tr = impact.trades
    let p = 0
    let k = skippedTrades(impact)
    let differs = 0
    let buysBelowEffAsk = 0
    let sells = 0
    let f = 0
    for (; f < impact.frames; f++) {
      const tf = impact.timeMs[f] ?? 0
      for (; k < tr.timeMs.length && (tr.timeMs[k] ?? 0) <= tf; k++, p++) {
        expect(e.timeMs[p]).toBe(tr.timeMs[k])
        const [b, a] = [impact.bestBid[f - 1], impact.bestAsk[f - 1]]
        if (e.bid[p] !== b || e.ask[p] !== a) differs++
        const price = tr.price[k] ?? NaN
        // A buy took every ask below its price: the effective ask is at or above it (or, every
        // displayed ask taken, the book's own best).
        if (tr.buy[k]) {
          if ((e.ask[p] ?? Infinity) < price && e.ask[p] !== a) buysBelowEffAsk++
        } else sells++
      }
      expect(e.timeMs[p]).toBe(tf)
      expect([e.bid[p], e.ask[p]]).toEqual([impact.bestBid[f], impact.bestAsk[f]])
      p++
    }
    expect(buysBelowEffAsk).toBe(0)
    expect(f).toBe(impact.frames)
    expect(sells).toBeGreaterThan(5000)
    // The model shows a different touch after a good share of the ~19,900 trades.
    expect(differs).toBeGreaterThan(2000)
  })
})

/** Trades before the first frame print on no book: no point. */
function skippedTrades(s: BookSeries): number {
  const first = s.timeMs[0] ?? 0
  return s.trades.timeMs.filter((t) => t <= first).length
}

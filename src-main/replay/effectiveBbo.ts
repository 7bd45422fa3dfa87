// The trade impact model's effective best bid/ask, rebuilt from a recorded timeline for the Book
// page: between two frames, each trade provisionally takes the size it printed against from the
// last frame's displayed levels (a buy at a price also sweeps every ask below it, price-time
// priority); the next frame (a diff, which carries the exchange's own sizes after those trades)
// forgets it all. Same rules as engine/book/tradeImpact.ts, over the recorded top 20: on sampled
// timelines (one frame per interval) consumption lasts until the next recorded frame.
import { TOP_N } from '../engine/book/orderBook'

/** The timeline columns the effective best bid/ask is rebuilt from. */
export interface TimelineColumns {
  readonly timeMs: Float64Array
  readonly bidTicks: Float64Array
  readonly bidLots: Float64Array
  readonly askTicks: Float64Array
  readonly askLots: Float64Array
  readonly trades: {
    readonly timeMs: Float64Array
    readonly ticks: Float64Array
    readonly lots: Float64Array
    readonly buy: Float64Array
  }
}

export interface EffectiveBbo {
  readonly timeMs: number[]
  /** Ticks, NaN where the side is empty. */
  readonly bid: number[]
  readonly ask: number[]
}

/** The effective best of one side of frame `f` after `consumed` lots per tick and a sweep limit. */
function effectiveBest(
  ticks: Float64Array,
  lots: Float64Array,
  f: number,
  consumed: Map<number, number>,
  sweptBeyond: number,
  isBid: boolean
): number {
  const first = ticks[f * TOP_N] ?? NaN
  for (let k = f * TOP_N; k < (f + 1) * TOP_N; k++) {
    const t = ticks[k] ?? NaN
    if (Number.isNaN(t)) break
    const swept = isBid ? t > sweptBeyond : t < sweptBeyond
    if (swept) continue
    if ((lots[k] ?? 0) - (consumed.get(t) ?? 0) > 0) return t
  }
  // Everything displayed was consumed: fall back to the book (as the engine's model does).
  return first
}

export function effectiveBbo(t: TimelineColumns): EffectiveBbo {
  const out: EffectiveBbo = { timeMs: [], bid: [], ask: [] }
  const n = t.timeMs.length
  const tr = t.trades
  const m = tr.timeMs.length
  const bidTaken = new Map<number, number>()
  const askTaken = new Map<number, number>()
  let bidSwept = NaN
  let askSwept = NaN
  let f = -1
  let j = 0
  for (let i = 0; i <= n; i++) {
    const frameMs = i < n ? (t.timeMs[i] ?? Infinity) : Infinity
    // Trades up to this frame's time print on the previous frame's book.
    for (; j < m && (tr.timeMs[j] ?? Infinity) <= frameMs; j++) {
      if (f < 0) continue
      const tick = tr.ticks[j] ?? NaN
      if (Number.isNaN(tick)) continue
      const lots = tr.lots[j] ?? 0
      if ((tr.buy[j] ?? 0) === 1) {
        askTaken.set(tick, (askTaken.get(tick) ?? 0) + lots)
        askSwept = tick
      } else {
        bidTaken.set(tick, (bidTaken.get(tick) ?? 0) + lots)
        bidSwept = tick
      }
      out.timeMs.push(tr.timeMs[j] ?? 0)
      out.bid.push(effectiveBest(t.bidTicks, t.bidLots, f, bidTaken, bidSwept, true))
      out.ask.push(effectiveBest(t.askTicks, t.askLots, f, askTaken, askSwept, false))
    }
    if (i === n) break
    f = i
    bidTaken.clear()
    askTaken.clear()
    bidSwept = NaN
    askSwept = NaN
    out.timeMs.push(frameMs)
    out.bid.push(t.bidTicks[i * TOP_N] ?? NaN)
    out.ask.push(t.askTicks[i * TOP_N] ?? NaN)
  }
  return out
}

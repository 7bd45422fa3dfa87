// The heatmap's level of detail, computed from a loaded timeline: one column per screen slot, each
// the top-N as of the column's end time (a frame lookup, so any window of a day costs the same),
// and the window's trades, merged per column, price and side when too many to draw one by one.
import type { BookHeatmap } from '../../src-shared/replay'
import { TOP_N } from '../engine/book/orderBook'
import { FRAME_UNKNOWN_DEPTH } from '../engine/sink/timeline'

export interface HeatmapSource {
  readonly timeMs: Float64Array
  readonly flags: Float64Array
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

/** Index of the last value ≤ t in a sorted array, -1 when all are later. */
export function lastAtOrBefore(xs: Float64Array, t: number): number {
  let lo = 0
  let hi = xs.length - 1
  if (hi < 0 || (xs[0] ?? Infinity) > t) return -1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((xs[mid] ?? Infinity) <= t) lo = mid
    else hi = mid - 1
  }
  return lo
}

export function buildHeatmap(
  src: HeatmapSource,
  price: (ticks: number) => number,
  fromMs: number,
  toMs: number,
  columns: number,
  maxTrades: number
): BookHeatmap {
  const span = Math.max(1, toMs - fromMs)
  const frame: number[] = []
  const n = columns * TOP_N
  const bidPrice = new Array<number>(n).fill(0)
  const bidSize = new Array<number>(n).fill(0)
  const askPrice = new Array<number>(n).fill(0)
  const askSize = new Array<number>(n).fill(0)
  const unknownDepth: number[] = []
  for (let c = 0; c < columns; c++) {
    const f = lastAtOrBefore(src.timeMs, fromMs + ((c + 1) * span) / columns)
    frame.push(f)
    unknownDepth.push(f >= 0 && ((src.flags[f] ?? 0) & FRAME_UNKNOWN_DEPTH) !== 0 ? 1 : 0)
    if (f < 0) continue
    for (let k = 0; k < TOP_N; k++) {
      const bt = src.bidTicks[f * TOP_N + k] ?? NaN
      if (bt === bt) {
        bidPrice[c * TOP_N + k] = price(bt)
        bidSize[c * TOP_N + k] = (src.bidLots[f * TOP_N + k] ?? 0) / 1e8
      }
      const at = src.askTicks[f * TOP_N + k] ?? NaN
      if (at === at) {
        askPrice[c * TOP_N + k] = price(at)
        askSize[c * TOP_N + k] = (src.askLots[f * TOP_N + k] ?? 0) / 1e8
      }
    }
  }
  const tr = src.trades
  const first = lastAtOrBefore(tr.timeMs, fromMs - 1e-9) + 1
  const end = lastAtOrBefore(tr.timeMs, toMs) + 1
  const trades = {
    timeMs: [] as number[],
    price: [] as number[],
    size: [] as number[],
    buy: [] as boolean[]
  }
  const merged = end - first > maxTrades
  if (!merged) {
    for (let i = first; i < end; i++) {
      trades.timeMs.push(tr.timeMs[i] ?? 0)
      trades.price.push(price(tr.ticks[i] ?? NaN))
      trades.size.push((tr.lots[i] ?? 0) / 1e8)
      trades.buy.push((tr.buy[i] ?? 0) === 1)
    }
  } else {
    // One bubble per column, price and side: the volume traded there, at the column's middle.
    const slots = new Map<string, number>()
    for (let i = first; i < end; i++) {
      const t = tr.timeMs[i] ?? 0
      const c = Math.min(columns - 1, Math.floor(((t - fromMs) * columns) / span))
      const buy = (tr.buy[i] ?? 0) === 1
      const key = `${c}:${tr.ticks[i] ?? 0}:${buy ? 1 : 0}`
      const at = slots.get(key)
      const lots = (tr.lots[i] ?? 0) / 1e8
      if (at !== undefined) trades.size[at] = (trades.size[at] ?? 0) + lots
      else {
        slots.set(key, trades.timeMs.length)
        trades.timeMs.push(fromMs + ((c + 0.5) * span) / columns)
        trades.price.push(price(tr.ticks[i] ?? NaN))
        trades.size.push(lots)
        trades.buy.push(buy)
      }
    }
  }
  return {
    fromMs,
    toMs,
    columns,
    depth: TOP_N,
    frame,
    bidPrice,
    bidSize,
    askPrice,
    askSize,
    unknownDepth,
    trades,
    tradesMerged: merged
  }
}

// MarketSeries: what every fidelity metric is computed from, whatever the source (capture replay,
// Lake replay, the Lake `book` table, Binance's bookTicker). Columnar typed arrays only: one array
// per field, no object per event. Times are exchange times in µs (see seriesBuilder.ts for the
// clock rules). Prices are in ticks of `tick`, sizes in lots of 1e-8.
import type { SeriesInfo, SourceKind } from '../../src-shared/fidelity'

/** Levels kept per side in the depth profile (the Crypto Lake `book` table has 20). */
export const PROFILE_LEVELS = 20

/** One row per book event: an applied update, a `book` row, or a bookTicker (see eventKind). */
export interface BookEvents {
  readonly n: number
  readonly timeUs: Float64Array
  /** Best bid/ask in ticks (NaN when the side is empty) and their sizes in lots. */
  readonly bidTick: Float64Array
  readonly askTick: Float64Array
  readonly bidLots: Float64Array
  readonly askLots: Float64Array
}

/** The book as of each grid time g (the last state with time <= g), on one fixed interval. */
export interface GridSeries {
  readonly intervalMs: number
  readonly n: number
  /** Grid times, µs since the epoch, multiples of the interval (so two sources share them). */
  readonly timeUs: Float64Array
  readonly bidTick: Float64Array
  readonly askTick: Float64Array
  readonly bidLots: Float64Array
  readonly askLots: Float64Array
  /** Cumulative lots over the best 5 and 20 levels per side (NaN when the source has no depth). */
  readonly bid5: Float64Array
  readonly ask5: Float64Array
  readonly bid20: Float64Array
  readonly ask20: Float64Array
  /** Cont–Kukanov–Stoikov order-flow imbalance summed over (previous grid time, this one], lots. */
  readonly ofi: Float64Array
}

/** Lots at each of the best PROFILE_LEVELS levels per side, row-major, NaN where a side ends. */
export interface DepthProfile {
  readonly intervalMs: number
  readonly n: number
  readonly timeUs: Float64Array
  readonly bidLots: Float64Array
  readonly askLots: Float64Array
  /** 1 where the top 20 reached past the depth the reconstruction knows (docs/book-semantics.md). */
  readonly unknownDepth: Uint8Array
}

export interface TradeEvents {
  readonly n: number
  readonly timeUs: Float64Array
  readonly tick: Float64Array
  readonly lots: Float64Array
  /** 1 when the taker bought. */
  readonly buy: Uint8Array
}

/**
 * A replay's best bid/ask next to Binance's bookTicker, at every bookTicker arrival (receive
 * order): the ground-truth check of a capture replay, with or without the trade impact model.
 */
export interface TickerAlignment {
  readonly n: number
  readonly timeUs: Float64Array
  readonly tickerBid: Float64Array
  readonly tickerAsk: Float64Array
  readonly tickerBidLots: Float64Array
  readonly tickerAskLots: Float64Array
  /** The replay's (or the impact model's) best bid/ask just before the next message; NaN if unsynced. */
  readonly bookBid: Float64Array
  readonly bookAsk: Float64Array
  readonly bookBidLots: Float64Array
  readonly bookAskLots: Float64Array
}

export interface MarketSeries {
  readonly spec: string
  readonly kind: SourceKind
  readonly label: string
  readonly symbol: string
  readonly market: string
  /** The tick as a decimal string, e.g. "0.01". */
  readonly tick: string
  readonly eventKind: SeriesInfo['eventKind']
  /** True when the source has levels beyond the best (imbalance L5/L20, depth profile). */
  readonly hasDepth: boolean
  readonly impact: boolean
  /** The sampled span [fromUs, toUs). */
  readonly fromUs: number
  readonly toUs: number
  readonly events: BookEvents
  /** Ascending intervals. */
  readonly grids: readonly GridSeries[]
  readonly profile: DepthProfile | null
  readonly trades: TradeEvents | null
  readonly ticker: TickerAlignment | null
  readonly notes: readonly string[]
}

/** First index i with a[i] >= v (a ascending), in [0, n]. */
export function lowerBound(a: Float64Array, n: number, v: number): number {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((a[mid] ?? Infinity) < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

function sliceCols<T extends { readonly n: number; readonly timeUs: Float64Array }>(
  cols: T,
  fromUs: number,
  toUs: number
): T {
  const a = lowerBound(cols.timeUs, cols.n, fromUs)
  const b = lowerBound(cols.timeUs, cols.n, toUs)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(cols) as [string, unknown][]) {
    if (v instanceof Float64Array || v instanceof Uint8Array) {
      const width = v.length / Math.max(cols.n, 1)
      // Row-major multi-column arrays (the depth profile) slice by rows.
      out[k] = cols.n === 0 ? v : v.subarray(a * width, b * width)
    } else out[k] = v
  }
  out['n'] = b - a
  return out as T
}

/** The part of a series with fromUs <= time < toUs: views on the same arrays, no copy. */
export function sliceSeries(
  s: MarketSeries,
  fromUs: number,
  toUs: number,
  label = s.label
): MarketSeries {
  const lo = Math.max(fromUs, s.fromUs)
  const hi = Math.min(toUs, s.toUs)
  return {
    ...s,
    label,
    fromUs: lo,
    toUs: hi,
    events: sliceCols(s.events, lo, hi),
    grids: s.grids.map((g) => sliceCols(g, lo, hi)),
    profile: s.profile ? sliceCols(s.profile, lo, hi) : null,
    trades: s.trades ? sliceCols(s.trades, lo, hi) : null,
    ticker: s.ticker ? sliceCols(s.ticker, lo, hi) : null
  }
}

/** First and second half of a series by time: the default real-versus-real baseline. */
export function splitHalves(s: MarketSeries): [MarketSeries, MarketSeries] {
  const mid = Math.floor((s.fromUs + s.toUs) / 2)
  return [
    sliceSeries(s, s.fromUs, mid, `${s.label} (first half)`),
    sliceSeries(s, mid, s.toUs, `${s.label} (second half)`)
  ]
}

/** The grid with exactly this interval, or null. */
export function gridOf(s: MarketSeries, intervalMs: number): GridSeries | null {
  return s.grids.find((g) => g.intervalMs === intervalMs) ?? null
}

export function seriesInfo(s: MarketSeries): SeriesInfo {
  let unknown = 0
  if (s.profile) for (let i = 0; i < s.profile.n; i++) unknown += s.profile.unknownDepth[i] ?? 0
  return {
    spec: s.spec,
    kind: s.kind,
    label: s.label,
    symbol: s.symbol,
    market: s.market,
    tick: s.tick,
    fromUs: s.fromUs,
    toUs: s.toUs,
    bookEvents: s.events.n,
    eventKind: s.eventKind,
    trades: s.trades?.n ?? 0,
    grids: s.grids.map((g) => ({ intervalMs: g.intervalMs, points: g.n })),
    unknownDepthShare: s.profile && s.profile.n > 0 ? unknown / s.profile.n : 0,
    impact: s.impact,
    notes: s.notes
  }
}

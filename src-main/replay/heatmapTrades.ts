// The heatmap's trades for a window: every print when they fit in maxTrades; else merged, one
// bubble per column, price and side with the volume traded there; and when even those do not fit,
// one per column and side at the volume-weighted price. Merging reads the trades' level of detail
// (volume per bucket, price and side) for the buckets wholly inside the window and the prints
// themselves in the part-buckets at its edges: every lot of the window lands in exactly one bubble.
import type { BookHeatmap } from '../../src-shared/replay'
import type { TimelineFiles } from './timelineFiles'

/** How the bubbles were made: one per print, per column + price + side, or per column + side. */
export type TradeBubbles = BookHeatmap['tradeBubbles']

/**
 * The trades' level of detail for merging columns this wide: buckets at most a column (a bucket's
 * volume lands in the column of its middle, at most half a bucket from where it printed).
 */
export function tradeStreamFor(
  files: TimelineFiles,
  columnMs: number
): { stream: string; bucketMs: number } | null {
  let pick: { stream: string; bucketMs: number } | null = null
  for (const l of files.tradeLods()) if (l.bucketMs <= columnMs) pick = l
  return pick
}

interface Part {
  readonly stream: string
  readonly first: number
  readonly end: number
  /** Added to a row's time: half a bucket for a level of detail (its middle), 0 for prints. */
  readonly half: number
}

/** The rows to read for a window: raw prints, or edges raw + the level of detail inside. */
function partsOf(files: TimelineFiles, fromMs: number, toMs: number, columnMs: number): Part[] {
  const first = files.lastBefore('trades', fromMs) + 1
  const end = files.lastAtOrBefore('trades', toMs) + 1
  const source = tradeStreamFor(files, columnMs)
  if (!source) return [{ stream: 'trades', first, end, half: 0 }]
  const b = source.bucketMs
  const inner = { from: Math.ceil(fromMs / b) * b, to: Math.floor(toMs / b) * b }
  if (inner.to <= inner.from) return [{ stream: 'trades', first, end, half: 0 }]
  const rawTo = (t: number): number => files.lastBefore('trades', t) + 1
  const lodTo = (t: number): number => files.lastBefore(source.stream, t) + 1
  return [
    { stream: 'trades', first, end: rawTo(inner.from), half: 0 },
    { stream: source.stream, first: lodTo(inner.from), end: lodTo(inner.to), half: b / 2 },
    { stream: 'trades', first: rawTo(inner.to), end, half: 0 }
  ]
}

/** A chunk's trade columns (a level of detail has the same ones: a bucket's price, side, volume). */
interface TradeCols {
  readonly timeMs: Float64Array
  readonly ticks: Float64Array
  readonly lots: Float64Array
  readonly buy: Float64Array
}

const EMPTY = new Float64Array(0)

/**
 * Calls `range` with each chunk's columns and its rows [r0, r1) of the parts (and the part's
 * time offset) until it returns false. The passes loop over the rows themselves: a call per row
 * (and a row visitor per call) was most of the time of a day's heatmap.
 */
function eachRange(
  files: TimelineFiles,
  parts: readonly Part[],
  range: (c: TradeCols, r0: number, r1: number, half: number) => boolean
): boolean {
  for (const p of parts) {
    const end = Math.min(p.end, files.rows(p.stream))
    for (let i = Math.max(0, p.first); i < end;) {
      const { chunk, row } = files.locate(p.stream, i)
      const stop = Math.min(chunk.rows, row + (end - i))
      const c = chunk.cols
      const cols = {
        timeMs: c['timeMs'] ?? EMPTY,
        ticks: c['ticks'] ?? EMPTY,
        lots: c['lots'] ?? EMPTY,
        buy: c['buy'] ?? EMPTY
      }
      if (!range(cols, row, stop, p.half)) return false
      i += stop - row
    }
  }
  return true
}

/** The window's traded volume at each price and side (for the DOM ladder), every lot counted. */
function volumeAtPrice(
  files: TimelineFiles,
  parts: readonly Part[],
  price: (ticks: number) => number
): BookHeatmap['tradedAt'] {
  const byTicks = new Map<number, number>()
  const buys: number[] = []
  const sells: number[] = []
  const ticksOf: number[] = []
  eachRange(files, parts, (c, r0, r1) => {
    for (let r = r0; r < r1; r++) {
      const ticks = c.ticks[r] ?? NaN
      const lots = c.lots[r] ?? 0
      let at = byTicks.get(ticks)
      if (at === undefined) {
        at = ticksOf.length
        byTicks.set(ticks, at)
        ticksOf.push(ticks)
        buys.push(0)
        sells.push(0)
      }
      if (c.buy[r] === 1) buys[at] = (buys[at] ?? 0) + lots
      else sells[at] = (sells[at] ?? 0) + lots
    }
    return true
  })
  return {
    price: ticksOf.map(price),
    buy: buys.map((l) => l / 1e8),
    sell: sells.map((l) => l / 1e8)
  }
}

export function windowTrades(
  files: TimelineFiles,
  price: (ticks: number) => number,
  fromMs: number,
  toMs: number,
  columns: number,
  maxTrades: number
): {
  trades: BookHeatmap['trades']
  merged: boolean
  bubbles: TradeBubbles
  tradedAt: BookHeatmap['tradedAt']
} {
  const span = Math.max(1, toMs - fromMs)
  const out = {
    timeMs: [] as number[],
    price: [] as number[],
    size: [] as number[],
    buy: [] as boolean[]
  }
  const raw = partsOf(files, fromMs, toMs, 0)
  const count = raw.reduce((n, p) => n + Math.max(0, p.end - p.first), 0)
  if (count <= maxTrades) {
    eachRange(files, raw, (c, r0, r1, half) => {
      for (let r = r0; r < r1; r++) {
        out.timeMs.push((c.timeMs[r] ?? 0) + half)
        out.price.push(price(c.ticks[r] ?? NaN))
        out.size.push((c.lots[r] ?? 0) / 1e8)
        out.buy.push(c.buy[r] === 1)
      }
      return true
    })
    return {
      trades: out,
      merged: false,
      bubbles: 'each',
      tradedAt: volumeAtPrice(files, raw, price)
    }
  }
  const parts = partsOf(files, fromMs, toMs, span / columns)
  const tradedAt = volumeAtPrice(files, parts, price)
  const column = (ms: number): number =>
    Math.max(0, Math.min(columns - 1, Math.floor(((ms - fromMs) * columns) / span)))
  const mid = (c: number): number => fromMs + ((c + 0.5) * span) / columns
  // Per column, price and side, while the bubbles fit; the key packs the three in one number.
  const slots = new Map<number, number>()
  const fits = eachRange(files, parts, (col, r0, r1, half) => {
    for (let r = r0; r < r1; r++) {
      const c = column((col.timeMs[r] ?? 0) + half)
      const ticks = col.ticks[r] ?? NaN
      const lots = col.lots[r] ?? 0
      const buy = col.buy[r] === 1
      const key = (c * 2 + (buy ? 1 : 0)) * 2 ** 26 + (ticks % 2 ** 26)
      const at = slots.get(key)
      if (at !== undefined) out.size[at] = (out.size[at] ?? 0) + lots / 1e8
      else {
        if (out.timeMs.length >= maxTrades) return false
        slots.set(key, out.timeMs.length)
        out.timeMs.push(mid(c))
        out.price.push(price(ticks))
        out.size.push(lots / 1e8)
        out.buy.push(buy)
      }
    }
    return true
  })
  if (fits) return { trades: out, merged: true, bubbles: 'price', tradedAt }
  // Too many prices: per column and side at the volume-weighted price.
  const lotsOf = new Float64Array(columns * 2)
  const ticksLots = new Float64Array(columns * 2)
  eachRange(files, parts, (col, r0, r1, half) => {
    for (let r = r0; r < r1; r++) {
      const k = column((col.timeMs[r] ?? 0) + half) * 2 + (col.buy[r] === 1 ? 1 : 0)
      const lots = col.lots[r] ?? 0
      lotsOf[k] = (lotsOf[k] ?? 0) + lots
      ticksLots[k] = (ticksLots[k] ?? 0) + (col.ticks[r] ?? NaN) * lots
    }
    return true
  })
  const vwap = {
    timeMs: [] as number[],
    price: [] as number[],
    size: [] as number[],
    buy: [] as boolean[]
  }
  for (let k = 0; k < columns * 2; k++) {
    const l = lotsOf[k] ?? 0
    if (l <= 0) continue
    vwap.timeMs.push(mid(k >> 1))
    vwap.price.push(price((ticksLots[k] ?? 0) / l))
    vwap.size.push(l / 1e8)
    vwap.buy.push((k & 1) === 1)
  }
  return { trades: vwap, merged: true, bubbles: 'vwap', tradedAt }
}

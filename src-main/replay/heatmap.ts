// The heatmap's columns for a time window, from a stored timeline: one column per screen slot, each
// the top-N as of the column's end time. Columns wider than two buckets of a level-of-detail stream
// read that stream (the first frame of each bucket, flags OR-ed over it), narrower ones the raw
// frames, so any window of a day costs about `columns` lookups and a few chunks. The window's
// trades are merged per column, price and side when there are too many to draw one by one.
import type { BookHeatmap } from '../../src-shared/replay'
import { TOP_N } from '../engine/book/orderBook'
import { FRAME_UNKNOWN_DEPTH } from '../engine/sink/timelineFormat'
import type { TimelineFiles } from './timelineFiles'

/** The stream a column of this width reads: the coarsest LOD with ≥ 2 buckets per column. */
export function frameStreamFor(files: TimelineFiles, columnMs: number): string {
  let pick = 'frames'
  for (const l of files.lods()) if (l.bucketMs * 2 <= columnMs) pick = l.stream
  return pick
}

/** The trades' level of detail for merging columns this wide: buckets at most half a column. */
export function tradeStreamFor(
  files: TimelineFiles,
  columnMs: number
): { stream: string; bucketMs: number } | null {
  let pick: { stream: string; bucketMs: number } | null = null
  for (const l of files.tradeLods()) if (l.bucketMs * 2 <= columnMs) pick = l
  return pick
}

/** 2^24 ticks of room per column and side in a merge key (a window never spans more). */
const TICK_ROOM = 16_777_216

export function buildHeatmap(
  files: TimelineFiles,
  price: (ticks: number) => number,
  fromMs: number,
  toMs: number,
  columns: number,
  maxTrades: number
): BookHeatmap {
  const span = Math.max(1, toMs - fromMs)
  const stream = frameStreamFor(files, span / columns)
  const frame: number[] = []
  const n = columns * TOP_N
  const bidPrice = new Array<number>(n).fill(0)
  const bidSize = new Array<number>(n).fill(0)
  const askPrice = new Array<number>(n).fill(0)
  const askSize = new Array<number>(n).fill(0)
  const unknownDepth: number[] = []
  for (let c = 0; c < columns; c++) {
    const g = files.lastAtOrBefore(stream, fromMs + ((c + 1) * span) / columns)
    if (g < 0) {
      frame.push(-1)
      unknownDepth.push(0)
      continue
    }
    const { chunk, row } = files.locate(stream, g)
    const col = chunk.cols
    frame.push(stream === 'frames' ? g : (col['frame']?.[row] ?? g))
    unknownDepth.push(((col['flags']?.[row] ?? 0) & FRAME_UNKNOWN_DEPTH) !== 0 ? 1 : 0)
    const bt = col['bidTicks']
    const bl = col['bidLots']
    const at = col['askTicks']
    const al = col['askLots']
    for (let k = 0; k < TOP_N; k++) {
      const b = bt?.[row * TOP_N + k] ?? NaN
      if (b === b) {
        bidPrice[c * TOP_N + k] = price(b)
        bidSize[c * TOP_N + k] = (bl?.[row * TOP_N + k] ?? 0) / 1e8
      }
      const a = at?.[row * TOP_N + k] ?? NaN
      if (a === a) {
        askPrice[c * TOP_N + k] = price(a)
        askSize[c * TOP_N + k] = (al?.[row * TOP_N + k] ?? 0) / 1e8
      }
    }
  }
  const { trades, merged, group } = windowTrades(files, price, fromMs, toMs, columns, maxTrades)
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
    tradesMerged: merged,
    tradeBubbleColumns: group,
    source: stream
  }
}

function windowTrades(
  files: TimelineFiles,
  price: (ticks: number) => number,
  fromMs: number,
  toMs: number,
  columns: number,
  maxTrades: number
): { trades: BookHeatmap['trades']; merged: boolean; group: number } {
  const span = Math.max(1, toMs - fromMs)
  const rawFirst = files.lastBefore('trades', fromMs) + 1
  const rawEnd = files.lastAtOrBefore('trades', toMs) + 1
  const merged = rawEnd - rawFirst > maxTrades
  // Merging reads the coarsest level of detail whose buckets fit twice in a column (each bucket's
  // volume goes to the column of its middle) for the buckets wholly inside the window, and the
  // prints themselves in the part-buckets at its edges: every lot of the window, exactly once.
  const source = merged ? tradeStreamFor(files, span / columns) : null
  const parts: { stream: string; first: number; end: number; half: number }[] = []
  if (source) {
    const b = source.bucketMs
    const inner = { from: Math.ceil(fromMs / b) * b, to: Math.floor(toMs / b) * b }
    const rawTo = (t: number): number => files.lastBefore('trades', t) + 1
    const lodTo = (t: number): number => files.lastBefore(source.stream, t) + 1
    parts.push({ stream: 'trades', first: rawFirst, end: rawTo(inner.from), half: 0 })
    parts.push({
      stream: source.stream,
      first: lodTo(inner.from),
      end: lodTo(inner.to),
      half: b / 2
    })
    parts.push({ stream: 'trades', first: rawTo(inner.to), end: rawEnd, half: 0 })
  } else parts.push({ stream: 'trades', first: rawFirst, end: rawEnd, half: 0 })
  const raw = {
    timeMs: [] as number[],
    ticks: [] as number[],
    lots: [] as number[],
    buy: [] as boolean[]
  }
  // Merged: one bubble per column, price and side, the volume traded there; then columns are
  // grouped two by two until the bubbles fit (volume is only ever added, never dropped).
  let slots = new Map<number, number>()
  const col: number[] = []
  const add = (c: number, ticks: number, lots: number, buy: boolean, group: number): void => {
    const key =
      (c * 2 + (buy ? 1 : 0)) * TICK_ROOM + (((ticks % TICK_ROOM) + TICK_ROOM) % TICK_ROOM)
    const at = slots.get(key)
    if (at !== undefined) raw.lots[at] = (raw.lots[at] ?? 0) + lots
    else {
      slots.set(key, raw.timeMs.length)
      col.push(c)
      raw.timeMs.push(fromMs + ((c + 0.5) * group * span) / columns)
      raw.ticks.push(ticks)
      raw.lots.push(lots)
      raw.buy.push(buy)
    }
  }
  for (const p of parts)
    files.forRows(p.stream, p.first, p.end, 1, (cols, r) => {
      const ms = (cols['timeMs']?.[r] ?? 0) + p.half
      const ticks = cols['ticks']?.[r] ?? NaN
      const lots = cols['lots']?.[r] ?? 0
      const buy = (cols['buy']?.[r] ?? 0) === 1
      if (!merged) {
        raw.timeMs.push(ms)
        raw.ticks.push(ticks)
        raw.lots.push(lots)
        raw.buy.push(buy)
        return
      }
      const c = Math.max(0, Math.min(columns - 1, Math.floor(((ms - fromMs) * columns) / span)))
      add(c, ticks, lots, buy, 1)
    })
  let group = 1
  while (merged && raw.timeMs.length > maxTrades && group < columns) {
    const prev = { ...raw, col: [...col] }
    group *= 2
    slots = new Map()
    col.length = 0
    raw.timeMs = []
    raw.ticks = []
    raw.lots = []
    raw.buy = []
    for (let k = 0; k < prev.col.length; k++)
      add(
        Math.floor((prev.col[k] ?? 0) / 2),
        prev.ticks[k] ?? 0,
        prev.lots[k] ?? 0,
        prev.buy[k] ?? false,
        group
      )
  }
  return {
    trades: {
      timeMs: raw.timeMs,
      price: raw.ticks.map(price),
      size: raw.lots.map((l) => l / 1e8),
      buy: raw.buy
    },
    merged,
    group
  }
}

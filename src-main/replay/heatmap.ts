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
  const { trades, merged } = windowTrades(files, price, fromMs, toMs, columns, maxTrades)
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
): { trades: BookHeatmap['trades']; merged: boolean } {
  const span = Math.max(1, toMs - fromMs)
  const first = files.lastAtOrBefore('trades', fromMs - 1e-9) + 1
  const end = files.lastAtOrBefore('trades', toMs) + 1
  const trades = {
    timeMs: [] as number[],
    price: [] as number[],
    size: [] as number[],
    buy: [] as boolean[]
  }
  const merged = end - first > maxTrades
  // One bubble per column, price and side when merged: the volume traded there, at the column's middle.
  const slots = new Map<number, number>()
  for (let i = first; i < end;) {
    const { chunk, row } = files.locate('trades', i)
    const t = chunk.cols['timeMs']
    const tk = chunk.cols['ticks']
    const lt = chunk.cols['lots']
    const by = chunk.cols['buy']
    const stop = Math.min(chunk.rows, row + (end - i))
    for (let r = row; r < stop; r++) {
      const ms = t?.[r] ?? 0
      const ticks = tk?.[r] ?? NaN
      const lots = (lt?.[r] ?? 0) / 1e8
      const buy = (by?.[r] ?? 0) === 1
      if (!merged) {
        trades.timeMs.push(ms)
        trades.price.push(price(ticks))
        trades.size.push(lots)
        trades.buy.push(buy)
        continue
      }
      const c = Math.min(columns - 1, Math.floor(((ms - fromMs) * columns) / span))
      const key =
        (c * 2 + (buy ? 1 : 0)) * TICK_ROOM + (((ticks % TICK_ROOM) + TICK_ROOM) % TICK_ROOM)
      const at = slots.get(key)
      if (at !== undefined) trades.size[at] = (trades.size[at] ?? 0) + lots
      else {
        slots.set(key, trades.timeMs.length)
        trades.timeMs.push(fromMs + ((c + 0.5) * span) / columns)
        trades.price.push(price(ticks))
        trades.size.push(lots)
        trades.buy.push(buy)
      }
    }
    i += stop - row
  }
  return { trades, merged }
}

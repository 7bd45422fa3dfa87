// The heatmap's columns for a time window, from a stored timeline: one column per screen slot, each
// the top-N as of the column's end time. Columns wider than two buckets of a level-of-detail stream
// read that stream (the first frame of each bucket, flags OR-ed over it), narrower ones the raw
// frames, so any window of a day costs about `columns` lookups and a few chunks. The window's
// trades: heatmapTrades.ts.
import type { BookHeatmap } from '../../src-shared/replay'
import { TOP_N } from '../engine/book/orderBook'
import { FRAME_UNKNOWN_DEPTH } from '../engine/sink/timelineFormat'
import type { TimelineFiles } from './timelineFiles'
import { windowTrades } from './heatmapTrades'

/** The stream a column of this width reads: the coarsest LOD with ≥ 2 buckets per column. */
export function frameStreamFor(files: TimelineFiles, columnMs: number): string {
  let pick = 'frames'
  for (const l of files.lods()) if (l.bucketMs * 2 <= columnMs) pick = l.stream
  return pick
}

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
  const { trades, merged, bubbles, tradedAt } = windowTrades(
    files,
    price,
    fromMs,
    toMs,
    columns,
    maxTrades
  )
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
    tradeBubbles: bubbles,
    tradedAt,
    source: stream
  }
}

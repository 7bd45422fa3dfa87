// Serves recorded replay timelines to the UI: one frame at a time for the scrubber (by index or by
// time), best bid/ask + trade series for the charts from the finest stream that fits the points
// asked for, and heatmap columns for a window. Keeps the few most recently used timelines open; a
// timeline still being written is re-opened when it has moved on, so a running replay streams in.
import type { BookFrame, BookHeatmap, BookSeries } from '../../src-shared/replay'
import { TOP_N } from '../engine/book/orderBook'
import { FRAME_CROSSED, FRAME_UNKNOWN_DEPTH } from '../engine/sink/timelineFormat'
import { buildHeatmap } from './heatmap'
import { effectiveBbo } from './effectiveBbo'
import { TimelineFiles } from './timelineFiles'
import { windowCsv, type WindowCsv } from './windowCsv'

const FRAME_COLS = ['timeMs', 'bidTicks', 'bidLots', 'askTicks', 'askLots'] as const
const TRADE_COLS = ['timeMs', 'ticks', 'lots', 'buy'] as const

function priceOf(files: TimelineFiles): (ticks: number) => number {
  const scale = 10 ** files.meta.priceScale
  const step = files.meta.tickStep
  return (ticks) => (ticks * step) / scale
}

/** Keeps the worst (lowest Jaccard) point of each bucket, so a short drift episode stays visible. */
function decimateDrift(
  files: TimelineFiles,
  maxPoints: number,
  fromMs: number,
  toMs: number
): BookSeries['drift'] {
  if (!files.has('drift')) return null
  const w = files.window('drift', fromMs, toMs)
  const d = files.slice('drift', w.first, w.end, ['timeMs', 'jaccard', 'sizeL1'])
  const time = d['timeMs'] ?? new Float64Array(0)
  const jac = d['jaccard'] ?? new Float64Array(0)
  const l1 = d['sizeL1'] ?? new Float64Array(0)
  const n = time.length
  const step = Math.max(1, Math.ceil(n / maxPoints))
  const out = { timeMs: [] as number[], jaccard: [] as number[], sizeL1: [] as number[] }
  for (let i = 0; i < n; i += step) {
    let w = i
    for (let k = i; k < Math.min(n, i + step); k++) if ((jac[k] ?? 1) < (jac[w] ?? 1)) w = k
    out.timeMs.push(time[w] ?? 0)
    out.jaccard.push(jac[w] ?? 1)
    out.sizeL1.push(l1[w] ?? 0)
  }
  return out
}

/** The first and last time over the frames and the trades (0…1 when both are empty). */
function wholeSpan(f: TimelineFiles): { fromMs: number; toMs: number } {
  const a = f.span('frames')
  const b = f.span('trades')
  const from = Math.min(...[a.fromMs, b.fromMs].filter((x) => !Number.isNaN(x)))
  const to = Math.max(...[a.toMs, b.toMs].filter((x) => !Number.isNaN(x)))
  return Number.isFinite(from) && Number.isFinite(to)
    ? { fromMs: from, toMs: to }
    : { fromMs: 0, toMs: 1 }
}

function framesOf(f: TimelineFiles): number {
  const count = f.rows('frames')
  if (count === 0) throw new Error('this replay recorded no book frames')
  return count
}

function frameAt(f: TimelineFiles, i: number, count: number): BookFrame {
  const { chunk, row } = f.locate('frames', i)
  const c = chunk.cols
  const price = priceOf(f)
  const levels = (ticks?: Float64Array, lots?: Float64Array): [number, number][] => {
    const out: [number, number][] = []
    for (let k = row * TOP_N; k < (row + 1) * TOP_N; k++) {
      const tk = ticks?.[k] ?? NaN
      if (Number.isNaN(tk)) break
      out.push([price(tk), (lots?.[k] ?? 0) / 1e8])
    }
    return out
  }
  const flags = c['flags']?.[row] ?? 0
  return {
    index: i,
    count,
    timeMs: c['timeMs']?.[row] ?? 0,
    updateId: c['updateId']?.[row] ?? 0,
    bids: levels(c['bidTicks'], c['bidLots']),
    asks: levels(c['askTicks'], c['askLots']),
    crossed: (flags & FRAME_CROSSED) !== 0,
    unknownDepth: (flags & FRAME_UNKNOWN_DEPTH) !== 0
  }
}

export class TimelineStore {
  private readonly open = new Map<string, TimelineFiles>()

  constructor(
    private readonly dirOf: (jobId: string) => string,
    private readonly capacity = 3
  ) {}

  /** Frame `index`, or with `atMs` the last frame at or before that time (the first if none). */
  frame(jobId: string, index: number, atMs?: number): BookFrame {
    const f = this.load(jobId)
    const count = framesOf(f)
    const i =
      atMs === undefined
        ? Math.min(Math.max(0, Math.floor(index)), count - 1)
        : Math.max(0, f.lastAtOrBefore('frames', atMs))
    return frameAt(f, i, count)
  }

  /**
   * Up to `count` frames from `from` on (fewer at the end): the viewer keeps the frames around its
   * cursor, so a step or a scrub shows a frame it already has instead of asking for each.
   */
  frames(jobId: string, from: number, count: number): BookFrame[] {
    const f = this.load(jobId)
    const total = framesOf(f)
    const out: BookFrame[] = []
    for (let i = Math.max(0, from); i < Math.min(total, from + count); i++)
      out.push(frameAt(f, i, total))
    return out
  }

  /**
   * Best bid/ask and trades for the charts: the whole replay, or with `fromMs`/`toMs` that window
   * (and the point before it, so a stepped line starts at its left edge), each from the finest
   * stream with at most `maxPoints` rows in it (the coarsest level decimated when none has).
   */
  series(jobId: string, maxPoints = 4000, fromMs?: number, toMs?: number): BookSeries {
    const f = this.load(jobId)
    const n = f.rows('frames')
    const from = fromMs ?? -Infinity
    const to = toMs ?? Infinity
    const streams = ['frames', ...f.lods().map((l) => l.stream)]
    const ranges = streams.map((st) => ({ st, ...f.window(st, from, to) }))
    const pick = ranges.find((r) => r.end - r.first <= maxPoints) ??
      ranges[ranges.length - 1] ?? { st: 'frames', first: 0, end: 0 }
    const source = pick.st
    const rows = pick.end - pick.first
    const step = Math.max(1, Math.ceil(rows / maxPoints))
    const price = priceOf(f)
    const orNull = (ticks: number): number | null => (Number.isNaN(ticks) ? null : price(ticks))
    const timeMs: number[] = []
    const frameIndex: number[] = []
    const bestBid: (number | null)[] = []
    const bestAsk: (number | null)[] = []
    f.forRows(source, pick.first, pick.end, step, (cols, i, g) => {
      timeMs.push(cols['timeMs']?.[i] ?? 0)
      frameIndex.push(source === 'frames' ? g : (cols['frame']?.[i] ?? g))
      bestBid.push(orNull(cols['bidTicks']?.[i * TOP_N] ?? NaN))
      bestAsk.push(orNull(cols['askTicks']?.[i * TOP_N] ?? NaN))
    })
    // Trades start inside the window (the row before it is a frame's idea, not a trade's).
    const tFirst = f.lastBefore('trades', from) + 1
    const tEnd = f.lastAtOrBefore('trades', to) + 1
    const trades = this.seriesTrades(f, tFirst, tEnd, maxPoints, from, to)
    const fw = f.window('frames', from, to)
    const framesIn = fw.end - fw.first
    const meta = f.meta
    return {
      // Lake timelines used to stamp frames with receive time; capture timelines never did.
      clock: meta.clock ?? (f.has('drift') ? 'receive' : 'exchange'),
      frames: n,
      frameStep: Math.max(1, Math.round(framesIn / Math.max(1, timeMs.length))),
      frameIndex,
      source,
      span: wholeSpan(f),
      complete: meta.complete !== false,
      ...(meta.frameIntervalMs !== undefined ? { frameIntervalMs: meta.frameIntervalMs } : {}),
      tick: meta.tick,
      priceDecimals: meta.priceScale,
      sizeDecimals: 8,
      timeMs,
      bestBid,
      bestAsk,
      trades,
      checkpoints: meta.checkpoints,
      markers: meta.markers.map((m) => ({ kind: m.kind, fromMs: m.fromMs, toMs: m.toMs })),
      ...(meta.tradeImpact === true
        ? { effective: this.effective(f, pick, tFirst, tEnd, maxPoints) }
        : {}),
      drift: decimateDrift(f, maxPoints, from, to)
    }
  }

  /**
   * The window's trades for the charts: every print when they fit in `maxPoints`, else the finest
   * level of detail that fits (one point per bucket, price and side at the bucket's middle, the
   * bucket's volume), the coarsest decimated when none does.
   */
  private seriesTrades(
    f: TimelineFiles,
    first: number,
    end: number,
    maxPoints: number,
    fromMs: number,
    toMs: number
  ): BookSeries['trades'] {
    let stream = 'trades'
    let half = 0
    let range = { first, end }
    if (end - first > maxPoints) {
      const levels = f.tradeLods()
      for (const [k, l] of levels.entries()) {
        const h = l.bucketMs / 2
        const r = {
          first: f.lastBefore(l.stream, fromMs - h) + 1,
          end: f.lastAtOrBefore(l.stream, toMs - h) + 1
        }
        // None fits: the finest level thinned (dots a bucket apart, not a column of them).
        if (r.end - r.first <= maxPoints || k === levels.length - 1) {
          if (r.end - r.first > maxPoints && levels[0]) {
            const f0 = levels[0]
            const h0 = f0.bucketMs / 2
            stream = f0.stream
            half = h0
            range = {
              first: f.lastBefore(f0.stream, fromMs - h0) + 1,
              end: f.lastAtOrBefore(f0.stream, toMs - h0) + 1
            }
            break
          }
          stream = l.stream
          half = h
          range = r
          break
        }
      }
    }
    const price = priceOf(f)
    const step = Math.max(1, Math.ceil((range.end - range.first) / maxPoints))
    const out = {
      timeMs: [] as number[],
      price: [] as number[],
      size: [] as number[],
      buy: [] as boolean[]
    }
    f.forRows(stream, range.first, range.end, step, (cols, i) => {
      out.timeMs.push((cols['timeMs']?.[i] ?? 0) + half)
      out.price.push(price(cols['ticks']?.[i] ?? NaN))
      out.size.push((cols['lots']?.[i] ?? 0) / 1e8)
      out.buy.push((cols['buy']?.[i] ?? 0) === 1)
    })
    return out
  }

  /** The effective best bid/ask (effectiveBbo.ts) over the series' rows and trades, decimated. */
  private effective(
    f: TimelineFiles,
    pick: { st: string; first: number; end: number },
    tFirst: number,
    tEnd: number,
    maxPoints: number
  ): NonNullable<BookSeries['effective']> {
    const fr = f.slice(pick.st, pick.first, pick.end, FRAME_COLS)
    const tr = f.slice('trades', tFirst, tEnd, TRADE_COLS)
    const empty = new Float64Array(0)
    const e = effectiveBbo({
      timeMs: fr['timeMs'] ?? empty,
      bidTicks: fr['bidTicks'] ?? empty,
      bidLots: fr['bidLots'] ?? empty,
      askTicks: fr['askTicks'] ?? empty,
      askLots: fr['askLots'] ?? empty,
      trades: {
        timeMs: tr['timeMs'] ?? empty,
        ticks: tr['ticks'] ?? empty,
        lots: tr['lots'] ?? empty,
        buy: tr['buy'] ?? empty
      }
    })
    const price = priceOf(f)
    const orNull = (ticks: number): number | null => (Number.isNaN(ticks) ? null : price(ticks))
    const step = Math.max(1, Math.ceil(e.timeMs.length / maxPoints))
    const out = {
      timeMs: [] as number[],
      bid: [] as (number | null)[],
      ask: [] as (number | null)[]
    }
    for (let i = 0; i < e.timeMs.length; i += step) {
      out.timeMs.push(e.timeMs[i] ?? 0)
      out.bid.push(orNull(e.bid[i] ?? NaN))
      out.ask.push(orNull(e.ask[i] ?? NaN))
    }
    return out
  }

  /** The heatmap's columns for a time window (see BookHeatmap); the whole replay by default. */
  heatmap(
    jobId: string,
    req: {
      fromMs?: number | undefined
      toMs?: number | undefined
      columns: number
      maxTrades?: number | undefined
    }
  ): BookHeatmap {
    const f = this.load(jobId)
    const span = f.span('frames')
    const from = req.fromMs ?? (Number.isNaN(span.fromMs) ? 0 : span.fromMs)
    const to = req.toMs ?? (Number.isNaN(span.toMs) ? from : span.toMs)
    return buildHeatmap(
      f,
      priceOf(f),
      from,
      Math.max(to, from + 1),
      req.columns,
      req.maxTrades ?? 5000
    )
  }

  /** The window's frames and trades as CSV (windowCsv.ts). */
  csv(jobId: string, fromMs: number, toMs: number): WindowCsv {
    return windowCsv(this.load(jobId), fromMs, toMs)
  }

  /** What a stored timeline covers (its meta only), or null when the job kept none. */
  cover(jobId: string): { symbol: string; fromMs: number; toMs: number; frames: number } | null {
    let f: TimelineFiles
    try {
      f = this.load(jobId)
    } catch {
      return null
    }
    const span = wholeSpan(f)
    return { symbol: f.meta.symbol, ...span, frames: f.rows('frames') }
  }

  private load(jobId: string): TimelineFiles {
    const hit = this.open.get(jobId)
    if (hit && !hit.stale()) {
      this.open.delete(jobId)
      this.open.set(jobId, hit)
      return hit
    }
    let files: TimelineFiles
    try {
      files = new TimelineFiles(this.dirOf(jobId))
    } catch {
      throw new Error(`no timeline recorded for job ${jobId}`)
    }
    this.open.delete(jobId)
    this.open.set(jobId, files)
    while (this.open.size > this.capacity) {
      const oldest = this.open.keys().next().value
      if (oldest === undefined) break
      this.open.delete(oldest)
    }
    return files
  }
}

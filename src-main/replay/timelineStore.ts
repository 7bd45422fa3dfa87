// Serves recorded replay timelines to the UI: one frame at a time for the scrubber, and decimated
// best bid/ask + trade series for the chart. Keeps the few most recently used timelines in memory.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tableFromIPC, type Table } from 'apache-arrow'
import type { BookFrame, BookHeatmap, BookSeries } from '../../src-shared/replay'
import { TOP_N } from '../engine/book/orderBook'
import { buildHeatmap } from './heatmap'
import { effectiveBbo } from './effectiveBbo'
import { FRAME_CROSSED, FRAME_UNKNOWN_DEPTH, type TimelineMeta } from '../engine/sink/timeline'

interface Loaded {
  readonly meta: TimelineMeta
  readonly timeMs: Float64Array
  readonly updateId: Float64Array
  readonly flags: Float64Array
  readonly bidTicks: Float64Array
  readonly bidLots: Float64Array
  readonly askTicks: Float64Array
  readonly askLots: Float64Array
  readonly trades: {
    timeMs: Float64Array
    ticks: Float64Array
    lots: Float64Array
    buy: Float64Array
  }
  readonly drift: { timeMs: Float64Array; jaccard: Float64Array; sizeL1: Float64Array } | null
}

function column(table: Table, name: string): Float64Array {
  const vec = table.getChild(name)
  if (!vec) throw new Error(`timeline column ${name} missing`)
  const parts = vec.data.map((d) => {
    const values = (d.children.length > 0 ? d.children[0]?.values : d.values) as Float64Array
    return values
  })
  if (parts.length === 1 && parts[0]) return parts[0]
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Keeps the worst (lowest Jaccard) point of each bucket, so a short drift episode stays visible. */
function decimateDrift(d: Loaded['drift'], maxPoints: number): BookSeries['drift'] {
  if (!d) return null
  const n = d.timeMs.length
  const step = Math.max(1, Math.ceil(n / maxPoints))
  const out = { timeMs: [] as number[], jaccard: [] as number[], sizeL1: [] as number[] }
  for (let i = 0; i < n; i += step) {
    let w = i
    for (let k = i; k < Math.min(n, i + step); k++)
      if ((d.jaccard[k] ?? 1) < (d.jaccard[w] ?? 1)) w = k
    out.timeMs.push(d.timeMs[w] ?? 0)
    out.jaccard.push(d.jaccard[w] ?? 1)
    out.sizeL1.push(d.sizeL1[w] ?? 0)
  }
  return out
}

/** The effective best bid/ask (effectiveBbo.ts) in prices, every step-th point. */
function decimateEffective(
  t: Loaded,
  price: (ticks: number) => number | null,
  maxPoints: number
): NonNullable<BookSeries['effective']> {
  const e = effectiveBbo(t)
  const step = Math.max(1, Math.ceil(e.timeMs.length / maxPoints))
  const out = { timeMs: [] as number[], bid: [] as (number | null)[], ask: [] as (number | null)[] }
  for (let i = 0; i < e.timeMs.length; i += step) {
    out.timeMs.push(e.timeMs[i] ?? 0)
    out.bid.push(price(e.bid[i] ?? NaN))
    out.ask.push(price(e.ask[i] ?? NaN))
  }
  return out
}

export class TimelineStore {
  private readonly cache = new Map<string, Loaded>()

  constructor(
    private readonly dirOf: (jobId: string) => string,
    private readonly capacity = 3
  ) {}

  frame(jobId: string, index: number): BookFrame {
    const t = this.load(jobId)
    const count = t.timeMs.length
    if (count === 0) throw new Error('this replay recorded no book frames')
    const i = Math.min(Math.max(0, Math.floor(index)), count - 1)
    const scale = 10 ** t.meta.priceScale
    const price = (ticks: number): number => (ticks * t.meta.tickStep) / scale
    const levels = (ticks: Float64Array, lots: Float64Array): [number, number][] => {
      const out: [number, number][] = []
      for (let k = i * TOP_N; k < (i + 1) * TOP_N; k++) {
        const tk = ticks[k] ?? NaN
        if (Number.isNaN(tk)) break
        out.push([price(tk), (lots[k] ?? 0) / 1e8])
      }
      return out
    }
    const flags = t.flags[i] ?? 0
    return {
      index: i,
      count,
      timeMs: t.timeMs[i] ?? 0,
      updateId: t.updateId[i] ?? 0,
      bids: levels(t.bidTicks, t.bidLots),
      asks: levels(t.askTicks, t.askLots),
      crossed: (flags & FRAME_CROSSED) !== 0,
      unknownDepth: (flags & FRAME_UNKNOWN_DEPTH) !== 0
    }
  }

  series(jobId: string, maxPoints = 4000): BookSeries {
    const t = this.load(jobId)
    const n = t.timeMs.length
    const step = Math.max(1, Math.ceil(n / maxPoints))
    const scale = 10 ** t.meta.priceScale
    const price = (ticks: number): number | null =>
      Number.isNaN(ticks) ? null : (ticks * t.meta.tickStep) / scale
    const timeMs: number[] = []
    const bestBid: (number | null)[] = []
    const bestAsk: (number | null)[] = []
    for (let i = 0; i < n; i += step) {
      timeMs.push(t.timeMs[i] ?? 0)
      bestBid.push(price(t.bidTicks[i * TOP_N] ?? NaN))
      bestAsk.push(price(t.askTicks[i * TOP_N] ?? NaN))
    }
    const tr = t.trades
    const tstep = Math.max(1, Math.ceil(tr.timeMs.length / maxPoints))
    const trades = {
      timeMs: [] as number[],
      price: [] as number[],
      size: [] as number[],
      buy: [] as boolean[]
    }
    for (let i = 0; i < tr.timeMs.length; i += tstep) {
      trades.timeMs.push(tr.timeMs[i] ?? 0)
      trades.price.push(price(tr.ticks[i] ?? NaN) ?? NaN)
      trades.size.push((tr.lots[i] ?? 0) / 1e8)
      trades.buy.push((tr.buy[i] ?? 0) === 1)
    }
    return {
      // Lake timelines used to stamp frames with receive time; capture timelines never did.
      clock: t.meta.clock ?? (t.drift ? 'receive' : 'exchange'),
      frames: n,
      frameStep: step,
      tick: t.meta.tick,
      priceDecimals: t.meta.priceScale,
      sizeDecimals: 8,
      timeMs,
      bestBid,
      bestAsk,
      trades,
      checkpoints: t.meta.checkpoints,
      markers: t.meta.markers.map((m) => ({ kind: m.kind, fromMs: m.fromMs, toMs: m.toMs })),
      ...(t.meta.tradeImpact === true ? { effective: decimateEffective(t, price, maxPoints) } : {}),
      drift: decimateDrift(t.drift, maxPoints)
    }
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
    const t = this.load(jobId)
    const scale = 10 ** t.meta.priceScale
    const from = req.fromMs ?? t.timeMs[0] ?? 0
    const to = req.toMs ?? t.timeMs[t.timeMs.length - 1] ?? from
    return buildHeatmap(
      t,
      (ticks) => (ticks * t.meta.tickStep) / scale,
      from,
      Math.max(to, from + 1),
      req.columns,
      req.maxTrades ?? 5000
    )
  }

  private load(jobId: string): Loaded {
    const hit = this.cache.get(jobId)
    if (hit) {
      this.cache.delete(jobId)
      this.cache.set(jobId, hit)
      return hit
    }
    const dir = this.dirOf(jobId)
    let meta: TimelineMeta
    try {
      meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as TimelineMeta
    } catch {
      throw new Error(`no timeline recorded for job ${jobId}`)
    }
    const frames = tableFromIPC(readFileSync(join(dir, 'frames.arrow')))
    const trades = tableFromIPC(readFileSync(join(dir, 'trades.arrow')))
    const driftFile = join(dir, 'drift.arrow')
    const drift = existsSync(driftFile) ? tableFromIPC(readFileSync(driftFile)) : null
    const loaded: Loaded = {
      meta,
      timeMs: column(frames, 'timeMs'),
      updateId: column(frames, 'updateId'),
      flags: column(frames, 'flags'),
      bidTicks: column(frames, 'bidTicks'),
      bidLots: column(frames, 'bidLots'),
      askTicks: column(frames, 'askTicks'),
      askLots: column(frames, 'askLots'),
      trades: {
        timeMs: column(trades, 'timeMs'),
        ticks: column(trades, 'ticks'),
        lots: column(trades, 'lots'),
        buy: column(trades, 'buy')
      },
      drift: drift
        ? {
            timeMs: column(drift, 'timeMs'),
            jaccard: column(drift, 'jaccard'),
            sizeL1: column(drift, 'sizeL1')
          }
        : null
    }
    this.cache.set(jobId, loaded)
    while (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value
      if (oldest === undefined) break
      this.cache.delete(oldest)
    }
    return loaded
  }
}

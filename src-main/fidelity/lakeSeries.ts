// Series from Crypto Lake data: the unified Lake replay (book_delta_v2 + trades, seeded and checked
// by `book` rows) sampled through its observer, optionally with the trade impact model; and the
// `book` table itself as reference snapshots (the `lakebook:` source).
//
// Times: exchange (origin) time rounded to whole ms. The vendor writes nanoseconds through a float
// conversion (int(E_ms / 1000.0 * 1e9)), which lands up to 1 µs off the millisecond Binance sent;
// unrounded, inter-event times would differ from the capture's by ±1 µs and a KS distance on those
// tied values would report the jitter, not the market. A message with origin time 0 (a spot REST
// snapshot burst) is placed at its receive time.
import type { SourceSpec } from '../../src-shared/fidelity'
import type { OrderBook } from '../engine/book/orderBook'
import { TradeImpactModel } from '../engine/book/tradeImpact'
import { FloatGrid } from '../../src-shared/units'
import { dayOfUs } from '../lake/layout'
import { BOOK_LEVELS } from '../engine/source/batches'
import { IssueLog } from '../util/issueLog'
import { replayLake, type LakeSources, type PolicyOverrides } from '../engine'
import { openLakeSources, type DecodeWorkerSpec } from '../engine/source/parallelSources'
import {
  bookBatches,
  resolveLakeTick,
  resolveSelection,
  type ResolvedSelection
} from '../engine/source/lakeSources'
import type { SeriesOptions } from './captureSeries'
import type { MarketSeries } from './series'
import { SeriesBuilder } from './seriesBuilder'

export interface LakeSeriesOptions extends SeriesOptions {
  readonly workers?: number | undefined
  readonly decodeWorker?: DecodeWorkerSpec | undefined
  readonly policy?: PolicyOverrides | undefined
}

export interface LakeMeta {
  readonly exchange: string
  readonly symbol: string
  readonly market: 'spot' | 'usdm'
  readonly tick: string
}

/** The day range of a source's window, so only the needed partition files are read. */
export function selectionOf(spec: SourceSpec): ResolvedSelection {
  const w = spec.window
  const from = w.from?.kind === 'absolute' ? dayOfUs(w.from.us) : undefined
  const to = w.to?.kind === 'absolute' ? dayOfUs(w.to.us - 1) : undefined
  return resolveSelection({
    root: spec.root ?? '',
    exchange: spec.exchange ?? '',
    symbol: spec.symbol ?? '',
    from,
    to
  })
}

const issueNote = (issues: IssueLog): string[] =>
  issues.total > 0 ? [`input issues: ${JSON.stringify(issues.counts)}`] : []

/** A Lake selection replayed into the book. */
export async function lakeSeries(spec: SourceSpec, opts: LakeSeriesOptions): Promise<MarketSeries> {
  const sel = selectionOf(spec)
  const tick = await resolveLakeTick(sel)
  const issues = new IssueLog()
  const sources = openLakeSources(sel, new FloatGrid(tick), issues, {
    workers: opts.workers ?? 0,
    decodeWorker: opts.decodeWorker,
    signal: opts.signal
  })
  try {
    const s = await seriesFromLakeSources(
      spec,
      sources,
      { exchange: sel.exchange, symbol: sel.symbol, market: sel.market, tick },
      opts
    )
    const missing = Object.entries(sel.missing)
      .filter(([, days]) => days.length > 0)
      .map(([t, days]) => `${t} missing for ${days.join(', ')}`)
    return { ...s, notes: [...s.notes, ...missing, ...issueNote(issues)] }
  } finally {
    await sources.close()
  }
}

/**
 * Any Lake event sources replayed into the book and sampled: the path `lakeSeries` takes, open to
 * callers that transform the sources (tests, tiled benchmarks).
 */
export async function seriesFromLakeSources(
  spec: SourceSpec,
  sources: LakeSources,
  meta: LakeMeta,
  opts: LakeSeriesOptions
): Promise<MarketSeries> {
  const b = new SeriesBuilder({
    gridsMs: opts.gridsMs,
    profileMs: opts.profileMs,
    window: spec.window,
    roundUs: 1000
  })
  const impact = spec.impact ? new TradeImpactModel() : null
  // The replay's one OrderBook, kept only for this replay (trades do not pass it).
  let book: OrderBook | null = null
  const showL1 = (bk: OrderBook): void => {
    if (impact) {
      const [bt, bq] = impact.best(bk, true)
      const [at, aq] = impact.best(bk, false)
      b.setL1(bt, bq, at, aq)
    } else b.setL1(bk.bids.bestTick(), bk.bids.bestQty(), bk.asks.bestTick(), bk.asks.bestQty())
  }
  const core = await replayLake(sources, {
    market: meta.market,
    policy: opts.policy,
    signal: opts.signal,
    onProgress: (rows) => opts.onProgress?.(rows, null, 'delta rows'),
    observer: {
      message(recvUs, exchUs, _seq, bk) {
        book = bk
        b.time(exchUs > 0 ? exchUs : recvUs)
        if (impact && exchUs > 0) impact.diffApplied(Math.round(exchUs / 1000))
        showL1(bk)
        b.setDepthFromBook(bk)
        b.event()
      },
      trade(recvUs, exchUs, tick, lots, takerBuy) {
        const t = exchUs > 0 ? exchUs : recvUs
        b.trade(t, tick, lots, takerBuy)
        if (impact && book) {
          b.time(t)
          impact.trade(tick, lots, takerBuy, Math.round(exchUs / 1000))
          showL1(book)
        }
      }
    }
  })
  book = null
  const done = b.finish()
  const notes: string[] = []
  if (core.unknownDepthMessages > 0) {
    notes.push(
      `${core.unknownDepthMessages} of ${core.appliedMessages} messages reach past the known depth (unknown depth)`
    )
  }
  if (core.reseeds.count > 0) notes.push(`${core.reseeds.count} reseed(s) after a crossed book`)
  if (core.skipped.beforeSeedRows > 0)
    notes.push(`${core.skipped.beforeSeedRows} delta rows before the first seed (not applied)`)
  return {
    spec: spec.text,
    kind: spec.kind,
    label: spec.text,
    symbol: `${meta.exchange}/${meta.symbol}`,
    market: meta.market,
    tick: meta.tick,
    eventKind: 'update',
    hasDepth: true,
    impact: spec.impact,
    ...done,
    ticker: null,
    notes
  }
}

/** The Crypto Lake `book` table as a series: each row is one reference snapshot of 20 levels. */
export async function lakeBookSeries(spec: SourceSpec, opts: SeriesOptions): Promise<MarketSeries> {
  const sel = selectionOf(spec)
  const tick = await resolveLakeTick(sel)
  const issues = new IssueLog()
  const b = new SeriesBuilder({
    gridsMs: opts.gridsMs,
    profileMs: opts.profileMs,
    window: spec.window,
    roundUs: 1000
  })
  let rows = 0
  for await (const batch of bookBatches(sel.files.book, new FloatGrid(tick), issues, opts.signal)) {
    const { bidTicks, bidLots, askTicks, askLots } = batch
    for (let i = 0; i < batch.length; i++) {
      const o = i * BOOK_LEVELS
      let nb = 0
      let na = 0
      while (nb < BOOK_LEVELS && !Number.isNaN(bidTicks[o + nb] ?? NaN)) nb++
      while (na < BOOK_LEVELS && !Number.isNaN(askTicks[o + na] ?? NaN)) na++
      const exch = batch.exchUs[i] ?? 0
      b.time(exch > 0 ? exch : (batch.recvUs[i] ?? NaN))
      b.setL1(
        nb > 0 ? (bidTicks[o] ?? NaN) : NaN,
        nb > 0 ? (bidLots[o] ?? 0) : 0,
        na > 0 ? (askTicks[o] ?? NaN) : NaN,
        na > 0 ? (askLots[o] ?? 0) : 0
      )
      b.setDepth(bidLots, nb, askLots, na, o, 0)
      b.event()
    }
    rows += batch.length
    opts.onProgress?.(rows, null, 'book rows')
  }
  const done = b.finish()
  return {
    spec: spec.text,
    kind: spec.kind,
    label: spec.text,
    symbol: `${sel.exchange}/${sel.symbol}`,
    market: sel.market,
    tick,
    eventKind: 'snapshot',
    hasDepth: true,
    impact: false,
    ...done,
    trades: null,
    ticker: null,
    notes: [
      'Crypto Lake book table: sampled snapshots, not every update; trade metrics do not apply',
      ...issueNote(issues)
    ]
  }
}

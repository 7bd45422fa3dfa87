// Series from Binance capture files: the capture replay (docs/book-semantics.md) sampled through
// its observer, optionally with the trade impact model's effective best bid/ask, optionally paired
// with Binance's bookTicker at every bookTicker arrival; and the bookTicker stream itself as a
// series (the `bookticker:` source, L1 only).
//
// Times: diffs at their event time E, trades at their trade time T, the REST snapshot at its E when
// it has one (USD-M) and otherwise at its receive time, as the Lake converter stamps it, so a
// capture and its converted Lake data are sampled identically.
import type { SourceSpec } from '../../src-shared/fidelity'
import type { OrderBook } from '../engine/book/orderBook'
import { TradeImpactModel } from '../engine/book/tradeImpact'
import { FloatGrid, floatToLots, toLots, type PriceGrid } from '../../src-shared/units'
import { InputError } from '../util/errors'
import { replayCapture, type CaptureReplaySummary } from '../engine/captureReplay'
import type { Where } from '../engine/source/captureMessages'
import { GrowableF64 } from '../util/growable'
import type { MarketSeries, TickerAlignment } from './series'
import { SeriesBuilder } from './seriesBuilder'
import { POS_FILE, readTickerStream, type TickerStream } from './tickerStream'

export interface SeriesOptions {
  readonly gridsMs: readonly number[]
  readonly profileMs: number
  readonly signal?: AbortSignal | undefined
  /** Progress: units done so far, the total when known. */
  readonly onProgress?: ((done: number, total: number | null, unit: string) => void) | undefined
}

export interface CaptureSeriesOptions extends SeriesOptions {
  /** Pair the replay with every bookTicker (reads the files once more). */
  readonly withTicker?: boolean | undefined
  /** The files' bookTicker stream when already read (several sources on the same files). */
  readonly tickerStream?: TickerStream | undefined
}

/** The capture replay as a series; `replay` is the replay's own summary (counters, issues). */
export async function captureSeries(
  spec: SourceSpec,
  files: readonly string[],
  opts: CaptureSeriesOptions
): Promise<{ series: MarketSeries; replay: CaptureReplaySummary }> {
  const ticker =
    opts.withTicker === true
      ? (opts.tickerStream ?? (await readTickerStream(files, opts.signal)))
      : null
  const fileIndex = new Map<string, number>()
  ticker?.files.forEach((f, i) => fileIndex.set(f, i))
  const b = new SeriesBuilder({
    gridsMs: opts.gridsMs,
    profileMs: opts.profileMs,
    window: spec.window,
    // Whole ms, as the exchange stamps them (and as the Lake sources are rounded).
    roundUs: 1000
  })
  const impact = spec.impact ? new TradeImpactModel() : null
  let grid: PriceGrid | null = null
  let book: OrderBook | null = null
  let synced = false
  let gaps = 0
  // The best bid/ask the series currently shows (plain book or impact model).
  let cb = NaN
  let ca = NaN
  let cbq = 0
  let caq = 0

  // bookTicker pairing: ticks/lots of each bookTicker, and the series' L1 just before the next
  // message after it in the stream.
  const n = ticker?.n ?? 0
  const al = {
    tb: new Float64Array(n),
    ta: new Float64Array(n),
    tbq: new Float64Array(n),
    taq: new Float64Array(n),
    bb: new Float64Array(n).fill(NaN),
    ba: new Float64Array(n).fill(NaN),
    bbq: new Float64Array(n).fill(NaN),
    baq: new Float64Array(n).fill(NaN)
  }
  let tp = 0
  const flushTickers = (at: Where | null): void => {
    if (!ticker) return
    const p = at === null ? Infinity : (fileIndex.get(at.file) ?? 0) * POS_FILE + at.line
    while (tp < n && (ticker.pos[tp] ?? Infinity) < p) {
      if (synced) {
        al.bb[tp] = cb
        al.ba[tp] = ca
        al.bbq[tp] = cbq
        al.baq[tp] = caq
      }
      tp++
    }
  }

  const showL1 = (): void => {
    if (!book) return
    if (impact) {
      const [bt, bq] = impact.best(book, true)
      const [at, aq] = impact.best(book, false)
      cb = bt
      cbq = bq
      ca = at
      caq = aq
    } else {
      cb = book.bids.bestTick()
      cbq = book.bids.bestQty()
      ca = book.asks.bestTick()
      caq = book.asks.bestQty()
    }
    b.setL1(cb, cbq, ca, caq)
  }

  const replay = await replayCapture(files, {
    signal: opts.signal,
    onProgress: (done, total) => opts.onProgress?.(done, total, 'bytes'),
    observer: {
      start(info) {
        grid = info.grid
        if (ticker) {
          const fg = new FloatGrid(info.tick)
          for (let i = 0; i < n; i++) {
            al.tb[i] = fg.toTicks(ticker.bid[i] ?? NaN)
            al.ta[i] = fg.toTicks(ticker.ask[i] ?? NaN)
            al.tbq[i] = floatToLots(ticker.bidQty[i] ?? NaN)
            al.taq[i] = floatToLots(ticker.askQty[i] ?? NaN)
          }
        }
      },
      snapshot(s, at, bk) {
        flushTickers(at)
        book = bk
        synced = true
        impact?.reset()
        b.time(s.E !== null ? s.E * 1000 : at.localUs)
        showL1()
        b.setDepthFromBook(bk)
        b.event()
      },
      diff(d, at, bk) {
        flushTickers(at)
        book = bk
        b.time(d.E * 1000)
        impact?.diffApplied(d.E)
        showL1()
        b.setDepthFromBook(bk)
        b.event()
      },
      trade(t, at) {
        flushTickers(at)
        const tick = grid ? grid.toTicks(t.price) : NaN
        const lots = toLots(t.qty)
        b.trade(t.T * 1000, tick, lots, !t.buyerMaker)
        // The replay feeds its own model only once synced; so does this one.
        if (impact && synced) {
          b.time(t.T * 1000)
          impact.trade(tick, lots, !t.buyerMaker, t.T)
          showL1()
        }
      },
      gap() {
        gaps++
      }
    }
  })
  flushTickers(null)
  if (ticker && ticker.files.join('\n') !== replay.files.join('\n')) {
    throw new Error('the bookTicker pass ordered the capture files differently from the replay')
  }
  const done = b.finish()
  const notes: string[] = []
  if (gaps > 0) notes.push(`${gaps} sequence gap(s): the book was kept applying diffs (flagged)`)
  if (replay.unknownDepthUpdates > 0) {
    notes.push(
      `${replay.unknownDepthUpdates} of ${replay.appliedUpdates} updates reach past the snapshot's depth (unknown depth)`
    )
  }
  if (!replay.complete) notes.push(`input issues: ${JSON.stringify(replay.issueCounts)}`)
  let alignment: TickerAlignment | null = null
  if (ticker) {
    // Only the bookTickers inside the window, as every other column.
    const keep = new GrowableF64()
    const lo = done.fromUs
    const hi = done.toUs
    for (let i = 0; i < n; i++) {
      const t = ticker.timeUs[i] ?? NaN
      if (t >= lo && t < hi) keep.push(i)
    }
    const idx = keep.toArray()
    const pick = (a: Float64Array): Float64Array => Float64Array.from(idx, (i) => a[i] ?? NaN)
    alignment = {
      n: idx.length,
      timeUs: pick(ticker.timeUs),
      tickerBid: pick(al.tb),
      tickerAsk: pick(al.ta),
      tickerBidLots: pick(al.tbq),
      tickerAskLots: pick(al.taq),
      bookBid: pick(al.bb),
      bookAsk: pick(al.ba),
      bookBidLots: pick(al.bbq),
      bookAskLots: pick(al.baq)
    }
  }
  return {
    series: {
      spec: spec.text,
      kind: spec.kind,
      label: spec.text,
      symbol: replay.symbol,
      market: replay.market,
      tick: replay.tick,
      eventKind: 'update',
      hasDepth: true,
      impact: spec.impact,
      ...done,
      trades: done.trades,
      ticker: alignment,
      notes
    },
    replay
  }
}

/** Binance's bookTicker stream of capture files as an L1-only series (no trades, no depth). */
export async function bookTickerSeries(
  spec: SourceSpec,
  files: readonly string[],
  opts: SeriesOptions,
  stream?: TickerStream
): Promise<MarketSeries> {
  const t = stream ?? (await readTickerStream(files, opts.signal))
  if (t.n === 0) throw new InputError('no bookTicker messages in these capture files', files[0])
  const { tick, symbol, market } = t
  const fg = new FloatGrid(tick)
  const b = new SeriesBuilder({
    gridsMs: opts.gridsMs,
    profileMs: null,
    window: spec.window,
    roundUs: 1000
  })
  for (let i = 0; i < t.n; i++) {
    const time = t.timeUs[i] ?? NaN
    if (!Number.isFinite(time)) continue
    b.time(time)
    b.setL1(
      fg.toTicks(t.bid[i] ?? NaN),
      floatToLots(t.bidQty[i] ?? NaN),
      fg.toTicks(t.ask[i] ?? NaN),
      floatToLots(t.askQty[i] ?? NaN)
    )
    b.event()
  }
  const done = b.finish()
  return {
    spec: spec.text,
    kind: spec.kind,
    label: spec.text,
    symbol,
    market,
    tick,
    eventKind: 'ticker',
    hasDepth: false,
    impact: false,
    ...done,
    profile: null,
    trades: null,
    ticker: null,
    notes: ['Binance bookTicker: best bid/ask only; trade and depth metrics do not apply']
  }
}

// Builds a MarketSeries while a source is read: every source adapter (capture, Lake replay, Lake
// `book` table, bookTicker) calls the same few methods, so every source is sampled by one set of
// rules:
//   - Clock: exchange time in µs, forced non-decreasing. Streams interleaved in receive order
//     (diffs, trades) are not exactly ordered in exchange time; a late timestamp is clamped to the
//     last one seen instead of reordering, so the grid never looks backwards.
//   - Grids: the book as of grid time g is the last state with time <= g. A grid point is written
//     when the first event after it arrives (or at the end), from the state held before that event.
//     Grid times are multiples of the interval since the epoch, so two sources of the same period
//     share grid times and can be paired point by point.
//   - Window: only events and grid points with from <= time < to are kept; the book is still fed
//     before `from`, so the first sampled state is the real one. Offsets (+5m) count from the first
//     event the source produced.
// Columns grow by doubling (GrowableF64); nothing is allocated per event.
import type { SourceWindow } from '../../src-shared/fidelity'
import type { OrderBook } from '../engine/book/orderBook'
import { GrowableF64 } from '../util/growable'
import {
  PROFILE_LEVELS,
  type BookEvents,
  type DepthProfile,
  type GridSeries,
  type TradeEvents
} from './series'

export interface BuilderOptions {
  readonly gridsMs: readonly number[]
  /** Interval of the depth profile grid, ms; null for sources without depth. */
  readonly profileMs: number | null
  readonly window: SourceWindow
  /** Round every time to this many µs first (1000: Binance's exchange times are whole ms). */
  readonly roundUs?: number | undefined
}

class GridCols {
  readonly timeUs = new GrowableF64()
  readonly bidTick = new GrowableF64()
  readonly askTick = new GrowableF64()
  readonly bidLots = new GrowableF64()
  readonly askLots = new GrowableF64()
  readonly bid5 = new GrowableF64()
  readonly ask5 = new GrowableF64()
  readonly bid20 = new GrowableF64()
  readonly ask20 = new GrowableF64()
  readonly ofi = new GrowableF64()
  /** The next grid time to write (µs); NaN until the book has a state. */
  next = NaN
  /** OFI accumulated since the last grid time. */
  ofiAcc = 0

  constructor(readonly intervalUs: number) {}

  done(): GridSeries {
    return {
      intervalMs: this.intervalUs / 1000,
      n: this.timeUs.length,
      timeUs: this.timeUs.toArray(),
      bidTick: this.bidTick.toArray(),
      askTick: this.askTick.toArray(),
      bidLots: this.bidLots.toArray(),
      askLots: this.askLots.toArray(),
      bid5: this.bid5.toArray(),
      ask5: this.ask5.toArray(),
      bid20: this.bid20.toArray(),
      ask20: this.ask20.toArray(),
      ofi: this.ofi.toArray()
    }
  }
}

export class SeriesBuilder {
  private readonly grids: GridCols[]
  private readonly profileUs: number
  private readonly roundUs: number
  private readonly window: SourceWindow
  private fromUs = -Infinity
  private toUs = Infinity
  private resolved = false
  private firstUs = NaN
  private lastUs = -Infinity
  /** Current time (after rounding and clamping). */
  now = -Infinity
  private started = false

  // Current book state.
  private bid = NaN
  private ask = NaN
  private bidQ = 0
  private askQ = 0
  private b5 = NaN
  private a5 = NaN
  private b20 = NaN
  private a20 = NaN
  private readonly profBid = new Float64Array(PROFILE_LEVELS).fill(NaN)
  private readonly profAsk = new Float64Array(PROFILE_LEVELS).fill(NaN)
  private unknown = 0

  // Events.
  private readonly evTime = new GrowableF64()
  private readonly evBid = new GrowableF64()
  private readonly evAsk = new GrowableF64()
  private readonly evBidQ = new GrowableF64()
  private readonly evAskQ = new GrowableF64()
  // Trades.
  private readonly trTime = new GrowableF64()
  private readonly trTick = new GrowableF64()
  private readonly trLots = new GrowableF64()
  private readonly trBuy = new GrowableF64()
  // Profile grid.
  private readonly prTime = new GrowableF64()
  private readonly prBid = new GrowableF64()
  private readonly prAsk = new GrowableF64()
  private readonly prUnknown = new GrowableF64()
  private prNext = NaN

  constructor(opts: BuilderOptions) {
    this.grids = [...opts.gridsMs].sort((a, b) => a - b).map((ms) => new GridCols(ms * 1000))
    this.profileUs = opts.profileMs === null ? 0 : opts.profileMs * 1000
    this.roundUs = opts.roundUs ?? 1
    this.window = opts.window
  }

  /** Resolves offset bounds against the first event's time. */
  private resolve(first: number): void {
    const w = this.window
    const bound = (b: SourceWindow['from'], dflt: number): number =>
      b === null ? dflt : b.kind === 'offset' ? first + b.us : b.us
    this.fromUs = bound(w.from, -Infinity)
    this.toUs = bound(w.to, Infinity)
    this.resolved = true
  }

  /**
   * Moves the clock to an event's time (µs) and writes every grid point before it from the state
   * held so far. Returns the time used (rounded, never earlier than the last).
   */
  time(us: number): number {
    let t = this.roundUs > 1 ? Math.round(us / this.roundUs) * this.roundUs : us
    if (!(t >= this.now)) t = this.now // also catches NaN
    if (!Number.isFinite(t)) return t
    if (!this.resolved) {
      this.firstUs = t
      this.resolve(t)
    }
    this.now = t
    if (this.started) this.advance(t, false)
    return t
  }

  get inWindow(): boolean {
    return this.now >= this.fromUs && this.now < this.toUs
  }

  /** Writes grid points g < t (or <= t when `inclusive`), each from the current state. */
  private advance(t: number, inclusive: boolean): void {
    const stop = Math.min(t, this.toUs)
    for (const g of this.grids) {
      // Grid points before the window are never written: jump over them at once (a source that
      // starts long before its window, or an implausible early timestamp, costs nothing).
      if (g.next < this.fromUs) {
        const limit = Math.min(stop, this.fromUs)
        if (g.next < limit) {
          g.next += Math.ceil((limit - g.next) / g.intervalUs) * g.intervalUs
          g.ofiAcc = 0
        }
      }
      while (inclusive ? g.next <= stop && g.next < this.toUs : g.next < stop) {
        if (g.next >= this.fromUs) this.writeGrid(g)
        g.ofiAcc = 0
        g.next += g.intervalUs
      }
    }
    if (this.profileUs > 0) {
      if (this.prNext < this.fromUs) {
        const limit = Math.min(stop, this.fromUs)
        if (this.prNext < limit)
          this.prNext += Math.ceil((limit - this.prNext) / this.profileUs) * this.profileUs
      }
      while (inclusive ? this.prNext <= stop && this.prNext < this.toUs : this.prNext < stop) {
        if (this.prNext >= this.fromUs) {
          this.prTime.push(this.prNext)
          this.prBid.pushPadded(this.profBid, PROFILE_LEVELS, PROFILE_LEVELS, NaN)
          this.prAsk.pushPadded(this.profAsk, PROFILE_LEVELS, PROFILE_LEVELS, NaN)
          this.prUnknown.push(this.unknown)
        }
        this.prNext += this.profileUs
      }
    }
  }

  private writeGrid(g: GridCols): void {
    g.timeUs.push(g.next)
    g.bidTick.push(this.bid)
    g.askTick.push(this.ask)
    g.bidLots.push(this.bidQ)
    g.askLots.push(this.askQ)
    g.bid5.push(this.b5)
    g.ask5.push(this.a5)
    g.bid20.push(this.b20)
    g.ask20.push(this.a20)
    g.ofi.push(g.ofiAcc)
  }

  private start(): void {
    this.started = true
    for (const g of this.grids) g.next = Math.ceil(this.now / g.intervalUs) * g.intervalUs
    if (this.profileUs > 0) this.prNext = Math.ceil(this.now / this.profileUs) * this.profileUs
  }

  /**
   * The best bid/ask changed (ticks, lots; NaN tick = empty side). Adds the Cont–Kukanov–Stoikov
   * OFI contribution e_n of this change to every grid's running sum:
   *   e = 1{b >= b'} q_b − 1{b <= b'} q_b' − 1{a <= a'} q_a + 1{a >= a'} q_a'
   * (primes: the previous state). A side that is or was empty contributes nothing.
   */
  setL1(bidTick: number, bidLots: number, askTick: number, askLots: number): void {
    if (!this.started) this.start()
    const pb = this.bid
    const pa = this.ask
    let e = 0
    if (bidTick === bidTick && pb === pb) {
      if (bidTick >= pb) e += bidLots
      if (bidTick <= pb) e -= this.bidQ
    }
    if (askTick === askTick && pa === pa) {
      if (askTick <= pa) e -= askLots
      if (askTick >= pa) e += this.askQ
    }
    if (e !== 0) for (const g of this.grids) g.ofiAcc += e
    this.bid = bidTick
    this.ask = askTick
    this.bidQ = bidLots
    this.askQ = askLots
  }

  /** Deeper levels from the book's top-N scratch arrays (book.readTop() must have been called). */
  setDepthFromBook(book: OrderBook): void {
    this.setDepth(
      book.topBidLots,
      book.topBidCount,
      book.topAskLots,
      book.topAskCount,
      0,
      book.reachesUnknownDepth(PROFILE_LEVELS) ? 1 : 0
    )
  }

  /**
   * Deeper levels from row-major level arrays (a `book` row): lots of levels 0.. at `offset`,
   * `nb`/`na` levels present per side.
   */
  setDepth(
    bidLots: Float64Array,
    nb: number,
    askLots: Float64Array,
    na: number,
    offset: number,
    unknownDepth: number
  ): void {
    let cb = 0
    let ca = 0
    for (let k = 0; k < PROFILE_LEVELS; k++) {
      const b = k < nb ? (bidLots[offset + k] ?? NaN) : NaN
      const a = k < na ? (askLots[offset + k] ?? NaN) : NaN
      this.profBid[k] = b
      this.profAsk[k] = a
      if (b === b) cb += b
      if (a === a) ca += a
      if (k === 4) {
        this.b5 = nb > 0 ? cb : NaN
        this.a5 = na > 0 ? ca : NaN
      }
    }
    this.b20 = nb > 0 ? cb : NaN
    this.a20 = na > 0 ? ca : NaN
    this.unknown = unknownDepth
  }

  /** Records one book event with the current state, when inside the window. */
  event(): void {
    if (!this.inWindow) return
    this.evTime.push(this.now)
    this.evBid.push(this.bid)
    this.evAsk.push(this.ask)
    this.evBidQ.push(this.bidQ)
    this.evAskQ.push(this.askQ)
    if (this.now > this.lastUs) this.lastUs = this.now
  }

  /**
   * Records one trade at its own time (µs), when inside the window. Trades keep their exchange
   * times as sent (their stream is ordered on its own); only book state changes go through the
   * clamped clock of `time`, so a trade's time never depends on the book stream around it.
   */
  trade(us: number, tick: number, lots: number, takerBuy: boolean): void {
    const t = this.roundUs > 1 ? Math.round(us / this.roundUs) * this.roundUs : us
    if (!Number.isFinite(t)) return
    if (!this.resolved) {
      this.firstUs = t
      this.resolve(t)
    }
    if (!(t >= this.fromUs && t < this.toUs)) return
    this.trTime.push(t)
    this.trTick.push(tick)
    this.trLots.push(lots)
    this.trBuy.push(takerBuy ? 1 : 0)
    if (t > this.lastUs) this.lastUs = t
  }

  /** Writes the remaining grid points up to the last event and returns the columns. */
  finish(): {
    fromUs: number
    toUs: number
    events: BookEvents
    grids: GridSeries[]
    profile: DepthProfile | null
    trades: TradeEvents
  } {
    const last = this.lastUs
    if (this.started && Number.isFinite(last)) this.advance(last, true)
    const first = this.evTime.length > 0 ? this.evTime.at(0) : this.trTime.at(0)
    const fromUs = Math.max(this.fromUs, Number.isFinite(first) ? first : this.firstUs)
    const toUs = Math.min(this.toUs, Number.isFinite(last) ? last + 1 : fromUs)
    const n = this.prTime.length
    return {
      fromUs,
      toUs,
      events: {
        n: this.evTime.length,
        timeUs: this.evTime.toArray(),
        bidTick: this.evBid.toArray(),
        askTick: this.evAsk.toArray(),
        bidLots: this.evBidQ.toArray(),
        askLots: this.evAskQ.toArray()
      },
      grids: this.grids.map((g) => g.done()),
      profile:
        this.profileUs > 0
          ? {
              intervalMs: this.profileUs / 1000,
              n,
              timeUs: this.prTime.toArray(),
              bidLots: this.prBid.toArray(),
              askLots: this.prAsk.toArray(),
              unknownDepth: Uint8Array.from(this.prUnknown.toArray())
            }
          : null,
      trades: {
        n: this.trTime.length,
        timeUs: this.trTime.toArray(),
        tick: this.trTick.toArray(),
        lots: this.trLots.toArray(),
        buy: Uint8Array.from(this.trBuy.toArray())
      }
    }
  }
}

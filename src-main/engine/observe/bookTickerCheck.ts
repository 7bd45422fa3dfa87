// The capture replay's check against Binance's own best bid/ask: each bookTicker is compared with
// the book as it stood right after the diff with the same update id (`u`). A bookTicker may arrive
// before its diff (it waits) or after (the book states of the last RING diffs are kept), so the
// comparison is exact, not "the book at arrival". Every bookTicker is also compared with the book
// as it stands at arrival, with and without the trade impact model (the looser `bboAll` view).
import type { ReplayCaptureResult } from '../../../src-shared/replay'
import type { OrderBook } from '../book/orderBook'
import type { TradeImpactModel } from '../book/tradeImpact'
import { toLots, type PriceGrid } from '../../../src-shared/units'
import { parseCaptureJson, type BookTickerMsg } from '../source/captureMessages'
import type { CaptureScanner } from '../source/captureScanner'

const RING = 64
const KEEP_MISMATCHES = 20

type Mismatch = ReplayCaptureResult['bbo']['mismatches'][number]
interface Tally {
  priceMatched: number
  matched: number
}

function tally(
  into: Tally,
  bt: Ticker,
  bid: number,
  bidQty: number,
  ask: number,
  askQty: number
): void {
  if (bid === bt.bid && ask === bt.ask) {
    into.priceMatched++
    if (bidQty === bt.bidQty && askQty === bt.askQty) into.matched++
  }
}

/**
 * A bookTicker in ticks and lots, and where its decimals are for a mismatch's detail: the message,
 * or (from the capture scanner, which keeps no strings) its line's JSON, read again only then.
 */
class Ticker {
  u = 0
  bid = NaN
  bidQty = NaN
  ask = NaN
  askQty = NaN
  file = ''
  line = 0
  private msg: BookTickerMsg | null = null
  private text: Buffer | null = null
  private start = 0
  private end = 0
  /** This ticker's own copy of its line's JSON while it waits (grown, never shrunk, reused). */
  private own: Buffer | null = null

  set(u: number, bid: number, bidQty: number, ask: number, askQty: number): void {
    this.u = u
    this.bid = bid
    this.bidQty = bidQty
    this.ask = ask
    this.askQty = askQty
  }

  from(
    file: string,
    line: number,
    msg: BookTickerMsg | null,
    text: Buffer | null,
    start: number,
    end: number
  ): void {
    this.file = file
    this.line = line
    this.msg = msg
    this.text = text
    this.start = start
    this.end = end
  }

  copyInto(c: Ticker): Ticker {
    c.set(this.u, this.bid, this.bidQty, this.ask, this.askQty)
    c.from(this.file, this.line, this.msg, this.text, this.start, this.end)
    return c
  }

  /** Its line's JSON into its own buffer (grown, never shrunk: pooled tickers keep it). */
  ownText(): void {
    const text = this.text
    if (text === null || text === this.own) return
    const n = this.end - this.start
    if (this.own === null || this.own.length < n) this.own = Buffer.alloc(Math.max(256, n))
    text.copy(this.own, 0, this.start, this.end)
    this.text = this.own
    this.start = 0
    this.end = n
  }

  words(): BookTickerMsg {
    if (this.msg) return this.msg
    // The scanner's lines are ASCII: latin1 is their text.
    return parseCaptureJson(
      this.text?.toString('latin1', this.start, this.end) ?? ''
    ) as BookTickerMsg
  }
}

export class BookTickerCheck {
  readonly bbo = {
    compared: 0,
    matched: 0,
    arrivedBeforeDiff: 0,
    arrivedAfterDiff: 0,
    skippedUnsynced: 0
  }
  readonly mismatches: Mismatch[] = []
  readonly bboAll = {
    compared: 0,
    plain: { priceMatched: 0, matched: 0 },
    tradeImpact: { priceMatched: 0, matched: 0 }
  }
  // Best bid/ask after each of the last RING applied diffs, for bookTickers that arrive later.
  private readonly ringU = new Float64Array(RING).fill(-1)
  private readonly ringBbo = new Float64Array(RING * 4)
  private readonly ringFrame = new Float64Array(RING)
  private ringAt = 0
  /**
   * Waiting bookTickers in arrival order, at most one per u (a later one with the same u takes its
   * place), as a Map keyed by u kept them: an array, because a Map keyed by update ids (not small
   * integers) allocated a boxed key per insertion, and only a few ever wait at once. The first
   * `waiting` entries are the tickers; both arrays keep their length (setting it, then pushing,
   * reallocated the backing store again and again).
   */
  private readonly pending: Ticker[] = []
  private waiting = 0
  /**
   * The highest u waiting (-Infinity when none): bookTickers mostly arrive in u order, so one
   * above it needs no search for a ticker with its u (dozens wait at once on USD-M captures).
   */
  private maxWaitingU = -Infinity
  /** The bookTicker being taken (copied only when it has to wait for its diff). */
  private readonly cur = new Ticker()
  /** Tickers done waiting, reused: most bookTickers wait, and one object each was GC work. */
  private readonly free: Ticker[] = []
  private freeCount = 0

  constructor(
    private readonly grid: PriceGrid,
    /** Each comparison with the timeline frame of the book state it used (-1 when none). */
    private readonly onCompared?: (frame: number, matched: boolean) => void
  ) {}

  /** The book took the diff (or snapshot) with update id `u`, drawn as timeline frame `frame`. */
  applied(u: number, book: OrderBook, frame: number): void {
    const slot = this.ringAt++ % RING
    this.ringU[slot] = u
    const r = this.ringBbo
    r[slot * 4] = book.bids.bestTick()
    r[slot * 4 + 1] = book.bids.bestQty()
    r[slot * 4 + 2] = book.asks.bestTick()
    r[slot * 4 + 3] = book.asks.bestQty()
    this.ringFrame[slot] = frame
    const p = this.pending
    const n = this.waiting
    if (n === 0) return
    // In arrival order: compare the one with this u, drop every one up to it, keep the rest.
    let kept = 0
    let max = -Infinity
    for (let k = 0; k < n; k++) {
      const w = p[k] as Ticker
      if (w.u === u) {
        this.bbo.arrivedBeforeDiff++
        this.compare(w, slot, frame)
      }
      if (w.u <= u) this.release(w)
      else {
        p[kept++] = w
        if (w.u > max) max = w.u
      }
    }
    this.waiting = kept
    this.maxWaitingU = max
  }

  private release(w: Ticker): void {
    this.free[this.freeCount++] = w
  }

  private reuse(): Ticker {
    return this.freeCount > 0 ? (this.free[--this.freeCount] as Ticker) : new Ticker()
  }

  /**
   * The reader is about to reuse the bytes of the lines read so far (source/inflateWorker.ts):
   * the waiting bookTickers copy their line's JSON, which only a mismatch's detail reads. Called
   * once per chunk of lines, so the copy is paid by the few tickers waiting at a chunk's end,
   * not by each ticker that waits (most do: copying each was ~4% of a replay).
   */
  keepText(): void {
    for (let k = 0; k < this.waiting; k++) this.pending[k]?.ownText()
  }

  /** Book states from before a snapshot or a gap must not answer a later bookTicker. */
  forget(): void {
    this.ringU.fill(-1)
    for (let k = 0; k < this.waiting; k++) this.release(this.pending[k] as Ticker)
    this.waiting = 0
    this.maxWaitingU = -Infinity
  }

  /** A bookTicker of a synced book whose last applied update id is `lastU`. */
  bookTicker(
    bt: BookTickerMsg,
    file: string,
    line: number,
    lastU: number,
    book: OrderBook,
    impact: TradeImpactModel
  ): void {
    const { grid, cur } = this
    cur.set(bt.u, grid.toTicks(bt.bid), toLots(bt.bidQty), grid.toTicks(bt.ask), toLots(bt.askQty))
    cur.from(file, line, bt, null, 0, 0)
    this.take(lastU, book, impact)
  }

  /** bookTicker() for a line the capture scanner read (numbers already exact). */
  scanned(
    sc: CaptureScanner,
    file: string,
    line: number,
    lastU: number,
    book: OrderBook,
    impact: TradeImpactModel
  ): void {
    const { cur } = this
    cur.set(sc.u, sc.bid, sc.bidQty, sc.ask, sc.askQty)
    cur.from(file, line, null, sc.text, sc.from, sc.to)
    this.take(lastU, book, impact)
  }

  private take(lastU: number, book: OrderBook, impact: TradeImpactModel): void {
    const bt = this.cur
    this.compareAll(bt, book, impact)
    if (bt.u > lastU) {
      // A bookTicker with the u of one already waiting takes its place, as before.
      const p = this.pending
      if (bt.u > this.maxWaitingU) this.maxWaitingU = bt.u
      else {
        for (let k = 0; k < this.waiting; k++) {
          const w = p[k] as Ticker
          if (w.u === bt.u) {
            bt.copyInto(w)
            return
          }
        }
      }
      p[this.waiting++] = bt.copyInto(this.reuse())
      return
    }
    for (let i = 0; i < RING; i++) {
      if (this.ringU[i] === bt.u) {
        this.bbo.arrivedAfterDiff++
        this.compare(bt, i, this.ringFrame[i] ?? -1)
        return
      }
    }
  }

  /** A bookTicker against the book state of ring slot `slot` (read in place: no view per call). */
  private compare(bt: Ticker, slot: number, frame: number): void {
    const { grid, bbo } = this
    const r = this.ringBbo
    const bid = r[slot * 4] ?? NaN
    const bidQty = r[slot * 4 + 1] ?? 0
    const ask = r[slot * 4 + 2] ?? NaN
    const askQty = r[slot * 4 + 3] ?? 0
    const ok = bid === bt.bid && bidQty === bt.bidQty && ask === bt.ask && askQty === bt.askQty
    bbo.compared++
    if (ok) bbo.matched++
    else if (this.mismatches.length < KEEP_MISMATCHES) {
      const w = bt.words()
      const book = `${grid.toDecimal(bid)}x${bidQty / 1e8} / ${grid.toDecimal(ask)}x${askQty / 1e8}`
      this.mismatches.push({
        u: bt.u,
        file: bt.file,
        line: bt.line,
        detail: `bookTicker ${w.bid}x${w.bidQty} / ${w.ask}x${w.askQty}, book ${book}`
      })
    }
    this.onCompared?.(frame, ok)
  }

  /** Any bookTicker against the book as it stands, with and without the trade impact model. */
  private compareAll(bt: Ticker, book: OrderBook, impact: TradeImpactModel): void {
    this.bboAll.compared++
    tally(
      this.bboAll.plain,
      bt,
      book.bids.bestTick(),
      book.bids.bestQty(),
      book.asks.bestTick(),
      book.asks.bestQty()
    )
    impact.bestInto(book, true)
    const bid = impact.bestTick
    const bidLots = impact.bestLots
    impact.bestInto(book, false)
    tally(this.bboAll.tradeImpact, bt, bid, bidLots, impact.bestTick, impact.bestLots)
  }

  result(): ReplayCaptureResult['bbo'] {
    return { ...this.bbo, mismatches: this.mismatches }
  }
}

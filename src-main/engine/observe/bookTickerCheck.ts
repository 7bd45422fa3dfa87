// The capture replay's check against Binance's own best bid/ask: each bookTicker is compared with
// the book as it stood right after the diff with the same update id (`u`). A bookTicker may arrive
// before its diff (it waits) or after (the book states of the last RING diffs are kept), so the
// comparison is exact, not "the book at arrival". Every bookTicker is also compared with the book
// as it stands at arrival, with and without the trade impact model (the looser `bboAll` view).
import type { ReplayCaptureResult } from '../../../src-shared/replay'
import type { OrderBook } from '../book/orderBook'
import type { TradeImpactModel } from '../book/tradeImpact'
import { toLots, type PriceGrid } from '../../../src-shared/units'
import type { BookTickerMsg } from '../source/captureMessages'

const RING = 64
const KEEP_MISMATCHES = 20

type Mismatch = ReplayCaptureResult['bbo']['mismatches'][number]
interface Tally {
  priceMatched: number
  matched: number
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
  private readonly pending = new Map<number, { bt: BookTickerMsg; file: string; line: number }>()

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
    if (this.pending.size === 0) return
    for (const [bu, w] of this.pending) {
      if (bu === u) {
        this.bbo.arrivedBeforeDiff++
        this.compare(w.bt, r.subarray(slot * 4, slot * 4 + 4), w.file, w.line, frame)
      }
      if (bu <= u) this.pending.delete(bu)
    }
  }

  /** Book states from before a snapshot or a gap must not answer a later bookTicker. */
  forget(): void {
    this.ringU.fill(-1)
    this.pending.clear()
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
    this.compareAll(bt, book, impact)
    if (bt.u > lastU) {
      this.pending.set(bt.u, { bt, file, line })
      return
    }
    for (let i = 0; i < RING; i++) {
      if (this.ringU[i] === bt.u) {
        this.bbo.arrivedAfterDiff++
        const r = this.ringBbo.subarray(i * 4, i * 4 + 4)
        this.compare(bt, r, file, line, this.ringFrame[i] ?? -1)
        return
      }
    }
  }

  private compare(
    bt: BookTickerMsg,
    state: ArrayLike<number>,
    file: string,
    line: number,
    frame: number
  ): void {
    const { grid, bbo } = this
    const bid = grid.toTicks(bt.bid)
    const ask = grid.toTicks(bt.ask)
    const bidQty = toLots(bt.bidQty)
    const askQty = toLots(bt.askQty)
    const ok = state[0] === bid && state[1] === bidQty && state[2] === ask && state[3] === askQty
    bbo.compared++
    if (ok) bbo.matched++
    else if (this.mismatches.length < KEEP_MISMATCHES) {
      const book = `${grid.toDecimal(state[0] ?? NaN)}x${(state[1] ?? 0) / 1e8} / ${grid.toDecimal(state[2] ?? NaN)}x${(state[3] ?? 0) / 1e8}`
      this.mismatches.push({
        u: bt.u,
        file,
        line,
        detail: `bookTicker ${bt.bid}x${bt.bidQty} / ${bt.ask}x${bt.askQty}, book ${book}`
      })
    }
    this.onCompared?.(frame, ok)
  }

  /** Any bookTicker against the book as it stands, with and without the trade impact model. */
  private compareAll(bt: BookTickerMsg, book: OrderBook, impact: TradeImpactModel): void {
    const { grid } = this
    const bid = grid.toTicks(bt.bid)
    const ask = grid.toTicks(bt.ask)
    const bidQty = toLots(bt.bidQty)
    const askQty = toLots(bt.askQty)
    this.bboAll.compared++
    const tally = (
      into: Tally,
      b: readonly [number, number],
      a: readonly [number, number]
    ): void => {
      if (b[0] === bid && a[0] === ask) {
        into.priceMatched++
        if (b[1] === bidQty && a[1] === askQty) into.matched++
      }
    }
    tally(
      this.bboAll.plain,
      [book.bids.bestTick(), book.bids.bestQty()],
      [book.asks.bestTick(), book.asks.bestQty()]
    )
    tally(this.bboAll.tradeImpact, impact.best(book, true), impact.best(book, false))
  }

  result(): ReplayCaptureResult['bbo'] {
    return { ...this.bbo, mismatches: this.mismatches }
  }
}

// What a book built from deltas alone knows (the `progressive` seed, docs/book-semantics.md).
// A Crypto Lake day file starts mid-stream; without a `book` row or a snapshot burst the replay can
// still build the book from the diffs, because each diff row carries a level's absolute size. A
// level no diff has touched since the start may hold resting orders nobody has seen, so a price
// is known only once a row has set it (on either side: Binance's own book is never crossed, so a
// price touched as an ask holds no hidden bid). The top 20 is fully known when every price from
// the 20th bid to the 20th ask has been touched; from then on the book is as good as a 20-level
// snapshot taken at that moment, and the ordinary known-depth bounds (knownBidFloor/AskCeiling)
// take over, so this tracker and its set of touched prices are dropped.
import type { OrderBook } from './orderBook'

/** Receive time between two checks of the top: a check walks up to a few thousand prices. */
const CHECK_EVERY_US = 100_000

export interface ProgressiveState {
  readonly startedUs: number
  readonly touched: readonly number[]
  readonly lastCheckUs: number
  readonly lastUnknown: boolean
}

export class ProgressiveDepth {
  // A Set allocates as it grows; that is only while a progressive book is still partly unknown,
  // never on the ordinary seeded path.
  private readonly touched = new Set<number>()
  private lastCheckUs = -Infinity
  private lastUnknown = true

  constructor(readonly startedUs: number) {}

  touch(tick: number): void {
    this.touched.add(tick)
  }

  /**
   * True while the top n of either side may hide untouched prices. Re-checked at most every
   * CHECK_EVERY_US of receive time (the answer in between is the last one); when it first comes
   * out false the caller ends the progressive phase.
   */
  unknownInTop(book: OrderBook, n: number, recvUs: number): boolean {
    if (recvUs - this.lastCheckUs < CHECK_EVERY_US) return this.lastUnknown
    this.lastCheckUs = recvUs
    this.lastUnknown = this.hasUntouched(book, n)
    return this.lastUnknown
  }

  private hasUntouched(book: OrderBook, n: number): boolean {
    const low = book.bids.nthTick(n)
    const high = book.asks.nthTick(n)
    if (low !== low || high !== high) return true
    // Untouched prices are likeliest deep in the book: walk in from both ends, stop at the first.
    for (let lo = low, hi = high; lo <= hi; lo++, hi--) {
      if (!this.touched.has(lo) || !this.touched.has(hi)) return true
    }
    return false
  }

  /** Prices from the n-th bid to the n-th ask never touched (for the summary; walks them all). */
  untouchedInTop(book: OrderBook, n: number): { untouched: number; span: number } {
    const low = book.bids.nthTick(n)
    const high = book.asks.nthTick(n)
    if (low !== low || high !== high) return { untouched: NaN, span: NaN }
    let untouched = 0
    for (let t = low; t <= high; t++) if (!this.touched.has(t)) untouched++
    return { untouched, span: high - low + 1 }
  }

  snapshot(): ProgressiveState {
    return {
      startedUs: this.startedUs,
      touched: [...this.touched],
      lastCheckUs: this.lastCheckUs,
      lastUnknown: this.lastUnknown
    }
  }

  static restore(s: ProgressiveState): ProgressiveDepth {
    const p = new ProgressiveDepth(s.startedUs)
    for (const t of s.touched) p.touched.add(t)
    p.lastCheckUs = s.lastCheckUs
    p.lastUnknown = s.lastUnknown
    return p
  }
}

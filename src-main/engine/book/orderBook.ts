// The reconstructed L2 book: two SideBooks plus the counters every replay reports. Semantics are
// fixed in docs/book-semantics.md; tests in test/engine/book/ refer to it.
import { SideBook, type SideBookState } from './sideBook'

export const TOP_N = 20

/** REST depth limits (Binance spot and futures): a snapshot side with exactly this many levels was cut there. */
const SNAPSHOT_LIMITS = new Set([5, 10, 20, 50, 100, 500, 1000, 5000])

export function cutAtLimit(levelsOnSide: number): boolean {
  return SNAPSHOT_LIMITS.has(levelsOnSide)
}

export type CrossState = 'normal' | 'locked' | 'crossed' | 'one-sided'

/** Everything an OrderBook holds apart from its read scratch, for checkpoints. */
export interface OrderBookState {
  readonly bids: SideBookState
  readonly asks: SideBookState
  readonly unknownDeletes: number
  readonly knownBidFloor: number
  readonly knownAskCeiling: number
}

export class OrderBook {
  readonly bids: SideBook
  readonly asks: SideBook
  /** Deletes (size 0) of a level the book did not hold: normal for Binance, but counted. */
  unknownDeletes = 0
  /**
   * The deepest prices known to be complete: a snapshot that was cut at its level limit says
   * nothing beyond its last level. -Infinity / +Infinity when the snapshot held the whole side.
   */
  knownBidFloor = -Infinity
  knownAskCeiling = Infinity

  // Scratch arrays for top-of-book reads; reused so reading allocates nothing.
  readonly topBidTicks = new Float64Array(TOP_N)
  readonly topBidLots = new Float64Array(TOP_N)
  readonly topAskTicks = new Float64Array(TOP_N)
  readonly topAskLots = new Float64Array(TOP_N)
  topBidCount = 0
  topAskCount = 0

  constructor(windowTicks = 1 << 16) {
    this.bids = new SideBook(true, windowTicks)
    this.asks = new SideBook(false, windowTicks)
  }

  /** Applies one level: size in lots, 0 deletes. */
  set(isBid: boolean, tick: number, lots: number): void {
    const prev = (isBid ? this.bids : this.asks).set(tick, lots)
    if (lots === 0 && prev === 0) this.unknownDeletes++
  }

  snapshot(): OrderBookState {
    return {
      bids: this.bids.snapshot(),
      asks: this.asks.snapshot(),
      unknownDeletes: this.unknownDeletes,
      knownBidFloor: this.knownBidFloor,
      knownAskCeiling: this.knownAskCeiling
    }
  }

  restore(s: OrderBookState): void {
    this.bids.restore(s.bids)
    this.asks.restore(s.asks)
    this.unknownDeletes = s.unknownDeletes
    this.knownBidFloor = s.knownBidFloor
    this.knownAskCeiling = s.knownAskCeiling
  }

  clear(): void {
    this.bids.clear()
    this.asks.clear()
    this.knownBidFloor = -Infinity
    this.knownAskCeiling = Infinity
  }

  bestBid(): number {
    return this.bids.bestTick()
  }

  bestAsk(): number {
    return this.asks.bestTick()
  }

  crossState(): CrossState {
    const b = this.bids.bestTick()
    const a = this.asks.bestTick()
    if (Number.isNaN(b) || Number.isNaN(a)) return 'one-sided'
    if (b > a) return 'crossed'
    if (b === a) return 'locked'
    return 'normal'
  }

  /** Refreshes the top-N scratch arrays from the book. */
  readTop(n = TOP_N): void {
    this.topBidCount = this.bids.top(n, this.topBidTicks, this.topBidLots)
    this.topAskCount = this.asks.top(n, this.topAskTicks, this.topAskLots)
  }

  /**
   * True when the top-N view may be missing levels that no message ever described: it reaches
   * past what the last snapshot covered, or a side has fewer than N levels and the snapshot did
   * not hold the whole side. The one unknown-depth predicate (it reads only the n-th price of a
   * side whose depth is not fully known, so it needs no readTop).
   */
  reachesUnknownDepth(n = TOP_N): boolean {
    if (this.knownBidFloor !== -Infinity) {
      const t = this.bids.nthTick(n)
      if (Number.isNaN(t) || t < this.knownBidFloor) return true
    }
    if (this.knownAskCeiling !== Infinity) {
      const t = this.asks.nthTick(n)
      if (Number.isNaN(t) || t > this.knownAskCeiling) return true
    }
    return false
  }
}

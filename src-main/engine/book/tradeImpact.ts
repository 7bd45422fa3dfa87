// Trade impact model: trades often arrive before the depth diff that removes the liquidity they
// took (on the real spot capture ~46% of trades print inside the diff-replayed best bid/ask). The
// model provisionally consumes displayed liquidity when a trade prints and forgets it once a diff
// published after the trade arrives (that diff carries the exchange's own sizes). It never changes
// the book itself; it gives an "effective" best bid/ask over it.
import type { OrderBook } from './orderBook'
import type { SideBook } from './sideBook'

/** Trades that consumed one level, each with its exchange time, so a diff forgets exactly those it reflects. */
interface Consumption {
  lots: number
  readonly trades: { lots: number; ms: number }[]
}

class SideImpact {
  readonly consumed = new Map<number, Consumption>()
  /** Levels strictly better than this tick are taken as swept (a trade printed beyond them). */
  sweptBeyond = NaN
  sweptMs = 0

  add(tick: number, lots: number, ms: number): void {
    const c = this.consumed.get(tick)
    if (c) {
      c.lots += lots
      c.trades.push({ lots, ms })
    } else this.consumed.set(tick, { lots, trades: [{ lots, ms }] })
  }

  clearUpTo(ms: number): void {
    for (const [t, c] of this.consumed) {
      while (c.trades.length > 0 && (c.trades[0]?.ms ?? Infinity) <= ms)
        c.lots -= c.trades.shift()?.lots ?? 0
      if (c.trades.length === 0) this.consumed.delete(t)
    }
    if (this.sweptMs <= ms) this.sweptBeyond = NaN
  }
}

export class TradeImpactModel {
  private readonly bid = new SideImpact()
  private readonly ask = new SideImpact()
  private readonly scratchTicks = new Float64Array(64)
  private readonly scratchLots = new Float64Array(64)

  /** A trade at `tick` for `lots`; `takerBuy` means it took asks. */
  trade(tick: number, lots: number, takerBuy: boolean, timeMs: number): void {
    const s = takerBuy ? this.ask : this.bid
    s.add(tick, lots, timeMs)
    // Price-time priority: a buy at `tick` means no ask below it was left (and vice versa).
    s.sweptBeyond = tick
    s.sweptMs = timeMs
  }

  /** A diff with event time `timeMs` was applied: it already reflects trades up to that time. */
  diffApplied(timeMs: number): void {
    this.bid.clearUpTo(timeMs)
    this.ask.clearUpTo(timeMs)
  }

  reset(): void {
    this.bid.consumed.clear()
    this.ask.consumed.clear()
    this.bid.sweptBeyond = NaN
    this.ask.sweptBeyond = NaN
  }

  /** The last bestInto()'s answer. */
  bestTick = NaN
  bestLots = 0

  /** Effective best [tick, lots] of one side, or [NaN, 0]. */
  best(book: OrderBook, isBid: boolean): [number, number] {
    this.bestInto(book, isBid)
    return [this.bestTick, this.bestLots]
  }

  /**
   * best() into bestTick / bestLots: the capture replay asks for both sides of every bookTicker,
   * and two arrays per bookTicker were part of its garbage.
   */
  bestInto(book: OrderBook, isBid: boolean): void {
    this.effectiveBest(isBid ? book.bids : book.asks, isBid ? this.bid : this.ask, isBid)
  }

  private effectiveBest(side: SideBook, impact: SideImpact, isBid: boolean): void {
    if (impact.consumed.size === 0 && Number.isNaN(impact.sweptBeyond)) {
      this.bestTick = side.bestTick()
      this.bestLots = side.bestQty()
      return
    }
    // The first few levels almost always answer; reading all 64 for every bookTicker was most of
    // this model's time in a profile of the capture replay. Same levels, same answer.
    let from = 0
    for (let pass = 0; pass < 2; pass++) {
      const want = pass === 0 ? 4 : this.scratchTicks.length
      const n = side.top(want, this.scratchTicks, this.scratchLots)
      for (let i = from; i < n; i++) {
        const t = this.scratchTicks[i] ?? NaN
        const swept = isBid ? t > impact.sweptBeyond : t < impact.sweptBeyond
        if (swept) continue
        const left = (this.scratchLots[i] ?? 0) - (impact.consumed.get(t)?.lots ?? 0)
        if (left > 0) {
          this.bestTick = t
          this.bestLots = left
          return
        }
      }
      if (n < want) break
      from = n
    }
    // Everything displayed near the touch was consumed: fall back to the book.
    this.bestTick = side.bestTick()
    this.bestLots = side.bestQty()
  }
}

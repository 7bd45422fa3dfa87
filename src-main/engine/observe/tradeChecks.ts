// The capture replay's trades: a doubled or replayed trade id is skipped (counting it again would
// double the volume), holes in the id sequence are counted, prices off the tick grid and sizes
// that are not whole lots are refused by line, and a synced book is asked whether each trade
// printed inside the spread or on a level it displayed.
import type { OrderBook } from '../book/orderBook'
import { toLots, type PriceGrid } from '../../../src-shared/units'
import type { Where } from '../source/captureMessages'
import type { TradeMsg } from '../source/captureMessages'
import type { IssueLog } from '../../util/issueLog'

export class TradeChecks {
  idGaps = 0
  insideBook = 0
  onDisplayedLevel = 0
  /** The accepted trade's price (ticks) and size (lots), valid after units() returned true. */
  ticks = NaN
  lots = NaN
  private lastId = -1

  constructor(
    private readonly grid: PriceGrid,
    private readonly tick: string,
    private readonly issues: IssueLog
  ) {}

  /** False for a trade id not after the last one (skipped, counted as an issue). */
  take(m: TradeMsg, at: Where): boolean {
    return this.takeId(m.id, at)
  }

  /** take() from the id alone (the capture scanner builds no TradeMsg). */
  takeId(id: number, at: Where): boolean {
    if (id <= this.lastId) {
      this.issues.add(
        'duplicate-trade',
        at.file,
        at.line,
        `trade id ${id} after ${this.lastId}; skipped`
      )
      return false
    }
    if (this.lastId >= 0 && id !== this.lastId + 1) this.idGaps++
    this.lastId = id
    return true
  }

  /** Converts price and size exactly; false (with the issue counted) when either is refused. */
  units(m: TradeMsg, at: Where): boolean {
    this.ticks = this.grid.toTicks(m.price)
    this.lots = toLots(m.qty)
    if (!Number.isNaN(this.ticks) && !Number.isNaN(this.lots)) return true
    if (Number.isNaN(this.ticks))
      this.issues.add(
        'off-tick-price',
        at.file,
        at.line,
        `trade price ${m.price} is not a positive price on the ${this.tick} grid`
      )
    else
      this.issues.add(
        'bad-number',
        at.file,
        at.line,
        `trade quantity ${m.qty} is not a whole number of 1e-8 lots`
      )
    return false
  }

  /** Where the trade printed against a synced book (before the trade impact model sees it). */
  against(book: OrderBook, buyerMaker: boolean): void {
    const t = this.ticks
    const opposite = buyerMaker ? book.bids.bestTick() : book.asks.bestTick()
    if (buyerMaker ? t > opposite : t < opposite) this.insideBook++
    if ((buyerMaker ? book.bids : book.asks).get(t) > 0) this.onDisplayedLevel++
  }
}

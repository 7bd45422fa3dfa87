// Book features at a grid point, computed from the top-20 read of the book (OrderBook.readTop)
// in integer ticks and lots: mid, spread, microprice, depth imbalance over the top 1/5/20 levels,
// and the per-event L1 order-flow imbalance of Cont, Kukanov and Stoikov (2014), "The price impact
// of order book events", summed over the grid interval. Definitions: docs/dataset-schema.md.
import type { OrderBook } from '../engine/book/orderBook'

/**
 * (Σ bid lots − Σ ask lots) / (Σ bid lots + Σ ask lots) over the best `k` levels of each side
 * (call book.readTop(20) first); NaN when both sides are empty.
 */
export function depthImbalance(book: OrderBook, k: number): number {
  let b = 0
  let a = 0
  const nb = Math.min(k, book.topBidCount)
  const na = Math.min(k, book.topAskCount)
  for (let i = 0; i < nb; i++) b += book.topBidLots[i] ?? 0
  for (let i = 0; i < na; i++) a += book.topAskLots[i] ?? 0
  const s = b + a
  return s > 0 ? (b - a) / s : NaN
}

/**
 * One event's L1 order-flow imbalance, in lots: the change of the best bid queue counted
 * positive and of the best ask queue negative, where a better price counts the whole new queue
 * and a worse one the whole old queue (Cont et al. 2014, eq. 2). All arguments are ticks/lots.
 */
export function ofiStep(
  pb: number,
  pbq: number,
  pa: number,
  paq: number,
  b: number,
  bq: number,
  a: number,
  aq: number
): number {
  return (b >= pb ? bq : 0) - (b <= pb ? pbq : 0) - (a <= pa ? aq : 0) + (a >= pa ? paq : 0)
}

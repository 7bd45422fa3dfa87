// Binance's decimal-string levels into the book: one diff's levels, or a REST snapshot (what it
// clears, and how far it makes the book known). Used by the capture replay and the live capture,
// which once had a copy each (the live one dropped bad levels silently and ignored the range
// policy). A level that is not a positive price on the tick, or not a size, is never applied and
// always reported through `bad`.
import type { OrderBook } from './orderBook'
import { cutAtLimit } from './orderBook'
import { toLots, type PriceGrid } from '../../../src-shared/units'

/** `[price, quantity]` as Binance sends them. */
export type DecimalLevels = readonly (readonly [string, string])[]

/** Why a level was not applied: its price (off the tick, not positive, not a number) or its size. */
export type BadLevel = (price: string, qty: string, why: 'price' | 'size') => void

export function applyLevels(
  book: OrderBook,
  grid: PriceGrid,
  isBid: boolean,
  levels: DecimalLevels,
  bad: BadLevel
): void {
  for (const [px, qty] of levels) {
    const t = grid.toTicks(px)
    if (Number.isNaN(t)) {
      bad(px, qty, 'price')
      continue
    }
    const l = toLots(qty)
    if (Number.isNaN(l)) {
      bad(px, qty, 'size')
      continue
    }
    book.set(isBid, t, l)
  }
}

/**
 * One side of a diff the capture scanner already converted (every price on the tick, every size
 * in lots): the columnar twin of applyLevels, with nothing to refuse.
 */
export function applyTickLevels(
  book: OrderBook,
  isBid: boolean,
  ticks: Float64Array,
  lots: Float64Array,
  n: number
): void {
  // OrderBook.set per level, with the side chosen once.
  const side = isBid ? book.bids : book.asks
  let unknown = 0
  for (let k = 0; k < n; k++) {
    const l = lots[k] ?? NaN
    if (side.set(ticks[k] ?? NaN, l) === 0 && l === 0) unknown++
  }
  book.unknownDeletes += unknown
}

/** Lowest and highest tick of a side's valid prices (Infinity, -Infinity when none). */
function tickRange(grid: PriceGrid, levels: DecimalLevels): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const [px] of levels) {
    const t = grid.toTicks(px)
    if (t < lo) lo = t
    if (t > hi) hi = t
  }
  return [lo, hi]
}

/**
 * A REST snapshot: `full` clears the book first; `range` clears only the price range each side
 * covers (levels beyond it are kept). A side cut at a REST limit says nothing beyond its deepest
 * level, so the book's known depth ends there.
 */
export function applySnapshot(
  book: OrderBook,
  grid: PriceGrid,
  s: { readonly bids: DecimalLevels; readonly asks: DecimalLevels },
  clear: 'full' | 'range',
  bad: BadLevel
): void {
  const [bidLo, bidHi] = tickRange(grid, s.bids)
  const [askLo, askHi] = tickRange(grid, s.asks)
  if (clear === 'full') book.clear()
  else {
    if (bidLo <= bidHi) book.bids.clearRange(bidLo, bidHi)
    if (askLo <= askHi) book.asks.clearRange(askLo, askHi)
  }
  applyLevels(book, grid, true, s.bids, bad)
  applyLevels(book, grid, false, s.asks, bad)
  book.knownBidFloor = cutAtLimit(s.bids.length) ? bidLo : -Infinity
  book.knownAskCeiling = cutAtLimit(s.asks.length) ? askHi : Infinity
}

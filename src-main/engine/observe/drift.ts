// Drift of the reconstructed book against a reference top-20 snapshot (a Crypto Lake `book` row):
// compared only where both are complete and the reconstruction's depth is known. Allocation-free.
import type { OrderBook } from '../book/orderBook'

export interface DriftSample {
  /** Levels (both sides) inside the compared region, in either list. */
  levels: number
  /** Prices present in one list but not the other. */
  priceMismatches: number
  /** Prices in both with different sizes. */
  sizeMismatches: number
  /** Σ |size difference| over the compared prices, in lots. */
  sizeL1: number
  /** |A ∩ B| / |A ∪ B| of the compared price sets (1 when both are empty). */
  jaccard: number
  bestBidErr: number
  bestAskErr: number
  /** Reconstructed mid − reference mid, in ticks. */
  midErr: number
  /** The reference reaches past the depth the reconstruction knows; that part was not compared. */
  unknownDepth: boolean
}

export function emptyDrift(): DriftSample {
  return {
    levels: 0,
    priceMismatches: 0,
    sizeMismatches: 0,
    sizeL1: 0,
    jaccard: 1,
    bestBidErr: 0,
    bestAskErr: 0,
    midErr: 0,
    unknownDepth: false
  }
}

/**
 * Compares the book's top-N (call book.readTop first) with reference levels taken from
 * `refTicks/refLots` at `offset` (NaN-padded, best first). Writes into `out`.
 */
/** Better price for the side: higher for bids, lower for asks. (A function, not a closure per call.) */
function better(isBid: boolean, a: number, b: number): boolean {
  return isBid ? a > b : a < b
}

export function compareSide(
  isBid: boolean,
  recTicks: Float64Array,
  recLots: Float64Array,
  recCount: number,
  refTicks: Float64Array,
  refLots: Float64Array,
  offset: number,
  width: number,
  known: number,
  acc: {
    inter: number
    union: number
    priceMis: number
    sizeMis: number
    l1: number
    unknown: boolean
  }
): void {
  let refCount = 0
  while (refCount < width && !Number.isNaN(refTicks[offset + refCount] ?? NaN)) refCount++
  // Both lists are complete down to the shallower of their deepest levels (a list shorter than
  // `width` is complete to the end of its side), and never past the known depth.
  const recDeep =
    recCount === width ? (recTicks[recCount - 1] ?? NaN) : isBid ? -Infinity : Infinity
  const refDeep =
    refCount === width ? (refTicks[offset + refCount - 1] ?? NaN) : isBid ? -Infinity : Infinity
  let cutoff = better(isBid, recDeep, refDeep) ? recDeep : refDeep
  if (better(isBid, known, cutoff)) {
    cutoff = known
    acc.unknown = true
  }
  let i = 0
  let j = 0
  for (;;) {
    const a = i < recCount ? (recTicks[i] ?? NaN) : NaN
    const b = j < refCount ? (refTicks[offset + j] ?? NaN) : NaN
    const aIn = !Number.isNaN(a) && !better(isBid, cutoff, a)
    const bIn = !Number.isNaN(b) && !better(isBid, cutoff, b)
    if (!aIn && !bIn) break
    if (aIn && bIn && a === b) {
      const d = Math.abs((recLots[i] ?? 0) - (refLots[offset + j] ?? 0))
      acc.inter++
      acc.union++
      if (d !== 0) acc.sizeMis++
      acc.l1 += d
      i++
      j++
    } else if (aIn && (!bIn || better(isBid, a, b))) {
      acc.union++
      acc.priceMis++
      acc.l1 += recLots[i] ?? 0
      i++
    } else {
      acc.union++
      acc.priceMis++
      acc.l1 += refLots[offset + j] ?? 0
      j++
    }
  }
}

const acc = { inter: 0, union: 0, priceMis: 0, sizeMis: 0, l1: 0, unknown: false }

export function compareToReference(
  book: OrderBook,
  bidTicks: Float64Array,
  bidLots: Float64Array,
  askTicks: Float64Array,
  askLots: Float64Array,
  offset: number,
  width: number,
  out: DriftSample
): DriftSample {
  acc.inter = 0
  acc.union = 0
  acc.priceMis = 0
  acc.sizeMis = 0
  acc.l1 = 0
  acc.unknown = false
  compareSide(
    true,
    book.topBidTicks,
    book.topBidLots,
    book.topBidCount,
    bidTicks,
    bidLots,
    offset,
    width,
    book.knownBidFloor,
    acc
  )
  compareSide(
    false,
    book.topAskTicks,
    book.topAskLots,
    book.topAskCount,
    askTicks,
    askLots,
    offset,
    width,
    book.knownAskCeiling,
    acc
  )
  out.levels = acc.union
  out.priceMismatches = acc.priceMis
  out.sizeMismatches = acc.sizeMis
  out.sizeL1 = acc.l1
  out.jaccard = acc.union === 0 ? 1 : acc.inter / acc.union
  const rb = book.topBidCount > 0 ? (book.topBidTicks[0] ?? NaN) : NaN
  const ra = book.topAskCount > 0 ? (book.topAskTicks[0] ?? NaN) : NaN
  const fb = bidTicks[offset] ?? NaN
  const fa = askTicks[offset] ?? NaN
  out.bestBidErr = rb - fb
  out.bestAskErr = ra - fa
  out.midErr = (rb + ra - fb - fa) / 2
  out.unknownDepth = acc.unknown
  return out
}

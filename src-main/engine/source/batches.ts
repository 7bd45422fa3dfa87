// Normalized, columnar event batches: what every source (Crypto Lake Parquet, converted captures)
// produces and the unified replay consumes. Prices are integer ticks and sizes integer lots
// (converted once, exactly, at the source); times are integer µs in Float64. No object per event.

/** Where a batch's rows came from, for provenance (file and row) in every report. */
export interface BatchSource {
  readonly file: string
  /** File row of the batch's first row (0-based). */
  readonly firstRow: number
  /** The partition day (YYYY-MM-DD) the file belongs to. */
  readonly day: string
  /**
   * Rows refused for their times (dayWindow.ts REFUSED codes; their prices are NaN and their
   * receive time is the previous kept row's). Absent when every row of the batch is kept.
   */
  readonly refused?: Uint8Array
}

/** `book_delta_v2` rows: one per price level; rows of one message share recv time and sequence. */
export interface DeltaBatch extends BatchSource {
  readonly kind: 'delta'
  readonly length: number
  readonly recvUs: Float64Array
  /** Exchange (origin) time; 0 when the exchange gave none (spot REST snapshots). */
  readonly exchUs: Float64Array
  readonly seq: Float64Array
  readonly isBid: Uint8Array
  readonly ticks: Float64Array
  readonly lots: Float64Array
}

export interface TradeBatch extends BatchSource {
  readonly kind: 'trade'
  readonly length: number
  readonly recvUs: Float64Array
  readonly exchUs: Float64Array
  readonly id: Float64Array
  readonly ticks: Float64Array
  readonly lots: Float64Array
  /** 1 when the taker bought. */
  readonly buy: Uint8Array
}

/** `book` rows: 20 levels per side, level 0 best; NaN where a level is missing. */
export interface BookBatch extends BatchSource {
  readonly kind: 'book'
  readonly length: number
  readonly recvUs: Float64Array
  readonly exchUs: Float64Array
  readonly seq: Float64Array
  /** length × 20, row-major. */
  readonly bidTicks: Float64Array
  readonly bidLots: Float64Array
  readonly askTicks: Float64Array
  readonly askLots: Float64Array
}

export type EventBatch = DeltaBatch | TradeBatch | BookBatch

/** Ties at equal receive time: deltas first, then trades, then book rows (observations of state). */
export const KIND_PRIORITY = { delta: 0, trade: 1, book: 2 } as const

export { BOOK_LEVELS } from '../../../src-shared/lake'

/** The three streams of a Lake replay, each in file and row order. */
export interface LakeSources {
  readonly deltas: AsyncIterable<DeltaBatch>
  readonly trades: AsyncIterable<TradeBatch>
  readonly books: AsyncIterable<BookBatch>
}

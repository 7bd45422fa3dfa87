// The three Crypto Lake tables exactly as the vendor's capture writer produces them (raw column
// names, order and Arrow types; research notes crypto-lake-formats.md §2.1, §2.3, §2.4), the names
// the vendor client `lakeapi` gives the same columns, and the one internal naming our batches use.
// Files on disk carry raw names; readers also accept lakeapi names because users re-save data they
// loaded with lakeapi. Internal names are the lakeapi ones, except `side`, which we deliver as a
// 0/1 column and therefore call `side_is_buy` so that a number is never mistaken for a string.
import { createHash } from 'node:crypto'

export type LakeTable = 'book_delta_v2' | 'trades' | 'book'
export const LAKE_TABLES: readonly LakeTable[] = ['book_delta_v2', 'trades', 'book']

/**
 * How a column is stored and delivered:
 * - `time`: int64 ns on disk → integer µs in Float64 in batches (floor, see int64.ts);
 * - `int`: int64 on disk → Float64 in batches (exact; refused at or above 2^53);
 * - `float`: float64 both ways; `bool`: bool on disk → Uint8Array 0/1;
 * - `side`: string 'buy'/'sell' on disk → Uint8Array, 1 = buy.
 */
export type ColumnKind = 'time' | 'int' | 'float' | 'bool' | 'side'

/** The pyarrow type name of each kind: the vendor writer's types, used by the fingerprint. */
export const ARROW_TYPE: Readonly<Record<ColumnKind, string>> = {
  time: 'int64',
  int: 'int64',
  float: 'double',
  bool: 'bool',
  side: 'string'
}

export interface LakeColumn {
  /** Name in the vendor's Parquet files. */
  readonly raw: string
  /** Name after lakeapi's rename (same as raw for most columns). */
  readonly lakeapi: string
  /** Name in our batches. */
  readonly name: string
  readonly kind: ColumnKind
}

export interface LakeTableSchema {
  readonly table: LakeTable
  readonly columns: readonly LakeColumn[]
}

const col = (raw: string, kind: ColumnKind, lakeapi = raw, name = lakeapi): LakeColumn => ({
  raw,
  lakeapi,
  name,
  kind
})

const ORIGIN = col('timestamp', 'time', 'origin_time')
const RECEIVED = col('receipt_timestamp', 'time', 'received_time')

export const BOOK_LEVELS = 20
type Level = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19
export type BookLevelColumn = `${'bid' | 'ask'}_${Level}_${'price' | 'size'}`

/** `bid_0_price, bid_0_size, … bid_19_size, ask_0_price, … ask_19_size`: the vendor's order. */
export const BOOK_LEVEL_COLUMNS: readonly BookLevelColumn[] = (['bid', 'ask'] as const).flatMap(
  (side) =>
    Array.from({ length: BOOK_LEVELS }, (_, i) =>
      (['price', 'size'] as const).map((what) => `${side}_${i}_${what}` as BookLevelColumn)
    ).flat()
)

export const SCHEMAS: Readonly<Record<LakeTable, LakeTableSchema>> = {
  book_delta_v2: {
    table: 'book_delta_v2',
    columns: [
      ORIGIN,
      RECEIVED,
      col('sequence_number', 'int'),
      col('side_is_bid', 'bool'),
      col('price', 'float'),
      col('size', 'float')
    ]
  },
  trades: {
    table: 'trades',
    columns: [
      col('side', 'side', 'side', 'side_is_buy'),
      col('amount', 'float', 'quantity'),
      col('price', 'float'),
      col('id', 'int', 'trade_id'),
      ORIGIN,
      RECEIVED
    ]
  },
  book: {
    table: 'book',
    columns: [
      ORIGIN,
      RECEIVED,
      col('sequence_number', 'int'),
      ...BOOK_LEVEL_COLUMNS.map((n) => col(n, 'float'))
    ]
  }
}

/** Columns as the reader delivers them (internal names). Times are integer µs. */
export interface BookDeltaColumns {
  origin_time: Float64Array
  received_time: Float64Array
  sequence_number: Float64Array
  side_is_bid: Uint8Array
  price: Float64Array
  size: Float64Array
}
export interface TradeColumns {
  side_is_buy: Uint8Array
  quantity: Float64Array
  price: Float64Array
  trade_id: Float64Array
  origin_time: Float64Array
  received_time: Float64Array
}
export type BookColumns = {
  origin_time: Float64Array
  received_time: Float64Array
  sequence_number: Float64Array
} & Record<BookLevelColumn, Float64Array>

export interface ReadColumns {
  book_delta_v2: BookDeltaColumns
  trades: TradeColumns
  book: BookColumns
}

/**
 * An int64 column on the way in: BigInt64Array, or Float64Array holding exact integers. The
 * vendor derives its ns times from float seconds, so every real value is a double already
 * (e.g. 1664582400032999936) and a Float64Array carries it exactly.
 */
export type Int64Input = BigInt64Array | Float64Array

/** Columns as the writer takes them (raw names, ns times). */
export interface BookDeltaInput {
  timestamp: Int64Input
  receipt_timestamp: Int64Input
  sequence_number: Int64Input
  side_is_bid: Uint8Array
  price: Float64Array
  size: Float64Array
}
export interface TradeInput {
  side: readonly string[]
  amount: Float64Array
  price: Float64Array
  id: Int64Input
  timestamp: Int64Input
  receipt_timestamp: Int64Input
}
export type BookInput = {
  timestamp: Int64Input
  receipt_timestamp: Int64Input
  sequence_number: Int64Input
} & Record<BookLevelColumn, Float64Array>

export interface WriteColumns {
  book_delta_v2: BookDeltaInput
  trades: TradeInput
  book: BookInput
}

/**
 * Schema fingerprint as the third-party user [JB] computes it: sha256 over the sorted
 * "name:type" strings (pyarrow type names) joined by newlines, first 16 hex chars. With raw names
 * this reproduces their measured values for real files (VENDOR_FINGERPRINTS), which is how we know
 * the join character and type spelling.
 */
export function schemaFingerprint(fields: readonly { name: string; type: string }[]): string {
  const lines = fields.map((f) => `${f.name}:${f.type}`).sort()
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)
}

export function tableFingerprint(table: LakeTable): string {
  return schemaFingerprint(
    SCHEMAS[table].columns.map((c) => ({ name: c.raw, type: ARROW_TYPE[c.kind] }))
  )
}

/** Fingerprints [JB] measured on real Binance spot and perp files (research notes §2). */
export const VENDOR_FINGERPRINTS: Readonly<Record<LakeTable, string>> = {
  book_delta_v2: '47432842635f059c',
  trades: '8fa9fa0d892aecfb',
  book: '0dd0b2fa771c757d'
}

export function isLakeTable(s: string): s is LakeTable {
  return (LAKE_TABLES as readonly string[]).includes(s)
}

// The export's own tables: column names, types and meanings (docs/dataset-schema.md is the
// readable form; a test keeps the two in step). Every column is fixed-width and never null, so a
// row group is one buffer with a typed array per column (rowGroup.ts) and a missing value is NaN
// (floats) or a documented code. Small enumerations are int8 codes, not strings:
// dictionary-encoded string columns tripled the Parquet writer's cost per row in a measurement on
// this machine (0.78 vs 0.26 µs per 10-column row), and the writer is the export's bottleneck.
import { BOOK_LEVELS } from '../engine/source/batches'

/** Arrow/Parquet physical types used: int8, int32, int64, timestamp[us, UTC] (int64), float64. */
export type ColumnType = 'i8' | 'i32' | 'i64' | 'ts' | 'f64'

export const TYPE_BYTES: Readonly<Record<ColumnType, number>> = {
  i8: 1,
  i32: 4,
  i64: 8,
  ts: 8,
  f64: 8
}

export interface ColumnSpec {
  readonly name: string
  readonly type: ColumnType
  /** Only the labels table has nullable columns (labelPass.ts hands them to the writer with their validity). */
  readonly nullable?: true
}

/** Tables written by the replay pass (through row-group buffers and the writer stage). */
export type ExportTable = 'events' | 'book' | 'book_events' | 'features'
export const EXPORT_TABLES: readonly ExportTable[] = ['events', 'book', 'book_events', 'features']
/** Every table folder of a dataset: the replay's tables and `labels` (a second pass, labels.ts). */
export type DatasetTable = ExportTable | 'labels'
export const DATASET_TABLES: readonly DatasetTable[] = [...EXPORT_TABLES, 'labels']
/** The split manifest beside certificate.json (split.ts). */
export const SPLITS_FILE = 'splits.json'

export interface TableSpec {
  readonly table: DatasetTable
  readonly columns: readonly ColumnSpec[]
  /** Rows per Parquet row group (and per staging buffer). */
  readonly rowGroupRows: number
  /**
   * Columns with min/max statistics (what readers filter on: times, indices). Statistics on every
   * column cost ~15% of the writer's time per row and would not let a reader skip anything.
   */
  readonly statsColumns: readonly string[]
}

const c = (name: string, type: ColumnType): ColumnSpec => ({ name, type })

/** `kind` codes of the events table: which Crypto Lake table the row comes from. */
export const KIND = { level: 0, trade: 1, book: 2 } as const
/** `side` codes: +1 bid / taker buy, -1 ask / taker sell, 0 none (book rows). */
export const SIDE = { bidOrBuy: 1, askOrSell: -1, none: 0 } as const
/** `flags` bits of book states and features. */
export const FLAG = { unknownDepth: 1, crossed: 2, locked: 4 } as const

/** Code tables as they are documented and written into the certificate. */
export const CODES = {
  kind: { 0: 'level (book_delta_v2 row)', 1: 'trade', 2: 'book (vendor top-20 row)' },
  status: {
    0: 'applied',
    1: 'snapshot (row of a snapshot burst, applied)',
    2: 'before_seed (not applied: no book yet)',
    3: 'stale (not applied: sequence not newer than the book)',
    4: 'invalid (not applied: off-tick price or bad size)',
    5: 'observed (trades; book rows that did not seed)',
    6: 'seed (book row that seeded the book)'
  },
  side: { 1: 'bid / taker buy', [-1]: 'ask / taker sell', 0: 'none (book rows)' },
  flags: { 1: 'unknown depth', 2: 'crossed', 4: 'locked' },
  split: {
    0: 'train',
    1: 'validation',
    2: 'test',
    [-1]: 'purged (label horizon reaches into the next split)',
    [-2]: 'embargoed (just after a split boundary)'
  },
  direction: { 1: 'up (mid rose by more than the dead zone)', 0: 'flat', [-1]: 'down' }
} as const

export const EVENTS_COLUMNS: readonly ColumnSpec[] = [
  c('event_index', 'i64'),
  c('receive_time', 'ts'),
  c('exchange_time', 'ts'),
  c('kind', 'i8'),
  c('status', 'i8'),
  c('side', 'i8'),
  c('sequence', 'i64'),
  c('price', 'f64'),
  c('size', 'f64'),
  c('source_file', 'i32'),
  c('source_row', 'i64')
]

/** bid_0_price, bid_0_size … bid_19_size, ask_0_price … ask_19_size: the vendor's `book` order. */
export const LEVEL_COLUMNS: readonly ColumnSpec[] = (['bid', 'ask'] as const).flatMap((side) =>
  Array.from({ length: BOOK_LEVELS }, (_, i) => [
    c(`${side}_${i}_price`, 'f64'),
    c(`${side}_${i}_size`, 'f64')
  ]).flat()
)

export const BOOK_COLUMNS: readonly ColumnSpec[] = [
  c('time', 'ts'),
  c('receive_time', 'ts'),
  c('exchange_time', 'ts'),
  c('sequence', 'i64'),
  c('flags', 'i8'),
  ...LEVEL_COLUMNS
]

export const BOOK_EVENTS_COLUMNS: readonly ColumnSpec[] = [
  c('event_index', 'i64'),
  c('receive_time', 'ts'),
  c('exchange_time', 'ts'),
  c('sequence', 'i64'),
  c('flags', 'i8'),
  ...LEVEL_COLUMNS
]

export const FEATURES_COLUMNS: readonly ColumnSpec[] = [
  c('time', 'ts'),
  c('flags', 'i8'),
  c('mid', 'f64'),
  c('spread', 'f64'),
  c('microprice', 'f64'),
  c('imbalance_l1', 'f64'),
  c('imbalance_l5', 'f64'),
  c('imbalance_l20', 'f64'),
  c('ofi', 'f64'),
  c('buy_volume', 'f64'),
  c('sell_volume', 'f64'),
  c('trades', 'i32'),
  c('log_return', 'f64'),
  c('resets', 'i32')
]

export const TABLE_SPECS: Readonly<Record<ExportTable, TableSpec>> = {
  events: {
    table: 'events',
    columns: EVENTS_COLUMNS,
    rowGroupRows: 131_072,
    statsColumns: ['event_index', 'receive_time', 'exchange_time', 'sequence']
  },
  book: {
    table: 'book',
    columns: BOOK_COLUMNS,
    // 65,536 rows (6.6 s of 100 ms states) per group, not 16,384: the 80 price and size columns'
    // dictionaries pay for themselves over more rows. On a tiled real day the table fell from
    // 50.4 to 35.6 MB (the dataset from 10.2 to 9.6 bytes per delta row) for ~120 MB more peak
    // RSS (docs/benchmarks.md, "Parquet encodings of the dataset").
    rowGroupRows: 65_536,
    statsColumns: ['time', 'receive_time', 'sequence']
  },
  book_events: {
    table: 'book_events',
    columns: BOOK_EVENTS_COLUMNS,
    rowGroupRows: 16_384,
    statsColumns: ['event_index', 'receive_time', 'sequence']
  },
  features: {
    table: 'features',
    columns: FEATURES_COLUMNS,
    rowGroupRows: 65_536,
    statsColumns: ['time']
  }
}

/** Version of the tables above; bumped whenever a column changes. */
export const DATASET_SCHEMA_VERSION = 2

/** Index of a column by name (for writers filling rows); throws on a typo. */
export function columnIndex(spec: TableSpec, name: string): number {
  const i = spec.columns.findIndex((x) => x.name === name)
  if (i < 0) throw new Error(`${spec.table} has no column ${name}`)
  return i
}

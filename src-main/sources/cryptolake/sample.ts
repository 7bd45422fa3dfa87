// The vendor's free sample objects and what they are known to hold: bytes, multipart ETag, rows
// and sha256 as recorded in research/crypto-lake-formats.md, "Corrections from evidence on real
// files" (anonymous GETs from sample.crypto.lake, eu-west-1, path-style). `book` and `trades`
// cover 2022-10-01; `book_delta_v2` 2024-04-01, so the delta day has no `book` seed.
import type { LakeTable } from '../../lake/parquet/schemas'

export interface SampleObject {
  /** Key in the sample bucket (no prefix). */
  readonly key: string
  readonly table: LakeTable
  readonly dt: string
  readonly bytes: number
  /** Bare ETag as S3 serves it (multipart, 8 MiB parts). */
  readonly etag: string
  /** Row count from the Parquet footer. */
  readonly rows: number
  readonly sha256: string
}

export const SAMPLE_EXCHANGE = 'BINANCE'
export const SAMPLE_SYMBOL = 'BTC-USDT'

const key = (table: LakeTable, dt: string): string =>
  `${table}/exchange=${SAMPLE_EXCHANGE}/symbol=${SAMPLE_SYMBOL}/dt=${dt}/1.snappy.parquet`

export const SAMPLE_OBJECTS: readonly SampleObject[] = [
  {
    key: key('book', '2022-10-01'),
    table: 'book',
    dt: '2022-10-01',
    bytes: 267_304_100,
    etag: 'b242821da36630c33999c5f262744c3d-32',
    rows: 863_465,
    sha256: 'a41f0c3a3769a1e198dade55f05cdefaf82b955a5acccd5fc19c8d6dd97e1319'
  },
  {
    key: key('trades', '2022-10-01'),
    table: 'trades',
    dt: '2022-10-01',
    bytes: 63_447_788,
    etag: '342e4ba68b7428c83896a60f15d2a266-8',
    rows: 2_190_208,
    sha256: '7bebfd324a534681c9cc12416d7d1bb3e9bdb12a561cab36a2bc094ab024d270'
  },
  {
    key: key('book_delta_v2', '2024-04-01'),
    table: 'book_delta_v2',
    dt: '2024-04-01',
    bytes: 169_813_154,
    etag: 'b6704cb99f255ab49d114f88f8e00df4-21',
    rows: 21_513_277,
    sha256: 'fe02470320b75d03dfe241bb14b305205fa97e0dedb02df443bc707214e1fc23'
  }
]

/** The day the sample flow replays: the book_delta_v2 object's (null when the table has none). */
export function sampleReplayDay(objects: readonly SampleObject[]): string | null {
  return objects.find((o) => o.table === 'book_delta_v2')?.dt ?? null
}

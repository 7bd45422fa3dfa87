// The on-disk shape of a replay timeline (replays/<job id>/): meta.json plus named streams of
// columns, each cut into Arrow IPC chunk files (<stream>-00000.arrow, …) so a replay of a whole day
// at every message never holds more than one open chunk per stream in memory, and a reader loads
// only the chunks a view needs. Level-of-detail streams (lod-<bucket ms>) keep the first frame of
// each time bucket (flags OR-ed over the bucket) for views wider than the raw frames can serve.
import type { TimelineMarker } from '../../../src-shared/replay'
import { TOP_N } from '../book/orderBook'

export const FRAME_CROSSED = 1
export const FRAME_UNKNOWN_DEPTH = 2
export const FRAME_OUT_OF_SYNC = 4

/** Format 2: chunked streams. Format 1 (frames.arrow, trades.arrow, drift.arrow) is still read. */
export const TIMELINE_FORMAT = 2

/** Level-of-detail buckets, finest first. */
export const LOD_BUCKETS_MS = [1_000, 10_000, 60_000] as const

export interface ColumnSpec {
  readonly name: string
  /** Values per row: 1, or TOP_N for the book's levels (a fixed-size list in Arrow). */
  readonly width: number
}

const FRAME_COLUMNS: readonly ColumnSpec[] = [
  { name: 'timeMs', width: 1 },
  { name: 'updateId', width: 1 },
  { name: 'flags', width: 1 },
  { name: 'bidTicks', width: TOP_N },
  { name: 'bidLots', width: TOP_N },
  { name: 'askTicks', width: TOP_N },
  { name: 'askLots', width: TOP_N }
]

const TRADE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'timeMs', width: 1 },
  { name: 'ticks', width: 1 },
  { name: 'lots', width: 1 },
  { name: 'buy', width: 1 }
]

export const STREAMS = {
  frames: { columns: FRAME_COLUMNS, chunkRows: 16_384 },
  /** A LOD row also names the raw frame it copies. */
  lod: { columns: [...FRAME_COLUMNS, { name: 'frame', width: 1 }], chunkRows: 16_384 },
  trades: { columns: TRADE_COLUMNS, chunkRows: 65_536 },
  /** Trades summed per bucket, price and side: timeMs is the bucket's start, count the prints. */
  tradeLod: { columns: [...TRADE_COLUMNS, { name: 'count', width: 1 }], chunkRows: 65_536 },
  drift: {
    columns: [
      { name: 'timeMs', width: 1 },
      { name: 'jaccard', width: 1 },
      { name: 'sizeL1', width: 1 }
    ],
    chunkRows: 65_536
  }
} as const satisfies Record<string, { columns: readonly ColumnSpec[]; chunkRows: number }>

export function lodStream(bucketMs: number): string {
  return `lod-${bucketMs}`
}

export function tradeLodStream(bucketMs: number): string {
  return `trades-lod-${bucketMs}`
}

export interface ChunkIndex {
  readonly rows: number
  /** Time of the chunk's first and last row (ms, exchange time). */
  readonly fromMs: number
  readonly toMs: number
}

export interface StreamIndex {
  readonly rows: number
  readonly chunks: readonly ChunkIndex[]
}

export function chunkFile(stream: string, k: number): string {
  return `${stream}-${String(k).padStart(5, '0')}.arrow`
}

export interface TimelineMeta {
  readonly symbol: string
  /** Absent on timelines written before frames were stamped on exchange time (see TimelineStore). */
  readonly clock?: 'exchange'
  readonly tick: string
  readonly priceScale: number
  readonly tickStep: number
  readonly lotScale: number
  /** The replay ran with the trade impact model: the Book page draws its effective best bid/ask. */
  readonly tradeImpact?: true
  readonly framesSampled: boolean
  /** Frames closer than this to the previous one were not recorded (0: every message). */
  readonly frameIntervalMs?: number
  readonly checkpoints: { readonly frame: number[]; readonly matched: boolean[] }
  readonly markers: TimelineMarker[]
  /** Absent (format 1) or 2. */
  readonly format?: number
  /** False while the replay is still writing (or was killed before its end). */
  readonly complete?: boolean
  readonly streams?: Readonly<Record<string, StreamIndex>>
  readonly markersDropped?: number
}

/** What a replay knows about its market before the first frame (the rest the recorder adds). */
export type TimelineDescription = Omit<
  TimelineMeta,
  'checkpoints' | 'markers' | 'framesSampled' | 'format' | 'complete' | 'streams' | 'clock'
>

// Messages between the export's replay stage and its writer stage (a worker thread, or the same
// thread through a MessageChannel). Row-group buffers travel by transfer, never by copy: the
// replay fills one, transfers it, and gets it back (`free`) once the writer has handed its rows to
// parquet-wasm. The buffers in circulation are the queue between the stages — a bounded pool, so
// a slow writer stops the replay instead of growing memory, and no row is ever dropped.
import type { PartFile } from './parquetWriter'
import type { ExportTable } from './schema'

export type ToWriter =
  | {
      readonly type: 'open'
      readonly part: number
      readonly path: string
      readonly table: ExportTable
    }
  /** A full-size row-group buffer of the part's table holding `rows` rows (≤ its capacity). */
  | {
      readonly type: 'rows'
      readonly part: number
      readonly buffer: ArrayBuffer
      readonly rows: number
    }
  | { readonly type: 'close'; readonly part: number }
  /** Abandons every open part (temp files removed) and stops. */
  | { readonly type: 'abort' }

export type FromWriter =
  | { readonly type: 'free'; readonly table: ExportTable; readonly buffer: ArrayBuffer }
  | { readonly type: 'closed'; readonly part: number; readonly file: PartFile }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'aborted' }

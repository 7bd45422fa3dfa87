// Crypto Lake rows for a real Binance capture, kept in memory (Parquet-layer tests and benchmarks
// build files and tiles from them). The rows are exactly what the converter writes: both come from
// src-main/convert/captureRows.ts, the one place that decides them.
import type { BookCadence } from '../../src-shared/jobs'
import { captureLakeRows } from './captureRows'
import { IssueLog } from '../util/issueLog'
import { GrowableF64 } from '../util/growable'
import type {
  BookDeltaInput,
  BookInput,
  LakeTable,
  TradeInput,
  WriteColumns
} from '../lake/parquet/schemas'

export { vendorNsFromMs, vendorNsFromUs } from './captureRows'

export interface CaptureTable<C> {
  readonly rows: number
  readonly columns: C
  /** Per row: the exchange time E or T in ms (NaN for snapshot rows), to re-time tiled copies. */
  readonly eventMs: Float64Array
  /** Per row: the receive time in µs. */
  readonly receiveUs: Float64Array
}

export interface CaptureLakeRows {
  readonly bookDelta: CaptureTable<BookDeltaInput>
  readonly trades: CaptureTable<TradeInput>
  readonly book: CaptureTable<BookInput>
  /** Rows of the REST snapshot burst at the start of bookDelta. */
  readonly snapshotRows: number
  readonly firstSequence: number
  readonly lastSequence: number
  readonly lines: number
  readonly issues: IssueLog
}

export interface FromCaptureOptions {
  /** Stop after this many capture lines (all files together). */
  readonly maxLines?: number
  /** Which era's book cadence (default '2022-11'; src-main/convert/bookCadence.ts). */
  readonly bookCadence?: BookCadence
}

/** All chunks of one table (every day), concatenated column by column. */
class Collected {
  readonly cols = new Map<string, GrowableF64>()
  readonly sides: string[] = []
  rows = 0

  add(columns: Record<string, unknown>): void {
    let n = 0
    for (const [name, v] of Object.entries(columns)) {
      if (name === 'side') {
        this.sides.push(...(v as string[]))
        continue
      }
      const arr = v as Float64Array | Uint8Array
      let c = this.cols.get(name)
      if (!c) this.cols.set(name, (c = new GrowableF64(1 << 14)))
      for (let i = 0; i < arr.length; i++) c.push(arr[i] ?? NaN)
      n = arr.length
    }
    this.rows += n
  }

  table<C>(): CaptureTable<C> {
    const columns: Record<string, unknown> = {}
    for (const [name, c] of this.cols)
      columns[name] = name === 'side_is_bid' ? Uint8Array.from(c.toArray()) : c.toArray()
    if (this.sides.length > 0 || this.cols.has('amount')) columns['side'] = this.sides
    const ts = this.cols.get('timestamp')?.toArray() ?? new Float64Array(0)
    const rts = this.cols.get('receipt_timestamp')?.toArray() ?? new Float64Array(0)
    return {
      rows: this.rows,
      columns: columns as C,
      // Snapshot rows carry origin time 0: no event time.
      eventMs: ts.map((v) => (v === 0 ? NaN : v / 1e6)),
      receiveUs: rts.map((v) => v / 1000)
    }
  }
}

export async function lakeRowsFromCapture(
  files: readonly string[],
  opts: FromCaptureOptions = {}
): Promise<CaptureLakeRows> {
  const tables: Record<LakeTable, Collected> = {
    book_delta_v2: new Collected(),
    trades: new Collected(),
    book: new Collected()
  }
  const summary = await captureLakeRows(
    files,
    <T extends LakeTable>(table: T, _day: string, columns: WriteColumns[T]) => {
      tables[table].add(columns as unknown as Record<string, unknown>)
      return Promise.resolve()
    },
    { maxLines: opts.maxLines, bookCadence: opts.bookCadence }
  )
  const seq = tables.book_delta_v2.cols.get('sequence_number')?.toArray() ?? new Float64Array(0)
  const issues = new IssueLog()
  issues.merge(summary.replay.issueCounts, summary.replay.issues)
  return {
    bookDelta: tables.book_delta_v2.table<BookDeltaInput>(),
    trades: tables.trades.table<TradeInput>(),
    book: tables.book.table<BookInput>(),
    snapshotRows: summary.snapshotRows,
    firstSequence: seq[0] ?? NaN,
    lastSequence: seq[seq.length - 1] ?? NaN,
    lines: summary.replay.messages + issues.total,
    issues
  }
}

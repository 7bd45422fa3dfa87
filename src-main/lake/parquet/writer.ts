// Writes one Crypto Lake table to a Parquet file incrementally, in the vendor's layout: the writer
// keeps one row group of pending rows (10,000 by default), hands each full group to parquet-wasm's
// streaming writer (transformParquetStream, arrow-rs inside) and writes the bytes it emits straight
// to a temp file in the target folder, so memory stays bounded whatever the file size. close()
// checks the footer and publishes the file atomically (streamFile.ts, shared with the export's
// writer): readers see the old file or the whole new one. A failed or aborted write leaves no
// file behind.
//
// Vendor settings reproduced (pyarrow ParquetWriter in the capture writer, research notes §1.4):
// snappy; one row group per buffer (10,000 rows unless told: the converter picks the writer's
// size by message rate, convert/rowGroupSize.ts); data page v2; footer format version 2 (pyarrow's
// "2.6" writes the same number; 2.4 vs 2.6 only gates logical types these plain columns never use);
// OPTIONAL (nullable) columns as pyarrow makes them; dictionary encoding on, with plain fallback;
// data and dictionary page limits of rows·(columns+8)·8 bytes and a write batch of one row group,
// as the writer computes them; file KV metadata date, contains_gaps, symbol, event_type, exchange,
// also carried as the Arrow schema's metadata inside ARROW:schema, as pyarrow writes it (the vendor
// writer sets them on the schema): pyarrow's read_schema(f).metadata takes them from there, and
// shows nothing when ARROW:schema lacks them.
// Not reproducible: created_by names parquet-rs instead of parquet-cpp; the KV order is not fixed
// (neither is pyarrow's); statistics are per column chunk only (pyarrow also puts them in page
// headers); and arrow-rs adds an offset index after the row groups, which pyarrow does not write
// by default.
//
// Why parquet-wasm and not DuckDB (bench/parquet.bench.ts, bench-results/parquet.json, 35 M rows
// of tiled real data, two runs on a shared 2-core machine): 1.9–2.5 M rows/s at ~280 MB peak RSS
// against DuckDB's appender + COPY at 0.6–0.9 M rows/s and 4 GB, a 256 MB file against 409 MB,
// and DuckDB can neither keep 10,000-row row groups (it wrote 10,240 and 11,358) nor stream:
// COPY needs the whole table first.
import {
  Bool,
  Field,
  Float64,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  Utf8,
  makeData,
  tableToIPC,
  type Data
} from 'apache-arrow'
import {
  Compression,
  Encoding,
  EnabledStatistics,
  Table as WasmTable,
  WriterPropertiesBuilder,
  WriterVersion
} from 'parquet-wasm'
import { dayProblem } from '../../../src-shared/params'
import { InputError } from '../../util/errors'
import { float64ToInt64 } from './int64'
import { SCHEMAS, type LakeColumn, type LakeTable, type WriteColumns } from './schemas'
import { ParquetStreamFile, type WriterProperties } from './streamFile'

export const VENDOR_ROW_GROUP_SIZE = 10_000

/** File-level KV metadata the vendor's writer stores (event_type is the table name). */
export interface LakeFileMeta {
  /** Capture day, YYYY-MM-DD. */
  readonly date: string
  /** True when the capture restarted that day (written as 'Yes'/'No'). */
  readonly containsGaps: boolean
  /** e.g. 'BTC-USDT' */
  readonly symbol: string
  /** e.g. 'BINANCE' */
  readonly exchange: string
}

export interface WriterOptions {
  /** Rows per row group (default 10,000, the vendor's size for high-rate tables). */
  readonly rowGroupSize?: number
}

export interface WriteSummary {
  readonly path: string
  readonly table: LakeTable
  readonly rows: number
  readonly rowGroups: number
  readonly bytes: number
}

export function kvMetadata(table: LakeTable, meta: LakeFileMeta): Map<string, string> {
  const dateBad = dayProblem(meta.date)
  if (dateBad !== null) throw new InputError(`metadata date: ${dateBad}`)
  return new Map([
    ['date', meta.date],
    ['contains_gaps', meta.containsGaps ? 'Yes' : 'No'],
    ['symbol', meta.symbol],
    ['event_type', table],
    ['exchange', meta.exchange]
  ])
}

/** One row group of pending rows per column, in the form the Arrow arrays need. */
type Pending =
  | { readonly col: LakeColumn; readonly kind: 'i64'; readonly buf: BigInt64Array }
  | { readonly col: LakeColumn; readonly kind: 'f64'; readonly buf: Float64Array }
  | { readonly col: LakeColumn; readonly kind: 'u8'; readonly buf: Uint8Array }

const UTF8 = new TextEncoder()
const BUY = UTF8.encode('buy')
const SELL = UTF8.encode('sell')

export class LakeParquetWriter<T extends LakeTable> {
  private readonly pending: Pending[]
  private readonly arrowSchema: Schema
  private fill = 0
  private rows = 0
  private readonly groups: number[] = []
  private readonly file: ParquetStreamFile

  private constructor(
    readonly path: string,
    readonly table: T,
    private readonly rowGroupSize: number,
    meta: LakeFileMeta
  ) {
    const columns = SCHEMAS[table].columns
    this.pending = columns.map((col): Pending => {
      switch (col.kind) {
        case 'time':
        case 'int':
          return { col, kind: 'i64', buf: new BigInt64Array(rowGroupSize) }
        case 'float':
          return { col, kind: 'f64', buf: new Float64Array(rowGroupSize) }
        case 'bool':
        case 'side':
          return { col, kind: 'u8', buf: new Uint8Array(rowGroupSize) }
      }
    })
    // Nullable fields: pyarrow's pa.field() default, so the file's columns are OPTIONAL as the
    // vendor's are.
    // The KV entries on the schema too: arrow-rs embeds them in ARROW:schema (see the top).
    this.arrowSchema = new Schema(
      columns.map((c) => new Field(c.raw, arrowType(c), true)),
      kvMetadata(table, meta)
    )
    this.file = ParquetStreamFile.open(path, vendorProperties(table, meta, rowGroupSize))
  }

  /** Opens a temp file beside `path`; nothing appears at `path` until close(). */
  static open<T extends LakeTable>(
    path: string,
    table: T,
    meta: LakeFileMeta,
    opts: WriterOptions = {}
  ): LakeParquetWriter<T> {
    const rowGroupSize = opts.rowGroupSize ?? VENDOR_ROW_GROUP_SIZE
    if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
      throw new InputError(`row group size must be a positive integer, got ${rowGroupSize}`)
    }
    kvMetadata(table, meta) // validate before creating any file
    return new LakeParquetWriter(path, table, rowGroupSize, meta)
  }

  get rowsWritten(): number {
    return this.rows + this.fill
  }

  /**
   * Appends columnar rows (raw column names; any length, all columns equal). Shapes are checked
   * before anything is copied; a bad value (a non-integer int64, a side other than buy/sell)
   * fails the whole write, removes the temp file and throws an InputError naming column and row.
   */
  async append(columns: WriteColumns[T]): Promise<void> {
    this.file.assertOpen()
    const cols = columns as unknown as Record<string, unknown>
    const n = this.checkShapes(cols)
    let done = 0
    while (done < n) {
      const take = Math.min(n - done, this.rowGroupSize - this.fill)
      for (const p of this.pending) this.copy(p, cols[p.col.raw], done, take)
      this.fill += take
      done += take
      if (this.fill === this.rowGroupSize) await this.flushGroup()
    }
  }

  /** Writes the last partial row group and the footer, then publishes the file atomically. */
  async close(): Promise<WriteSummary> {
    this.file.assertOpen()
    try {
      if (this.fill > 0 || this.rows === 0) await this.flushGroup()
    } catch (e) {
      await this.file.abort(e)
      throw e
    }
    await this.file.publish(this.groups)
    return {
      path: this.path,
      table: this.table,
      rows: this.rows,
      rowGroups: this.groups.length,
      bytes: this.file.bytes
    }
  }

  /** Stops writing and removes the temp file. Safe to call more than once. */
  abort(reason: unknown = new Error('write aborted')): Promise<void> {
    return this.file.abort(reason)
  }

  private checkShapes(cols: Record<string, unknown>): number {
    let n = -1
    for (const p of this.pending) {
      const v = cols[p.col.raw]
      const ok =
        p.col.kind === 'time' || p.col.kind === 'int'
          ? v instanceof BigInt64Array || v instanceof Float64Array
          : p.col.kind === 'float'
            ? v instanceof Float64Array
            : p.col.kind === 'bool'
              ? v instanceof Uint8Array
              : Array.isArray(v)
      if (!ok) {
        const want = {
          time: 'BigInt64Array or Float64Array',
          int: 'BigInt64Array or Float64Array',
          float: 'Float64Array',
          bool: 'Uint8Array',
          side: 'string[]'
        }[p.col.kind]
        throw new InputError(`${this.table} column "${p.col.raw}" must be a ${want}`, this.path)
      }
      const len = (v as { length: number }).length
      if (n >= 0 && len !== n) {
        throw new InputError(
          `${this.table} columns differ in length: "${p.col.raw}" has ${len} rows, others ${n}`,
          this.path
        )
      }
      n = len
    }
    return Math.max(n, 0)
  }

  private copy(p: Pending, src: unknown, from: number, count: number): void {
    const at = this.fill
    let bad = -1
    if (p.kind === 'i64') {
      if (src instanceof BigInt64Array) p.buf.set(src.subarray(from, from + count), at)
      else bad = float64ToInt64(src as Float64Array, from, count, p.buf, at)
    } else if (p.kind === 'f64') {
      p.buf.set((src as Float64Array).subarray(from, from + count), at)
    } else if (p.col.kind === 'bool') {
      const s = src as Uint8Array
      for (let i = 0; i < count; i++) p.buf[at + i] = s[from + i] === 0 ? 0 : 1
    } else {
      const s = src as readonly string[]
      for (let i = 0; i < count && bad < 0; i++) {
        const v = s[from + i]
        if (v === 'buy') p.buf[at + i] = 1
        else if (v === 'sell') p.buf[at + i] = 0
        else bad = i
      }
    }
    if (bad >= 0) {
      const row = this.rows + at + bad
      const what =
        p.col.kind === 'side'
          ? `side must be 'buy' or 'sell'`
          : 'int64 values must be integers in [-2^63, 2^63)'
      const err = new InputError(
        `${this.table} column "${p.col.raw}" row ${row}: ${what}`,
        this.path
      )
      void this.abort(err)
      throw err
    }
  }

  private async flushGroup(): Promise<void> {
    const n = this.fill
    const children: Data[] = this.pending.map((p) => toArrowData(p, n))
    const batch = new RecordBatch(
      this.arrowSchema,
      makeData({ type: new Struct(this.arrowSchema.fields), length: n, nullCount: 0, children })
    )
    // Arrow IPC is the only door into parquet-wasm's memory; both copies are of one row group.
    const wasm = WasmTable.fromIPCStream(tableToIPC(new ArrowTable([batch]), 'stream'))
    const batches = wasm.recordBatches()
    wasm.free()
    this.fill = 0
    this.rows += n
    if (n > 0) this.groups.push(n)
    await this.file.write(batches)
  }
}

/** The vendor's writer settings (see the top of this file). */
function vendorProperties(
  table: LakeTable,
  meta: LakeFileMeta,
  rowGroupSize: number
): WriterProperties {
  const columns = SCHEMAS[table].columns
  const pageGuess = rowGroupSize * (columns.length + 8) * 8
  let props = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setWriterVersion(WriterVersion.V2)
    .setMaxRowGroupSize(rowGroupSize)
    .setWriteBatchSize(rowGroupSize)
    .setDataPageSizeLimit(pageGuess)
    .setDictionaryPageSizeLimit(pageGuess)
    .setDictionaryEnabled(true)
    // parquet-cpp falls back to PLAIN when a dictionary overflows; arrow-rs would pick DELTA_*
    // for v2 pages. Booleans are RLE in v2 pages in both (Arrow C++ ≥ 14).
    .setEncoding(Encoding.PLAIN)
    .setKeyValueMetadata(kvMetadata(table, meta))
    // Column-chunk statistics as pyarrow writes them, but no page index (pyarrow's default
    // write_page_index=False; arrow-rs would add a column index with page-level statistics).
    .setStatisticsEnabled(EnabledStatistics.Chunk)
  for (const c of columns) {
    if (c.kind === 'bool') props = props.setColumnEncoding(c.raw, Encoding.RLE)
  }
  return props.build()
}

function arrowType(c: LakeColumn): Int64 | Float64 | Bool | Utf8 {
  switch (c.kind) {
    case 'time':
    case 'int':
      return new Int64()
    case 'float':
      return new Float64()
    case 'bool':
      return new Bool()
    case 'side':
      return new Utf8()
  }
}

function toArrowData(p: Pending, n: number): Data {
  if (p.kind === 'i64') {
    return makeData({ type: new Int64(), length: n, nullCount: 0, data: p.buf.subarray(0, n) })
  }
  if (p.kind === 'f64') {
    return makeData({ type: new Float64(), length: n, nullCount: 0, data: p.buf.subarray(0, n) })
  }
  if (p.col.kind === 'bool') {
    // Padded to 64 bytes: with a shorter bitmap every later buffer in the Arrow IPC body lands off
    // a 64-byte boundary, and parquet-wasm's memory then grows by ~50 KB per row group (measured;
    // 35 M rows reached +250 MB). Arrow ignores the bits past `length`.
    const bits = new Uint8Array((((n + 7) >> 3) + 63) & ~63)
    for (let i = 0; i < n; i++) if (p.buf[i]) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7))
    return makeData({ type: new Bool(), length: n, nullCount: 0, data: bits })
  }
  // side: 'buy' / 'sell' as Utf8 offsets + bytes.
  const offsets = new Int32Array(n + 1)
  let size = 0
  for (let i = 0; i < n; i++) {
    size += p.buf[i] ? BUY.length : SELL.length
    offsets[i + 1] = size
  }
  const bytes = new Uint8Array(size)
  for (let i = 0; i < n; i++) bytes.set(p.buf[i] ? BUY : SELL, offsets[i] ?? 0)
  return makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data: bytes })
}

/** Writes a whole table from an (async) iterable of column batches; see LakeParquetWriter. */
export async function writeLakeTable<T extends LakeTable>(
  path: string,
  table: T,
  meta: LakeFileMeta,
  batches: Iterable<WriteColumns[T]> | AsyncIterable<WriteColumns[T]>,
  opts: WriterOptions = {}
): Promise<WriteSummary> {
  const w = LakeParquetWriter.open(path, table, meta, opts)
  try {
    for await (const b of batches) await w.append(b)
  } catch (e) {
    await w.abort(e)
    throw e
  }
  return w.close()
}

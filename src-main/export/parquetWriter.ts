// A streaming Parquet writer for the export's tables on the same core as the Crypto Lake writer
// (lake/parquet/streamFile.ts: temp file, footer read back, atomic publish), hashing the bytes
// with sha256 on the way. Memory: one row group. Row groups arrive as ready Arrow IPC streams
// (ipc.ts), so nothing is converted here.
//
// Settings: snappy; Parquet V2 data pages with DELTA_BINARY_PACKED for every integer and time
// column (indices, times, sequence numbers and source rows step by small amounts) and dictionary
// pages for codes and prices/sizes (few distinct values per row group; a column whose dictionary
// outgrows its page limit falls back to plain). Chosen by measurement on a tiled real day (8.1 M
// book_delta_v2 rows exported with --ungated, docs/benchmarks.md): 82.7 MB instead of 199.7 MB
// with V1 plain pages (10.2 instead of 24.6 bytes per delta row), for 1.20× the CPU of the whole
// export (median of 5 pairs). DuckDB, polars, pyarrow and parquet-wasm read these pages as they
// are (test/engine/python/consumers.test.ts). Column-chunk statistics on the time and index columns
// (DuckDB skips row groups by time with them; schema.ts says which); a fixed created_by and a
// single key-value entry `lakebook` (table and schema version as JSON), so the same rows give the
// same bytes in every run (parquet-wasm passes metadata through a hash map whose order is not
// fixed: more than one entry could change order between runs; arrow-rs appends ARROW:schema).
import { createHash } from 'node:crypto'
import {
  Compression,
  Encoding,
  EnabledStatistics,
  Table as WasmTable,
  WriterPropertiesBuilder,
  WriterVersion,
  type RecordBatch as WasmRecordBatch
} from 'parquet-wasm'
import { errorMessage } from '../util/errors'
import { ParquetStreamFile } from '../lake/parquet/streamFile'
import { DATASET_SCHEMA_VERSION, type TableSpec } from './schema'

export const CREATED_BY = 'lakebook export (parquet-rs via parquet-wasm)'

/** The one key-value metadata entry of every part file: what the file is, readable by any reader. */
export function partMetadata(spec: TableSpec): Map<string, string> {
  return new Map([
    [
      'lakebook',
      JSON.stringify({
        format: 'lakebook-dataset',
        table: spec.table,
        schemaVersion: DATASET_SCHEMA_VERSION,
        columns: spec.columns.length
      })
    ]
  ])
}

/** A published part file. */
export interface PartFile {
  readonly path: string
  readonly rows: number
  readonly rowGroups: number
  readonly bytes: number
  readonly sha256: string
}

export class ExportParquetWriter {
  private readonly hash = createHash('sha256')
  private readonly file: ParquetStreamFile
  private rows = 0
  private readonly groups: number[] = []

  private constructor(
    readonly path: string,
    spec: TableSpec
  ) {
    let builder = new WriterPropertiesBuilder()
      .setCompression(Compression.SNAPPY)
      .setWriterVersion(WriterVersion.V2)
      .setMaxRowGroupSize(spec.rowGroupRows)
      .setDictionaryEnabled(false)
      .setStatisticsEnabled(EnabledStatistics.None)
      .setCreatedBy(CREATED_BY)
      .setKeyValueMetadata(partMetadata(spec))
    for (const col of spec.columns) {
      if (col.type === 'i8' || col.type === 'f64')
        builder = builder.setColumnDictionaryEnabled(col.name, true)
      else builder = builder.setColumnEncoding(col.name, Encoding.DELTA_BINARY_PACKED)
    }
    for (const c of spec.statsColumns)
      builder = builder.setColumnStatisticsEnabled(c, EnabledStatistics.Chunk)
    this.file = ParquetStreamFile.open(path, builder.build(), (chunk) => {
      this.hash.update(chunk)
    })
  }

  /** Opens a temp file beside `path`; nothing appears at `path` until close(). */
  static open(path: string, spec: TableSpec): ExportParquetWriter {
    return new ExportParquetWriter(path, spec)
  }

  /** Writes one row group given as an Arrow IPC stream of `rows` rows. */
  async writeRowGroup(ipc: Uint8Array, rows: number): Promise<void> {
    this.file.assertOpen()
    if (rows === 0) return
    let batches: WasmRecordBatch[]
    try {
      const table = WasmTable.fromIPCStream(ipc)
      batches = table.recordBatches()
      table.free()
    } catch (e) {
      throw new Error(`${this.path}: bad row group: ${errorMessage(e)}`, { cause: e })
    }
    this.rows += rows
    this.groups.push(rows)
    await this.file.write(batches)
  }

  /** Finishes the file, checks its footer, publishes it atomically. */
  async close(): Promise<PartFile> {
    await this.file.publish(this.groups)
    return {
      path: this.path,
      rows: this.rows,
      rowGroups: this.groups.length,
      bytes: this.file.bytes,
      sha256: this.hash.digest('hex')
    }
  }

  /** Stops and removes the temp file; safe to call more than once. */
  abort(reason: unknown = new Error('write aborted')): Promise<void> {
    return this.file.abort(reason)
  }
}

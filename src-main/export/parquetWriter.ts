// The Parquet writer of the export's part files: each row group's columns are encoded by the
// project's own column-chunk encoder (parquet/columnChunk.ts) and written straight to a temp file
// beside the target, hashed with sha256 on the way; close() writes the footer, reads it back,
// renames the file into place and fsyncs the folder, so readers see no file or the whole file.
// Memory: one row group.
//
// Settings: snappy; Parquet V2 data pages with DELTA_BINARY_PACKED for every integer and time
// column (indices, times, sequence numbers and source rows step by small amounts) and dictionary
// pages for codes and prices/sizes (few distinct values per row group; a column whose dictionary
// would be larger than its plain values is written plain). Chosen by measurement on tiled real
// days (docs/benchmarks.md, "Parquet encodings of the dataset"). DuckDB, polars, pyarrow and
// parquet-wasm read these pages as they are (test/engine/python/consumers.test.ts). Column-chunk
// statistics on the time and index columns (DuckDB skips row groups by time with them; schema.ts
// says which); a fixed created_by and a single key-value entry `lakebook` (table and schema
// version as JSON), so the same rows give the same bytes in every run.
import { createHash } from 'node:crypto'
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { publishTemp, tempBeside } from '../util/atomicWrite'
import { makeDir } from '../util/makeDir'
import { openParquet } from '../lake/parquet/footer'
import { ColumnChunkEncoder, type ColumnInput } from './parquet/columnChunk'
import { PAR1, footer, type RowGroupMeta } from './parquet/fileMeta'
import { rowGroupLayout } from './rowGroup'
import { DATASET_SCHEMA_VERSION, TYPE_BYTES, type TableSpec } from './schema'

export const CREATED_BY = 'lakebook export'

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

/** One encoder per thread: its buffers are reused by every part file the thread writes. */
let sharedEncoder: ColumnChunkEncoder | null = null

export class ExportParquetWriter {
  private readonly hash = createHash('sha256')
  private readonly encoder: ColumnChunkEncoder
  private readonly stats: ReadonlySet<string>
  private readonly groups: RowGroupMeta[] = []
  private rows = 0
  private written = 0
  private state: 'open' | 'closed' | 'failed' = 'open'

  private constructor(
    readonly path: string,
    private readonly spec: TableSpec,
    private readonly tmp: string,
    private fd: number
  ) {
    this.encoder = sharedEncoder ??= new ColumnChunkEncoder()
    this.stats = new Set(spec.statsColumns)
    this.put(PAR1)
  }

  /** Opens a temp file beside `path`; nothing appears at `path` until close(). */
  static open(path: string, spec: TableSpec): ExportParquetWriter {
    makeDir(dirname(path))
    const tmp = tempBeside(path)
    return new ExportParquetWriter(path, spec, tmp, openSync(tmp, 'wx'))
  }

  /** Writes one row group given column by column, in the table's column order. */
  writeRowGroup(columns: readonly ColumnInput[], rows: number): void {
    this.assertOpen()
    if (rows === 0) return
    if (columns.length !== this.spec.columns.length) {
      throw new Error(
        `${this.path}: a row group of ${columns.length} columns for a table of ${this.spec.columns.length}`
      )
    }
    try {
      const chunks = this.spec.columns.map((column, i) => {
        const input = columns[i] ?? { bytes: new Uint8Array(0) }
        const c = this.encoder.encode(
          column,
          input,
          rows,
          this.written,
          this.stats.has(column.name)
        )
        for (const piece of c.pieces) this.put(piece)
        return c.meta
      })
      this.groups.push({ rows, chunks })
      this.rows += rows
    } catch (e) {
      this.state = 'failed'
      throw e
    }
  }

  /** Writes one row group held in a row-group buffer of this table (rowGroup.ts). */
  writeBufferRowGroup(buffer: ArrayBuffer, rows: number): void {
    const layout = rowGroupLayout(this.spec)
    const columns = this.spec.columns.map((c, i) => ({
      bytes: new Uint8Array(buffer, layout.offsets[i] ?? 0, rows * TYPE_BYTES[c.type])
    }))
    this.writeRowGroup(columns, rows)
  }

  /** Finishes the file, checks its footer, publishes it atomically. */
  close(): Promise<PartFile> {
    this.assertOpen()
    try {
      const meta = footer(this.spec.columns, this.groups, partMetadata(this.spec), CREATED_BY)
      const len = new Uint8Array(4)
      new DataView(len.buffer).setUint32(0, meta.length, true)
      this.put(meta)
      this.put(len)
      this.put(PAR1)
      publishTemp(this.fd, this.tmp, this.path, () => {
        this.checkFooter()
      })
      this.fd = -1
      this.state = 'closed'
    } catch (e) {
      this.removeTemp()
      return Promise.reject(e instanceof Error ? e : new Error(String(e)))
    }
    return Promise.resolve({
      path: this.path,
      rows: this.rows,
      rowGroups: this.groups.length,
      bytes: this.written,
      sha256: this.hash.digest('hex')
    })
  }

  /** Stops and removes the temp file; safe to call more than once. */
  abort(): Promise<void> {
    if (this.state !== 'closed') this.removeTemp()
    return Promise.resolve()
  }

  private put(bytes: Uint8Array): void {
    this.hash.update(bytes)
    let off = 0
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off)
    this.written += bytes.length
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new Error(`${this.path}: writer is ${this.state}`)
  }

  private removeTemp(): void {
    this.state = 'failed'
    if (this.fd >= 0) {
      closeSync(this.fd)
      this.fd = -1
    }
    rmSync(this.tmp, { force: true })
  }

  /** The footer as a reader parses it must hold exactly the row groups written. */
  private checkFooter(): void {
    const pq = openParquet(this.tmp)
    try {
      const sizes = pq.model.rowGroups.map((g) => g.rows)
      const want = this.groups.map((g) => g.rows)
      if (pq.model.rows !== this.rows || sizes.join() !== want.join()) {
        throw new Error(
          `${this.path}: the footer holds ${pq.model.rows} rows in row groups [${sizes.join()}], ` +
            `expected ${this.rows} in [${want.join()}]; the file was not published`
        )
      }
    } finally {
      pq.close()
    }
  }
}

// A streaming Parquet writer for the export's tables, the same approach as the Crypto Lake writer
// (lake/parquet/writer.ts): each row group goes to parquet-wasm's streaming writer
// (transformParquetStream, arrow-rs inside) as one record batch, the bytes it emits go straight to
// a temp file beside the target (and through sha256 on the way), and close() fsyncs, reads the
// footer back (the streaming writer drops batches and write errors silently, see there), renames
// into place and fsyncs the folder. Memory: one row group. A failed or aborted write leaves no
// file. Row groups arrive as ready Arrow IPC streams (ipc.ts), so nothing is converted here.
//
// Settings: snappy; Parquet 1.0 data pages (every reader, pyarrow/Spark/DuckDB, takes them); no
// dictionary encoding (the columns are numbers and codes; dictionary pages cost ~3x the CPU in a
// measurement and barely shrink them); column-chunk statistics on the time and index columns
// (DuckDB skips row groups by time with them; schema.ts says which); a fixed created_by and no key-value metadata, so the same rows give the same bytes
// in every run (arrow-rs writes metadata entries from a hash map whose order is not fixed).
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import {
  Compression,
  EnabledStatistics,
  Table as WasmTable,
  WriterPropertiesBuilder,
  WriterVersion,
  transformParquetStream,
  type RecordBatch as WasmRecordBatch
} from 'parquet-wasm'
import { errorMessage } from '../errors'
import { openParquet } from '../lake/parquet/footer'
import { fsyncDir } from '../util/atomicWrite'
import type { TableSpec } from './schema'

export const CREATED_BY = 'lakebook export (parquet-rs via parquet-wasm)'

/** A published part file. */
export interface PartFile {
  readonly path: string
  readonly rows: number
  readonly rowGroups: number
  readonly bytes: number
  readonly sha256: string
}

export class ExportParquetWriter {
  private controller: ReadableStreamDefaultController<WasmRecordBatch> | null = null
  private demand: (() => void) | null = null
  private failure: Error | null = null
  private state: 'open' | 'closed' | 'failed' = 'open'
  private readonly pump: Promise<void>
  private readonly hash = createHash('sha256')
  private rows = 0
  private groups: number[] = []
  private bytes = 0

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private fd: number,
    spec: TableSpec
  ) {
    let builder = new WriterPropertiesBuilder()
      .setCompression(Compression.SNAPPY)
      .setWriterVersion(WriterVersion.V1)
      .setMaxRowGroupSize(spec.rowGroupRows)
      .setDictionaryEnabled(false)
      .setStatisticsEnabled(EnabledStatistics.None)
      .setCreatedBy(CREATED_BY)
    for (const c of spec.statsColumns)
      builder = builder.setColumnStatisticsEnabled(c, EnabledStatistics.Chunk)
    const props = builder.build()
    const source = new ReadableStream<WasmRecordBatch>(
      {
        start: (controller) => {
          this.controller = controller
        },
        pull: () => {
          this.wake()
        },
        cancel: () => {
          this.wake()
        }
      },
      { highWaterMark: 1 }
    )
    this.pump = this.runPump(source, props)
  }

  /** Opens a temp file beside `path`; nothing appears at `path` until close(). */
  static open(path: string, spec: TableSpec): ExportParquetWriter {
    mkdirSync(dirname(path), { recursive: true })
    const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
    return new ExportParquetWriter(path, tmp, openSync(tmp, 'wx'), spec)
  }

  /** Writes one row group given as an Arrow IPC stream of `rows` rows. */
  async writeRowGroup(ipc: Uint8Array, rows: number): Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.path}: writer is ${this.state}`)
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
    for (const b of batches) {
      this.throwIfFailed()
      this.controller?.enqueue(b)
      // Backpressure: wait until the Parquet writer has taken the batch before taking more.
      while (this.failure === null && (this.controller?.desiredSize ?? 1) <= 0) {
        await new Promise<void>((resolve) => (this.demand = resolve))
      }
    }
    this.throwIfFailed()
  }

  /** Finishes the file, checks its footer, publishes it atomically. */
  async close(): Promise<PartFile> {
    if (this.state !== 'open') throw new Error(`${this.path}: writer is ${this.state}`)
    try {
      this.controller?.close()
      await this.pump
      this.throwIfFailed()
      fsyncSync(this.fd)
      this.checkFooter()
      closeSync(this.fd)
      this.fd = -1
      renameSync(this.tmp, this.path)
      fsyncDir(dirname(this.path))
      this.state = 'closed'
    } catch (e) {
      await this.abort(e)
      throw e
    }
    return {
      path: this.path,
      rows: this.rows,
      rowGroups: this.groups.length,
      bytes: this.bytes,
      sha256: this.hash.digest('hex')
    }
  }

  /** Stops and removes the temp file; safe to call more than once. */
  async abort(reason: unknown = new Error('write aborted')): Promise<void> {
    if (this.state === 'closed') return
    if (this.state === 'open') {
      this.state = 'failed'
      this.failure ??= reason instanceof Error ? reason : new Error(errorMessage(reason))
      try {
        this.controller?.error(reason)
      } catch {
        // already closed or errored; the pump ends either way
      }
    }
    await this.pump
    if (this.fd >= 0) {
      closeSync(this.fd)
      this.fd = -1
    }
    rmSync(this.tmp, { force: true })
  }

  private checkFooter(): void {
    const pq = openParquet(this.tmp)
    try {
      const sizes = pq.model.rowGroups.map((g) => g.rows)
      // A part without rows still gets a valid (empty) file from arrow-rs.
      if (pq.model.rows !== this.rows || sizes.join() !== this.groups.join()) {
        throw new Error(
          `${this.path}: the Parquet writer produced ${pq.model.rows} rows in row groups [${sizes.join()}], ` +
            `expected ${this.rows} in [${this.groups.join()}]; the file was not published`
        )
      }
    } finally {
      pq.close()
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure
  }

  private wake(): void {
    const d = this.demand
    this.demand = null
    d?.()
  }

  private async runPump(
    source: ReadableStream<WasmRecordBatch>,
    props: ReturnType<WriterPropertiesBuilder['build']>
  ): Promise<void> {
    try {
      const out = (await transformParquetStream(source, props)) as ReadableStream<Uint8Array>
      for await (const chunk of out) {
        this.hash.update(chunk)
        let off = 0
        while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off)
        this.bytes += chunk.length
      }
    } catch (e) {
      this.failure ??= new Error(`${this.path}: ${errorMessage(e)}`, { cause: e })
      if (this.state === 'open') this.state = 'failed'
    } finally {
      this.wake()
    }
  }
}

// The streaming core of both Parquet writers (writer.ts for Crypto Lake tables,
// export/parquetWriter.ts for datasets): record batches go to parquet-wasm's streaming writer
// (transformParquetStream, arrow-rs inside) one row group at a time, and the bytes it emits go
// straight to a temp file beside the target, so memory stays bounded whatever the file size.
// publish() fsyncs, reads the footer back, renames into place and fsyncs the folder: readers see
// no file or the whole file. A failed or aborted write leaves no file behind.
//
// The footer is checked, not assumed: parquet-wasm's streaming writer skips a batch it cannot
// cast and ignores write errors without telling anyone (writer_async.rs in parquet-wasm 0.8).
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  transformParquetStream,
  type RecordBatch as WasmRecordBatch,
  type WriterPropertiesBuilder
} from 'parquet-wasm'
import { errorMessage } from '../../util/errors'
import { publishTemp, tempBeside } from '../../util/atomicWrite'
import { openParquet } from './footer'
import { makeDir } from '../../util/makeDir'

export type WriterProperties = ReturnType<WriterPropertiesBuilder['build']>

export class ParquetStreamFile {
  private controller: ReadableStreamDefaultController<WasmRecordBatch> | null = null
  private demand: (() => void) | null = null
  private failure: Error | null = null
  private state: 'open' | 'closed' | 'failed' = 'open'
  private readonly pump: Promise<void>
  private written = 0

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private fd: number,
    props: WriterProperties,
    private readonly onChunk: ((chunk: Uint8Array) => void) | undefined
  ) {
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

  /**
   * Opens a temp file beside `path`; nothing appears at `path` until publish(). `onChunk` sees
   * every byte written, in order (e.g. to hash the file on the way).
   */
  static open(
    path: string,
    props: WriterProperties,
    onChunk?: (chunk: Uint8Array) => void
  ): ParquetStreamFile {
    makeDir(dirname(path))
    const tmp = tempBeside(path)
    return new ParquetStreamFile(path, tmp, openSync(tmp, 'wx'), props, onChunk)
  }

  /** Bytes written to the file so far. */
  get bytes(): number {
    return this.written
  }

  assertOpen(): void {
    if (this.state !== 'open') {
      throw new Error(`${this.path}: writer is ${this.state}`, { cause: this.failure })
    }
  }

  /** Hands the batches of one row group to the Parquet writer, waiting while it is busy. */
  async write(batches: readonly WasmRecordBatch[]): Promise<void> {
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

  /**
   * Writes the footer, checks that the file holds exactly `rowGroups` (their row counts, in
   * order) and publishes it atomically; on any failure the temp file is removed.
   */
  async publish(rowGroups: readonly number[]): Promise<void> {
    this.assertOpen()
    try {
      this.controller?.close()
      await this.pump
      this.throwIfFailed()
      publishTemp(this.fd, this.tmp, this.path, () => {
        this.checkFooter(rowGroups)
      })
      this.fd = -1
      this.state = 'closed'
    } catch (e) {
      await this.abort(e)
      throw e
    }
  }

  /** Stops writing and removes the temp file. Safe to call more than once. */
  async abort(reason: unknown = new Error('write aborted')): Promise<void> {
    if (this.state === 'closed') return
    if (this.state === 'open') {
      this.state = 'failed'
      this.failure ??= reason instanceof Error ? reason : new Error(errorMessage(reason))
      try {
        this.controller?.error(reason)
      } catch {
        // The stream may already be closed or errored; the pump ends either way.
      }
    }
    await this.pump
    if (this.fd >= 0) {
      closeSync(this.fd)
      this.fd = -1
    }
    rmSync(this.tmp, { force: true })
  }

  private checkFooter(groups: readonly number[]): void {
    const rows = groups.reduce((a, n) => a + n, 0)
    const pq = openParquet(this.tmp)
    try {
      const sizes = pq.model.rowGroups.map((g) => g.rows)
      // A file without rows still gets a valid (empty) file from arrow-rs.
      if (pq.model.rows !== rows || sizes.join() !== groups.join()) {
        throw new Error(
          `${this.path}: the Parquet writer produced ${pq.model.rows} rows in row groups [${sizes.join()}], ` +
            `expected ${rows} in [${groups.join()}]; the file was not published`
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
    props: WriterProperties
  ): Promise<void> {
    try {
      const out = (await transformParquetStream(source, props)) as ReadableStream<Uint8Array>
      for await (const chunk of out) {
        this.onChunk?.(chunk)
        let off = 0
        while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off)
        this.written += chunk.length
      }
    } catch (e) {
      this.failure ??= new Error(`${this.path}: ${errorMessage(e)}`, { cause: e })
      if (this.state === 'open') this.state = 'failed'
    } finally {
      this.wake()
    }
  }
}

// The replay side of the writer stage: opens part files, sends filled row-group buffers, gets them
// back for reuse, and learns when parts are published. The buffers out at the writer are the
// bounded queue between the stages: `busy()` says the replay should wait (`drained()`) before
// producing more. A buffer is allocated only when a table's pool is empty, which the wait keeps
// rare, so memory stays flat however long the export. With workers, the events table (most of
// the bytes) has a writer thread of its own and the other tables share a second one.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import { startWorker, type WorkerSpec } from '../util/workerLifecycle'
import { rowGroupBuffer, rowGroupLayout, type RowGroupBuffer } from './rowGroup'
import type { PartFile } from './parquetWriter'
import { TABLE_SPECS, type ExportTable } from './schema'
import { runExportWriter } from './writerWorker'
import type { FromWriter, ToWriter } from './writerProtocol'

export type { WorkerSpec }

/** Buffers of a table that may be at the writer at once before the replay waits. */
const IN_FLIGHT = 3

interface Lane {
  readonly port: MessagePort | Worker
  /** A writer thread's failure ('error', or an exit before the stage stopped it), if it runs in one. */
  readonly onFailure?: (f: (e: Error) => void) => void
  readonly stop: () => Promise<void>
}

export class WriterStage {
  private readonly pools = new Map<ExportTable, ArrayBuffer[]>()
  private readonly out = new Map<ExportTable, number>()
  private readonly closing = new Map<
    number,
    { resolve: (f: PartFile) => void; reject: (e: Error) => void }
  >()
  private waiters: (() => void)[] = []
  private failure: Error | null = null
  private stopped: Promise<void> | null = null
  private readonly partLane = new Map<number, Lane>()
  /** Called when a send leaves a table with as many buffers out as it may have. */
  onBusy: (() => void) | null = null

  private constructor(private readonly lanes: readonly Lane[]) {
    for (const lane of lanes) {
      lane.port.on('message', (m: FromWriter) => {
        this.onMessage(m)
      })
      // Once shutdown began the writer may end first ("export writer exited with code n" is
      // a failure only before).
      lane.onFailure?.((e) => {
        if (this.stopped === null) this.fail(e)
      })
    }
  }

  /**
   * Writers in worker threads when a worker is given (`threads` of them, at most two: events,
   * and the rest), else one in this thread.
   */
  static open(worker?: WorkerSpec, threads = 2): WriterStage {
    if (worker) {
      const n = Math.max(1, Math.min(2, threads))
      return new WriterStage(
        Array.from({ length: n }, () => {
          const w = startWorker<ToWriter, FromWriter>(worker, 'export writer')
          return {
            port: w.worker,
            onFailure: (f: (e: Error) => void) => {
              w.onFailure(f)
            },
            stop: () => w.stop()
          }
        })
      )
    }
    const { port1, port2 } = new MessageChannel()
    runExportWriter(port2)
    return new WriterStage([
      {
        port: port1,
        stop: () => {
          port1.close()
          return Promise.resolve()
        }
      }
    ])
  }

  private laneOf(table: ExportTable): Lane {
    const lane = this.lanes[table === 'events' || this.lanes.length === 1 ? 0 : 1]
    if (!lane) throw new Error('no writer')
    return lane
  }

  /** An empty full-size buffer for a table (reused when one is free). */
  acquire(table: ExportTable): RowGroupBuffer {
    const spec = TABLE_SPECS[table]
    const layout = rowGroupLayout(spec)
    const free = this.pools.get(table)?.pop()
    // A returned buffer keeps its header; its values are overwritten row by row before use.
    return free ? rowGroupBuffer(spec, layout, free) : rowGroupBuffer(spec, layout)
  }

  openPart(part: number, table: ExportTable, path: string): void {
    const lane = this.laneOf(table)
    this.partLane.set(part, lane)
    this.post(lane, { type: 'open', part, table, path })
  }

  /** Hands `rows` rows of a buffer to the writer; the buffer is unusable until it comes back. */
  send(part: number, table: ExportTable, rg: RowGroupBuffer, rows: number): void {
    const n = (this.out.get(table) ?? 0) + 1
    this.out.set(table, n)
    this.post(this.laneOf(table), { type: 'rows', part, buffer: rg.buffer, rows }, [rg.buffer])
    if (n >= IN_FLIGHT) this.onBusy?.()
  }

  /** Resolves with the published file once the writer has closed it. */
  closePart(part: number): Promise<PartFile> {
    return new Promise<PartFile>((resolve, reject) => {
      if (this.failure) {
        reject(this.failure)
        return
      }
      const lane = this.partLane.get(part)
      if (!lane) {
        reject(new Error(`part ${part} was never opened`))
        return
      }
      this.partLane.delete(part)
      this.closing.set(part, { resolve, reject })
      this.post(lane, { type: 'close', part })
    })
  }

  /** True when the writer holds as many buffers of some table as it may. */
  busy(): boolean {
    for (const n of this.out.values()) if (n >= IN_FLIGHT) return true
    return false
  }

  /** Resolves when no table is over its limit (or rejects when the writer failed). */
  async drained(): Promise<void> {
    while (this.busy()) {
      this.throwIfFailed()
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
    this.throwIfFailed()
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure
  }

  /** Stops the writer; with abort, open parts are removed first (their temp files). */
  async shutdown(abort: boolean): Promise<void> {
    if (this.stopped) return this.stopped
    const done = (async () => {
      if (abort && this.failure === null) {
        await Promise.all(
          this.lanes.map(
            (lane) =>
              new Promise<void>((resolve) => {
                lane.port.on('message', (m: FromWriter) => {
                  if (m.type === 'aborted') resolve()
                })
                this.post(lane, { type: 'abort' })
                // A writer that died cannot answer; do not wait for it.
                setTimeout(resolve, 10_000).unref()
              })
          )
        )
      }
      await Promise.all(this.lanes.map((l) => l.stop()))
      this.fail(new Error('the export writer was stopped'))
    })()
    this.stopped = done
    return done
  }

  private post(lane: Lane, m: ToWriter, transfer: ArrayBuffer[] = []): void {
    lane.port.postMessage(m, transfer)
  }

  private onMessage(m: FromWriter): void {
    switch (m.type) {
      case 'free': {
        this.out.set(m.table, Math.max(0, (this.out.get(m.table) ?? 0) - 1))
        const pool = this.pools.get(m.table) ?? []
        pool.push(m.buffer)
        this.pools.set(m.table, pool)
        this.wake()
        break
      }
      case 'closed': {
        const c = this.closing.get(m.part)
        this.closing.delete(m.part)
        c?.resolve(m.file)
        break
      }
      case 'failed':
        this.fail(new Error(`export writer: ${m.message}`))
        break
      case 'aborted':
        break
    }
  }

  private fail(e: Error): void {
    this.failure ??= e
    for (const c of this.closing.values()) c.reject(this.failure)
    this.closing.clear()
    this.wake()
  }

  private wake(): void {
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }
}

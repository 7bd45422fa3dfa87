// The replay's three sources (deltas, trades, book), decoded either in the replay's own thread or
// in decode workers. The batches are the same either way, so the replay's output hash does not
// depend on the worker count (asserted in test/engine/replay/lakeReplay.test.ts).
import { Worker } from 'node:worker_threads'
import type { FloatGrid } from '../book/units'
import { InputError } from '../errors'
import type { LakeTable } from '../lake/parquet/schemas'
import type { FromDecoder, ToDecoder } from './decodeProtocol'
import type { BookBatch, DeltaBatch, EventBatch, TradeBatch } from './events'
import type { IssueLog } from './issues'
import type { LakeSources } from './lakeReplay'
import { bookBatches, deltaBatches, tradeBatches, type ResolvedSelection } from './lakeSources'

/** Batches a worker may have in flight per stream: enough to hide decode latency, bounded. */
const CREDIT = 3

export interface DecodeWorkerSpec {
  readonly path: string | URL
  readonly workerData?: unknown
}

export interface LakeSourceSet extends LakeSources {
  close(): Promise<void>
}

export interface SourceOptions {
  readonly workers: number
  /** The built worker file and the workerData that selects its decode role; required when workers > 0. */
  readonly decodeWorker?: DecodeWorkerSpec | undefined
  readonly signal?: AbortSignal | undefined
}

const TABLES: readonly LakeTable[] = ['book_delta_v2', 'trades', 'book']

export function openLakeSources(
  sel: ResolvedSelection,
  grid: FloatGrid,
  issues: IssueLog,
  opts: SourceOptions
): LakeSourceSet {
  if (opts.workers <= 0) {
    return {
      deltas: deltaBatches(sel.files.book_delta_v2, grid, issues, opts.signal),
      trades: tradeBatches(sel.files.trades, grid, issues, opts.signal),
      books: bookBatches(sel.files.book, grid, issues, opts.signal),
      close: () => Promise.resolve()
    }
  }
  const spec = opts.decodeWorker
  if (spec === undefined) throw new Error('decode workers need the built worker file')
  const n = Math.min(opts.workers, TABLES.length)
  const workers = Array.from(
    { length: n },
    () => new Worker(spec.path, { workerData: spec.workerData })
  )
  const streams = TABLES.map((table, k) => {
    // book_delta_v2 (the big table) gets a worker of its own when there are two or more.
    const worker = workers[k === 0 || n === 1 ? 0 : 1 + ((k - 1) % (n - 1))] as Worker
    return new WorkerStream<EventBatch>(worker, k, table, sel.files[table], grid.tick, issues)
  })
  return {
    deltas: streams[0] as unknown as AsyncIterable<DeltaBatch>,
    trades: streams[1] as unknown as AsyncIterable<TradeBatch>,
    books: streams[2] as unknown as AsyncIterable<BookBatch>,
    close: async () => {
      for (const w of workers) w.postMessage({ type: 'close' } satisfies ToDecoder)
      await Promise.all(workers.map((w) => w.terminate()))
    }
  }
}

class WorkerStream<B extends EventBatch> implements AsyncIterable<B> {
  private readonly queue: B[] = []
  private waiting: { resolve: (r: IteratorResult<B>) => void; reject: (e: Error) => void } | null =
    null
  private ended = false
  private failure: Error | null = null

  constructor(
    private readonly worker: Worker,
    private readonly id: number,
    table: LakeTable,
    files: readonly { path: string; day: string }[],
    tick: string,
    issues: IssueLog
  ) {
    worker.on('message', (m: FromDecoder) => {
      if (m.stream !== this.id) return
      if (m.type === 'batch') this.deliver(m.batch as B)
      else if (m.type === 'end') {
        issues.merge(m.counts, m.kept)
        this.finish(null)
      } else this.finish(m.input ? new InputError(m.message) : new Error(m.message))
    })
    worker.on('error', (e) => {
      this.finish(e)
    })
    worker.postMessage({ type: 'open', stream: id, table, files, tick } satisfies ToDecoder)
    worker.postMessage({ type: 'credit', stream: id, n: CREDIT } satisfies ToDecoder)
  }

  [Symbol.asyncIterator](): AsyncIterator<B> {
    return {
      next: () => {
        const b = this.queue.shift()
        if (b) {
          this.worker.postMessage({ type: 'credit', stream: this.id, n: 1 } satisfies ToDecoder)
          return Promise.resolve({ done: false, value: b })
        }
        if (this.failure) return Promise.reject(this.failure)
        if (this.ended) return Promise.resolve({ done: true, value: undefined })
        return new Promise((resolve, reject) => {
          this.waiting = { resolve, reject }
        })
      },
      return: () => {
        this.ended = true
        return Promise.resolve({ done: true, value: undefined })
      }
    }
  }

  private deliver(b: B): void {
    const w = this.waiting
    if (w) {
      this.waiting = null
      this.worker.postMessage({ type: 'credit', stream: this.id, n: 1 } satisfies ToDecoder)
      w.resolve({ done: false, value: b })
    } else this.queue.push(b)
  }

  private finish(error: Error | null): void {
    if (error) this.failure = error
    this.ended = true
    const w = this.waiting
    if (!w) return
    this.waiting = null
    if (error) w.reject(error)
    else w.resolve({ done: true, value: undefined })
  }
}

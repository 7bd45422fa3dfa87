// The replay's three sources (deltas, trades, book), decoded either in the replay's own thread or
// in decode workers. The batches are the same either way, so the replay's output hash does not
// depend on the worker count (asserted in test/engine/replay/lakeReplay.test.ts).
import type { FloatGrid } from '../../../src-shared/units'
import { InputError } from '../../util/errors'
import type { LakeTable } from '../../lake/parquet/schemas'
import type { FromDecoder, ToDecoder } from './decodeProtocol'
import type { BookBatch, DeltaBatch, EventBatch, LakeSources, TradeBatch } from './batches'
import type { IssueLog } from '../../util/issueLog'
import { startWorker, type ManagedWorker } from '../../util/workerLifecycle'
import type { SourceOffset, SourceOffsets } from './cursor'
import type { RawTap, SourceTap } from './rawTap'
import {
  bookBatches,
  deltaBatches,
  tradeBatches,
  type ResolvedSelection,
  type SourceFile
} from './lakeSources'

/** Batches a worker may have in flight per stream: enough to hide decode latency, bounded. */
const CREDIT = 4
/**
 * Credit is returned two batches at a time: a message per batch cost the replay's thread more
 * than expected on a busy 2-core machine (~1 s of postMessage per 13 M rows in a profile of the
 * export), and the worker still always holds credit for at least two batches.
 */
const CREDIT_BATCH = 2

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
  /** Start each table at these offsets (a resumed export); default: the first row of each. */
  readonly start?: SourceOffsets | undefined
  /** A tap on every stream's raw batches (rawTap.ts), in this thread or the decode workers. */
  readonly tap?: SourceTap | undefined
}

const TABLES: readonly LakeTable[] = ['book_delta_v2', 'trades', 'book']

/**
 * A stream's files from an offset on: files before the offset's file are dropped and that file
 * starts at the offset's row; a null file means the stream had ended (nothing left to read).
 */
export function filesFrom(
  files: readonly SourceFile[],
  offset: SourceOffset | undefined
): SourceFile[] {
  if (offset === undefined) return [...files]
  if (offset.file === null) return []
  const at = files.findIndex((f) => f.path === offset.file)
  if (at < 0) {
    throw new InputError(
      `cannot resume: ${offset.file} is no longer part of the selection (the input changed)`
    )
  }
  return files.slice(at).map((f, k) => (k === 0 ? { ...f, startRow: offset.row } : f))
}

export function openLakeSources(
  sel: ResolvedSelection,
  grid: FloatGrid,
  issues: IssueLog,
  opts: SourceOptions
): LakeSourceSet {
  const files: Record<LakeTable, SourceFile[]> = {
    book_delta_v2: filesFrom(sel.files.book_delta_v2, opts.start?.deltas),
    trades: filesFrom(sel.files.trades, opts.start?.trades),
    book: filesFrom(sel.files.book, opts.start?.books)
  }
  const tap = opts.tap
  if (opts.workers <= 0) {
    return {
      deltas: tapped(tap, 'book_delta_v2', (t) =>
        deltaBatches(files.book_delta_v2, grid, issues, opts.signal, t)
      ),
      trades: tapped(tap, 'trades', (t) =>
        tradeBatches(files.trades, grid, issues, opts.signal, t)
      ),
      books: tapped(tap, 'book', (t) => bookBatches(files.book, grid, issues, opts.signal, t)),
      close: () => Promise.resolve()
    }
  }
  const spec = opts.decodeWorker
  if (spec === undefined) throw new Error('decode workers need the built worker file')
  const n = Math.min(opts.workers, TABLES.length)
  const workers = Array.from({ length: n }, () =>
    startWorker<ToDecoder, FromDecoder>(spec, 'decode worker')
  )
  const streams = TABLES.map((table, k) => {
    // book_delta_v2 (the big table) gets a worker of its own when there are two or more.
    const worker = workers[k === 0 || n === 1 ? 0 : 1 + ((k - 1) % (n - 1))] as Decoder
    return new WorkerStream<EventBatch>(worker, k, table, files[table], grid.tick, issues, tap)
  })
  return {
    deltas: streams[0] as unknown as AsyncIterable<DeltaBatch>,
    trades: streams[1] as unknown as AsyncIterable<TradeBatch>,
    books: streams[2] as unknown as AsyncIterable<BookBatch>,
    close: async () => {
      for (const w of workers) w.post({ type: 'close' })
      await Promise.all(workers.map((w) => w.stop()))
    }
  }
}

type Decoder = ManagedWorker<ToDecoder, FromDecoder>

/**
 * A stream read in this thread with a tap of its own (one per stream, as in the workers), whose
 * result is handed on when the stream ends.
 */
async function* tapped<B>(
  spec: SourceTap | undefined,
  table: LakeTable,
  read: (tap: RawTap | undefined) => AsyncGenerator<B>
): AsyncGenerator<B> {
  const tap = spec?.factory(spec.config)
  yield* read(tap)
  if (spec !== undefined && tap !== undefined) spec.onResult(table, tap.result())
}

class WorkerStream<B extends EventBatch> implements AsyncIterable<B> {
  private readonly queue: B[] = []
  private waiting: { resolve: (r: IteratorResult<B>) => void; reject: (e: Error) => void } | null =
    null
  private ended = false
  private failure: Error | null = null
  /** Batches taken whose credit has not been returned yet. */
  private owed = 0

  constructor(
    private readonly worker: Decoder,
    private readonly id: number,
    table: LakeTable,
    files: readonly SourceFile[],
    tick: string,
    issues: IssueLog,
    tap: SourceTap | undefined
  ) {
    worker.onMessage((m) => {
      if (m.stream !== this.id) return
      if (m.type === 'batch') this.deliver(m.batch as B)
      else if (m.type === 'end') {
        issues.merge(m.counts, m.kept)
        if (tap !== undefined && m.tapped !== undefined) tap.onResult(table, m.tapped)
        this.finish(null)
      } else this.finish(m.input ? new InputError(m.message) : new Error(m.message))
    })
    worker.onFailure((e) => {
      this.finish(e)
    })
    worker.post({
      type: 'open',
      stream: id,
      table,
      files,
      tick,
      ...(tap !== undefined ? { tap: tap.config } : {})
    })
    worker.post({ type: 'credit', stream: id, n: CREDIT })
  }

  [Symbol.asyncIterator](): AsyncIterator<B> {
    return {
      next: () => {
        const b = this.queue.shift()
        if (b) {
          this.took()
          return Promise.resolve({ done: false, value: b })
        }
        if (this.failure) return Promise.reject(this.failure)
        if (this.ended) return Promise.resolve({ done: true, value: undefined })
        // About to wait: every credit owed goes back first, or the worker could stall.
        this.repay()
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
      this.took()
      w.resolve({ done: false, value: b })
    } else this.queue.push(b)
  }

  /** One batch consumed: its credit is owed, and repaid once CREDIT_BATCH are. */
  private took(): void {
    this.owed++
    if (this.owed >= CREDIT_BATCH) this.repay()
  }

  private repay(): void {
    if (this.owed === 0 || this.ended) return
    this.worker.post({ type: 'credit', stream: this.id, n: this.owed })
    this.owed = 0
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

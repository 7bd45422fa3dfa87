// One worker thread's lifecycle, as the job manager, the backfill's day workers, the export
// writer and the replay's decode workers use it: start it with typed messages, cancel it with a
// grace period after which it is terminated, stop it, and learn of its end in one sentence.
//
// These workers never end by themselves: each is terminated by its owner (after its result, at a
// stop or close, or at the end of a cancel's grace period). So an 'error' event, or an 'exit' its
// owner did not ask for (whatever the code), is a failure, reported once as one Error sentence
// naming the worker: "<name> crashed: <reason>" or "<name> exited with code <n>".
import { setFlagsFromString } from 'node:v8'
import { Worker, type Transferable } from 'node:worker_threads'

let heapsConfigured = false

/**
 * Worker heaps start with room for 128 MB of old objects instead of V8's small default. An
 * export's replay thread receives every decoded batch from its decode worker; with the default its
 * old-generation limit stayed near 46 MB and V8 ran about 100 full collections in an export of a
 * tiled real day, with concurrent marking the largest cost of V8's helper threads. V8 reads the
 * flag when an isolate is created, so it is set once, before the first worker starts; it changes
 * no isolate already running.
 */
function configureWorkerHeaps(): void {
  if (heapsConfigured) return
  setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MB}`)
  heapsConfigured = true
}

export const WORKER_INITIAL_OLD_SPACE_MB = 128

export interface WorkerSpec {
  readonly path: string | URL
  readonly workerData?: unknown
}

export class ManagedWorker<In, Out> {
  readonly worker: Worker
  /** Resolves with the exit code once the thread has ended, however it ended. */
  readonly exited: Promise<number>
  private readonly messageListeners: ((m: Out) => void)[] = []
  private readonly failureListeners: ((e: Error) => void)[] = []
  private readonly cancelledListeners: (() => void)[] = []
  private graceTimer: NodeJS.Timeout | null = null
  private cancelRequested = false
  private stopping = false
  private reported = false

  constructor(
    spec: WorkerSpec,
    /** Names the worker in its failure sentence ("day worker", "export writer"). */
    readonly name: string
  ) {
    configureWorkerHeaps()
    this.worker = new Worker(spec.path, { workerData: spec.workerData })
    this.exited = new Promise<number>((resolve) => {
      this.worker.once('exit', resolve)
    })
    this.worker.on('message', (m: Out) => {
      for (const f of this.messageListeners) f(m)
    })
    this.worker.on('error', (e: Error) => {
      this.report(() => {
        const err = new Error(`${this.name} crashed: ${e.message}`, { cause: e })
        for (const f of this.failureListeners) f(err)
      })
    })
    this.worker.on('exit', (code: number) => {
      this.clearGrace()
      if (this.stopping) return
      if (this.cancelRequested) {
        this.report(() => {
          for (const f of this.cancelledListeners) f()
        })
        return
      }
      this.report(() => {
        const err = new Error(`${this.name} exited with code ${code}`)
        for (const f of this.failureListeners) f(err)
      })
    })
  }

  onMessage(f: (m: Out) => void): this {
    this.messageListeners.push(f)
    return this
  }

  /** An 'error', or an exit not asked for: one Error sentence. At most once, and never after a stop. */
  onFailure(f: (e: Error) => void): this {
    this.failureListeners.push(f)
    return this
  }

  /** After cancel(): the worker ended, by itself or terminated at the end of the grace period. */
  onCancelled(f: () => void): this {
    this.cancelledListeners.push(f)
    return this
  }

  post(m: In, transfer?: readonly Transferable[]): void {
    this.worker.postMessage(m, transfer)
  }

  /** True once cancel() was called. */
  get cancelling(): boolean {
    return this.cancelRequested
  }

  /**
   * Asks the worker to stop (`message`, its protocol's cancel) and terminates it if it has not
   * ended `graceMs` later. Once only; later calls do nothing. The grace timer does not hold the
   * process open (the running worker does, until it ends or is terminated).
   */
  cancel(message: In, graceMs: number): void {
    if (this.cancelRequested || this.stopping) return
    this.cancelRequested = true
    this.post(message)
    this.graceTimer = setTimeout(() => {
      this.graceTimer = null
      void this.worker.terminate()
    }, graceMs)
    this.graceTimer.unref()
  }

  /** Terminates the worker now (its owner is done with it); resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopping = true
    this.clearGrace()
    await this.worker.terminate()
  }

  private clearGrace(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer)
    this.graceTimer = null
  }

  private report(f: () => void): void {
    if (this.reported || this.stopping) return
    this.reported = true
    f()
  }
}

/** Starts a worker thread speaking `In` (to it) and `Out` (from it). */
export function startWorker<In, Out>(spec: WorkerSpec, name: string): ManagedWorker<In, Out> {
  return new ManagedWorker<In, Out>(spec, name)
}

// Runs jobs in worker threads, one worker per job, at most `concurrency` at a time; records every
// job and its outcome in the manifest and tells listeners (IPC push, CLI progress) what happens.
import { randomBytes } from 'node:crypto'
import type { JobLive, JobLog, JobProgress, JobRecord, JobSpec } from '../../src-shared/jobs'
import { canRunAgain, isFinished, jobSpec } from '../../src-shared/jobs'
import { InputError, issuesText } from '../util/errors'
import { sweepStaleTemps } from '../lake/sweep'
import { JobsTable } from '../lake/jobsTable'
import type { Db } from '../lake/manifest'
import { startWorker, type ManagedWorker } from '../util/workerLifecycle'
import { JobMetricsRecorder } from './metricsSampler'
import type { FromWorker, ToWorker } from './protocol'

/** How often a running job's last-progress time is written to the manifest. */
const PROGRESS_SAVE_MS = 30_000

export interface JobEvents {
  changed(job: JobRecord): void
  progress(p: JobProgress): void
  log(entry: JobLog): void
  live(l: JobLive): void
}

export interface JobManagerOptions {
  readonly db: Db
  readonly lakeRoot: string
  /** The built worker entry (src-main/worker/worker.ts). */
  readonly workerPath: string | URL
  readonly concurrency?: number
  /** How long a cancelled job may take to stop before its worker is terminated. */
  readonly cancelGraceMs?: number
  /** The first interval of each job's metric samples (jobs/metricsSampler.ts; default 5 s). */
  readonly metricsIntervalMs?: number
}

interface Running {
  readonly worker: ManagedWorker<ToWorker, FromWorker>
  readonly done: Promise<JobRecord>
}

export class JobManager {
  private readonly jobs: JobsTable
  private readonly metrics: JobMetricsRecorder
  private readonly listeners = new Set<Partial<JobEvents>>()
  private readonly queue: {
    id: string
    spec: JobSpec
    secrets: Readonly<Record<string, string>> | undefined
  }[] = []
  private readonly running = new Map<string, Running>()
  private readonly waiters = new Map<string, ((job: JobRecord) => void)[]>()
  private closed = false

  /** What the start found left by a crash: jobs marked interrupted, stale temp files removed. */
  readonly recovered: { readonly interruptedJobs: number; readonly removedTemps: readonly string[] }

  constructor(private readonly opts: JobManagerOptions) {
    this.jobs = new JobsTable(opts.db)
    this.metrics = new JobMetricsRecorder(opts.db, opts.lakeRoot, opts.metricsIntervalMs, (m) => {
      process.stderr.write(`lakebook: ${m}\n`)
    })
    this.recovered = {
      interruptedJobs: this.jobs.markInterrupted(new Date().toISOString()),
      removedTemps: sweepStaleTemps(opts.lakeRoot)
    }
  }

  /** One sentence about what the start recovered, or null when it found nothing. */
  recoveredText(): string | null {
    const { interruptedJobs: n, removedTemps: t } = this.recovered
    if (n === 0 && t.length === 0) return null
    const parts: string[] = []
    if (n > 0)
      parts.push(
        `${n} job${n === 1 ? '' : 's'} left running by a stopped process marked interrupted`
      )
    if (t.length > 0)
      parts.push(
        `${t.length} stale temporary file${t.length === 1 ? '' : 's'} removed (${t.slice(0, 3).join(', ')}${t.length > 3 ? ', …' : ''})`
      )
    return `recovered after an earlier crash: ${parts.join('; ')}`
  }

  subscribe(listener: Partial<JobEvents>): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  list(limit?: number): JobRecord[] {
    return this.jobs.list(limit)
  }

  get(id: string): JobRecord {
    return this.jobs.get(id)
  }

  /**
   * Queues a job. `secrets` go to its worker only, never to the manifest or any listener (the
   * recorded params are `spec.params`, which must hold no secret).
   */
  start(spec: JobSpec, secrets?: Readonly<Record<string, string>>): string {
    if (this.closed) throw new Error('the job manager is shut down')
    // Every spec is checked here, whoever built it (the IPC router checks the UI's already; the
    // CLI builds its own from options, where a slip would otherwise reach the runner).
    const checked = jobSpec.safeParse(spec)
    if (!checked.success)
      throw new InputError(`invalid ${spec.kind} job: ${issuesText(checked.error)}`)
    const now = new Date()
    const id = `${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${spec.kind}-${randomBytes(3).toString('hex')}`
    const record = this.jobs.insert({
      id,
      kind: spec.kind,
      params: spec.params,
      createdAt: now.toISOString()
    })
    this.emit('changed', record)
    this.queue.push({ id, spec, secrets })
    this.pump()
    return id
  }

  /**
   * The spec to run a job again: allowed once it ended without success (interrupted by a stopped
   * process, failed, cancelled). An export or backfill run again with the same spec resumes from
   * its last checkpoint; other jobs start over.
   */
  againSpec(id: string): JobSpec {
    const job = this.jobs.find(id)
    if (job === null)
      throw new InputError(`no job ${id} in this lake's manifest (lakebook jobs lists them)`)
    if (!canRunAgain(job.state))
      throw new InputError(
        job.state === 'done'
          ? `job ${id} finished; there is nothing to resume`
          : `job ${id} is ${job.state}; wait for it or cancel it first`
      )
    const checked = jobSpec.safeParse({ kind: job.kind, params: job.params })
    if (!checked.success)
      throw new InputError(
        `job ${id} cannot be run again: its recorded ${job.kind} spec is not valid any more (${issuesText(checked.error)})`
      )
    return checked.data
  }

  /** Resolves when the job has finished, whatever the outcome. */
  wait(id: string): Promise<JobRecord> {
    const job = this.jobs.get(id)
    if (isFinished(job.state)) return Promise.resolve(job)
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? []
      list.push(resolve)
      this.waiters.set(id, list)
    })
  }

  cancel(id: string): void {
    const queued = this.queue.findIndex((q) => q.id === id)
    if (queued >= 0) {
      this.queue.splice(queued, 1)
      this.finish(id, 'cancelled', null, {
        kind: 'cancelled',
        message: 'cancelled before it started'
      })
      return
    }
    const run = this.running.get(id)
    if (!run || run.worker.cancelling) return
    // Bounded: a job that ignores cancellation is stopped by force after the grace period
    // (cancelGraceMs, default 5 s: what a job gets to flush and close its files).
    run.worker.cancel({ type: 'cancel' }, this.opts.cancelGraceMs ?? 5000)
  }

  /** Cancels everything and waits (bounded) for the workers to stop. */
  async shutdown(): Promise<void> {
    this.closed = true
    for (const q of this.queue.splice(0)) {
      this.finish(q.id, 'cancelled', null, { kind: 'cancelled', message: 'cancelled at shutdown' })
    }
    const pending = [...this.running.entries()].map(([id, run]) => {
      this.cancel(id)
      return run.done
    })
    await Promise.all(pending)
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 2
    while (this.running.size < limit && this.queue.length > 0) {
      const next = this.queue.shift()
      if (next) this.launch(next.id, next.spec, next.secrets)
    }
  }

  private launch(
    id: string,
    spec: JobSpec,
    secrets: Readonly<Record<string, string>> | undefined
  ): void {
    // The job's 'error' and unasked exits come as "worker crashed: …" / "worker exited with code n".
    const worker = startWorker<ToWorker, FromWorker>({ path: this.opts.workerPath }, 'worker')
    let settled = false
    let resolveDone: (job: JobRecord) => void = () => undefined
    const done = new Promise<JobRecord>((r) => (resolveDone = r))
    const run: Running = { worker, done }
    this.running.set(id, run)
    this.emit('changed', this.jobs.markRunning(id, new Date().toISOString()))

    const settle = (
      state: JobRecord['state'],
      result: unknown,
      error: JobRecord['error']
    ): void => {
      if (settled) return
      settled = true
      this.running.delete(id)
      this.metrics.end(id)
      resolveDone(this.finish(id, state, result, error))
      void worker.stop()
      this.pump()
    }

    // The manifest keeps the time of the last progress (for the stalled-job alert, any process),
    // written at most every PROGRESS_SAVE_MS: progress itself arrives at up to 10 Hz.
    let savedProgressAt = 0
    worker.onMessage((m) => {
      switch (m.type) {
        case 'progress': {
          this.emit('progress', m.progress)
          this.metrics.progress(id, m.progress)
          const now = Date.now()
          if (now - savedProgressAt >= PROGRESS_SAVE_MS) {
            savedProgressAt = now
            this.jobs.progressAt(id, new Date(now).toISOString())
          }
          break
        }
        case 'log':
          this.emit('log', m.log)
          break
        case 'live':
          this.emit('live', { ...m.live, jobId: id })
          this.metrics.live(id, m.live)
          break
        case 'done':
          settle('done', m.result, null)
          break
        case 'failed':
          settle(m.error.kind === 'cancelled' ? 'cancelled' : 'failed', null, {
            kind: m.error.kind,
            message: m.error.message
          })
          break
      }
    })
    worker.onFailure((e) => {
      settle('failed', null, { kind: 'internal', message: e.message })
    })
    worker.onCancelled(() => {
      settle('cancelled', null, { kind: 'cancelled', message: 'stopped by force after cancel' })
    })
    worker.post({
      type: 'start',
      jobId: id,
      lakeRoot: this.opts.lakeRoot,
      spec,
      secrets
    } satisfies ToWorker)
  }

  private finish(
    id: string,
    state: JobRecord['state'],
    result: unknown,
    error: JobRecord['error']
  ): JobRecord {
    const record = this.jobs.finish(id, state, new Date().toISOString(), result, error)
    this.emit('changed', record)
    for (const w of this.waiters.get(id) ?? []) w(record)
    this.waiters.delete(id)
    return record
  }

  private emit<K extends keyof JobEvents>(kind: K, payload: Parameters<JobEvents[K]>[0]): void {
    for (const l of this.listeners)
      (l[kind] as ((p: typeof payload) => void) | undefined)?.(payload)
  }
}

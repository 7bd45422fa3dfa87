// What a running job sees: progress (throttled here, once, for every job), logs and cancellation.
import type { JobLivePayload, JobLog, JobProgress } from '../../src-shared/jobs'
import { CancelledError } from '../util/errors'

export interface ProgressStep {
  readonly done: number
  readonly total?: number | null
  readonly unit: string
  readonly message?: string
  /** Counters so far (e.g. crossings), for the job's metric samples (jobs/metricsSampler.ts). */
  readonly metrics?: Readonly<Record<string, number>> | undefined
}

export interface JobContext {
  readonly jobId: string
  readonly lakeRoot: string
  readonly signal: AbortSignal
  /** Credentials handed to this run only (never persisted); undefined when none were given. */
  readonly secrets?: Readonly<Record<string, string>> | undefined
  /** Reports progress; calls faster than the throttle interval are coalesced (latest wins). */
  progress(step: ProgressStep): void
  log(level: JobLog['level'], message: string): void
  /** Publishes a live view for the UI (the caller keeps it at ≤ 10 Hz); absent in plain runs. */
  live?: (live: JobLivePayload) => void
  /** Throws CancelledError when the job was cancelled; call it between units of work. */
  checkCancelled(): void
}

export interface ContextSinks {
  progress(p: JobProgress): void
  log(entry: JobLog): void
  live?(live: JobLivePayload): void
}

/** Progress reaches the UI at most this often (the issue asks for ~10 Hz). */
export const PROGRESS_INTERVAL_MS = 100

export function createJobContext(
  jobId: string,
  lakeRoot: string,
  signal: AbortSignal,
  sinks: ContextSinks,
  now: () => number = () => performance.now(),
  secrets?: Readonly<Record<string, string>>
): JobContext & { flush(): void } {
  const started = now()
  let lastSent = -Infinity
  let latest: ProgressStep | null = null

  const emit = (step: ProgressStep): void => {
    const elapsedS = Math.max((now() - started) / 1000, 1e-9)
    const rate = step.done / elapsedS
    const total = step.total ?? null
    const etaMs = total !== null && rate > 0 ? ((total - step.done) / rate) * 1000 : null
    sinks.progress({
      jobId,
      done: step.done,
      total,
      unit: step.unit,
      rate,
      etaMs: etaMs === null ? null : Math.max(0, etaMs),
      message: step.message ?? '',
      ...(step.metrics ? { metrics: step.metrics } : {})
    })
    lastSent = now()
    latest = null
  }

  return {
    jobId,
    lakeRoot,
    signal,
    secrets,
    progress(step) {
      latest = step
      if (now() - lastSent >= PROGRESS_INTERVAL_MS) emit(step)
    },
    log(level, message) {
      sinks.log({ jobId, level, message, at: new Date().toISOString() })
    },
    live: (live) => {
      sinks.live?.(live)
    },
    checkCancelled() {
      if (signal.aborted) throw new CancelledError()
    },
    flush() {
      if (latest) emit(latest)
    }
  }
}

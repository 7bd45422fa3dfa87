// Each job's metric time series in the manifest (lake/jobMetrics.ts), at a bounded rate: every
// BASE_MS at first, the interval doubling after every PER_LEVEL samples, so a job of any length
// keeps a bounded series — an hour at 5 s is 720 samples, a day ~3,300, a year ~10,000 — and a
// short job still has a curve.
import { statfsSync } from 'node:fs'
import type { JobLivePayload, JobProgress } from '../../src-shared/jobs'
import { METRIC_NAMES, type MetricName } from '../../src-shared/monitor'
import { JobMetricsTable, type MetricValues } from '../lake/jobMetrics'
import type { Db } from '../lake/manifest'
import { errorMessage } from '../util/errors'
export const METRICS_BASE_MS = 5_000
export const METRICS_PER_LEVEL = 720

/** The interval after `samples` samples. */
export function metricsInterval(samples: number, baseMs = METRICS_BASE_MS): number {
  return baseMs * 2 ** Math.floor(samples / METRICS_PER_LEVEL)
}

/** Per job: whether a sample is due now. */
export class MetricsSampler {
  private samples = 0
  private last = -Infinity

  constructor(
    private readonly baseMs = METRICS_BASE_MS,
    already = 0
  ) {
    this.samples = already
  }

  due(nowMs: number): boolean {
    return nowMs - this.last >= metricsInterval(this.samples, this.baseMs)
  }

  taken(nowMs: number): void {
    this.samples++
    this.last = nowMs
  }
}

/** What a job's latest live view says (a capture's counters), kept until the next sample. */
type LiveValues = Pick<MetricValues, 'gaps' | 'messagesPerSec' | 'lagMs'>

/**
 * Writes each running job's samples to the manifest: its progress rate and units done, the free
 * disk at the lake root and, for a capture, its gaps, message rate and lag. A failed write (a full
 * disk) is counted and said once, never thrown into the job.
 */
export class JobMetricsRecorder {
  private readonly table: JobMetricsTable
  private readonly jobs = new Map<
    string,
    { sampler: MetricsSampler; progress: JobProgress | null; live: LiveValues }
  >()
  private failures = 0

  constructor(
    db: Db,
    private readonly lakeRoot: string,
    private readonly baseMs = METRICS_BASE_MS,
    private readonly warn: (message: string) => void = () => undefined
  ) {
    this.table = new JobMetricsTable(db)
  }

  private of(id: string) {
    let j = this.jobs.get(id)
    if (!j) {
      j = {
        sampler: new MetricsSampler(this.baseMs, this.table.count(id)),
        progress: null,
        live: {}
      }
      this.jobs.set(id, j)
    }
    return j
  }

  progress(id: string, p: JobProgress, nowMs = Date.now()): void {
    const j = this.of(id)
    j.progress = p
    if (j.sampler.due(nowMs)) this.write(id, nowMs)
  }

  /** A live view (only a capture publishes one: JobKinds). */
  live(id: string, l: JobLivePayload): void {
    const c = l.payload
    this.of(id).live = {
      gaps: c.gaps,
      messagesPerSec: c.messagesPerSec,
      ...(c.exchangeLagMs !== null ? { lagMs: c.exchangeLagMs } : {})
    }
  }

  /** The job ended: one last sample (its final figures), then it is forgotten. */
  end(id: string, nowMs = Date.now()): void {
    if (this.jobs.get(id)?.progress) this.write(id, nowMs)
    this.jobs.delete(id)
  }

  private write(id: string, nowMs: number): void {
    const j = this.of(id)
    const p = j.progress
    const values: MetricValues = { ...j.live }
    if (p) {
      values.throughput = p.rate
      values.done = p.done
      for (const [k, v] of Object.entries(p.metrics ?? {}))
        if ((METRIC_NAMES as readonly string[]).includes(k) && Number.isFinite(v))
          values[k as MetricName] = v
    }
    try {
      const fs = statfsSync(this.lakeRoot)
      values.diskFreeBytes = fs.bavail * fs.bsize
    } catch {
      // A lake root that cannot be measured just has no disk series.
    }
    try {
      this.table.insert(id, nowMs, p?.unit ?? null, values)
      j.sampler.taken(nowMs)
    } catch (e) {
      if (this.failures++ === 0)
        this.warn(`job metrics could not be written to the manifest: ${errorMessage(e)}`)
    }
  }
}

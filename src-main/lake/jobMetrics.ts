// The manifest's job_metrics table: each job's metric samples (one row per sample, its values as a
// JSON object), written by the job manager at a bounded rate (jobs/metricsSampler.ts) and read by
// the Monitor page's chart and the disk-fill forecast of `lakebook status`.
import {
  METRIC_NAMES,
  type JobMetricsView,
  type MetricJob,
  type MetricName
} from '../../src-shared/monitor'
import type { Db } from './manifest'

export type MetricValues = Partial<Record<MetricName, number>>

interface Row {
  readonly at_ms: number
  readonly unit: string | null
  readonly values_json: string
}

const parse = (json: string): MetricValues => {
  try {
    const v = JSON.parse(json) as Record<string, unknown>
    const out: MetricValues = {}
    for (const n of METRIC_NAMES) {
      const x = v[n]
      if (typeof x === 'number' && Number.isFinite(x)) out[n] = x
    }
    return out
  } catch {
    return {}
  }
}

/** The unit most samples were in (a job's phases may count in other units: files, then rows). */
function mostCommon(units: readonly (string | null)[]): string | null {
  const n = new Map<string, number>()
  for (const u of units) if (u !== null) n.set(u, (n.get(u) ?? 0) + 1)
  let best: string | null = null
  for (const [u, c] of n) if (best === null || c > (n.get(best) ?? 0)) best = u
  return best
}

export class JobMetricsTable {
  constructor(private readonly db: Db) {}

  insert(jobId: string, atMs: number, unit: string | null, values: MetricValues): void {
    this.db
      .prepare('INSERT INTO job_metrics (job_id, at_ms, unit, values_json) VALUES (?, ?, ?, ?)')
      .run(jobId, Math.round(atMs), unit, JSON.stringify(values))
  }

  /** Samples a job has (the sampler's rate depends on it). */
  count(jobId: string): number {
    const r = this.db
      .prepare('SELECT COUNT(*) AS n FROM job_metrics WHERE job_id = ?')
      .get(jobId) as { n: number }
    return r.n
  }

  /** Jobs with samples, the most recent first. */
  jobs(limit = 50): MetricJob[] {
    const rows = this.db
      .prepare(
        `SELECT m.job_id AS id, j.kind AS kind, COUNT(*) AS samples, MIN(m.at_ms) AS firstAt,
                MAX(m.at_ms) AS lastAt
           FROM job_metrics m LEFT JOIN jobs j ON j.id = m.job_id
          GROUP BY m.job_id ORDER BY lastAt DESC LIMIT ?`
      )
      .all(limit) as {
      id: string
      kind: string | null
      samples: number
      firstAt: number
      lastAt: number
    }[]
    return rows.map((r) => ({ ...r, kind: r.kind ?? 'unknown' }))
  }

  series(jobId: string): JobMetricsView | null {
    const rows = this.db
      .prepare('SELECT at_ms, unit, values_json FROM job_metrics WHERE job_id = ? ORDER BY at_ms')
      .all(jobId) as Row[]
    if (rows.length === 0) return null
    const kind = this.db.prepare('SELECT kind FROM jobs WHERE id = ?').get(jobId) as
      { kind: string } | undefined
    const values = rows.map((r) => parse(r.values_json))
    const series: Partial<Record<MetricName, (number | null)[]>> = {}
    for (const n of METRIC_NAMES)
      if (values.some((v) => v[n] !== undefined)) series[n] = values.map((v) => v[n] ?? null)
    return {
      jobId,
      kind: kind?.kind ?? 'unknown',
      unit: mostCommon(rows.map((r) => r.unit)),
      at: rows.map((r) => r.at_ms),
      series
    }
  }

  /** Free-disk samples of every job since a time, oldest first (the disk-fill forecast). */
  diskSamples(sinceMs: number): { atMs: number; freeBytes: number }[] {
    const rows = this.db
      .prepare('SELECT at_ms, values_json FROM job_metrics WHERE at_ms >= ? ORDER BY at_ms')
      .all(sinceMs) as Row[]
    const out: { atMs: number; freeBytes: number }[] = []
    for (const r of rows) {
      const v = parse(r.values_json).diskFreeBytes
      if (v !== undefined) out.push({ atMs: r.at_ms, freeBytes: v })
    }
    return out
  }
}

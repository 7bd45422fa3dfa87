// The progress report (the roadmap's communication plan): what the lake did over a period —
// downloaded (files, bytes, quota share and cost), validated (runs, files passed / warned /
// failed), replayed and exported (jobs done and failed per kind), alerts raised and cleared — and
// the state of each phase gate now. Read from the manifest only; JSON + a self-contained HTML page
// in <lake>/reports/ (`lakebook report progress [--since D]`).
import { join } from 'node:path'
import type { TrustConfig } from '../../src-shared/gates'
import { fmtBytes } from '../../src-shared/format'
import { esc, renderReport, table, verdict } from '../html/html'
import { hasTable, type Db } from '../lake/manifest'
import { gatesView } from '../gates/service'
import { loadTrustConfig } from '../lake/trustConfig'
import { quotaMonthStart } from '../sources/cryptolake/plan'
import { writeFileAtomic } from '../util/atomicWrite'
import { VERSION } from '../version'

export interface ProgressReport {
  readonly format: 'lakebook-progress-report'
  readonly version: 1
  readonly lake: string
  readonly from: string
  readonly to: string
  readonly downloaded: {
    readonly transfers: number
    readonly bytes: number
    readonly filesVerified: number
    readonly filesFailed: number
  }
  readonly quota: {
    readonly monthStart: string
    readonly usedBytes: number
    readonly limitBytes: number
    readonly share: number
    readonly pricePerMonthUsd: number
  }
  readonly validated: {
    readonly runs: number
    readonly files: { readonly pass: number; readonly warn: number; readonly fail: number }
  }
  readonly jobs: readonly {
    readonly kind: string
    readonly done: number
    readonly failed: number
    readonly cancelled: number
    readonly interrupted: number
  }[]
  readonly alerts: { readonly raised: number; readonly cleared: number; readonly firing: number }
  readonly gates: readonly {
    readonly id: string
    readonly status: string
    readonly summary: string
  }[]
}

/** One aggregate row (SQLite's SUM of nothing is NULL: each query COALESCEs to 0). */
interface Agg {
  readonly n: number
  readonly bytes: number
  readonly ok: number
  readonly bad: number
  readonly pass: number
  readonly warn: number
  readonly fail: number
}

export function progressReport(db: Db, lake: string, from: Date, to: Date): ProgressReport {
  const a = from.toISOString()
  const b = to.toISOString()
  const trust: TrustConfig = loadTrustConfig(lake)
  // Every query below is an aggregate: it returns exactly one row.
  const one = (sql: string, ...args: unknown[]): Agg => db.prepare(sql).get(...args) as Agg
  const tr = hasTable(db, 'acquisition_transfers')
    ? one(
        'SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS bytes FROM acquisition_transfers WHERE at >= ? AND at < ?',
        a,
        b
      )
    : { n: 0, bytes: 0 }
  const files = hasTable(db, 'acquired_files')
    ? one(
        "SELECT COALESCE(SUM(status = 'verified'), 0) AS ok, COALESCE(SUM(status != 'verified'), 0) AS bad FROM acquired_files WHERE recorded_at >= ? AND recorded_at < ?",
        a,
        b
      )
    : { ok: 0, bad: 0 }
  const month = quotaMonthStart(to)
  const used = hasTable(db, 'acquisition_transfers')
    ? one('SELECT COALESCE(SUM(bytes), 0) AS bytes FROM acquisition_transfers WHERE at >= ?', month)
        .bytes
    : 0
  const limit = trust.plan.quotaGbPerMonth * 1e9
  const runs = one(
    'SELECT COUNT(*) AS n FROM validation_runs WHERE created_at >= ? AND created_at < ?',
    a,
    b
  ).n
  const vf = one(
    `SELECT COALESCE(SUM(f.status = 'pass'), 0) AS pass, COALESCE(SUM(f.status = 'warn'), 0) AS warn,
       COALESCE(SUM(f.status = 'fail'), 0) AS fail
     FROM validation_files f JOIN validation_runs r ON r.id = f.run_id
     WHERE r.created_at >= ? AND r.created_at < ?`,
    a,
    b
  )
  const jobs = db
    .prepare(
      `SELECT kind, SUM(state = 'done') AS done, SUM(state = 'failed') AS failed,
         SUM(state = 'cancelled') AS cancelled, SUM(state = 'interrupted') AS interrupted
       FROM jobs WHERE ended_at >= ? AND ended_at < ? GROUP BY kind ORDER BY kind`
    )
    .all(a, b) as ProgressReport['jobs'][number][]
  const alerts = {
    raised: one('SELECT COUNT(*) AS n FROM alerts WHERE first_at >= ? AND first_at < ?', a, b).n,
    cleared: one('SELECT COUNT(*) AS n FROM alerts WHERE cleared_at >= ? AND cleared_at < ?', a, b)
      .n,
    firing: one("SELECT COUNT(*) AS n FROM alerts WHERE state = 'firing'").n
  }
  const gates = gatesView(lake).gates.map((g) => ({
    id: g.id,
    status: g.status,
    summary: g.summary
  }))
  return {
    format: 'lakebook-progress-report',
    version: 1,
    lake,
    from: a,
    to: b,
    downloaded: {
      transfers: tr.n,
      bytes: tr.bytes,
      filesVerified: files.ok,
      filesFailed: files.bad
    },
    quota: {
      monthStart: month,
      usedBytes: used,
      limitBytes: limit,
      share: limit > 0 ? used / limit : 0,
      pricePerMonthUsd: trust.plan.pricePerMonthUsd
    },
    validated: { runs, files: vf },
    jobs,
    alerts,
    gates
  }
}

export function progressHtml(r: ProgressReport): string {
  const sum = (k: 'done' | 'failed'): number => r.jobs.reduce((s, j) => s + j[k], 0)
  return renderReport({
    title: 'lakebook progress report',
    subtitle: `${r.from.slice(0, 10)} → ${r.to.slice(0, 10)} · ${r.lake}`,
    provenance: [
      ['command', 'lakebook report progress'],
      ['lakebook', VERSION],
      ['period', `${r.from} … ${r.to}`]
    ],
    sections: [
      {
        heading: 'Summary',
        html: table(
          ['what', 'in the period'],
          [
            ['downloaded', `${r.downloaded.transfers} transfers, ${fmtBytes(r.downloaded.bytes)}`],
            [
              'files verified / failed',
              `${r.downloaded.filesVerified} / ${r.downloaded.filesFailed}`
            ],
            [
              'validated',
              `${r.validated.runs} runs: ${r.validated.files.pass} files pass, ${r.validated.files.warn} warn, ${r.validated.files.fail} fail`
            ],
            ['jobs done / failed', `${sum('done')} / ${sum('failed')}`],
            [
              'alerts',
              `${r.alerts.raised} raised, ${r.alerts.cleared} cleared, ${r.alerts.firing} firing now`
            ],
            [
              'quota this month',
              `${fmtBytes(r.quota.usedBytes)} of ${fmtBytes(r.quota.limitBytes)} (${(100 * r.quota.share).toFixed(1)} %), plan $${r.quota.pricePerMonthUsd}/month`
            ]
          ]
        )
      },
      {
        heading: 'Jobs by kind',
        html:
          r.jobs.length === 0
            ? '<p>No job ended in the period.</p>'
            : table(
                ['kind', 'done', 'failed', 'cancelled', 'interrupted'],
                r.jobs.map((j) => [j.kind, j.done, j.failed, j.cancelled, j.interrupted])
              )
      },
      {
        heading: 'Phase gates now',
        html: table(
          ['gate', 'status', 'why'],
          r.gates.map((g) => [
            g.id,
            verdict(g.status === 'pass' ? true : g.status === 'fail' ? false : null, g.status),
            { html: esc(g.summary) }
          ])
        )
      }
    ]
  })
}

/** Writes progress-<to day>.json and .html into <lake>/reports; returns both paths. */
export function writeProgressReport(
  r: ProgressReport,
  lake: string
): { json: string; html: string } {
  const base = join(lake, 'reports', `progress-${r.from.slice(0, 10)}_${r.to.slice(0, 10)}`)
  writeFileAtomic(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`)
  writeFileAtomic(`${base}.html`, progressHtml(r))
  return { json: `${base}.json`, html: `${base}.html` }
}

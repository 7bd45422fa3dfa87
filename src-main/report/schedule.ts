// Scheduled progress reports: after each UTC day ends, progress-daily-<day>; after each ISO week
// ends (Monday 00:00 UTC), progress-weekly-<YYYY-Www> — the generator of `lakebook report
// progress` over exactly that period. Each is written once: a period whose JSON and HTML are
// both there is skipped, and each file is replaced atomically, so two processes (the app and a
// CLI) or a crash between the two files at worst rewrite the same report. A period missed while
// nothing ran is caught up, back at most CATCH_UP_DAYS days and CATCH_UP_WEEKS weeks, never before
// the lake's first job (a new lake gets only the latest period of each kind).
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ReportPeriodKind, ScheduleResult, ScheduledReport } from '../../src-shared/reports'
import { hasTable, type Db } from '../lake/manifest'
import { writeFileAtomic } from '../util/atomicWrite'
import { progressHtml, progressReport } from './progress'

const DAY_MS = 86_400_000
export const CATCH_UP_DAYS = 7
export const CATCH_UP_WEEKS = 4

export interface ReportPeriod {
  readonly kind: ReportPeriodKind
  readonly period: string
  readonly fromMs: number
  readonly toMs: number
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** ISO 8601 week of a Monday (its Thursday's year). */
export function isoWeek(mondayMs: number): string {
  const thursday = new Date(mondayMs + 3 * DAY_MS)
  const year = thursday.getUTCFullYear()
  const jan4 = Date.UTC(year, 0, 4)
  const week1Monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS
  const week = Math.floor((mondayMs - week1Monday) / (7 * DAY_MS)) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** The ended periods due at `nowMs`, oldest first, none starting before `sinceMs`. */
export function duePeriods(nowMs: number, sinceMs: number | null): ReportPeriod[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY_MS
  const out: ReportPeriod[] = []
  for (let k = CATCH_UP_WEEKS; k >= 1; k--) {
    const from = monday - k * 7 * DAY_MS
    if (k > 1 && (sinceMs === null || from + 7 * DAY_MS <= sinceMs)) continue
    out.push({ kind: 'weekly', period: isoWeek(from), fromMs: from, toMs: from + 7 * DAY_MS })
  }
  for (let k = CATCH_UP_DAYS; k >= 1; k--) {
    const from = today - k * DAY_MS
    if (k > 1 && (sinceMs === null || from + DAY_MS <= sinceMs)) continue
    out.push({ kind: 'daily', period: dayOf(from), fromMs: from, toMs: from + DAY_MS })
  }
  return out
}

const REPORTS = 'reports'
const baseOf = (lake: string, kind: ReportPeriodKind, period: string): string =>
  join(lake, REPORTS, `progress-${kind}-${period}`)

function firstJobMs(db: Db): number | null {
  const r = db.prepare('SELECT MIN(created_at) AS t FROM jobs').get() as { t: string | null }
  return r.t === null ? null : Date.parse(r.t)
}

/**
 * Why there is nothing to report yet (null when there is something): a lake that has never run a
 * job (download, validation, replay, export…), transferred a file or validated one would only get
 * reports of zeros.
 */
export function nothingToReport(db: Db): string | null {
  const any = (t: string): boolean =>
    hasTable(db, t) && db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get() !== undefined
  if (any('jobs') || any('acquisition_transfers') || any('validation_runs')) return null
  return 'there is nothing to report yet, as this lake has never downloaded, validated, replayed or exported anything (its manifest holds no job); no daily or weekly progress report was written'
}

/**
 * Writes every due report that is not there yet; says what it wrote and how many it skipped. The
 * one writer of the schedule: the app and browser host (scheduler.ts), `lakebook report progress
 * --schedule` (cron) and `lakebook pipeline run` all call it. A lake with nothing to report gets
 * no report (`nothingYet` says why).
 */
export function writeScheduledReports(db: Db, lake: string, nowMs: number): ScheduleResult {
  const nothingYet = nothingToReport(db)
  if (nothingYet !== null) return { written: [], skipped: 0, nothingYet }
  const written: ScheduledReport[] = []
  let skipped = 0
  for (const p of duePeriods(nowMs, firstJobMs(db))) {
    const base = baseOf(lake, p.kind, p.period)
    if (existsSync(`${base}.json`) && existsSync(`${base}.html`)) {
      skipped++
      continue
    }
    const r = progressReport(db, lake, new Date(p.fromMs), new Date(p.toMs))
    // The HTML first: the JSON's presence then means both were written.
    writeFileAtomic(`${base}.html`, progressHtml(r))
    writeFileAtomic(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`)
    written.push({
      kind: p.kind,
      period: p.period,
      from: r.from,
      to: r.to,
      json: `${base}.json`,
      html: `${base}.html`
    })
  }
  return { written, skipped }
}

const NAME = /^progress-(daily|weekly)-(\d{4}-\d{2}-\d{2}|\d{4}-W\d{2})\.json$/

/** The scheduled reports in <lake>/reports, newest period first (weekly before daily on a tie). */
export function listScheduledReports(lake: string): ScheduledReport[] {
  const dir = join(lake, REPORTS)
  if (!existsSync(dir)) return []
  const out: ScheduledReport[] = []
  for (const f of readdirSync(dir)) {
    const m = NAME.exec(f)
    if (!m) continue
    const kind = m[1] as ReportPeriodKind
    const period = m[2] ?? ''
    const base = baseOf(lake, kind, period)
    if (!existsSync(`${base}.html`)) continue
    const from =
      kind === 'daily' ? `${period}T00:00:00.000Z` : new Date(weekStartMs(period)).toISOString()
    const to = new Date(Date.parse(from) + (kind === 'daily' ? 1 : 7) * DAY_MS).toISOString()
    out.push({ kind, period, from, to, json: `${base}.json`, html: `${base}.html` })
  }
  return out.sort((a, b) =>
    a.to !== b.to ? (a.to < b.to ? 1 : -1) : a.kind === b.kind ? 0 : a.kind === 'weekly' ? -1 : 1
  )
}

/** The Monday 00:00 UTC of an ISO week YYYY-Www. */
export function weekStartMs(week: string): number {
  const year = Number(week.slice(0, 4))
  const n = Number(week.slice(6))
  const jan4 = Date.UTC(year, 0, 4)
  const week1Monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS
  return week1Monday + (n - 1) * 7 * DAY_MS
}

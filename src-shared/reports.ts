// Scheduled progress reports: one per UTC day after it ends and one per ISO week after it ends,
// written into <lake>/reports by the app, the browser host and `lakebook report progress
// --schedule` (src-main/report/schedule.ts), listed on the Monitor page.

export type ReportPeriodKind = 'daily' | 'weekly'

export interface ScheduledReport {
  readonly kind: ReportPeriodKind
  /** The day (YYYY-MM-DD) or ISO week (YYYY-Www) it covers. */
  readonly period: string
  readonly from: string
  readonly to: string
  readonly json: string
  readonly html: string
}

export interface ScheduleResult {
  readonly written: readonly ScheduledReport[]
  /** Due periods whose report was already there (never written twice). */
  readonly skipped: number
  /** Set when the lake has nothing to report yet (no job, transfer or validation ever): why. */
  readonly nothingYet?: string
}

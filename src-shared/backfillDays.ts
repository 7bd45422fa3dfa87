// The latest backfill's days with their summaries, as `lakebook status --json` and the Monitor
// page show them (monitor/backfillDays.ts reads them from the manifest).
import type { BackfillDayView } from './export'

export interface BackfillDaysView {
  readonly id: string
  readonly dataset: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string
  readonly to: string
  readonly days: readonly BackfillDayView[]
  /** Done days per verdict, and done days without a summary (done before summaries were kept). */
  readonly verdicts: {
    readonly pass: number
    readonly warn: number
    readonly fail: number
    readonly unsummarised: number
  }
}

// A finished backfill day in figures, as the manifest keeps it (export_backfill_days.summary):
// what went in, what the replay did with it, what it measured and the verdict against the lake's
// alert thresholds. Made once per day from its day certificate (src-main/export/daySummary.ts),
// shown by `lakebook status --json`, `lakebook backfill status` and the Monitor page.
import type { DaySeedSource } from './lake'

export type DayVerdict = 'pass' | 'warn' | 'fail'

export interface BackfillDaySummary {
  readonly day: string
  /** Input rows of the day (book_delta_v2 + trades + book, from the file footers). */
  readonly inputRows: number
  /** Rows of the day replayed, per input table. */
  readonly events: {
    readonly deltaRows: number
    readonly trades: number
    readonly bookRows: number
  }
  /** Delta rows of the day applied to the book (the rest came before a seed). */
  readonly bookRowsApplied: number
  /** How the day's book began. */
  readonly seed: DaySeedSource
  /** Input tables without a file for the day. */
  readonly missingTables: readonly string[]
  /** Snapshot bursts in the day's book_delta_v2 and those that re-seeded a book already seeded. */
  readonly bursts: number
  readonly resyncs: number
  /** The day's replayed receive times (absent in summaries made before they were kept). */
  readonly firstReceiveTime?: string | null | undefined
  readonly lastReceiveTime?: string | null | undefined
  /** Crossed-book episodes touching the day and the crossed time inside it. */
  readonly crossings: number
  readonly crossedMs: number
  /** Crossed time over the day's replayed span (null without a span). */
  readonly crossedShare: number | null
  /**
   * The book against the vendor's `book` rows compared on the day itself (receive time): the
   * warm-up days, whose book is only being seeded, are left out. Summaries of day jobs from before
   * the drift was kept per day cover the whole run ('day and warm-up') and have no maximum.
   */
  readonly drift: {
    readonly scope: 'day' | 'day and warm-up'
    readonly aligned: number
    readonly meanJaccard: number | null
    readonly minJaccard: number | null
    readonly meanAbsMidErrTicks: number | null
    /** The largest |Δmid| of a compared row of the day, ticks (null: none compared, or older). */
    readonly maxAbsMidErrTicks?: number | null
  }
  /** Counted input issues (refused rows…) of the run. */
  readonly issues: number
  readonly outputRows: number
  readonly outputBytes: number
  /** Wall time of the day job (warm-up replay included) and input rows per second of it. */
  readonly seconds: number
  readonly rowsPerSecond: number | null
  readonly verdict: DayVerdict
  /** Why the verdict is not pass, one sentence each. */
  readonly reasons: readonly string[]
}

// `lakebook doctor` and the app's Doctor page: one line per check of this machine's environment.

/** pass: fine; warn: works, but something optional is missing; fail: lakebook cannot work. */
export type CheckStatus = 'pass' | 'warn' | 'fail'

export interface DoctorCheck {
  readonly id: string
  readonly title: string
  readonly status: CheckStatus
  /** What was found, one sentence. */
  readonly detail: string
  /** What to do about a warn or fail; null when it passes. */
  readonly fix: string | null
  /** A required check that does not pass makes the report fail (exit 1). */
  readonly required: boolean
}

export interface DoctorReport {
  readonly at: string
  /** e.g. "Node 20.20.2" or "Electron 44.11.5". */
  readonly runtime: string
  readonly lakeRoot: string
  readonly checks: readonly DoctorCheck[]
  /** No required check failed. */
  readonly ok: boolean
}

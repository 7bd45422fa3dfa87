// Rows a Crypto Lake day file cannot hold: a receive time outside its partition day (beyond the
// gate's tolerance for rows straddling midnight), or an exchange time more than a day away from
// the row's receive time. The writer rolls files on the receive-time date, so such a row is
// damage, not data. It is refused, never applied, and counted with file and row — in the replay's
// issues and in an export's refused rows — instead of silently moving the replay to 1915 or
// past the export's end (where it was never seen).
//
// A refused row keeps its place in the file: its receive time becomes the previous kept row's
// (the day's start before any), so the merge reaches it where the file has it and the stream
// stays in receive order. Its true times are in the issue message. This is deterministic across
// an export's resume: a checkpoint is taken only once every stream's head is past the chunk
// start, so the row a resumed stream starts at is a kept row.
import { DEFAULT_THRESHOLDS } from '../../../src-shared/validate'
import { isoOfUs } from '../../../src-shared/format'
import type { IssueLog } from '../../util/issueLog'

const US_PER_DAY = 86_400_000_000

/** What a refused row is marked with in a batch's `refused` column. */
export const REFUSED = { outsideDay: 1, exchangeTime: 2 } as const

export class DayWindow {
  private readonly dayStart: number
  private readonly lo: number
  private readonly hi: number
  private lastKept = NaN

  constructor(
    private readonly day: string,
    private readonly toleranceUs = DEFAULT_THRESHOLDS.inDayToleranceS * 1e6
  ) {
    this.dayStart = Date.parse(`${day}T00:00:00Z`) * 1000
    this.lo = this.dayStart - toleranceUs
    this.hi = this.dayStart + US_PER_DAY + toleranceUs
  }

  /**
   * Checks a batch's rows in place. Returns the refused-row marks (REFUSED codes), or null when
   * every row is kept (the common case: no allocation).
   */
  check(
    recv: Float64Array,
    exch: Float64Array,
    n: number,
    file: string,
    rowStart: number,
    issues: IssueLog
  ): Uint8Array | null {
    let marks: Uint8Array | null = null
    const { lo, hi } = this
    for (let i = 0; i < n; i++) {
      const r = recv[i] ?? NaN
      const e = exch[i] ?? 0
      // Written as a range test so that a NaN time is refused too.
      const inDay = r >= lo && r < hi
      const exchOk = e === 0 || Math.abs(e - r) <= US_PER_DAY // 0: the exchange gave none
      if (inDay && exchOk) {
        this.lastKept = r
        continue
      }
      marks ??= new Uint8Array(n)
      marks[i] = inDay ? REFUSED.exchangeTime : REFUSED.outsideDay
      if (inDay)
        issues.add(
          'implausible-time',
          file,
          rowStart + i,
          `exchange time ${isoOfUs(e)} is more than a day from the row's receive time ${isoOfUs(r)}: row refused`
        )
      else
        issues.add(
          'outside-day',
          file,
          rowStart + i,
          `receive time ${isoOfUs(r)} is outside ${this.day} ` +
            `(± ${this.toleranceUs / 1e6} s), the file's day: row refused`
        )
      recv[i] = Number.isNaN(this.lastKept) ? this.dayStart : this.lastKept
    }
    return marks
  }
}

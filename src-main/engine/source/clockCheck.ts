// Exchange times of capture messages that cannot be: before Binance existed, after the line was
// received, or hours away from the capture's clock offset (1915, 3000, a wrong unit). Such a
// message is refused at the source, by line; the real captures' exchange clocks run within
// ~1.3 s of the recorder's.
import type { IssueLog } from '../../util/issueLog'

/** An exchange time whose clock offset moves further than this from the first one is not believed. */
export const MAX_CLOCK_SKEW_MS = 3_600_000

/** Binance opened in July 2017: no exchange time of its can be earlier. */
const BINANCE_OPENED_MS = Date.UTC(2017, 6, 1)

/**
 * Exchange times against receive times, per message. A time before Binance existed or after the
 * line was received (by more than a day) is refused. Otherwise the offset between the two clocks
 * is learnt from the first message and a later one more than MAX_CLOCK_SKEW_MS away from it is
 * refused: a recorder's clock runs seconds off the exchange's, never hours (data replayed by a
 * test server keeps its original times, a steady offset, and passes).
 */
export class ClockCheck {
  private offsetMs = NaN

  constructor(private readonly issues: IssueLog) {}

  /** True when the message's exchange time is believable; otherwise an issue is counted. */
  ok(exchangeMs: number, receiveUs: number, file: string, line: number): boolean {
    const receiveMs = receiveUs / 1000
    let why = ''
    if (!(exchangeMs >= BINANCE_OPENED_MS)) why = 'is before Binance existed'
    else if (exchangeMs > receiveMs + 86_400_000) why = 'is after the line was received'
    else {
      const offset = receiveMs - exchangeMs
      if (this.offsetMs !== this.offsetMs) this.offsetMs = offset
      const jump = offset - this.offsetMs
      if (Math.abs(jump) <= MAX_CLOCK_SKEW_MS) return true
      why = `is ${(Math.abs(jump) / 3.6e6).toFixed(1)} h ${jump > 0 ? 'behind' : 'ahead of'} the capture's clock offset`
    }
    this.issues.add(
      'implausible-time',
      file,
      line,
      `exchange time ${isoOrRaw(exchangeMs)} ${why}; message skipped`
    )
    return false
  }
}

function isoOrRaw(ms: number): string {
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString()
}

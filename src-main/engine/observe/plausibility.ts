// Plausibility of a capture replay: the cases where every line parses yet the result would be
// silently wrong, turned into counted, named issues (so the run is incomplete, exit 3):
// - most depth updates never reached the book (update ids going back, a snapshot from the future,
//   no snapshot at all, every line doubled);
// - a trade id repeated (a doubled line or a replayed stream);
// - an exchange time that cannot be (before 2017, after its receipt) or jumps hours away from the
//   capture's clock offset (1915, 3000, a wrong unit).
// Thresholds are set against the four real captures: they apply 99.94–100 % of their depth
// updates, never repeat a trade id, and their exchange clocks run within ~1.3 s of the recorder's.
import type { IssueLog } from '../../util/issueLog'

/** Below this share of depth updates applied (and more than NOT_APPLIED_ALLOWANCE missing): incomplete. */
export const MIN_APPLIED_SHARE = 0.99
/** Updates a capture may lose before its first snapshot (buffered while the REST call runs). */
export const NOT_APPLIED_ALLOWANCE = 100
/** An exchange time whose clock offset moves further than this from the first one is not believed. */
export const MAX_CLOCK_SKEW_MS = 3_600_000

export interface AppliedCounts {
  readonly depthUpdates: number
  readonly applied: number
  readonly stale: number
  readonly discardedBeforeSnapshot: number
  readonly bufferOverflow: number
  readonly snapshots: number
}

/** Adds a `low-applied-share` issue when too few depth updates reached the book. */
export function checkAppliedShare(c: AppliedCounts, file: string, issues: IssueLog): void {
  const missing = c.depthUpdates - c.applied
  if (c.depthUpdates === 0 || missing <= NOT_APPLIED_ALLOWANCE) return
  if (c.applied >= c.depthUpdates * MIN_APPLIED_SHARE) return
  const share = ((100 * c.applied) / c.depthUpdates).toFixed(1)
  const why =
    c.snapshots === 0
      ? 'no snapshot was recorded, so no book could be built'
      : `${c.stale} stale (update id not newer), ${c.discardedBeforeSnapshot} before or at the snapshot's id, ${c.bufferOverflow} lost from the buffer`
  issues.add(
    'low-applied-share',
    file,
    0,
    `only ${c.applied} of ${c.depthUpdates} depth updates (${share} %) reached the book: ${why}; ` +
      'the figures do not describe this window'
  )
}

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

// Plausibility of a capture replay: the cases where every line parses yet the result would be
// silently wrong, turned into counted, named issues (so the run is incomplete, exit 3):
// - most depth updates never reached the book (update ids going back, a snapshot from the future,
//   no snapshot at all, every line doubled);
// - a trade id repeated (a doubled line or a replayed stream);
// (Exchange times that cannot be are refused at the source: source/clockCheck.ts.)
// Thresholds are set against the four real captures: they apply 99.94–100 % of their depth
// updates, never repeat a trade id, and their exchange clocks run within ~1.3 s of the recorder's.
import type { IssueLog } from '../../util/issueLog'

/** Below this share of depth updates applied (and more than NOT_APPLIED_ALLOWANCE missing): incomplete. */
export const MIN_APPLIED_SHARE = 0.99
/** Updates a capture may lose before its first snapshot (buffered while the REST call runs). */
export const NOT_APPLIED_ALLOWANCE = 100

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

// Small pieces of the Book page's replay view: what the timeline holds, and its markers as buttons.
import { memo } from 'react'
import { fmtDuration, fmtInt, fmtTime } from '../../../../src-shared/format'
import type { BookSeries } from '../../../../src-shared/replay'

/** What the timeline holds: its resolution, and whether it is still growing or stopped short. */
export function TimelineStatus({ series, running }: { series: BookSeries; running: boolean }) {
  const every =
    series.frameIntervalMs === undefined
      ? ''
      : series.frameIntervalMs === 0
        ? 'every book message'
        : `at most one frame per ${fmtInt(series.frameIntervalMs)} ms`
  const state = series.complete
    ? ''
    : running
      ? ' · the replay is running: frames stream in'
      : ' · the replay stopped before its end: the timeline covers what it reached'
  return (
    <div className="muted" data-testid="timeline-status" data-complete={series.complete}>
      timeline: {fmtInt(series.frames)} frames{every ? `, ${every}` : ''}
      {series.source !== 'frames'
        ? ` · charts from ${series.source.replace('lod-', '')} ms buckets`
        : ''}
      {state}
    </div>
  )
}

/** The markers in time order, each a button that puts the cursor there (the first 40). */
export const MarkerList = memo(function MarkerList({
  markers,
  onPick
}: {
  markers: BookSeries['markers']
  onPick: (ms: number) => void
}) {
  const sorted = [...markers].sort((a, b) => a.fromMs - b.fromMs)
  return (
    <div className="marker-list" data-testid="marker-list">
      {sorted.slice(0, 40).map((m, i) => (
        <button
          key={`${m.kind}${String(m.fromMs)}${String(i)}`}
          className={`marker-chip marker-${m.kind}`}
          data-testid="marker"
          data-from-ms={m.fromMs}
          onClick={() => {
            onPick(m.fromMs)
          }}
        >
          {m.kind} {fmtTime(m.fromMs).slice(11)}
          {m.toMs > m.fromMs ? ` (${fmtDuration(m.toMs - m.fromMs)})` : ''}
        </button>
      ))}
      {sorted.length > 40 && <span className="muted"> and {fmtInt(sorted.length - 40)} more</span>}
    </div>
  )
})

// The headline counters of a finished replay (capture or Crypto Lake).
import { memo } from 'react'
import { fmtInt, fmtPct, fmtTime } from '../../../src-shared/format'
import type { DaySeed, LakeReplayResult } from '../../../src-shared/lake'
import type { ReplayCaptureResult } from '../../../src-shared/replay'
import { daySeedLine } from '../../../src-shared/seeds'

/** An ISO time from a job result in the Book page's format (fmtTime). */
function isoToPage(iso: string | null): string {
  const ms = iso === null ? NaN : Date.parse(iso)
  return Number.isFinite(ms) ? fmtTime(ms) : ''
}

type Item = readonly [label: string, value: string, key: string]

function captureItems(r: ReplayCaptureResult): Item[] {
  return [
    ['messages', fmtInt(r.messages), 'messages'],
    ['depth updates', fmtInt(r.depthUpdates), 'depthUpdates'],
    ['trades', fmtInt(r.trades), 'trades'],
    ['gaps', fmtInt(r.gaps), 'gaps'],
    ['resyncs', fmtInt(r.resyncs), 'resyncs'],
    ['crossed ms', fmtInt(r.crossedMs), 'crossedMs'],
    ['unknown depth updates', fmtInt(r.unknownDepthUpdates), 'unknownDepthUpdates'],
    ['bbo checkpoints', `${fmtInt(r.bbo.matched)} / ${fmtInt(r.bbo.compared)}`, 'bbo'],
    ['messages/s', fmtInt(r.eventsPerSecond), 'eventsPerSecond']
  ]
}

function lakeItems(r: LakeReplayResult): Item[] {
  return [
    ['delta rows', fmtInt(r.events.deltaRows), 'deltaRows'],
    ['trades', fmtInt(r.events.trades), 'trades'],
    ['book rows', fmtInt(r.events.bookRows), 'bookRows'],
    ['bursts', fmtInt(r.bursts.count), 'bursts'],
    ['reseeds', fmtInt(r.reseeds.count), 'reseeds'],
    ['crossed ms', fmtInt(r.crossedMs), 'crossedMs'],
    ['unknown depth', fmtPct(r.unknownDepthMessages, r.appliedMessages), 'unknownDepth'],
    [
      'drift: exact rows',
      `${fmtInt(r.drift.exactRows)} / ${fmtInt(r.drift.aligned)}`,
      'driftExact'
    ],
    ['drift alerts', fmtInt(r.drift.alerts.length), 'driftAlerts'],
    ['delta rows/s', fmtInt(r.deltaRowsPerSecond), 'rowsPerSecond']
  ]
}

// Memoised: the Book page re-renders on every scrub step, the result never changes with it.
export const ReplayCounters = memo(function ReplayCounters({
  result
}: {
  readonly result: ReplayCaptureResult | LakeReplayResult
}) {
  const lake = 'events' in result
  const items = lake ? lakeItems(result) : captureItems(result)
  const title = lake
    ? `${result.exchange} ${result.symbol} · tick ${result.tick} · ${result.days[0] ?? ''} → ${result.days[result.days.length - 1] ?? ''}`
    : `${result.symbol} ${result.market} · tick ${result.tick} · ${isoToPage(result.firstExchangeTime)} → ${isoToPage(result.lastExchangeTime)} UTC`
  const missing = lake ? Object.entries(result.missingDays).filter(([, v]) => v.length > 0) : []
  // Results stored before per-day seeds were kept have none.
  const seeds: readonly DaySeed[] | undefined = lake ? result.daySeeds : undefined
  return (
    <section className="panel counters" data-testid="counters">
      {items.map(([label, value, key]) => (
        <div key={key} className="counter">
          <div className="value" data-testid={`counter-${key}`}>
            {value}
          </div>
          <div className="label">{label}</div>
        </div>
      ))}
      <div className="counter wide">
        <div className="label">
          {title}
          {result.complete ? '' : ' · INCOMPLETE INPUT'}
          {missing.length > 0
            ? ` · MISSING DAYS ${missing.map(([t, v]) => `${t}: ${v.join(', ')}`).join('; ')}`
            : ''}
        </div>
        {seeds && seeds.length > 0 ? (
          <ul className="seed-lines" data-testid="day-seeds">
            {seeds.map((d) => (
              <li key={d.day}>{daySeedLine(d)}</li>
            ))}
          </ul>
        ) : null}
        {result.complete ? null : (
          <ul className="seed-lines issues" data-testid="replay-issues">
            {result.issues.map((i, k) => (
              <li key={k}>{i.message}</li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
})

// The latest backfill's days and their summaries (export_backfill_days.summary) for `lakebook
// status` and the Monitor page, read from the manifest; null when the lake has no backfill.
import type { BackfillDaysView } from '../../src-shared/backfillDays'
import type { BackfillDayView } from '../../src-shared/export'
import { fmtInt } from '../../src-shared/format'
import { BackfillStore } from '../export/backfillStore'
import type { Db } from '../lake/manifest'

export function latestBackfillDays(db: Db): BackfillDaysView | null {
  const store = new BackfillStore(db)
  const b = store.latest()
  if (b === null) return null
  const days = store.days(b.id).map(({ ownerPid: _p, ...d }) => d)
  const verdicts = { pass: 0, warn: 0, fail: 0, unsummarised: 0 }
  for (const d of days) {
    if (d.state !== 'done') continue
    if (d.summary === null) verdicts.unsummarised++
    else verdicts[d.summary.verdict]++
  }
  return {
    id: b.id,
    dataset: b.dataset,
    exchange: b.exchange,
    symbol: b.symbol,
    from: b.from,
    to: b.to,
    days,
    verdicts
  }
}

/** One line per day for `lakebook status` (and `backfill status`). */
export function dayLine(d: BackfillDayView): string {
  const s = d.summary
  if (d.state !== 'done' || s === null)
    return `  ${d.day} ${d.state}${d.reason ? `: ${d.reason}` : d.state === 'done' ? ' (no summary: done before summaries were kept)' : ''}`
  const drift =
    s.drift.meanAbsMidErrTicks === null
      ? 'no drift compared'
      : `drift mean |Δmid| ${s.drift.meanAbsMidErrTicks.toFixed(3)} ticks${s.drift.maxAbsMidErrTicks == null ? '' : ` (max ${s.drift.maxAbsMidErrTicks.toFixed(3)})`}, Jaccard ${(s.drift.meanJaccard ?? 1).toFixed(3)} (${s.drift.scope})`
  const rate = s.rowsPerSecond === null ? '' : `, ${fmtInt(s.rowsPerSecond)} rows/s`
  return (
    `  ${d.day} ${s.verdict.toUpperCase()}: ${fmtInt(s.inputRows)} rows in, ${fmtInt(s.bookRowsApplied)} of ${fmtInt(s.events.deltaRows)} delta rows applied (${s.seed}), ` +
    `${s.missingTables.length} missing table(s), ${s.bursts} burst(s), ${s.resyncs} resync(s), ${s.crossings} crossing(s) ${fmtInt(s.crossedMs)} ms crossed, ` +
    `${drift}, ${s.seconds.toFixed(1)} s${rate}${s.reasons.length > 0 ? ` — ${s.reasons.join('; ')}` : ''}`
  )
}

/** The block `lakebook status` prints: the verdict counts and the latest days. */
export function backfillDaysText(v: BackfillDaysView | null, maxDays = 14): string[] {
  if (v === null) return ['backfill: none planned in this lake']
  const c = v.verdicts
  const done = v.days.filter((d) => d.state === 'done').length
  const out = [
    `backfill ${v.id} (${v.from} → ${v.to}): ${done}/${v.days.length} days done — ${c.pass} pass, ${c.warn} warn, ${c.fail} fail${c.unsummarised > 0 ? `, ${c.unsummarised} without a summary` : ''}`
  ]
  const shown = v.days.filter((d) => d.state !== 'queued').slice(-maxDays)
  if (shown.length < v.days.filter((d) => d.state !== 'queued').length)
    out.push(`  (the latest ${shown.length} days; --json has them all)`)
  for (const d of shown) out.push(dayLine(d))
  return out
}

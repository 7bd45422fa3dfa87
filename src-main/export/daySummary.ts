// A backfill day's summary from its day certificate: the day's own rows (its DayRecord), how its
// book began, its bursts and resyncs, the crossed time inside the day (episodes clipped to it),
// the run's drift and issues, throughput, and a verdict against the lake's alert thresholds — the
// same thresholds `lakebook status` judges replays with, so a day that warns here would alert.
import type { AlertConfig } from '../../src-shared/monitor'
import type { BackfillDaySummary, DayVerdict } from '../../src-shared/daySummary'
import type { DatasetCertificate } from './certificate'

const DAY_MS = 86_400_000
const INPUT_TABLES = ['book_delta_v2', 'trades', 'book'] as const

export type SummaryThresholds = Pick<AlertConfig, 'crossedShare' | 'driftMinJaccard'>

/** The summary of a day done without any data (accepted as missing). */
export function missingDaySummary(day: string, seconds: number): BackfillDaySummary {
  return {
    day,
    inputRows: 0,
    events: { deltaRows: 0, trades: 0, bookRows: 0 },
    bookRowsApplied: 0,
    seed: 'none',
    missingTables: [...INPUT_TABLES],
    bursts: 0,
    resyncs: 0,
    crossings: 0,
    crossedMs: 0,
    crossedShare: null,
    drift: {
      scope: 'day',
      aligned: 0,
      meanJaccard: null,
      minJaccard: null,
      meanAbsMidErrTicks: null,
      maxAbsMidErrTicks: null
    },
    issues: 0,
    outputRows: 0,
    outputBytes: 0,
    seconds,
    rowsPerSecond: null,
    verdict: 'warn',
    reasons: ['no input file for this day (accepted as missing: the book is not carried over it)']
  }
}

export function daySummary(
  cert: DatasetCertificate,
  day: string,
  inputRows: number,
  seconds: number,
  t: SummaryThresholds
): BackfillDaySummary {
  const run = cert.runs[cert.runs.length - 1]
  const rec = cert.days.find((d) => d.date === day)
  if (run === undefined || rec === undefined) return missingDaySummary(day, seconds)
  const d0 = Date.parse(`${day}T00:00:00Z`)
  const d1 = d0 + DAY_MS
  const seedOf = run.replay.daySeeds?.find((s) => s.day === day)
  const seed = seedOf?.seed ?? (rec.entry === 'carried' ? 'carried' : 'none')
  const missingTables = INPUT_TABLES.filter((tb) =>
    (run.tables.gaps.missingDays[tb] ?? []).includes(day)
  )
  // The first burst of a day seeded from a burst seeds it; every other one is a resync.
  const resyncs = Math.max(0, rec.snapshots - (seed === 'burst' ? 1 : 0))
  let crossings = 0
  let crossedMs = 0
  for (const e of run.tables.crossings.episodes) {
    const a = Math.max(Date.parse(e.from), d0)
    const b = Math.min(Date.parse(e.to), d1)
    if (b < a) continue
    crossings++
    crossedMs += b - a
  }
  const from = run.replay.firstReceiveTime
    ? Math.max(Date.parse(run.replay.firstReceiveTime), d0)
    : d0
  const to = run.replay.lastReceiveTime ? Math.min(Date.parse(run.replay.lastReceiveTime), d1) : d0
  const span = to - from
  const crossedShare = span > 0 ? crossedMs / span : null
  const dr = run.tables.drift
  // The day's own compared rows: a warm-up day's book is only being seeded, its drift is not the
  // day's. A certificate from before the drift was kept per day has the run's figures only.
  const own = dr.days?.find((x) => x.day === day)
  const drift = dr.days
    ? {
        scope: 'day' as const,
        aligned: own?.aligned ?? 0,
        meanJaccard: own ? own.meanJaccard : null,
        minJaccard: own ? own.minJaccard : null,
        meanAbsMidErrTicks: own ? own.meanAbsMidErrTicks : null,
        maxAbsMidErrTicks: own ? own.maxAbsMidErrTicks : null
      }
    : {
        scope: run.warmupDays > 0 ? ('day and warm-up' as const) : ('day' as const),
        aligned: dr.aligned,
        meanJaccard: dr.aligned > 0 ? dr.meanJaccard : null,
        minJaccard: dr.aligned > 0 ? dr.minJaccard : null,
        meanAbsMidErrTicks: dr.aligned > 0 ? dr.meanAbsMidErrTicks : null,
        maxAbsMidErrTicks: dr.aligned > 0 ? (dr.maxAbsMidErrTicks ?? null) : null
      }
  let issues = 0
  for (const n of Object.values(run.issues.counts)) issues += n
  const outputRows = Object.values(rec.outputRows).reduce((x, n) => x + n, 0)

  const reasons: string[] = []
  let verdict: DayVerdict = 'pass'
  const warn = (s: string): void => {
    reasons.push(s)
    if (verdict === 'pass') verdict = 'warn'
  }
  if (rec.levelRows > 0 && seed === 'none') {
    verdict = 'fail'
    reasons.push(
      `the book was never seeded on ${day}: its ${rec.levelRows} delta rows were not applied`
    )
  }
  if (missingTables.length > 0) warn(`no ${missingTables.join(', ')} file for ${day}`)
  if (resyncs > 0) warn(`${resyncs} resync(s): snapshot bursts re-seeded the book during the day`)
  if (crossedShare !== null && crossedShare > t.crossedShare)
    warn(
      `the book was crossed ${(100 * crossedShare).toFixed(2)} % of the day (limit ${(100 * t.crossedShare).toFixed(2)} %)`
    )
  if (drift.meanJaccard !== null && drift.meanJaccard < t.driftMinJaccard)
    warn(
      `the book's mean Jaccard against the vendor's book rows is ${drift.meanJaccard.toFixed(3)} (limit ${t.driftMinJaccard})`
    )
  if (issues > 0) warn(`${issues} input issue(s) counted (refused or corrected rows)`)
  return {
    day,
    inputRows,
    events: { deltaRows: rec.levelRows, trades: rec.trades, bookRows: rec.bookRows },
    bookRowsApplied: seedOf?.appliedRows ?? (seed === 'none' ? 0 : rec.levelRows),
    seed,
    missingTables,
    firstReceiveTime: span > 0 ? new Date(from).toISOString() : null,
    lastReceiveTime: span > 0 ? new Date(to).toISOString() : null,
    bursts: rec.snapshots,
    resyncs,
    crossings,
    crossedMs,
    crossedShare,
    drift,
    issues,
    outputRows,
    outputBytes: cert.totals.bytes,
    seconds,
    rowsPerSecond: seconds > 0 ? inputRows / seconds : null,
    verdict,
    reasons
  }
}

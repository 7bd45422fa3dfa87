// Human-readable summaries of job results for the terminal.
import type { LakeReplayResult } from '../../src-shared/lake'
import { fmtPct as pct } from '../../src-shared/format'
import { daySeedLine } from '../../src-shared/seeds'
import type { InputIssue, ReplayCaptureResult } from '../../src-shared/replay'
import type { BookCadenceCounts } from '../convert/bookCadence'

const n = (v: number): string => v.toLocaleString('en-US')

export function printReplaySummary(r: ReplayCaptureResult): void {
  const lines = [
    `${r.symbol} (${r.market}, tick ${r.tick})  ${r.firstExchangeTime ?? '?'} → ${r.lastExchangeTime ?? '?'}`,
    `messages ${n(r.messages)}: depth ${n(r.depthUpdates)} (applied ${n(r.appliedUpdates)}, discarded before snapshot ${n(r.discardedBeforeSnapshot)}, stale ${n(r.staleUpdates)}), trades ${n(r.trades)}, bookTicker ${n(r.bookTickers)}, snapshots ${n(r.snapshots)}`,
    `gaps ${n(r.gaps)}  resyncs ${n(r.resyncs)}  crossed ${n(r.crossedMs)} ms (${n(r.crossings)}×)  locked ${n(r.lockedMs)} ms  unknown deletes ${n(r.unknownDeletes)}`,
    `unknown depth after ${n(r.unknownDepthUpdates)} of ${n(r.appliedUpdates)} updates (${r.appliedUpdates ? ((100 * r.unknownDepthUpdates) / r.appliedUpdates).toFixed(1) : '0'}%)`,
    `best bid/ask vs bookTicker: ${n(r.bbo.matched)} of ${n(r.bbo.compared)} checkpoints match (${n(r.bbo.skippedUnsynced)} before sync not compared)`,
    `every bookTicker (${n(r.bboAll.compared)}): best prices match ${pct(r.bboAll.plain.priceMatched, r.bboAll.compared)}, with the trade impact model ${pct(r.bboAll.tradeImpact.priceMatched, r.bboAll.compared)}; prices and sizes ${pct(r.bboAll.plain.matched, r.bboAll.compared)} / ${pct(r.bboAll.tradeImpact.matched, r.bboAll.compared)}`,
    `${n(r.eventsPerSecond)} messages/s, ${n(r.elapsedMs)} ms`
  ]
  if (!r.complete) {
    lines.push(
      `INCOMPLETE INPUT: ${Object.entries(r.issueCounts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`
    )
    for (const i of r.issues) lines.push(`  ${i.file}:${i.line}: ${i.kind}: ${i.message}`)
  }
  for (const m of r.bbo.mismatches)
    lines.push(`  mismatch u=${m.u} at ${m.file}:${m.line}: ${m.detail}`)
  if (r.timeline) lines.push(`timeline: ${r.timeline}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

export interface ConvertSummary {
  readonly exchange: string
  readonly symbol: string
  readonly days: string[]
  readonly files: { path: string; table: string; rows: number; rowGroups: number; bytes: number }[]
  readonly rows: Record<string, number>
  readonly snapshotBursts: number
  readonly gapDays: string[]
  readonly book: BookCadenceCounts
  readonly replay: {
    readonly gaps: number
    readonly resyncs: number
    readonly complete: boolean
    readonly issueCounts: Readonly<Record<string, number>>
    readonly issues: readonly InputIssue[]
  }
}

export function printConvertSummary(r: ConvertSummary): void {
  const lines = [
    `${r.exchange} ${r.symbol}: ${r.days.join(', ')}`,
    ...r.files.map(
      (f) => `  ${f.path}  ${n(f.rows)} rows, ${f.rowGroups} row groups, ${n(f.bytes)} bytes`
    ),
    `book cadence ${r.book.cadence}: ${n(r.book.updates)} book updates → ${n(r.book.kept)} rows${r.book.cadence === '2022-11' ? ` (${n(r.book.dropped)} dropped under 25 ms, ${n(r.book.postponed)} postponed under 100 ms after the last row)` : ''}`,
    `snapshot bursts ${n(r.snapshotBursts)}, gaps ${n(r.replay.gaps)}, resyncs ${n(r.replay.resyncs)}${r.gapDays.length ? `, days with gaps: ${r.gapDays.join(', ')}` : ''}`
  ]
  if (!r.replay.complete) {
    lines.push(
      `INCOMPLETE INPUT: ${Object.entries(r.replay.issueCounts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`
    )
    for (const i of r.replay.issues) lines.push(`  ${i.file}:${i.line}: ${i.kind}: ${i.message}`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

export function printLakeReplaySummary(r: LakeReplayResult): void {
  const d = r.drift
  const missing = Object.entries(r.missingDays).filter(([, v]) => v.length > 0)
  const lines = [
    `${r.exchange} ${r.symbol} (tick ${r.tick})  ${r.days[0] ?? '?'} → ${r.days[r.days.length - 1] ?? '?'}  (${r.firstReceiveTime ?? '?'} → ${r.lastReceiveTime ?? '?'})`,
    `events: ${n(r.events.deltaRows)} delta rows in ${n(r.events.deltaMessages)} messages, ${n(r.events.trades)} trades, ${n(r.events.bookRows)} book rows; applied ${n(r.appliedMessages)} messages`,
    `skipped: ${n(r.skipped.beforeSeedRows)} delta rows before the first seed, ${n(r.skipped.staleMessages)} stale messages, ${n(r.skipped.invalidRows)} invalid rows`,
    `seeds: ${n(r.seeds.fromBook)} from book rows, ${n(r.seeds.fromBurst)} from snapshot bursts, ${n(r.seeds.progressive)} progressive; bursts ${n(r.bursts.count)}, reseeds after crossing ${n(r.reseeds.count)}; days carried ${n(r.dayBoundaries.carried)}, book dropped after a missing day ${n(r.dayBoundaries.reseededAfterMissingDay)}`,
    `crossed ${n(r.crossedMs)} ms (${n(r.crossings)}×), locked ${n(r.lockedMs)} ms; top-20 reaches unknown depth after ${pct(r.unknownDepthMessages, r.appliedMessages)} of messages`,
    `drift vs book rows: ${n(d.aligned)} aligned of ${n(d.rows)} (${n(d.rowBehind)} behind, ${n(d.rowAhead)} ahead); exact ${pct(d.exactRows, d.aligned)}; mean Jaccard ${d.meanJaccard.toFixed(4)} (min ${d.minJaccard.toFixed(4)}); mean size L1 ${(d.meanSizeL1 / 1e8).toFixed(8)}; best price differs in ${n(d.bestPriceMismatchRows)}; beyond known depth in ${n(d.unknownDepthRows)}; alerts ${n(d.alerts.length)}`,
    `${n(r.deltaRowsPerSecond)} delta rows/s, ${n(r.elapsedMs)} ms, peak RSS ${n(r.peakRssMb)} MB, ${r.decodeWorkers} decode worker(s); output hash ${r.outputHash}`
  ]
  for (const d of r.daySeeds) lines.push(`  ${daySeedLine(d)}`)
  if (missing.length > 0)
    lines.push(`MISSING DAYS: ${missing.map(([t, v]) => `${t}: ${v.join(', ')}`).join('; ')}`)
  if (!r.complete) {
    lines.push(
      `INCOMPLETE INPUT: ${Object.entries(r.issueCounts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`
    )
    for (const i of r.issues) lines.push(`  ${i.file}:${i.line}: ${i.kind}: ${i.message}`)
  }
  if (r.timeline) lines.push(`timeline: ${r.timeline}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

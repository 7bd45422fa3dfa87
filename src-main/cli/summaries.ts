// Human-readable summaries of job results for the terminal.
import type { ReplayCaptureResult } from '../../src-shared/replay'

const n = (v: number): string => v.toLocaleString('en-US')
const pct = (a: number, b: number): string => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)}%`)

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

// Human-readable summaries of job results for the terminal.
import type { ReplayCaptureResult } from '../../src-shared/replay'

const n = (v: number): string => v.toLocaleString('en-US')

export function printReplaySummary(r: ReplayCaptureResult): void {
  const lines = [
    `${r.symbol} (${r.market}, tick ${r.tick})  ${r.firstExchangeTime ?? '?'} → ${r.lastExchangeTime ?? '?'}`,
    `messages ${n(r.messages)}: depth ${n(r.depthUpdates)} (applied ${n(r.appliedUpdates)}, discarded before snapshot ${n(r.discardedBeforeSnapshot)}, stale ${n(r.staleUpdates)}), trades ${n(r.trades)}, bookTicker ${n(r.bookTickers)}, snapshots ${n(r.snapshots)}`,
    `gaps ${n(r.gaps)}  resyncs ${n(r.resyncs)}  crossed ${n(r.crossedMs)} ms (${n(r.crossings)}×)  locked ${n(r.lockedMs)} ms  unknown deletes ${n(r.unknownDeletes)}`,
    `unknown depth after ${n(r.unknownDepthUpdates)} of ${n(r.appliedUpdates)} updates (${r.appliedUpdates ? ((100 * r.unknownDepthUpdates) / r.appliedUpdates).toFixed(1) : '0'}%)`,
    `best bid/ask vs bookTicker: ${n(r.bbo.matched)} of ${n(r.bbo.compared)} checkpoints match (${n(r.bbo.skippedUnsynced)} before sync not compared)`,
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

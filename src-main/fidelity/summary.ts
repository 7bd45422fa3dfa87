// The terminal summary of a fidelity result (lakebook fidelity without --json).
import type { FidelityResult } from '../../src-shared/fidelity'
import { fmtStat } from '../../src-shared/format'

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const g4 = fmtStat

/** The terminal summary of a fidelity result: verdict counts and one line per metric. */
export function fidelitySummary(r: FidelityResult): string {
  const lines: string[] = [`reference ${r.reference.spec}`, `baseline: ${r.baseline.description}`]
  r.candidates.forEach((c, i) => {
    const s = c.summary
    lines.push(
      '',
      `candidate ${i + 1}: ${c.series.spec}`,
      `  within real-vs-real noise ${s.within}, marginal ${s.marginal}, beyond ${s.beyond}, not compared ${s.notApplicable}`
    )
    if (c.paired) {
      lines.push(
        `  same period on the ${c.paired.intervalMs} ms grid: mid equal ${(100 * c.paired.midEqual).toFixed(2)}%, best prices and sizes equal ${(100 * c.paired.l1Equal).toFixed(2)}%`
      )
    }
    if (c.bbo) {
      lines.push(
        `  vs bookTicker (${c.bbo.compared}): best prices equal ${(100 * c.bbo.pricesMatched).toFixed(2)}%, prices and sizes ${(100 * c.bbo.pricesAndSizesMatched).toFixed(2)}%`
      )
    }
    lines.push(
      `  ${pad('metric', 22)}${pad('verdict', 15)}KS D (thr)        W1z σ (thr)       TV (thr)          KS p thinned, seed rule`
    )
    for (const m of c.metrics) {
      if (!m.distances) {
        lines.push(`  ${pad(m.id, 22)}${pad(m.status, 15)}${m.reason ?? ''}`)
        continue
      }
      const d = m.distances
      const cell = (x: { estimate: number; threshold: number }): string =>
        pad(`${g4(x.estimate)} (${g4(x.threshold)})`, 18)
      lines.push(
        `  ${pad(m.id, 22)}${pad(m.verdict, 15)}${cell(d.ks)}${cell(d.w1z)}${cell(d.tv)}${m.pValues ? `${g4(m.pValues.ksP)} ${m.pValues.seedRulePass ? 'p > 0.05' : 'p ≤ 0.05'}` : ''}`
      )
      if (m.agreement !== null) lines.push(`    ${m.agreement}`)
      for (const sc of m.scalars) {
        lines.push(
          `    ${pad(sc.name, 33)}${pad(sc.diff.verdict, 15)}ref ${g4(sc.reference)}  cand ${g4(sc.candidate)}  |Δ| ${g4(sc.diff.estimate)} (thr ${g4(sc.diff.threshold)})${sc.units === '' || sc.units.startsWith('dimensionless') ? '' : ` ${sc.units}`}`
        )
      }
    }
  })
  if (r.report) lines.push('', `report: ${r.report}`)
  return lines.join('\n')
}

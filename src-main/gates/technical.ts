// The technical gate: the latest go/no-go report of the lake (lakebook report technical). GO
// passes, GO WITH CAVEATS warns, NO-GO fails — and blocks `backfill run` — unless a decision
// recorded against that very report (its sha256) overrides it. No report at all fails too: a
// year-long backfill is not started on a machine nobody measured.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GateResult, GateRule, GateVerdict } from '../../src-shared/gates'
import { gateOf } from '../../src-shared/gates'
import type { TechnicalReport, Verdict } from '../../src-shared/report'
import { lakePaths } from '../lake/paths'
import type { GateStore } from './store'

export interface LatestReport {
  readonly path: string
  readonly sha256: string
  readonly report: TechnicalReport
}

/** The newest technical report in <lake>/reports, or null. */
export function latestTechnicalReport(lakeRoot: string): LatestReport | null {
  const dir = lakePaths.reports(lakeRoot)
  if (!existsSync(dir)) return null
  let best: LatestReport | null = null
  for (const f of readdirSync(dir)) {
    if (!f.startsWith('technical-') || !f.endsWith('.json')) continue
    const path = join(dir, f)
    try {
      const text = readFileSync(path, 'utf8')
      const report = JSON.parse(text) as TechnicalReport
      if (typeof report.verdict !== 'string' || typeof report.createdAt !== 'string') continue
      if (best === null || report.createdAt > best.report.createdAt)
        best = { path, sha256: createHash('sha256').update(text).digest('hex'), report }
    } catch {
      continue
    }
  }
  return best
}

export function verdictOfTechnical(v: Verdict): GateVerdict {
  return v === 'go' ? 'pass' : v === 'go with caveats' ? 'warn' : 'fail'
}

export function technicalGate(lakeRoot: string, decisions?: GateStore | null): GateResult {
  const latest = latestTechnicalReport(lakeRoot)
  if (latest === null)
    return gateOf({
      gate: 'technical',
      rules: [
        {
          id: 'technical.report',
          verdict: 'fail',
          threshold: 'a technical go/no-go report exists for this lake',
          measured: 'no report'
        }
      ],
      missing: ['measure this machine: lakebook report technical --root <a real sample>']
    })
  const r = latest.report
  // Reports written before recommendations existed have none.
  const recommendation = (r as Partial<TechnicalReport>).recommendation
  const rules = r.targets.map((t): GateRule => ({
    id: `technical.${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`,
    verdict: t.pass ? 'pass' : t.required ? 'fail' : 'warn',
    threshold: `${t.direction === 'min' ? 'at least' : 'at most'} ${t.target} ${t.unit}${t.required ? '' : ' (goal)'}`,
    measured: `${t.measured} ${t.unit}`
  }))
  return gateOf({
    gate: 'technical',
    rules,
    evidence: [
      { kind: 'technical-report', id: latest.sha256, path: latest.path, sha256: latest.sha256 }
    ],
    decision: decisions?.latest('technical', latest.sha256) ?? null,
    missing: [
      `the report of ${r.createdAt} says ${r.verdict.toUpperCase()}: ${recommendation ?? 'see its targets'}`,
      `or record a decision: lakebook gates decide technical --why "<why this machine is good enough>"`
    ]
  })
}

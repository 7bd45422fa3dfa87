// Assembles one metric's comparison (reference vs candidate, judged against the baseline pair) and
// flattens results into scorecard rows: metric, statistic, estimate with CI, baseline, verdict.
import type { MetricResult, ScalarResult, ScoreRow, Verdict } from '../../src-shared/fidelity'
import { distanceResult, worst } from './baseline'
import { pairDistances, scalarDiffs, thinnedPValues, type PairDistances } from './compare'
import type { MetricContext, MetricDef } from './metrics/catalogue'
import { interval, type CompareSettings, type Prepared } from './prepared'

export interface MetricInputs {
  readonly def: MetricDef
  readonly ctx: MetricContext
  readonly reference: Prepared
  readonly candidate: Prepared
  readonly baselineA: Prepared
  readonly baselineB: Prepared
  /** The baseline pair's distances, shared by every candidate. */
  readonly baseline: PairDistances
}

const nan2: [number, number] = [NaN, NaN]

export function bootstrapText(p: Prepared): string {
  return (
    `block ${p.block}` +
    (p.stride > 1 ? `, every ${p.stride}th value (${p.view.length}), block ${p.viewBlock}` : '')
  )
}

export function scoreMetric(
  m: MetricInputs,
  s: CompareSettings
): {
  result: MetricResult
  pair: PairDistances
} {
  const { def, reference: r, candidate: c, baselineA: a, baselineB: b } = m
  const pair = pairDistances(def, r, c, s)
  const d = {
    ks: distanceResult(pair.ks, m.baseline.ks, s.alpha),
    w1z: distanceResult(pair.w1z, m.baseline.w1z, s.alpha),
    tv: distanceResult(pair.tv, m.baseline.tv, s.alpha)
  }
  const scalars: ScalarResult[] = def.scalars.map((sd, i) => {
    const rv = r.scalars[i]
    const cv = c.scalars[i]
    return {
      name: sd.name,
      units: sd.units,
      reference: rv?.value ?? NaN,
      candidate: cv?.value ?? NaN,
      referenceCi: rv ? interval(rv.replicates, s.alpha) : nan2,
      candidateCi: cv ? interval(cv.replicates, s.alpha) : nan2,
      diff: distanceResult(scalarDiffs(r, c, i), scalarDiffs(a, b, i), s.alpha)
    }
  })
  const verdicts: Verdict[] = [d.ks.verdict, d.w1z.verdict, d.tv.verdict]
  for (const sc of scalars) verdicts.push(sc.diff.verdict)
  return {
    result: {
      id: def.id,
      label: def.label,
      family: def.family,
      units: def.units,
      sampling: def.sampling(m.ctx),
      status: 'ok',
      reason: null,
      n: {
        reference: r.sample.values.length,
        candidate: c.sample.values.length,
        baselineA: a.sample.values.length,
        baselineB: b.sample.values.length
      },
      distances: d,
      pValues: thinnedPValues(def, r, c, s),
      scalars,
      bootstrap: `reference ${bootstrapText(r)}; candidate ${bootstrapText(c)}`,
      verdict: worst(verdicts)
    },
    pair
  }
}

/** A metric that could not be compared, with the reason. */
export function skippedMetric(
  def: MetricDef,
  ctx: MetricContext,
  status: 'not-comparable' | 'insufficient',
  reason: string,
  n: MetricResult['n']
): MetricResult {
  return {
    id: def.id,
    label: def.label,
    family: def.family,
    units: def.units,
    sampling: def.sampling(ctx),
    status,
    reason,
    n,
    distances: null,
    pValues: null,
    scalars: [],
    bootstrap: null,
    verdict: 'n/a'
  }
}

const STAT_NAMES = { ks: 'KS D', w1z: 'W1 (z-scored)', tv: 'TV (histogram L1)' } as const

/** The flat scorecard: one row per distance and per scalar of every compared metric. */
export function scoreRows(metrics: readonly MetricResult[]): ScoreRow[] {
  const rows: ScoreRow[] = []
  for (const m of metrics) {
    if (!m.distances) continue
    for (const k of ['ks', 'w1z', 'tv'] as const) {
      const d = m.distances[k]
      rows.push({
        metric: m.id,
        statistic: STAT_NAMES[k],
        reference: null,
        candidate: null,
        estimate: d.estimate,
        lower: d.lower,
        upper: d.upper,
        baseline: d.baseline,
        threshold: d.threshold,
        verdict: d.verdict,
        p: k === 'ks' ? (m.pValues?.ksP ?? null) : null,
        seedRulePass: k === 'ks' ? (m.pValues?.seedRulePass ?? null) : null
      })
    }
    for (const sc of m.scalars) {
      rows.push({
        metric: m.id,
        statistic: `|Δ ${sc.name}|`,
        reference: sc.reference,
        candidate: sc.candidate,
        estimate: sc.diff.estimate,
        lower: sc.diff.lower,
        upper: sc.diff.upper,
        baseline: sc.diff.baseline,
        threshold: sc.diff.threshold,
        verdict: sc.diff.verdict,
        p: null,
        seedRulePass: null
      })
    }
  }
  return rows
}

export function summarize(metrics: readonly MetricResult[]): {
  within: number
  marginal: number
  beyond: number
  notApplicable: number
} {
  const out = { within: 0, marginal: 0, beyond: 0, notApplicable: 0 }
  for (const m of metrics) {
    if (m.verdict === 'within') out.within++
    else if (m.verdict === 'marginal') out.marginal++
    else if (m.verdict === 'beyond') out.beyond++
    else out.notApplicable++
  }
  return out
}

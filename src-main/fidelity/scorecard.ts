// Assembles one metric's comparison (reference vs candidate, judged against the baseline pair) and
// flattens results into scorecard rows: metric, statistic, estimate with CI, baseline, verdict.
import type {
  MetricResult,
  PValues,
  ScalarResult,
  ScoreRow,
  Verdict
} from '../../src-shared/fidelity'
import { fmtStat } from '../../src-shared/format'
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
  const verdict = worst(verdicts)
  const cp = thinnedPValues(def, r, c, s)
  // The same thinned test between the two real samples: whether the seed's rule rejects real data.
  const pValues = cp ? { ...cp, baselineKsP: thinnedPValues(def, a, b, s)?.ksP ?? null } : null
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
      pValues,
      scalars,
      bootstrap: `reference ${bootstrapText(r)}; candidate ${bootstrapText(c)}`,
      verdict,
      agreement: agreementOf(verdict, d, scalars, pValues)
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
    verdict: 'n/a',
    agreement: null
  }
}

/**
 * Why the effect-size verdict and the seed's "KS p > 0.05 on thinned samples" differ, in one
 * sentence (null when they agree). They answer different questions: the p-value tests whether the
 * two samples come from one distribution — two real periods of a market never do, so with enough
 * values it rejects real data too — while the verdict asks whether the candidate is farther from
 * the reference than two real periods are from each other.
 */
export function agreementOf(
  verdict: Verdict,
  d: MetricResult['distances'],
  scalars: readonly ScalarResult[],
  p: PValues | null
): string | null {
  if (!p || !d || verdict === 'n/a') return null
  const pText = `KS p = ${fmtStat(p.ksP)} on ${p.n1} and ${p.n2} thinned values`
  const ks = `KS D ${fmtStat(d.ks.estimate)} against the real-vs-real threshold ${fmtStat(d.ks.threshold)}`
  if (verdict === 'within' && p.seedRulePass) return null
  if (verdict === 'beyond' && !p.seedRulePass) return null
  if (!p.seedRulePass) {
    const real =
      p.baselineKsP !== null && p.baselineKsP <= 0.05
        ? `the two real baseline samples fail the same test (p = ${fmtStat(p.baselineKsP)}), so at this sample size the test rejects the ordinary difference between two real periods`
        : p.baselineKsP !== null
          ? `the two real baseline samples pass the same test (p = ${fmtStat(p.baselineKsP)}), so this is not the ordinary difference between two real periods: the difference is small against the real-vs-real noise but systematic enough for the thinned test to see — worth a look, though the verdict rests on the effect size`
          : `the test asks whether the two samples share one distribution, which two real periods never do exactly; the verdict rests on the effect size against the real-vs-real noise`
    return `The seed's rule fails (${pText}) while the effect is ${verdict === 'within' ? 'within' : 'marginal against'} the real-vs-real noise (${ks}): ${real}.`
  }
  // p > 0.05 while the effect is marginal or beyond.
  const deciding = [
    ['KS D', d.ks],
    ['W1 (z-scored)', d.w1z],
    ['TV (histogram L1)', d.tv],
    ...scalars.map((sc) => [`|Δ ${sc.name}|`, sc.diff] as const)
  ] as const
  const worstStat = deciding.find(([, x]) => x.verdict === verdict)
  const which =
    worstStat && worstStat[0] !== 'KS D'
      ? `the deciding statistic is ${worstStat[0]} (${fmtStat(worstStat[1].estimate)} against ${fmtStat(worstStat[1].threshold)}), which a KS test does not measure`
      : `thinning to one value per decorrelation block leaves too few values for the test to see a KS distance of ${fmtStat(d.ks.estimate)}`
  return `The seed's rule passes (${pText}) while the effect is ${verdict === 'beyond' ? 'beyond' : 'marginal against'} the real-vs-real noise: ${which}.`
}

const STAT_NAMES = { ks: 'KS D', w1z: 'W1 (z-scored)', tv: 'TV (histogram L1)' } as const
/** Units of the three distances: shares of the values or mass, and pooled standard deviations. */
export const STAT_UNITS = {
  ks: 'dimensionless, share of values 0…1',
  w1z: 'pooled standard deviations',
  tv: 'dimensionless, share of mass 0…1'
} as const

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
        units: STAT_UNITS[k],
        reference: null,
        candidate: null,
        estimate: d.estimate,
        lower: d.lower,
        upper: d.upper,
        baseline: d.baseline,
        threshold: d.threshold,
        verdict: d.verdict,
        p: k === 'ks' ? (m.pValues?.ksP ?? null) : null,
        seedRulePass: k === 'ks' ? (m.pValues?.seedRulePass ?? null) : null,
        note: k === 'ks' ? m.agreement : null
      })
    }
    for (const sc of m.scalars) {
      rows.push({
        metric: m.id,
        statistic: `|Δ ${sc.name}|`,
        units: sc.units,
        reference: sc.reference,
        candidate: sc.candidate,
        estimate: sc.diff.estimate,
        lower: sc.diff.lower,
        upper: sc.diff.upper,
        baseline: sc.diff.baseline,
        threshold: sc.diff.threshold,
        verdict: sc.diff.verdict,
        p: null,
        seedRulePass: null,
        note: null
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

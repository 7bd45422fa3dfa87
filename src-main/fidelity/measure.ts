// The fidelity measurement on series already built: every metric of the catalogue, reference
// against each candidate, judged against the real-versus-real baseline pair. Sources and the job
// wrapper are in job.ts; this part is pure computation on typed arrays.
import type {
  AcfPlot,
  CandidateResult,
  FidelityResult,
  MetricPlots,
  MetricResult
} from '../../src-shared/fidelity'
import { pairDistances, type PairDistances } from './compare'
import { METRICS, type MetricContext, type MetricDef } from './metrics/catalogue'
import { bboCheck, pairedGrid } from './paired'
import { acfPlot, metricPlots, profilePlot } from './plots'
import { prepare, type CompareSettings, type Prepared } from './prepared'
import { scoreMetric, scoreRows, skippedMetric, summarize } from './scorecard'
import { seriesInfo, splitHalves, type MarketSeries } from './series'

export interface FidelitySettings extends CompareSettings {
  readonly gridsMs: readonly number[]
  readonly profileMs: number
}

export const DEFAULT_SETTINGS: FidelitySettings = {
  gridsMs: [100, 1000],
  profileMs: 1000,
  resamples: 100,
  alpha: 0.01,
  seed: 12345,
  maxN: 50_000,
  scalarM: 20_000,
  thinN: 2000,
  minN: 10
}

export type Baseline =
  { readonly kind: 'halves' } | { readonly kind: 'source'; readonly series: MarketSeries }

export interface MeasureInput {
  readonly reference: MarketSeries
  readonly candidates: readonly MarketSeries[]
  readonly baseline: Baseline
  readonly settings: FidelitySettings
  /** Called after each metric with (done, total). */
  readonly onMetric?: ((done: number, total: number, id: string) => void) | undefined
  readonly signal?: AbortSignal | undefined
}

const ACF_METRICS: Record<string, string> = { 'returns.1s': '1 s', 'returns.1m': '1 min' }

export function metricContext(s: FidelitySettings): MetricContext {
  const sorted = [...s.gridsMs].sort((a, b) => a - b)
  return {
    finestMs: sorted[0] ?? 100,
    coarsestMs: sorted[sorted.length - 1] ?? 1000,
    profileMs: s.profileMs
  }
}

export function measureFidelity(input: MeasureInput): Omit<FidelityResult, 'report' | 'elapsedMs'> {
  const s = input.settings
  const ctx = metricContext(s)
  const ref = input.reference
  const [baseA, baseB]: [MarketSeries, MarketSeries] =
    input.baseline.kind === 'halves' ? splitHalves(ref) : [ref, input.baseline.series]
  const perCandidate = input.candidates.map(() => ({
    metrics: [] as MetricResult[],
    plots: [] as MetricPlots[],
    acf: [] as AcfPlot[]
  }))

  const roleN = (p: Prepared | null): number => p?.sample.values.length ?? 0
  METRICS.forEach((def: MetricDef, k) => {
    if (input.signal?.aborted) return
    const why =
      def.unavailable(ref) ??
      def.unavailable(baseB) ??
      (input.baseline.kind === 'source' ? (def.incomparable?.(ref, baseB) ?? null) : null)
    const reasons = input.candidates.map(
      (cand) => why ?? def.unavailable(cand) ?? def.incomparable?.(ref, cand) ?? null
    )
    // Nothing to compare: do not prepare (bootstrap) the reference side at all.
    const any = reasons.some((r) => r === null)
    const rp = any ? prepare(def, 'reference', def.extract(ref, ctx), ctx, s) : null
    const ap = any ? prepare(def, 'baselineA', def.extract(baseA, ctx), ctx, s) : null
    const bp = any ? prepare(def, 'baselineB', def.extract(baseB, ctx), ctx, s) : null
    const short = [rp, ap, bp].some((p) => p !== null && p.sample.values.length < s.minN)
    let base: PairDistances | null = null
    if (ap && bp && !short) base = pairDistances(def, ap, bp, s)
    input.candidates.forEach((cand, ci) => {
      const out = perCandidate[ci]
      if (!out) return
      const n = { reference: roleN(rp), candidate: 0, baselineA: roleN(ap), baselineB: roleN(bp) }
      const reason = reasons[ci] ?? null
      if (reason !== null || !rp || !ap || !bp) {
        out.metrics.push(skippedMetric(def, ctx, 'not-comparable', reason ?? 'not available', n))
        return
      }
      const cp = prepare(def, `candidate${ci}`, def.extract(cand, ctx), ctx, s)
      n.candidate = roleN(cp)
      if (short || n.candidate < s.minN || !base) {
        out.metrics.push(
          skippedMetric(
            def,
            ctx,
            'insufficient',
            `fewer than ${s.minN} values (reference ${n.reference}, candidate ${n.candidate}, baseline ${n.baselineA}/${n.baselineB})`,
            n
          )
        )
        return
      }
      const scored = scoreMetric(
        { def, ctx, reference: rp, candidate: cp, baselineA: ap, baselineB: bp, baseline: base },
        s
      )
      out.metrics.push(scored.result)
      out.plots.push(metricPlots(def, rp, cp, scored.pair))
      const horizon = ACF_METRICS[def.id]
      if (horizon !== undefined) {
        const a = acfPlot(horizon, rp.sample.values, cp.sample.values)
        if (a) out.acf.push(a)
      }
    })
    input.onMetric?.(k + 1, METRICS.length, def.id)
  })

  const candidates: CandidateResult[] = input.candidates.map((cand, ci) => {
    const out = perCandidate[ci] ?? { metrics: [], plots: [], acf: [] }
    return {
      series: seriesInfo(cand),
      metrics: out.metrics,
      scorecard: scoreRows(out.metrics),
      summary: summarize(out.metrics),
      paired: pairedGrid(ref, cand),
      bbo: bboCheck(cand),
      plots: { metrics: out.plots, acf: out.acf, profile: profilePlot(ref, cand) }
    }
  })
  return {
    version: 1,
    reference: seriesInfo(ref),
    baseline: {
      kind: input.baseline.kind,
      description:
        input.baseline.kind === 'halves'
          ? 'first half against second half of the reference window'
          : `the reference against another real period: ${input.baseline.series.spec}`,
      a: seriesInfo(baseA),
      b: seriesInfo(baseB)
    },
    candidates,
    settings: {
      gridsMs: [...s.gridsMs],
      profileMs: s.profileMs,
      resamples: s.resamples,
      alpha: s.alpha,
      seed: s.seed,
      maxN: s.maxN,
      scalarM: s.scalarM,
      thinN: s.thinN,
      minN: s.minN
    }
  }
}

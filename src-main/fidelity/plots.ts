// Plot data for the HTML report and the app's Fidelity page: ECDF overlays on one x grid (with the
// KS distance's location), histograms on the comparison's own bins, QQ pairs, ACF arrays of the
// returns and of their absolute values, and the mean depth profile. Plain number arrays, aligned
// per plot ([x, ...ys]) as uPlot takes them; sizes are bounded so a result stays small.
import type {
  AcfPlot,
  EcdfPlot,
  HistogramPlot,
  MetricPlots,
  ProfilePlot,
  QqPlot
} from '../../src-shared/fidelity'
import type { Bins, PairDistances } from './compare'
import { meanProfile } from './metrics/depth'
import { acfLags } from './metrics/returns'
import type { MetricDef } from './metrics/catalogue'
import type { Prepared } from './prepared'
import type { MarketSeries } from './series'
import { acf, acfAbs, acfWhiteNoiseBand, quantileSorted } from './stats'

const ECDF_POINTS = 256
const QQ_PROBS = [
  0.001,
  0.005,
  ...Array.from({ length: 99 }, (_, i) => (i + 1) / 100),
  0.995,
  0.999
]

/** Share of an ascending sample <= v. */
function ecdfAt(sorted: Float64Array, v: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) <= v) lo = mid + 1
    else hi = mid
  }
  return sorted.length ? lo / sorted.length : NaN
}

export function ecdfPlot(a: Float64Array, b: Float64Array, ksAt: number, ksD: number): EcdfPlot {
  const xs = new Set<number>()
  for (const s of [a, b]) {
    if (s.length === 0) continue
    for (let i = 0; i <= ECDF_POINTS / 2; i++) xs.add(quantileSorted(s, i / (ECDF_POINTS / 2)))
  }
  if (Number.isFinite(ksAt)) xs.add(ksAt)
  const x = [...xs].sort((p, q) => p - q)
  return {
    x,
    reference: x.map((v) => ecdfAt(a, v)),
    candidate: x.map((v) => ecdfAt(b, v)),
    ksAt,
    ksD
  }
}

function masses(sorted: Float64Array, bins: Bins): number[] {
  const out = new Array<number>(bins.count).fill(0)
  const idx = bins.assign(sorted)
  for (let i = 0; i < idx.length; i++) out[idx[i] as number] = (out[idx[i] as number] ?? 0) + 1
  return out.map((c) => c / Math.max(1, sorted.length))
}

export function histogramPlot(a: Float64Array, b: Float64Array, bins: Bins): HistogramPlot {
  let edges: number[]
  if (bins.discrete) {
    // One bin per value: edges halfway between neighbouring values.
    const v = Array.from(bins.edges)
    edges = [
      (v[0] ?? 0) - ((v[1] ?? (v[0] ?? 0) + 1) - (v[0] ?? 0)) / 2,
      ...v.slice(1).map((x, i) => ((v[i] ?? x) + x) / 2)
    ]
    const last = v[v.length - 1] ?? 0
    const prev = v[v.length - 2] ?? last - 1
    edges.push(last + (last - prev) / 2)
  } else edges = Array.from(bins.edges)
  return { edges, reference: masses(a, bins), candidate: masses(b, bins) }
}

export function qqPlot(a: Float64Array, b: Float64Array): QqPlot | null {
  if (a.length === 0 || b.length === 0) return null
  return {
    probs: QQ_PROBS,
    reference: QQ_PROBS.map((p) => quantileSorted(a, p)),
    candidate: QQ_PROBS.map((p) => quantileSorted(b, p))
  }
}

export function metricPlots(
  def: MetricDef,
  r: Prepared,
  c: Prepared,
  pair: PairDistances
): MetricPlots {
  return {
    metric: def.id,
    label: def.label,
    units: def.units,
    ecdf: ecdfPlot(r.sorted, c.sorted, pair.estimate.ksAt, pair.estimate.ks),
    histogram: histogramPlot(r.sorted, c.sorted, pair.bins),
    qq: qqPlot(r.sorted, c.sorted)
  }
}

const finiteOr = (x: Float64Array): number[] => Array.from(x, (v) => (Number.isFinite(v) ? v : NaN))

/** ACF of returns and of |returns| for both samples (time order), up to the decay-fit lags. */
export function acfPlot(horizon: string, r: Float64Array, c: Float64Array): AcfPlot | null {
  const n = Math.min(r.length, c.length)
  if (n < 20) return null
  const L = acfLags(n)
  const safe = (f: () => Float64Array): number[] => {
    try {
      return finiteOr(f())
    } catch {
      return new Array<number>(L + 1).fill(NaN)
    }
  }
  return {
    horizon,
    lags: Array.from({ length: L + 1 }, (_, k) => k),
    returnsReference: safe(() => acf(r, L)),
    returnsCandidate: safe(() => acf(c, L)),
    absReference: safe(() => acfAbs(r, L)),
    absCandidate: safe(() => acfAbs(c, L)),
    band: acfWhiteNoiseBand(r.length)
  }
}

export function profilePlot(ref: MarketSeries, cand: MarketSeries): ProfilePlot | null {
  const a = meanProfile(ref)
  const b = meanProfile(cand)
  if (!a || !b) return null
  return {
    levels: a.bid.map((_, k) => k + 1),
    bidReference: a.bid,
    askReference: a.ask,
    bidCandidate: b.bid,
    askCandidate: b.ask
  }
}

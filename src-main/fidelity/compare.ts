// Two-sample comparison of one metric: KS D, z-scored Wasserstein-1 and histogram total variation
// on the full samples, each with a moving-block bootstrap percentile CI (LOB-Bench's procedure:
// both samples resampled independently, the full-sample value counted as a replicate, 99%
// intervals by default); KS and Anderson–Darling p-values on thinned samples only, with the
// thinning stated; and the scalar statistics' differences. Verdicts against the real-vs-real
// baseline are made in baseline.ts.
import type { PValues } from '../../src-shared/fidelity'
import type { MetricDef } from './metrics/catalogue'
import { seedFor, type CompareSettings, type Prepared } from './prepared'
import {
  Xoshiro128,
  andersonKSamp,
  assignBins,
  assignDiscrete,
  blockResampleWeights,
  distinctPooled,
  fdBinEdges,
  ks2samp,
  thin,
  weightedDistances,
  type WeightedDistances
} from './stats'

/** Above this many distinct values a "discrete" metric is binned like a continuous one. */
const MAX_DISCRETE_BINS = 1000

export interface Bins {
  /** Bin edges (continuous) or the distinct values (discrete). */
  readonly edges: Float64Array
  readonly discrete: boolean
  readonly count: number
  assign(sortedValues: Float64Array): Int32Array
}

/** The ascending merge of two ascending arrays, in one pass. */
function merged(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) {
    const x = a[i] as number
    const y = b[j] as number
    if (x <= y) {
      out[k++] = x
      i++
    } else {
      out[k++] = y
      j++
    }
  }
  while (i < a.length) out[k++] = a[i++] as number
  while (j < b.length) out[k++] = b[j++] as number
  return out
}

/**
 * Shared bins of a pair: one per distinct value for discrete metrics (LOB-Bench's discrete=True)
 * and Freedman–Diaconis on the pooled sample otherwise (capped at 1000 bins). When FD collapses to
 * one bin (IQR 0, e.g. depth updates every 100 ms) but the values do differ, the distinct values
 * become the bins if there are at most 1000 of them, else 100 equal bins — one bin would make the
 * total variation 0 whatever the samples.
 */
export function binsFor(def: MetricDef, a: Float64Array, b: Float64Array): Bins {
  const levels = distinctPooled(a, b)
  const discrete = (def.discrete && levels.length <= MAX_DISCRETE_BINS) || levels.length === 1
  if (!discrete) {
    let edges = fdBinEdges(merged(a, b)).edges
    if (edges.length <= 2 && levels.length > 1) {
      if (levels.length <= MAX_DISCRETE_BINS) return discreteBins(levels)
      const lo = levels[0] as number
      const hi = levels[levels.length - 1] as number
      edges = Float64Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100)
    }
    const e = edges
    return {
      edges: e,
      discrete: false,
      count: e.length - 1,
      assign: (v) => assignBins(v, e)
    }
  }
  return discreteBins(levels)
}

function discreteBins(levels: Float64Array): Bins {
  return {
    edges: levels,
    discrete: true,
    count: levels.length,
    assign: (v) => assignDiscrete(v, levels)
  }
}

export interface PairDistances {
  readonly estimate: WeightedDistances
  /** Replicates of each distance, the full-sample value first. */
  readonly ks: Float64Array
  readonly w1z: Float64Array
  readonly tv: Float64Array
  readonly bins: Bins
}

/** The three distances between two prepared samples and their block-bootstrap replicates. */
export function pairDistances(
  def: MetricDef,
  a: Prepared,
  b: Prepared,
  s: CompareSettings
): PairDistances {
  const bins = binsFor(def, a.sorted, b.sorted)
  const scratch = { massA: new Float64Array(bins.count), massB: new Float64Array(bins.count) }
  const estimate = weightedDistances(
    { values: a.sorted, weights: null, bins: bins.assign(a.sorted) },
    { values: b.sorted, weights: null, bins: bins.assign(b.sorted) },
    bins.count,
    scratch
  )
  const R = s.resamples
  const ks = new Float64Array(R + 1)
  const w1z = new Float64Array(R + 1)
  const tv = new Float64Array(R + 1)
  ks[0] = estimate.ks
  w1z[0] = estimate.w1z
  tv[0] = estimate.tv
  const na = a.view.length
  const nb = b.view.length
  const binsA = bins.assign(a.viewSorted)
  const binsB = bins.assign(b.viewSorted)
  const timeWa = new Float64Array(na + 1)
  const timeWb = new Float64Array(nb + 1)
  const wa = new Float64Array(na)
  const wb = new Float64Array(nb)
  const rng = Xoshiro128.fromSeed(seedFor(s.seed, def.id, a.role, b.role))
  for (let r = 1; r <= R; r++) {
    blockResampleWeights(na, a.viewBlock, rng, timeWa)
    blockResampleWeights(nb, b.viewBlock, rng, timeWb)
    // Multiplicities by ascending rank: the sorted view with these weights is the resample.
    for (let k = 0; k < na; k++) wa[k] = timeWa[a.viewOrder[k] as number] as number
    for (let k = 0; k < nb; k++) wb[k] = timeWb[b.viewOrder[k] as number] as number
    const d = weightedDistances(
      { values: a.viewSorted, weights: wa, bins: binsA },
      { values: b.viewSorted, weights: wb, bins: binsB },
      bins.count,
      scratch
    )
    ks[r] = d.ks
    w1z[r] = d.w1z
    tv[r] = d.tv
  }
  return { estimate, ks, w1z, tv, bins }
}

/**
 * KS and Anderson–Darling p-values on thinned samples: one value per block of the decorrelation
 * length, at most `thinN` blocks, so the values are close to independent and the test's n is
 * fixed (a p-value on millions of dependent values is always ~0: anchors §4d).
 */
export function thinnedPValues(
  def: MetricDef,
  a: Prepared,
  b: Prepared,
  s: CompareSettings
): PValues | null {
  const x = a.sample.values
  const y = b.sample.values
  if (x.length < s.minN || y.length < s.minN) return null
  const ta = thin(x, {
    blockLength: a.block,
    n: s.thinN,
    seed: seedFor(s.seed, def.id, a.role, 'thin')
  })
  const tb = thin(y, {
    blockLength: b.block,
    n: s.thinN,
    seed: seedFor(s.seed, def.id, b.role, 'thin')
  })
  const ks = ks2samp(ta.values, tb.values)
  let adP: number | null = null
  let adBound: PValues['adBound'] = null
  try {
    const ad = andersonKSamp([ta.values, tb.values])
    adP = ad.pvalue
    adBound = ad.pvalueBound
  } catch {
    // one distinct value in the pooled thinned sample: the test is undefined
  }
  return {
    ksD: ks.statistic,
    ksP: ks.pvalue,
    adP,
    adBound,
    n1: ta.values.length,
    n2: tb.values.length,
    thinning: { reference: ta.description.text, candidate: tb.description.text },
    seedRulePass: ks.pvalue > 0.05,
    baselineKsP: null
  }
}

/** Replicates of |scalar(b) − scalar(a)| from the two samples' independent replicates. */
export function scalarDiffs(a: Prepared, b: Prepared, i: number): Float64Array {
  const ra = a.scalars[i]?.replicates ?? new Float64Array(0)
  const rb = b.scalars[i]?.replicates ?? new Float64Array(0)
  const n = Math.min(ra.length, rb.length)
  const out = new Float64Array(n)
  for (let r = 0; r < n; r++) out[r] = Math.abs((rb[r] as number) - (ra[r] as number))
  return out
}

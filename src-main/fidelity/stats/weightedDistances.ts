// The three distribution distances of the fidelity scorecard — two-sample KS D, Wasserstein-1
// (raw and z-scored on the pooled sample) and histogram total variation on fixed bins — in ONE
// merge walk over two ascending samples that carry non-negative weights.
//
// Why weights: a bootstrap resample (iid or moving-block) of a sample is a multiset of its own
// values, i.e. the sorted sample with integer multiplicities. Re-weighting the already sorted
// values costs O(n) per replicate instead of a copy and an O(n log n) sort, which is what makes
// 100 block-bootstrap replicates of every metric of a day of data affordable.
//
// With all weights 1 the results equal ks.ts `ks2samp(...).statistic` (D only; ties handled as
// scipy does: all copies of a value on both sides are counted before the ECDFs are compared),
// wasserstein.ts `wasserstein` / `wassersteinZ` (pooled z-score with ddof = 1) and histogram.ts
// `histogramL1(...).tv` on the same bins. Asserted in test/engine/fidelity/weightedDistances.test.ts.

import { StatsInputError } from './validate'

export interface WeightedSample {
  /** Ascending values. */
  readonly values: Float64Array
  /** Weight per value (same length), or null for all ones. */
  readonly weights: Float64Array | null
  /** Bin index per value for the total variation (same length), or null to skip it. */
  readonly bins: Int32Array | null
}

export interface WeightedDistances {
  ks: number
  /** The value at which the KS gap is largest (first one attaining it). */
  ksAt: number
  w1: number
  /** W1 / pooled standard deviation (ddof = 1); 0 when the pooled sample is constant. */
  w1z: number
  /** Total variation 1/2 sum |p - q| over the bins (NaN when no bins were given). */
  tv: number
}

/** Bin index of each ascending value for the given ascending edges, numpy.histogram semantics. */
export function assignBins(sorted: Float64Array, edges: Float64Array): Int32Array {
  const nb = edges.length - 1
  if (nb < 1) throw new StatsInputError('assignBins: needs at least 2 edges')
  const out = new Int32Array(sorted.length)
  let k = 0
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number
    // [e_k, e_k+1) except the last bin, which is closed; values outside clamp to the end bins.
    while (k < nb - 1 && v >= (edges[k + 1] as number)) k++
    out[i] = k
  }
  return out
}

/** Bin index of each ascending value among the ascending distinct `levels` (exact match). */
export function assignDiscrete(sorted: Float64Array, levels: Float64Array): Int32Array {
  const out = new Int32Array(sorted.length)
  let k = 0
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number
    while (k < levels.length - 1 && (levels[k] as number) < v) k++
    out[i] = k
  }
  return out
}

/** Distinct values of two ascending samples, ascending. */
export function distinctPooled(a: Float64Array, b: Float64Array): Float64Array {
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Infinity
    const y = j < b.length ? (b[j] as number) : Infinity
    const v = x <= y ? x : y
    out.push(v)
    while (i < a.length && a[i] === v) i++
    while (j < b.length && b[j] === v) j++
  }
  return Float64Array.from(out)
}

function total(s: WeightedSample): number {
  if (!s.weights) return s.values.length
  let t = 0
  for (let i = 0; i < s.weights.length; i++) t += s.weights[i] as number
  return t
}

/**
 * KS D, W1, z-scored W1 and TV between two weighted ascending samples. `scratch` (optional) holds
 * at least `nBins` values per side and is overwritten.
 */
export function weightedDistances(
  a: WeightedSample,
  b: WeightedSample,
  nBins = 0,
  scratch?: { massA: Float64Array; massB: Float64Array }
): WeightedDistances {
  const x = a.values
  const y = b.values
  const wa = a.weights
  const wb = b.weights
  const n = x.length
  const m = y.length
  const WA = total(a)
  const WB = total(b)
  if (!(WA > 0) || !(WB > 0)) {
    throw new StatsInputError('weightedDistances: each sample needs a positive total weight')
  }
  // Pooled mean and sample variance (ddof = 1) for the z-score, in two passes for accuracy.
  let s1 = 0
  for (let i = 0; i < n; i++) s1 += (wa ? (wa[i] as number) : 1) * (x[i] as number)
  for (let j = 0; j < m; j++) s1 += (wb ? (wb[j] as number) : 1) * (y[j] as number)
  const W = WA + WB
  const mean = s1 / W
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean
    s2 += (wa ? (wa[i] as number) : 1) * d * d
  }
  for (let j = 0; j < m; j++) {
    const d = (y[j] as number) - mean
    s2 += (wb ? (wb[j] as number) : 1) * d * d
  }
  const sd = W > 1 ? Math.sqrt(s2 / (W - 1)) : 0

  let i = 0
  let j = 0
  let ca = 0
  let cb = 0
  let ks = 0
  let ksAt = NaN
  let w1 = 0
  let prev = Math.min(n > 0 ? (x[0] as number) : Infinity, m > 0 ? (y[0] as number) : Infinity)
  while (i < n || j < m) {
    const xi = i < n ? (x[i] as number) : Infinity
    const yj = j < m ? (y[j] as number) : Infinity
    const v = xi <= yj ? xi : yj
    if (v > prev) {
      w1 += Math.abs(ca / WA - cb / WB) * (v - prev)
      prev = v
    }
    while (i < n && x[i] === v) {
      ca += wa ? (wa[i] as number) : 1
      i++
    }
    while (j < m && y[j] === v) {
      cb += wb ? (wb[j] as number) : 1
      j++
    }
    const d = Math.abs(ca / WA - cb / WB)
    if (d > ks) {
      ks = d
      ksAt = v
    }
  }

  let tv = NaN
  if (nBins > 0 && a.bins && b.bins) {
    const ma = scratch?.massA ?? new Float64Array(nBins)
    const mb = scratch?.massB ?? new Float64Array(nBins)
    ma.fill(0, 0, nBins)
    mb.fill(0, 0, nBins)
    const ba = a.bins
    const bb = b.bins
    for (let k = 0; k < n; k++) {
      const g = ba[k] as number
      ma[g] = (ma[g] as number) + (wa ? (wa[k] as number) : 1)
    }
    for (let k = 0; k < m; k++) {
      const g = bb[k] as number
      mb[g] = (mb[g] as number) + (wb ? (wb[k] as number) : 1)
    }
    let s = 0
    for (let g = 0; g < nBins; g++) s += Math.abs((ma[g] as number) / WA - (mb[g] as number) / WB)
    tv = s / 2
  }
  return { ks, ksAt, w1, w1z: sd > 0 ? w1 / sd : 0, tv }
}

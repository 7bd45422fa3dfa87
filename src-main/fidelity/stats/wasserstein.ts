// Wasserstein-1 (earth mover's) distance between two empirical distributions on the line,
// scipy.stats.wasserstein_distance: W1 = integral of |U(t) - V(t)| dt over the two step ECDFs,
// evaluated exactly by one merge walk over the sorted samples, O(n log n) for the sorts.
//
// `wassersteinZ` is LOB-Bench's variant (metrics.py `wasserstein`): z-score the pooled real +
// generated scores with the pooled mean and the pooled *sample* standard deviation (pandas'
// default ddof=1), then W1. Since W1 is translation invariant and scales with its argument, that
// equals W1(a, b) / sd_pooled, which is how it is computed here (no z-scored copies).

import { pairwiseSum } from './sum'
import { type Sample, StatsInputError, sortedCopy, toF64 } from './validate'

function sortedWithWeights(
  values: Float64Array,
  weights: Float64Array | undefined,
  fn: string,
  what: string
): { v: Float64Array; cw: Float64Array | null } {
  if (!weights) return { v: sortedCopy(values), cw: null }
  if (weights.length !== values.length) {
    throw new StatsInputError(`${fn}: ${what} weights and values differ in length`)
  }
  const idx = new Uint32Array(values.length)
  for (let i = 0; i < idx.length; i++) idx[i] = i
  idx.sort((i, j) => (values[i] as number) - (values[j] as number))
  const v = new Float64Array(values.length)
  const cw = new Float64Array(values.length + 1)
  let total = 0
  for (let i = 0; i < idx.length; i++) {
    const w = weights[idx[i] as number] as number
    if (w < 0) throw new StatsInputError(`${fn}: ${what} weights must be non-negative`)
    v[i] = values[idx[i] as number] as number
    total += w
    cw[i + 1] = total
  }
  if (!(total > 0 && Number.isFinite(total))) {
    throw new StatsInputError(`${fn}: ${what} weights must have a positive, finite sum`)
  }
  return { v, cw }
}

export interface WassersteinOptions {
  /** Optional non-negative weights per value of `a` (normalized to sum 1), as scipy's u_weights. */
  weightsA?: Sample
  /** Optional weights for `b`, as scipy's v_weights. */
  weightsB?: Sample
}

/** scipy.stats.wasserstein_distance(a, b, weightsA, weightsB). */
export function wasserstein(a: Sample, b: Sample, options: WassersteinOptions = {}): number {
  const fn = 'wasserstein'
  const wa = options.weightsA ? toF64(options.weightsA, fn, 'weightsA') : undefined
  const wb = options.weightsB ? toF64(options.weightsB, fn, 'weightsB') : undefined
  const A = sortedWithWeights(toF64(a, fn, 'sample a'), wa, fn, 'sample a')
  const B = sortedWithWeights(toF64(b, fn, 'sample b'), wb, fn, 'sample b')
  const x = A.v
  const y = B.v
  const n = x.length
  const m = y.length
  const totalA = A.cw ? (A.cw[n] as number) : n
  const totalB = B.cw ? (B.cw[m] as number) : m
  // Walk the merged values; between consecutive ones both ECDFs are constant.
  let i = 0
  let j = 0
  let dist = 0
  let prev = Math.min(x[0] as number, y[0] as number)
  while (i < n || j < m) {
    const xi = i < n ? (x[i] as number) : Infinity
    const yj = j < m ? (y[j] as number) : Infinity
    const v = xi <= yj ? xi : yj
    if (v > prev) {
      const u = (A.cw ? (A.cw[i] as number) : i) / totalA
      const w = (B.cw ? (B.cw[j] as number) : j) / totalB
      dist += Math.abs(u - w) * (v - prev)
      prev = v
    }
    while (i < n && x[i] === v) i++
    while (j < m && y[j] === v) j++
  }
  return dist
}

export interface WassersteinZResult {
  /** W1 between the z-scored samples, = raw / pooledStd. 0 when the pooled sample is constant. */
  distance: number
  /** W1 in the data's own units. */
  raw: number
  pooledMean: number
  /** Pooled sample standard deviation (ddof = 1). */
  pooledStd: number
}

/** LOB-Bench's z-scored W1: z-score the pooled sample (ddof = 1), then W1. */
export function wassersteinZ(a: Sample, b: Sample): WassersteinZResult {
  const fn = 'wassersteinZ'
  const x = toF64(a, fn, 'sample a')
  const y = toF64(b, fn, 'sample b')
  const n = x.length + y.length
  if (n < 2) throw new StatsInputError(`${fn}: needs at least 2 values in total`)
  const pooled = new Float64Array(n)
  pooled.set(x)
  pooled.set(y, x.length)
  const mean = pairwiseSum(pooled) / n
  for (let i = 0; i < n; i++) {
    const d = (pooled[i] as number) - mean
    pooled[i] = d * d
  }
  const sd = Math.sqrt(pairwiseSum(pooled) / (n - 1))
  const raw = wasserstein(x, y)
  // A constant pooled sample means identical point masses: distance 0 (pandas would give NaN).
  return { distance: sd > 0 ? raw / sd : 0, raw, pooledMean: mean, pooledStd: sd }
}

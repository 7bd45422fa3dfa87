// Quantiles of sorted data with numpy's default ('linear', Hyndman & Fan type 7) rule, including
// numpy's two-sided interpolation formula, so the Freedman-Diaconis IQR and bootstrap percentiles
// match numpy.percentile bit for bit. Source: numpy/lib/_function_base_impl.py, _quantile / _lerp.

import { StatsInputError } from './validate'

/** q-quantile (q in [0, 1]) of an ascending array, numpy.quantile(method='linear'). */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length
  if (n === 0) throw new StatsInputError('quantile: sample is empty')
  if (!(q >= 0 && q <= 1)) throw new StatsInputError(`quantile: q must be in [0, 1], got ${q}`)
  const v = (n - 1) * q
  if (v >= n - 1) return sorted[n - 1] as number
  const i = Math.floor(v)
  const g = v - i
  const a = sorted[i] as number
  const b = sorted[i + 1] as number
  const d = b - a
  // numpy interpolates from the nearer end, which keeps the result inside [a, b] exactly.
  return g >= 0.5 ? b - d * (1 - g) : a + d * g
}

/** p-th percentile (p in [0, 100]) of an ascending array, numpy.percentile(method='linear'). */
export function percentileSorted(sorted: Float64Array, p: number): number {
  return quantileSorted(sorted, p / 100)
}

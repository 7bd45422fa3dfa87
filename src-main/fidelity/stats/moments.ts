// Mean, variance, skewness and kurtosis with scipy.stats' definitions and operation order.
//
// Defaults match scipy: `skewness` is scipy.stats.skew(bias=True) = m3 / m2^1.5 and `kurtosis` is
// scipy.stats.kurtosis(fisher=True, bias=True) = m4 / m2^2 - 3, the *population* excess kurtosis
// (0 for a normal distribution), with m_k the central moments divided by n. `bias: false` gives the
// sample-adjusted estimators G1 and G2 (what Excel's SKEW/KURT and SAS report). As in scipy, a
// sample whose variance is zero to within float64 resolution has undefined skewness and kurtosis:
// NaN, not an error, because "all returns equal" is a legitimate input.

import { pairwiseSum } from './sum'
import { type Sample, StatsInputError, toF64 } from './validate'

const EPS = 2.220446049250313e-16

export interface CentralMoments {
  n: number
  mean: number
  /** Central moments about the mean, divided by n. */
  m2: number
  m3: number
  m4: number
  /** True when m2 is zero to within float64 resolution (scipy's test), so shape is undefined. */
  degenerate: boolean
}

/** Central moments in scipy's order: d = x - mean, then mean(d*d), mean(d*d*d), mean((d*d)^2). */
export function centralMoments(x: Sample): CentralMoments {
  const a = toF64(x, 'centralMoments', 'sample')
  const n = a.length
  const mean = pairwiseSum(a) / n
  const d = new Float64Array(n)
  const t = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = (a[i] as number) - mean
    d[i] = v
    t[i] = v * v
  }
  const m2 = pairwiseSum(t) / n
  for (let i = 0; i < n; i++) t[i] = (t[i] as number) * (d[i] as number)
  const m3 = pairwiseSum(t) / n
  for (let i = 0; i < n; i++) {
    const s = (d[i] as number) * (d[i] as number)
    t[i] = s * s
  }
  const m4 = pairwiseSum(t) / n
  return { n, mean, m2, m3, m4, degenerate: m2 <= (EPS * mean) ** 2 }
}

export function mean(x: Sample): number {
  const a = toF64(x, 'mean', 'sample')
  return pairwiseSum(a) / a.length
}

/** numpy.var(x, ddof): sum of squared deviations over n - ddof (ddof=0: population variance). */
export function variance(x: Sample, ddof = 0): number {
  const a = toF64(x, 'variance', 'sample')
  const n = a.length
  if (n - ddof <= 0) throw new StatsInputError(`variance: need more than ddof=${ddof} values`)
  const m = pairwiseSum(a) / n
  const t = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = (a[i] as number) - m
    t[i] = v * v
  }
  return pairwiseSum(t) / (n - ddof)
}

/** Standard deviation, sqrt(variance(x, ddof)). ddof=1 is the usual sample standard deviation. */
export function std(x: Sample, ddof = 0): number {
  return Math.sqrt(variance(x, ddof))
}

export interface ShapeOptions {
  /** true (default, scipy): plain moment ratios. false: small-sample adjusted G1 / G2. */
  bias?: boolean
}

/** scipy.stats.skew(x, bias). Adjusted version needs n > 2 (else the biased value is returned). */
export function skewness(x: Sample, options: ShapeOptions = {}): number {
  const { n, m2, m3, degenerate } = centralMoments(x)
  if (degenerate) return NaN
  // Same association as scipy, so the results agree to the last bit.
  if (options.bias === false && n > 2) return ((Math.sqrt((n - 1) * n) / (n - 2)) * m3) / m2 ** 1.5
  return m3 / m2 ** 1.5
}

export interface KurtosisOptions extends ShapeOptions {
  /** true (default): excess kurtosis, normal = 0 (Fisher). false: Pearson, normal = 3. */
  fisher?: boolean
}

/**
 * scipy.stats.kurtosis(x, fisher, bias). The default is the population excess kurtosis; the
 * adjusted version (bias: false) needs n > 3, else the biased value is returned as scipy does.
 */
export function kurtosis(x: Sample, options: KurtosisOptions = {}): number {
  const { n, m2, m4, degenerate } = centralMoments(x)
  if (degenerate) return NaN
  let k = m4 / m2 ** 2
  if (options.bias === false && n > 3) {
    k = (1 / (n - 2) / (n - 3)) * (((n * n - 1) * m4) / m2 ** 2 - 3 * (n - 1) ** 2) + 3
  }
  return options.fisher === false ? k : k - 3
}

/** Excess kurtosis (Fisher). Shorthand for kurtosis(x, { fisher: true, bias }). */
export function excessKurtosis(x: Sample, options: ShapeOptions = {}): number {
  return kurtosis(x, { ...options, fisher: true })
}

// Sample autocorrelation, the stylized-fact checks built on it, and a decorrelation length for
// thinning.
//
// Definition (statsmodels.tsa.stattools.acf with its defaults adjusted=False, demean=True; also R's
// acf and NIST's r(k)): with d = x - mean(x),
//   r(k) = sum_{t < n-k} d[t] d[t+k] / sum_t d[t]^2,
// i.e. every lag is divided by n * var, not n - k. This biases r(k) slightly towards 0 at large k
// but keeps the sequence positive semi-definite, and it is the definition LOB-Bench uses.
//
// Cont (2001): returns have r(k) ~ 0 beyond a few lags, while the ACF of |r| decays slowly, as a
// power law k^-beta with beta roughly in [0.2, 0.4]. `acfDecaySlope` estimates beta by least
// squares on log r(k) against log k.

import { fftInPlace, nextPow2 } from './fft'
import { linearFit } from './ols'
import { pairwiseSum } from './sum'
import { type Sample, StatsInputError, requireInt, toF64 } from './validate'

export interface AcfOptions {
  /**
   * 'direct' sums the products (O(n * nlags)); 'fft' uses a zero-padded FFT (O(n log n), more
   * memory: two arrays of the next power of two >= 2n). 'auto' (default) uses the FFT when it is
   * cheaper, above ~12 log2(2n) lags. Both give the same values to ~1e-13.
   */
  method?: 'auto' | 'direct' | 'fft'
}

const EPS = 2.220446049250313e-16

function demeaned(a: Float64Array): { d: Float64Array; mean: number } {
  const mean = pairwiseSum(a) / a.length
  const d = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) d[i] = (a[i] as number) - mean
  return { d, mean }
}

/** scipy's test for "variance is zero within float64 resolution": var <= (eps * mean)^2. */
function degenerate(sumSq: number, n: number, mean: number): boolean {
  return !(sumSq > n * (EPS * mean) ** 2)
}

function acfOf(a: Float64Array, nlags: number, options: AcfOptions, fn: string): Float64Array {
  requireInt(nlags, fn, 'nlags', 0, a.length - 1)
  const n = a.length
  const { d, mean } = demeaned(a)
  const out = new Float64Array(nlags + 1)
  const method = options.method ?? 'auto'
  // Measured on Node 20: a direct lag costs ~n multiply-adds, the FFT route ~12 log2(2n) of them
  // per element, so 'auto' switches at that many lags (~270 lags for n = 10^6).
  if (method === 'fft' || (method === 'auto' && nlags > 12 * Math.log2(nextPow2(2 * n)))) {
    // Zero-pad to >= 2n so the circular correlation equals the linear one.
    const len = nextPow2(2 * n)
    const re = new Float64Array(len)
    const im = new Float64Array(len)
    re.set(d)
    fftInPlace(re, im)
    for (let i = 0; i < len; i++) {
      const r = re[i] as number
      const m = im[i] as number
      re[i] = r * r + m * m
      im[i] = 0
    }
    // The power spectrum is real and even, so a forward transform equals len * the inverse.
    fftInPlace(re, im)
    const c0 = re[0] as number
    if (degenerate(c0 / len, n, mean)) return out.fill(NaN)
    for (let k = 1; k <= nlags; k++) out[k] = (re[k] as number) / c0
    out[0] = 1
    return out
  }
  const t = new Float64Array(n)
  for (let i = 0; i < n; i++) t[i] = (d[i] as number) * (d[i] as number)
  const c0 = pairwiseSum(t)
  if (degenerate(c0, n, mean)) return out.fill(NaN)
  out[0] = 1
  for (let k = 1; k <= nlags; k++) {
    const m = n - k
    for (let i = 0; i < m; i++) t[i] = (d[i] as number) * (d[i + k] as number)
    out[k] = pairwiseSum(t, 0, m) / c0
  }
  return out
}

/**
 * Autocorrelations r(0..nlags) (r(0) = 1), as statsmodels' acf(x, nlags). A constant series has
 * no defined autocorrelation: all entries are NaN.
 */
export function acf(x: Sample, nlags: number, options: AcfOptions = {}): Float64Array {
  return acfOf(toF64(x, 'acf', 'series', 2), nlags, options, 'acf')
}

/** Autocorrelations of |x|: the volatility-clustering check (Cont 2001, facts 6 and 8). */
export function acfAbs(x: Sample, nlags: number, options: AcfOptions = {}): Float64Array {
  const a = toF64(x, 'acfAbs', 'series', 2)
  const abs = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) abs[i] = Math.abs(a[i] as number)
  return acfOf(abs, nlags, options, 'acfAbs')
}

/**
 * Half-width of the approximate white-noise band for r(k), z / sqrt(n) (Bartlett's formula for an
 * iid series; z = 1.96 for 95%). Lags whose |r(k)| stays inside it look uncorrelated.
 */
export function acfWhiteNoiseBand(n: number, z = 1.96): number {
  requireInt(n, 'acfWhiteNoiseBand', 'n', 1)
  return z / Math.sqrt(n)
}

export interface AcfDecayFit {
  /** Slope of log r(k) against log k; the decay exponent is beta = -slope. */
  slope: number
  beta: number
  intercept: number
  r2: number
  /** Lags actually used: those in [minLag, maxLag] with r(k) > 0 (log needs positive values). */
  lags: Float64Array
  /** Lags in range that were skipped because r(k) <= 0. */
  skipped: number
}

export interface AcfDecayOptions {
  /** First lag of the fit (default 1). */
  minLag?: number
  /** Last lag of the fit (default: the last one given). */
  maxLag?: number
}

/**
 * Power-law decay fit r(k) ~ C k^-beta by OLS on log-log axes, for the ACF of |r| (Cont 2001,
 * fact 8). Takes the output of `acf`/`acfAbs`. Needs at least two positive lags in range.
 */
export function acfDecaySlope(acfValues: Float64Array, options: AcfDecayOptions = {}): AcfDecayFit {
  const last = acfValues.length - 1
  const minLag = options.minLag ?? 1
  const maxLag = options.maxLag ?? last
  requireInt(minLag, 'acfDecaySlope', 'minLag', 1, last)
  requireInt(maxLag, 'acfDecaySlope', 'maxLag', minLag, last)
  const lx: number[] = []
  const ly: number[] = []
  const lags: number[] = []
  let skipped = 0
  for (let k = minLag; k <= maxLag; k++) {
    const r = acfValues[k] as number
    if (r > 0) {
      lx.push(Math.log(k))
      ly.push(Math.log(r))
      lags.push(k)
    } else skipped++
  }
  if (lx.length < 2) {
    throw new StatsInputError(
      `acfDecaySlope: need at least 2 lags with positive autocorrelation, got ${lx.length}`
    )
  }
  const fit = linearFit(lx, ly)
  return {
    slope: fit.slope,
    beta: -fit.slope,
    intercept: fit.intercept,
    r2: fit.r2,
    lags: Float64Array.from(lags),
    skipped
  }
}

export interface DecorrelationLag {
  /** First lag k >= 1 with r(k) <= threshold, or maxLag when none was found. */
  lag: number
  /** False when r(k) stayed above the threshold up to maxLag (use a longer block or maxLag). */
  reached: boolean
  threshold: number
}

/**
 * Autocorrelation length for block subsampling: the first lag at which r(k) falls to the
 * white-noise band (default threshold 1.96 / sqrt(n)). Blocks at least this long make one value
 * per block roughly independent of the next.
 */
export function decorrelationLag(
  x: Sample,
  options: { maxLag?: number; threshold?: number; method?: AcfOptions['method'] } = {}
): DecorrelationLag {
  const a = toF64(x, 'decorrelationLag', 'series', 2)
  const maxLag = options.maxLag ?? Math.min(a.length - 1, 1000)
  const threshold = options.threshold ?? acfWhiteNoiseBand(a.length)
  const r = acfOf(
    a,
    maxLag,
    options.method === undefined ? {} : { method: options.method },
    'decorrelationLag'
  )
  for (let k = 1; k <= maxLag; k++) {
    if ((r[k] as number) <= threshold) return { lag: k, reached: true, threshold }
  }
  return { lag: maxLag, reached: false, threshold }
}

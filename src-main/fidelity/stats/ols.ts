// Ordinary least squares for one regressor with an intercept: the core of the AR(1) fit and of the
// log-log ACF decay slope. Two-pass (centre first, then sum products) with pairwise sums, which is
// what reaches NIST StRD's certified values for Norris to ~1e-13; the textbook one-pass formula
// n*Sxy - Sx*Sy loses half the digits on data like that.

import { pairwiseSum } from './sum'
import { type Sample, StatsInputError, toF64 } from './validate'

export interface LinearFit {
  slope: number
  intercept: number
  /** Coefficient of determination, 1 - SSE / SST. */
  r2: number
  n: number
  /** Standard errors under the usual iid-error assumption (NaN when n < 3). */
  slopeStdErr: number
  interceptStdErr: number
  /** Residual standard deviation sqrt(SSE / (n - 2)) (NaN when n < 3). */
  residualStd: number
  sse: number
}

/** Least-squares line y = intercept + slope * x. */
export function linearFit(x: Sample, y: Sample): LinearFit {
  const xs = toF64(x, 'linearFit', 'x', 2)
  const ys = toF64(y, 'linearFit', 'y', 2)
  const n = xs.length
  if (ys.length !== n) {
    throw new StatsInputError(`linearFit: x and y differ in length (${n} vs ${ys.length})`)
  }
  const xm = pairwiseSum(xs) / n
  const ym = pairwiseSum(ys) / n
  const txx = new Float64Array(n)
  const txy = new Float64Array(n)
  const tyy = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - xm
    const dy = (ys[i] as number) - ym
    txx[i] = dx * dx
    txy[i] = dx * dy
    tyy[i] = dy * dy
  }
  const sxx = pairwiseSum(txx)
  const sxy = pairwiseSum(txy)
  const syy = pairwiseSum(tyy)
  if (!(sxx > 0)) throw new StatsInputError('linearFit: x is constant, the slope is undefined')
  const slope = sxy / sxx
  const intercept = ym - slope * xm
  // Residuals from the centred form: e = dy - slope * dx, no cancellation against the intercept.
  for (let i = 0; i < n; i++) {
    const e = (ys[i] as number) - ym - slope * ((xs[i] as number) - xm)
    tyy[i] = e * e
  }
  const sse = pairwiseSum(tyy)
  const df = n - 2
  const s2 = df > 0 ? sse / df : NaN
  return {
    slope,
    intercept,
    r2: syy > 0 ? 1 - sse / syy : NaN,
    n,
    slopeStdErr: Math.sqrt(s2 / sxx),
    interceptStdErr: Math.sqrt(s2 * (1 / n + (xm * xm) / sxx)),
    residualStd: Math.sqrt(s2),
    sse
  }
}

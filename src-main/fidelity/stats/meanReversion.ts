// Mean-reversion speed of a series (spread, imbalance, basis...) from an AR(1) fit:
//   x[t] = c + phi * x[t-1] + e[t],   fitted by OLS of x[1..n-1] on x[0..n-2] with an intercept
// (the conditional least-squares estimate, as statsmodels' AutoReg(x, 1, trend='c')).
// A deviation decays like phi^t, so it halves after
//   halfLife = -ln 2 / ln phi   steps (times dt for time units),
// which is the half-life of the discretely sampled Ornstein-Uhlenbeck process with rate
// theta = -ln(phi) / dt. The half-life is only defined for 0 < phi < 1: phi >= 1 means no mean
// reversion (reported as Infinity) and phi <= 0 means the series alternates rather than decays
// (reported as NaN). Both cases are real outcomes, not errors.

import { linearFit } from './ols'
import { type Sample, requireRange, toF64 } from './validate'

export interface Ar1Fit {
  phi: number
  intercept: number
  /** Long-run mean c / (1 - phi) (NaN when phi = 1). */
  mean: number
  /** Steps (times dt) for a deviation to halve; Infinity if phi >= 1, NaN if phi <= 0. */
  halfLife: number
  /** OU mean-reversion rate -ln(phi) / dt (NaN if phi <= 0). */
  theta: number
  phiStdErr: number
  /** Pairs (x[t-1], x[t]) used. */
  n: number
}

/** AR(1) / Ornstein-Uhlenbeck half-life of `x`, sampled every `dt` (default 1). */
export function ar1HalfLife(x: Sample, options: { dt?: number } = {}): Ar1Fit {
  const a = toF64(x, 'ar1HalfLife', 'series', 3)
  const dt = options.dt ?? 1
  requireRange(dt, 'ar1HalfLife', 'dt', 0, Infinity, true)
  const fit = linearFit(a.subarray(0, a.length - 1), a.subarray(1))
  const phi = fit.slope
  const theta = phi > 0 ? -Math.log(phi) / dt : NaN
  const halfLife = phi >= 1 ? Infinity : phi > 0 ? (-Math.LN2 / Math.log(phi)) * dt : NaN
  return {
    phi,
    intercept: fit.intercept,
    mean: phi === 1 ? NaN : fit.intercept / (1 - phi),
    halfLife,
    theta,
    phiStdErr: fit.slopeStdErr,
    n: fit.n
  }
}

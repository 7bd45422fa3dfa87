// Mid-price log returns at 1 s, 1 min and 5 min from the grid, with the stylized facts of Cont
// (2001): heavy tails (excess kurtosis, Hill tail index), no linear autocorrelation (r(1) near 0),
// volatility clustering (ACF of |r| positive) decaying slowly (power-law exponent β of the |r| ACF).
import { gridOf, type MarketSeries } from '../series'
import { acf, acfAbs, acfDecaySlope, hill, kurtosis } from '../stats'
import { finite, safe, type MetricDef, type MetricSample } from './types'

/** Largest lag of the |r| ACF decay fit: up to 50 lags, and at most a tenth of the sample. */
export const acfLags = (n: number): number => Math.max(2, Math.min(50, Math.floor(n / 10)))

/** Log returns of the mid over `horizonMs` from the coarsest grid that divides it. */
export function midReturns(s: MarketSeries, horizonMs: number): MetricSample {
  const intervals = s.grids
    .map((g) => g.intervalMs)
    .filter((ms) => ms <= horizonMs && horizonMs % ms === 0)
  const ms = Math.max(...intervals)
  const g = Number.isFinite(ms) ? gridOf(s, ms) : null
  if (!g) return finite(new Float64Array(0))
  const stride = horizonMs / g.intervalMs
  const n = Math.floor((g.n - 1) / stride)
  const out = new Float64Array(Math.max(0, n))
  for (let k = 0; k < n; k++) {
    const i0 = k * stride
    const i1 = i0 + stride
    const m0 = ((g.bidTick[i0] as number) + (g.askTick[i0] as number)) / 2
    const m1 = ((g.bidTick[i1] as number) + (g.askTick[i1] as number)) / 2
    out[k] = m0 > 0 && m1 > 0 ? Math.log(m1) - Math.log(m0) : NaN
  }
  return finite(out)
}

function def(id: string, label: string, horizonMs: number, clustering: boolean): MetricDef {
  return {
    id,
    label,
    family: 'returns',
    units: 'log return',
    discrete: false,
    sampling: () => `mid at ${horizonMs / 1000} s steps`,
    unavailable: (s) =>
      s.grids.some((g) => g.intervalMs <= horizonMs && horizonMs % g.intervalMs === 0)
        ? null
        : `no grid divides ${horizonMs} ms`,
    extract: (s) => midReturns(s, horizonMs),
    scalars: [
      {
        name: 'excess kurtosis',
        units: 'dimensionless',
        compute: (x) => safe(() => kurtosis(x))
      },
      {
        name: 'Hill tail index of |r|',
        units: 'dimensionless',
        compute: (x) => safe(() => hill(x, { tail: 'abs' }).alpha)
      },
      {
        name: 'ACF of r at lag 1',
        units: 'dimensionless, −1…1',
        compute: (x) => safe(() => acf(x, 1)[1] ?? NaN)
      },
      ...(clustering
        ? [
            {
              name: 'ACF of |r| at lag 1',
              units: 'dimensionless, −1…1',
              compute: (x: Float64Array) => safe(() => acfAbs(x, 1)[1] ?? NaN)
            },
            {
              name: 'decay exponent β of the |r| ACF',
              units: 'dimensionless',
              compute: (x: Float64Array) =>
                safe(() => acfDecaySlope(acfAbs(x, acfLags(x.length))).beta)
            }
          ]
        : [])
    ]
  }
}

export const returns1s = def('returns.1s', 'Mid return, 1 s', 1000, true)
export const returns1m = def('returns.1m', 'Mid return, 1 min', 60_000, true)
export const returns5m = def('returns.5m', 'Mid return, 5 min', 300_000, false)

// Least squares (NIST StRD Norris certified values), the AR(1) / OU half-life built on it, and
// the dispersion measures (Fano factor, burstiness). Synthetic series are labelled as such.
import { describe, expect, it } from 'vitest'
import {
  StatsInputError,
  Xoshiro128,
  ar1HalfLife,
  burstiness,
  countsInWindows,
  fanoFactor,
  fanoFactorOfEvents,
  linearFit
} from '../../../src-main/fidelity/stats'
import { mavro, norrisCertified, norrisX, norrisY } from './fixtures/nist'

function close(actual: number, expected: number, rtol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-300)
}

describe('linearFit: NIST StRD Norris certified values', () => {
  it('B0, B1, their standard errors, residual SD and R^2', () => {
    const f = linearFit(norrisX, norrisY)
    close(f.slope, norrisCertified.b1, 1e-13)
    close(f.intercept, norrisCertified.b0, 1e-11)
    close(f.slopeStdErr, norrisCertified.b1se, 1e-11)
    close(f.interceptStdErr, norrisCertified.b0se, 1e-11)
    close(f.residualStd, norrisCertified.residualSd, 1e-11)
    close(f.r2, norrisCertified.r2, 1e-13)
  })
  it('rejects a constant regressor and mismatched lengths', () => {
    expect(() => linearFit([1, 1, 1], [1, 2, 3])).toThrow(/constant/)
    expect(() => linearFit([1, 2, 3], [1, 2])).toThrow(StatsInputError)
  })
})

describe('ar1HalfLife: AR(1) / Ornstein-Uhlenbeck half-life', () => {
  it('exact geometric decay: phi and half-life -ln 2 / ln phi recovered exactly (synthetic)', () => {
    // x[t] = 5 + 3 * phi^t lies exactly on x[t] = c + phi x[t-1] with c = 5 (1 - phi).
    for (const [phi, halfLife] of [
      [0.5, 1],
      [2 ** -0.1, 10],
      [0.9, Math.LN2 / -Math.log(0.9)]
    ] as const) {
      const x = Array.from({ length: 40 }, (_, t) => 5 + 3 * phi ** t)
      const fit = ar1HalfLife(x)
      close(fit.phi, phi, 1e-10)
      close(fit.halfLife, halfLife, 1e-8)
      close(fit.mean, 5, 1e-8)
      close(ar1HalfLife(x, { dt: 0.1 }).halfLife, halfLife * 0.1, 1e-8)
      close(fit.theta, -Math.log(phi), 1e-9)
    }
  })
  it('NIST Mavro (computed with scipy 1.17.1 locally)', () => {
    // r = stats.linregress(mavro[:-1], mavro[1:]); -np.log(2) / np.log(r.slope)
    const fit = ar1HalfLife(mavro)
    close(fit.phi, 0.9705386811438513, 1e-11)
    close(fit.intercept, 0.05898923573728854, 1e-9)
    close(fit.phiStdErr, 0.044318264883993944, 1e-9)
    close(fit.halfLife, 23.17906338005132, 1e-9)
    expect(fit.n).toBe(49)
  })
  it('no mean reversion (phi >= 1) is Infinity; alternation (phi <= 0) is NaN', () => {
    expect(ar1HalfLife([1, 2, 3, 4, 5]).halfLife).toBe(Infinity)
    const alt = ar1HalfLife([1, -1, 1, -1, 1, -1])
    expect(alt.phi).toBeLessThan(0)
    expect(alt.halfLife).toBeNaN()
  })
  it('noisy synthetic AR(1): estimate within sampling error of the truth', () => {
    const rng = Xoshiro128.fromSeed(99)
    const n = 100000
    const x = new Float64Array(n)
    let prev = 0
    for (let i = 0; i < n; i++) {
      const e =
        Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat())
      prev = 0.95 * prev + e
      x[i] = prev
    }
    const fit = ar1HalfLife(x)
    expect(Math.abs(fit.phi - 0.95)).toBeLessThan(4 * fit.phiStdErr)
    expect(fit.halfLife).toBeGreaterThan(11)
    expect(fit.halfLife).toBeLessThan(16) // true value -ln 2 / ln 0.95 = 13.51
  })
  it('rejects series shorter than 3 and non-positive dt', () => {
    expect(() => ar1HalfLife([1, 2])).toThrow(StatsInputError)
    expect(() => ar1HalfLife([1, 2, 3], { dt: 0 })).toThrow(StatsInputError)
  })
})

describe('Fano factor and burstiness', () => {
  it('Fano factor of counts: var (ddof = 1) / mean', () => {
    // [1, 2, 3, 4, 5]: mean 3, sample variance 2.5, F = 5/6.
    const r = fanoFactor([1, 2, 3, 4, 5])
    close(r.fano, 5 / 6, 1e-15)
    expect(r.windows).toBe(5)
    close(fanoFactor([1, 2, 3, 4, 5], { ddof: 0 }).fano, 2 / 3, 1e-15)
    expect(fanoFactor([4, 4, 4]).fano).toBe(0)
  })
  it('counts in windows: half-open windows, last partial window dropped', () => {
    const c = countsInWindows([0, 0.5, 1, 1.2, 2.9, 3, 3.5], 1)
    expect(Array.from(c)).toEqual([2, 2, 1]) // [0,1): 0, 0.5  [1,2): 1, 1.2  [2,3): 2.9
    expect(Array.from(countsInWindows([0, 1, 2, 10], 5, { start: 0, end: 10 }))).toEqual([3, 0])
  })
  it('periodic events: F = 0, B = -1; Poisson events: F ~ 1, B ~ 0 (synthetic)', () => {
    const periodic = Array.from({ length: 1001 }, (_, i) => i * 0.25)
    expect(fanoFactorOfEvents(periodic, 1).fano).toBe(0)
    expect(burstiness(new Array<number>(10).fill(0.25))).toBe(-1)
    // Poisson process of rate 1 (exponential gaps from the seeded generator).
    const rng = Xoshiro128.fromSeed(2024)
    const gaps = Float64Array.from({ length: 200000 }, () => -Math.log(1 - rng.nextFloat()))
    const times = new Float64Array(gaps.length)
    let t = 0
    for (let i = 0; i < gaps.length; i++) times[i] = t += gaps[i] ?? 0
    const f = fanoFactorOfEvents(times, 10)
    expect(Math.abs(f.fano - 1)).toBeLessThan(0.05)
    expect(Math.abs(burstiness(gaps))).toBeLessThan(0.01)
  })
  it('rejects unsorted times, negative counts, all-zero counts and short ranges', () => {
    expect(() => countsInWindows([2, 1], 1)).toThrow(/ascending/)
    expect(() => countsInWindows([0, 0.5], 1)).toThrow(/shorter than one window/)
    expect(() => fanoFactor([1, -1])).toThrow(StatsInputError)
    expect(() => fanoFactor([0, 0, 0])).toThrow(/undefined/)
    expect(() => fanoFactor([3])).toThrow(StatsInputError)
    expect(() => burstiness([0, 0])).toThrow(StatsInputError)
  })
})

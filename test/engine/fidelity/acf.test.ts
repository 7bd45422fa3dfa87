// Autocorrelation (statsmodels / NIST definition) against NIST StRD certified lag-1 values, and
// the decay-slope and decorrelation helpers on synthetic series with known answers.
import { describe, expect, it } from 'vitest'
import {
  StatsInputError,
  Xoshiro128,
  acf,
  acfAbs,
  acfDecaySlope,
  acfWhiteNoiseBand,
  decorrelationLag
} from '../../../src-main/fidelity/stats'
import { lew, lewCertified, mavro, mavroCertified, numAcc } from './fixtures/nist'

function close(actual: number, expected: number, atol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(atol)
}

/** Synthetic Gaussian AR(1) series x[t] = phi x[t-1] + e[t] from our seeded generator. */
function ar1(n: number, phi: number, seed: number): Float64Array {
  const rng = Xoshiro128.fromSeed(seed)
  const x = new Float64Array(n)
  let prev = 0
  for (let i = 0; i < n; i++) {
    const u = 1 - rng.nextFloat()
    const e = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat())
    prev = phi * prev + e
    x[i] = prev
  }
  return x
}

describe('acf: NIST StRD certified lag-1 autocorrelation r(1)', () => {
  // NIST defines r(1) = sum (y_i - ybar)(y_{i+1} - ybar) / sum (y_i - ybar)^2, which is the
  // statsmodels acf (adjusted=False) that LOB-Bench uses.
  it('Lew: r(1) = -0.307304800605679', () => {
    close(acf(lew, 1)[1] ?? NaN, lewCertified.r1, 1e-14)
    close(acf(lew, 1, { method: 'fft' })[1] ?? NaN, lewCertified.r1, 1e-14)
  })
  it('Mavro: r(1) = 0.937989183438248', () => {
    close(acf(mavro, 1)[1] ?? NaN, mavroCertified.r1, 1e-13)
  })
  it('NumAcc2/3/4: r(1) = -0.999 (exact)', () => {
    close(acf(numAcc(1.2), 1)[1] ?? NaN, -0.999, 1e-12)
    close(acf(numAcc(1000000.2), 1)[1] ?? NaN, -0.999, 1e-8)
    close(acf(numAcc(10000000.2), 1)[1] ?? NaN, -0.999, 1e-7)
  })
  it('Lew, lags 2..5 and the ACF of |x| (computed with numpy 2.4.6 locally)', () => {
    // d = lew - lew.mean(); np.correlate(d, d, 'full')[len(d)-1:] / np.dot(d, d)
    const r = acf(lew, 5)
    const expected = [
      1, -0.30730480060567944, -0.7403502661846403, 0.7746892253401177, 0.2051554377963906,
      -0.89815610791283
    ]
    expected.forEach((v, k) => {
      close(r[k] ?? NaN, v, 1e-14)
    })
    // same with d = abs(lew) - abs(lew).mean()
    const ra = acfAbs(lew, 3)
    ;[1, -0.3601704457039834, -0.5004766517581731, 0.6599722425054195].forEach((v, k) => {
      close(ra[k] ?? NaN, v, 1e-14)
    })
  })
})

describe('acf: methods, bands and edge cases', () => {
  it('direct and FFT paths agree on a long synthetic series (n = 2*10^5, 300 lags)', () => {
    const x = ar1(200000, 0.9, 7)
    const d = acf(x, 300, { method: 'direct' })
    const f = acf(x, 300, { method: 'fft' })
    for (let k = 0; k <= 300; k++) close(f[k] ?? NaN, d[k] ?? NaN, 1e-12)
    // The AR(1) theory r(k) = phi^k holds to sampling error (~ 1/sqrt(n) scale).
    close(d[1] ?? NaN, 0.9, 0.01)
    close(d[10] ?? NaN, 0.9 ** 10, 0.02)
  })
  it('white-noise band z / sqrt(n)', () => {
    expect(acfWhiteNoiseBand(10000)).toBeCloseTo(0.0196, 15)
    expect(acfWhiteNoiseBand(100, 2.576)).toBeCloseTo(0.2576, 15)
  })
  it('constant series: NaN (no defined autocorrelation)', () => {
    const r = acf([3, 3, 3, 3], 2)
    expect(Array.from(r).every(Number.isNaN)).toBe(true)
    expect(Array.from(acf([0.1, 0.1, 0.1, 0.1], 1, { method: 'fft' })).every(Number.isNaN)).toBe(
      true
    )
  })
  it('rejects lags beyond n - 1, series shorter than 2 and NaN', () => {
    expect(() => acf([1, 2, 3], 3)).toThrow(StatsInputError)
    expect(() => acf([1], 0)).toThrow(StatsInputError)
    expect(() => acf([1, NaN, 2], 1)).toThrow(StatsInputError)
  })
})

describe('acfDecaySlope: power-law decay of ACF(|r|) (Cont 2001, fact 8)', () => {
  it('recovers the exponent of an exact power law r(k) = 0.4 k^-0.3', () => {
    const r = new Float64Array(51)
    r[0] = 1
    for (let k = 1; k <= 50; k++) r[k] = 0.4 * k ** -0.3
    const fit = acfDecaySlope(r)
    close(fit.beta, 0.3, 1e-13)
    close(fit.slope, -0.3, 1e-13)
    close(Math.exp(fit.intercept), 0.4, 1e-13)
    close(fit.r2, 1, 1e-13)
    expect(fit.lags.length).toBe(50)
  })
  it('skips non-positive lags and honours the lag range', () => {
    const r = Float64Array.from([1, 0.5, -0.1, 0.25, 0, 0.125])
    const fit = acfDecaySlope(r, { minLag: 1, maxLag: 5 })
    expect(fit.skipped).toBe(2)
    expect(Array.from(fit.lags)).toEqual([1, 3, 5])
    expect(() => acfDecaySlope(Float64Array.from([1, -0.5, -0.2]))).toThrow(/at least 2 lags/)
    expect(() => acfDecaySlope(r, { maxLag: 9 })).toThrow(StatsInputError)
  })
})

describe('decorrelationLag: block length for thinning', () => {
  it('finds where an AR(1) ACF drops into the white-noise band', () => {
    // phi = 0.5: r(k) = 0.5^k falls below 1.96/sqrt(10^5) ~ 0.0062 at k = 8 (0.5^8 = 0.0039).
    const d = decorrelationLag(ar1(100000, 0.5, 3))
    expect(d.reached).toBe(true)
    expect(d.lag).toBeGreaterThanOrEqual(6)
    expect(d.lag).toBeLessThanOrEqual(9)
  })
  it('reports when the threshold is not reached within maxLag', () => {
    const d = decorrelationLag(ar1(20000, 0.99, 4), { maxLag: 20 })
    expect(d.reached).toBe(false)
    expect(d.lag).toBe(20)
  })
})

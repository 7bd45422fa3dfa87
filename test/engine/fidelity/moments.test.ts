// Mean, variance, skewness and kurtosis against published values: NIST StRD certified values,
// scipy's skew/kurtosis docstring examples and Microsoft's documented SKEW/KURT examples.
import { describe, expect, it } from 'vitest'
import {
  StatsInputError,
  centralMoments,
  excessKurtosis,
  kurtosis,
  mean,
  percentileSorted,
  skewness,
  std,
  variance
} from '../../../src-main/fidelity/stats'
import { kurtosisDoc } from './fixtures/scipyDocSamples'
import { lew, lewCertified, mavro, mavroCertified, numAcc } from './fixtures/nist'

function close(actual: number, expected: number, rtol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-300)
}

describe('mean and standard deviation: NIST StRD univariate certified values', () => {
  it('Lew (200 obs.)', () => {
    close(mean(lew), lewCertified.mean, 1e-15)
    close(std(lew, 1), lewCertified.sd, 1e-14)
  })
  it('Mavro (50 obs., values clustered near 2.0018)', () => {
    close(mean(mavro), mavroCertified.mean, 1e-15)
    close(std(mavro, 1), mavroCertified.sd, 1e-12)
  })
  it('NumAcc2/3/4 (1001 obs.; sd 0.1 on levels up to 10^7)', () => {
    // Certified: mean = level exactly, sd = 0.1 exactly. The two-pass pairwise algorithm keeps
    // the digits that a one-pass sum-of-squares formula would lose at 10^7.
    close(mean(numAcc(1.2)), 1.2, 1e-15)
    close(std(numAcc(1.2), 1), 0.1, 1e-13)
    close(mean(numAcc(1000000.2)), 1000000.2, 1e-15)
    close(std(numAcc(1000000.2), 1), 0.1, 1e-9)
    close(mean(numAcc(10000000.2)), 10000000.2, 1e-15)
    close(std(numAcc(10000000.2), 1), 0.1, 1e-8)
  })
  it('population variance is the default (ddof = 0, numpy/scipy)', () => {
    expect(variance([1, 2, 3, 4])).toBe(1.25)
    expect(variance([1, 2, 3, 4], 1)).toBeCloseTo(5 / 3, 15)
  })
})

describe('skewness and kurtosis: scipy docstring examples (defaults bias=True, fisher=True)', () => {
  // scipy 1.17.1, scipy/stats/_stats_py.py, skew and kurtosis docstrings.
  it('skew([1, 2, 3, 4, 5]) = 0.0 and skew([2, 8, 0, 4, 1, 9, 9, 0]) = 0.2650554122698573', () => {
    expect(skewness([1, 2, 3, 4, 5])).toBe(0)
    close(skewness([2, 8, 0, 4, 1, 9, 9, 0]), 0.2650554122698573, 1e-15)
  })
  it('kurtosis(norm.rvs(size=1000, random_state=3)) = -0.06928694200380558', () => {
    close(kurtosis(kurtosisDoc), -0.06928694200380558, 1e-13)
    close(excessKurtosis(kurtosisDoc), -0.06928694200380558, 1e-13)
    close(kurtosis(kurtosisDoc, { fisher: false }), 3 - 0.06928694200380558, 1e-15)
  })
})

describe('sample-adjusted G1 / G2: Microsoft Excel SKEW and KURT documentation', () => {
  // support.microsoft.com "SKEW function" and "KURT function": both use the data
  // 3, 4, 5, 2, 3, 4, 5, 6, 4, 7 and print SKEW = 0.359543 and KURT = -0.151799637. These are
  // scipy's skew(bias=False) and kurtosis(bias=False).
  const data = [3, 4, 5, 2, 3, 4, 5, 6, 4, 7]
  it('SKEW = 0.359543', () => {
    expect(Math.abs(skewness(data, { bias: false }) - 0.359543)).toBeLessThan(5e-7)
  })
  it('KURT = -0.151799637', () => {
    expect(Math.abs(kurtosis(data, { bias: false }) + 0.151799637)).toBeLessThan(5e-10)
  })
  it('agrees with scipy to the last digits (computed with scipy 1.17.1 locally)', () => {
    // stats.skew(data, bias=False), stats.kurtosis(data, bias=False)
    close(skewness(data, { bias: false }), 0.35954307140679753, 1e-15)
    close(kurtosis(data, { bias: false }), -0.15179963720841405, 1e-14)
    // stats.skew(lew), stats.kurtosis(lew), stats.kurtosis(lew, bias=False) on NIST Lew.
    close(skewness(lew), -0.05022629545821298, 1e-13)
    close(kurtosis(lew), -1.4887601738140257, 1e-14)
    close(kurtosis(lew, { bias: false }), -1.4960497921444706, 1e-14)
  })
})

describe('moments: edge cases', () => {
  it('constant data has undefined shape: NaN, as scipy', () => {
    expect(skewness([2, 2, 2])).toBeNaN()
    expect(kurtosis([0.1, 0.1, 0.1, 0.1])).toBeNaN()
    expect(centralMoments([5, 5]).degenerate).toBe(true)
  })
  it('n = 1: mean is the value; adjusted estimators fall back to the biased ones as scipy does', () => {
    expect(mean([7])).toBe(7)
    expect(variance([7])).toBe(0)
    expect(() => variance([7], 1)).toThrow(StatsInputError)
    // n = 3: G2 needs n > 3, so scipy returns the biased value.
    expect(kurtosis([1, 2, 4], { bias: false })).toBe(kurtosis([1, 2, 4]))
  })
  it('empty and non-finite input throw', () => {
    expect(() => mean([])).toThrow(/empty/)
    expect(() => kurtosis([1, NaN])).toThrow(StatsInputError)
  })
})

describe('percentile: numpy.percentile docstring', () => {
  // numpy 2.4, numpy.percentile docstring: a = [[10, 7, 4], [3, 2, 1]]; np.percentile(a, 50) = 3.5
  it('np.percentile(a, 50) = 3.5 on the flattened array', () => {
    expect(percentileSorted(Float64Array.from([10, 7, 4, 3, 2, 1]).sort(), 50)).toBe(3.5)
  })
})

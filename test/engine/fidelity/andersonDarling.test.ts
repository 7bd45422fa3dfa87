// k-sample Anderson-Darling test against published values: Scholz & Stephens (1987)'s worked
// example, R kSamples values recorded in scipy's test suite, and scipy's anderson_ksamp docstring.
import { describe, expect, it } from 'vitest'
import { StatsInputError, andersonKSamp } from '../../../src-main/fidelity/stats'
import { adDoc3, adDocA, adDocB } from './fixtures/scipyDocSamples'

function close(actual: number, expected: number, atol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(atol)
}

// Scholz & Stephens (1987), JASA 82, 918-924, Example 1 (smoothness of paper, 4 laboratories;
// originally Lehmann 1975, p. 309). Reproduced in scipy/stats/tests/test_morestats.py,
// TestAndersonKSamp.test_example1a/1b.
const t1 = [38.7, 41.5, 43.8, 44.5, 45.5, 46.0, 47.7, 58.0]
const t2 = [39.2, 39.3, 39.7, 41.4, 41.8, 42.9, 43.3, 45.8]
const t3 = [34.0, 35.0, 39.0, 40.0, 43.0, 43.0, 44.0, 45.0]
const t4 = [34.0, 34.8, 34.8, 35.4, 37.2, 37.8, 41.2, 42.8]

// Scholz & Stephens technical-report example (14 samples), scipy test_example2a/2b.
const ex2 = [
  [194, 15, 41, 29, 33, 181],
  [413, 14, 58, 37, 100, 65, 9, 169, 447, 184, 36, 201, 118],
  [34, 31, 18, 18, 67, 57, 62, 7, 22, 34],
  [
    90, 10, 60, 186, 61, 49, 14, 24, 56, 20, 79, 84, 44, 59, 29, 118, 25, 156, 310, 76, 26, 44, 23,
    62
  ],
  [130, 208, 70, 101, 208],
  [74, 57, 48, 29, 502, 12, 70, 21, 29, 386, 59, 27],
  [55, 320, 56, 104, 220, 239, 47, 246, 176, 182, 33],
  [
    23, 261, 87, 7, 120, 14, 62, 47, 225, 71, 246, 21, 42, 20, 5, 12, 120, 11, 3, 14, 71, 11, 14,
    11, 16, 90, 1, 16, 52, 95
  ],
  [
    97, 51, 11, 4, 141, 18, 142, 68, 77, 80, 1, 16, 106, 206, 82, 54, 31, 216, 46, 111, 39, 63, 18,
    191, 18, 163, 24
  ],
  [
    50, 44, 102, 72, 22, 39, 3, 15, 197, 188, 79, 88, 46, 5, 5, 36, 22, 139, 210, 97, 30, 23, 13, 14
  ],
  [359, 9, 12, 270, 603, 3, 104, 2, 438],
  [50, 254, 5, 283, 35, 12],
  [487, 18, 100, 7, 98, 5, 85, 91, 43, 230, 3, 130],
  [102, 209, 14, 57, 54, 32, 67, 59, 134, 152, 27, 14, 230, 66, 61, 34]
]

describe('andersonKSamp: Scholz & Stephens (1987) examples', () => {
  it('Example 1, midrank version: T = 4.480, p ~ 0.0020, critical values of Table 2', () => {
    const r = andersonKSamp([t1, t2, t3, t4])
    close(r.statistic, 4.48, 5e-4) // scipy test_example1b: assert_almost_equal(Tk, 4.480, 3)
    close(r.pvalue, 0.002, 2.5e-4) // scipy: assert_allclose(p, 0.0020, atol=0.00025)
    const tm = [0.4985, 1.3237, 1.9158, 2.493, 3.2459] // S&S Table 2 interpolated for m = 3
    tm.forEach((v, i) => {
      close(r.criticalValues[i] ?? NaN, v, 5e-5)
    })
    // Full precision, computed with scipy 1.17.1 locally via
    //   stats.anderson_ksamp((t1, t2, t3, t4), variant='midrank')
    close(r.statistic, 4.479780627135335, 1e-13)
    close(r.pvalue, 0.0022254423109335886, 1e-15)
    expect(r.pvalueBound).toBeNull()
  })
  it('Example 1, right-continuous version (scipy midrank=False): T = 4.449, p ~ 0.0021', () => {
    const r = andersonKSamp([t1, t2, t3, t4], { variant: 'right' })
    close(r.statistic, 4.449, 5e-4)
    close(r.pvalue, 0.0021, 2.5e-4)
    // Computed with scipy 1.17.1 locally via anderson_ksamp(..., variant='right').
    close(r.statistic, 4.449262232403134, 1e-13)
    close(r.pvalue, 0.0023117500798271796, 1e-15)
    // Computed with scipy 1.17.1 locally via anderson_ksamp(..., variant='continuous').
    const c = andersonKSamp([t1, t2, t3, t4], { variant: 'continuous' })
    close(c.statistic, 4.578500806771235, 1e-13)
    close(c.pvalue, 0.0019673519421152213, 1e-15)
  })
  it('Example 2 (14 samples): T = 3.294 midrank, 3.288 right, p ~ 0.0041', () => {
    const mid = andersonKSamp(ex2)
    close(mid.statistic, 3.294, 5e-4)
    close(mid.pvalue, 0.0041, 2.5e-4)
    const right = andersonKSamp(ex2, { variant: 'right' })
    close(right.statistic, 3.288, 5e-4)
    close(right.pvalue, 0.0041, 2.5e-4)
    ;[0.599, 1.3269, 1.8052, 2.2486, 2.8009].forEach((v, i) => {
      close(mid.criticalValues[i] ?? NaN, v, 5e-5)
    })
  })
})

describe('andersonKSamp: R kSamples values (scipy test_R_kSamples)', () => {
  // scipy/stats/tests/test_morestats.py, TestAndersonKSamp.test_R_kSamples: values generated with
  // R package kSamples 1.2-6, ad.test(r1, r1 + shift) with r1 = 1:100. Version 1 of kSamples is
  // scipy's 'right' variant (no ties), version 2 the midrank one.
  const x1 = Array.from({ length: 100 }, (_, i) => i + 1)
  const shifted = (s: number): number[] => x1.map((v) => v + s)
  it('distinct distributions: p floored at 0.001', () => {
    const r1 = andersonKSamp([x1, shifted(40.5)], { variant: 'right' })
    close(r1.statistic, 41.105, 5e-4)
    expect(r1.pvalue).toBe(0.001)
    expect(r1.pvalueBound).toBe('floored')
    const r2 = andersonKSamp([x1, shifted(40.5)])
    close(r2.statistic, 41.235, 5e-4)
    expect(r2.pvalue).toBe(0.001)
  })
  it('similar distributions: p capped at 0.25', () => {
    const r1 = andersonKSamp([x1, shifted(0.5)], { variant: 'right' })
    close(r1.statistic, -1.2824, 5e-5)
    expect(r1.pvalue).toBe(0.25)
    expect(r1.pvalueBound).toBe('capped')
    close(andersonKSamp([x1, shifted(0.5)]).statistic, -1.2944, 5e-5)
  })
  it('interpolated p-values, including the extended 0.5% and 0.1% critical values', () => {
    const a = andersonKSamp([x1, shifted(7.5)], { variant: 'right' })
    close(a.statistic, 1.4923, 5e-5)
    close(a.pvalue, 0.0775, 0.005)
    const b = andersonKSamp([x1, shifted(6)])
    close(b.statistic, 0.6389, 5e-5)
    close(b.pvalue, 0.1798, 0.005)
    const c = andersonKSamp([x1, shifted(11.5)], { variant: 'right' })
    close(c.statistic, 4.5042, 5e-5)
    close(c.pvalue, 0.00545, 0.0005)
    const d = andersonKSamp([x1, shifted(13.5)], { variant: 'right' })
    close(d.statistic, 6.2982, 5e-5)
    close(d.pvalue, 0.00118, 0.0001)
  })
})

describe('andersonKSamp: scipy anderson_ksamp docstring examples', () => {
  // scipy 1.17.1, scipy/stats/_morestats.py, anderson_ksamp docstring. The samples are regenerated
  // from the docstring's seed (fixtures/scipyDocSamples.ts says how).
  it("two samples, variant='midrank': (3.4444310693448936, 0.013106682406720973)", () => {
    const r = andersonKSamp([adDocA, adDocB], { variant: 'midrank' })
    close(r.statistic, 3.4444310693448936, 1e-13)
    close(r.pvalue, 0.013106682406720973, 1e-15)
  })
  it("three samples, variant='continuous': (-0.6309662273193832, 0.25), capped", () => {
    const r = andersonKSamp(adDoc3, { variant: 'continuous' })
    close(r.statistic, -0.6309662273193832, 1e-13)
    expect(r.pvalue).toBe(0.25)
    expect(r.pvalueBound).toBe('capped')
  })
})

describe('andersonKSamp: edge cases', () => {
  it('rejects fewer than 2 samples, empty samples, constant data and tiny totals', () => {
    expect(() => andersonKSamp([[1, 2, 3]])).toThrow(/at least two samples/)
    expect(() => andersonKSamp([[1, 2, 3], []])).toThrow(StatsInputError)
    expect(() =>
      andersonKSamp([
        [1, 1, 1],
        [1, 1]
      ])
    ).toThrow(/more than one distinct/)
    expect(() => andersonKSamp([[1], [2, 3]])).toThrow(/at least 4 values/)
    expect(() =>
      andersonKSamp([
        [1, NaN],
        [2, 3]
      ])
    ).toThrow(StatsInputError)
    expect(() =>
      andersonKSamp(
        [
          [1, 2],
          [2, 3]
        ],
        { variant: 'x' as 'right' }
      )
    ).toThrow(/variant/)
  })
  it('works with n = 1 in one sample and heavy ties', () => {
    // Computed with scipy 1.17.1 locally via
    //   stats.anderson_ksamp([[5], [1, 2, 2, 3, 3, 3, 4]], variant='midrank')
    const r = andersonKSamp([[5], [1, 2, 2, 3, 3, 3, 4]])
    close(r.statistic, 2.5092219790341734, 1e-13)
    close(r.pvalue, 0.030407810347378765, 1e-15)
    expect(r.n).toBe(8)
  })
})

// Two-sample KS test against published reference values: the examples printed in scipy's
// ks_2samp docstring and the regression values of scipy's own test suite (deterministic data). A
// few extra values were computed with the local scipy 1.17.1; each says so and gives the call.
// All inputs here are synthetic: these tests check the mathematics, not market data.
import { describe, expect, it } from 'vitest'
import {
  StatsInputError,
  ks2samp,
  ks2sampPValue,
  kstwoSf,
  smirnovSf
} from '../../../src-main/fidelity/stats'

/** |actual - expected| <= rtol * |expected| (+ a tiny atol for values near 0). */
function close(actual: number, expected: number, rtol: number, atol = 1e-300): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + atol)
}

const linspace = (a: number, b: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1))

describe('ks2samp: scipy ks_2samp docstring examples', () => {
  // scipy 1.17.1, scipy/stats/_stats_py.py, ks_2samp docstring "Examples". The docstring draws its
  // samples from an unseeded generator, so the data cannot be reproduced; but the p-value depends
  // only on (D, n1, n2), so we rebuild samples with the printed D and sizes (synthetic, with ties)
  // and check the printed p-values.
  it('uniform vs normal, n = 100 / 110: D = 0.5454545454545454, p = 7.37417839555191e-15', () => {
    // 60 of sample 2 below everything, the rest tied at one value: max ECDF gap 60/110.
    const s1 = new Array<number>(100).fill(1)
    const s2 = [...linspace(-60, -1, 60), ...new Array<number>(50).fill(1)]
    const r = ks2samp(s1, s2)
    expect(r.statistic).toBe(0.5454545454545454)
    expect(r.statisticSign).toBe(-1)
    expect(r.method).toBe('exact')
    close(r.pvalue, 7.37417839555191e-15, 1e-10)
  })
  it('normal vs normal, n = 105 / 95: D = 0.10927318295739348, p = 0.5438289009927495', () => {
    // 4 of sample 1 and 14 of sample 2 tied at 0, everything else tied at 1: gap 4/105 - 14/95.
    const s1 = [...new Array<number>(4).fill(0), ...new Array<number>(101).fill(1)]
    const s2 = [...new Array<number>(14).fill(0), ...new Array<number>(81).fill(1)]
    const r = ks2samp(s1, s2)
    expect(r.statistic).toBe(0.10927318295739348)
    expect(r.statisticSign).toBe(-1)
    close(r.pvalue, 0.5438289009927495, 1e-12)
  })
  it("alternative 'less', n = 105 / 95: D = 0.4055137844611529, p = 3.5474563068855554e-08", () => {
    close(
      ks2sampPValue(0.4055137844611529, 105, 95, { alternative: 'less' }).pvalue,
      3.5474563068855554e-8,
      1e-10
    )
  })
})

describe('ks2samp: scipy test-suite regression values (TestKSTwoSamples)', () => {
  // scipy 1.17.1, scipy/stats/tests/test_stats.py, class TestKSTwoSamples. Values there are
  // asserted with assert_array_almost_equal (6 decimals); we assert them tighter where we agree.
  type Case = [number[], number[], 'two-sided' | 'less' | 'greater', number, number]
  const check = (
    cases: Case[],
    method: 'auto' | 'exact' | 'asymp' = 'auto',
    rtol = 1e-12
  ): void => {
    for (const [a, b, alternative, d, p] of cases) {
      const r = ks2samp(a, b, { alternative, method })
      close(r.statistic, d, 1e-12)
      close(r.pvalue, p, rtol, 1e-15)
    }
  }
  it('testSmall: single observations', () => {
    check([
      [[0], [1], 'two-sided', 1, 1],
      [[0], [1], 'greater', 1, 0.5],
      [[0], [1], 'less', 0, 1],
      [[1], [0], 'two-sided', 1, 1],
      [[1], [0], 'greater', 0, 1],
      [[1], [0], 'less', 1, 0.5]
    ])
  })
  it('testTwoVsThree and testTwoVsFour: exact rational p-values', () => {
    const d2 = [1.0, 2.0]
    const p = d2.map((v) => v + 0.01)
    const m = d2.map((v) => v - 0.01)
    check([
      [p, [1, 2, 3], 'two-sided', 1 / 3, 1],
      [p, [1, 2, 3], 'greater', 1 / 3, 0.7],
      [p, [1, 2, 3], 'less', 1 / 3, 0.7],
      [m, [1, 2, 3], 'two-sided', 2 / 3, 0.6],
      [m, [1, 2, 3], 'greater', 2 / 3, 0.3],
      [m, [1, 2, 3], 'less', 0, 1],
      [p, [1, 2, 3, 4], 'two-sided', 2 / 4, 14 / 15],
      [p, [1, 2, 3, 4], 'greater', 2 / 4, 8 / 15],
      [p, [1, 2, 3, 4], 'less', 1 / 4, 12 / 15],
      [m, [1, 2, 3, 4], 'two-sided', 3 / 4, 6 / 15],
      [m, [1, 2, 3, 4], 'greater', 3 / 4, 3 / 15],
      [m, [1, 2, 3, 4], 'less', 0, 1]
    ])
  })
  it('test100_100 and test100_110: exact method, equal and unequal sizes', () => {
    const x100 = linspace(1, 100, 100)
    const x110 = linspace(1, 100, 110)
    check([
      [x100, x100.map((v) => v + 2 + 0.1), 'two-sided', 3 / 100, 0.9999999999962055],
      [x100, x100.map((v) => v + 2 + 0.1), 'greater', 3 / 100, 0.9143290114276248],
      [x100, x100.map((v) => v + 2 + 0.1), 'less', 0, 1],
      [x100, x100.map((v) => v + 2 - 0.1), 'two-sided', 2 / 100, 1],
      [x100, x100.map((v) => v + 2 - 0.1), 'greater', 2 / 100, 0.960978450786184],
      [x100, x110.map((v) => v + 20 + 0.1), 'two-sided', 232 / 1100, 0.015739183865607353],
      [x100, x110.map((v) => v + 20 + 0.1), 'greater', 232 / 1100, 0.007869594319053203],
      [x100, x110.map((v) => v + 20 - 0.1), 'two-sided', 229 / 1100, 0.017803803861026313],
      [x100, x110.map((v) => v + 20 - 0.1), 'greater', 229 / 1100, 0.008901905958245056]
    ])
  })
  it('testRepeatedValues: heavy ties', () => {
    const rep = (pairs: [number, number][]): number[] =>
      pairs.flatMap(([v, k]) => new Array<number>(k).fill(v))
    const x2233 = rep([
      [2, 3],
      [3, 4],
      [5, 5],
      [6, 4]
    ])
    const x3344 = x2233.map((v) => v + 1)
    const x2356 = rep([
      [2, 3],
      [3, 4],
      [5, 10],
      [6, 4]
    ])
    const x3467 = rep([
      [3, 10],
      [4, 2],
      [6, 10],
      [7, 4]
    ])
    check([
      [x2233, x3344, 'two-sided', 5 / 16, 0.4262934613454952],
      [x2233, x3344, 'greater', 5 / 16, 0.21465428276573786],
      [x2233, x3344, 'less', 0, 1],
      [x2356, x3467, 'two-sided', 190 / 21 / 26, 0.0919245790168125],
      [x2356, x3467, 'greater', 190 / 21 / 26, 0.0459633806858544],
      [x2356, x3467, 'less', 70 / 21 / 26, 0.6121593130022775]
    ])
  })
  it('testEqualSizes', () => {
    const d = [1, 2, 3]
    check([
      [d, d.map((v) => v + 1), 'two-sided', 1 / 3, 1],
      [d, d.map((v) => v + 1), 'greater', 1 / 3, 0.75],
      [d, d.map((v) => v + 0.5), 'greater', 1 / 3, 0.75],
      [d, d.map((v) => v - 0.5), 'greater', 0, 1],
      [d, d.map((v) => v - 0.5), 'less', 1 / 3, 0.75]
    ])
  })
  it('testLarge: 10000 vs 110, exact (auto), tiny p-values', () => {
    const n1 = 10000
    const n2 = 110
    const lcm = n1 * 11
    const delta = 1 / n1 / n2 / 2 / 2
    const x = linspace(1, 200, n1).map((v) => v - delta)
    const y = linspace(2, 100, n2)
    check(
      [
        [x, y, 'greater', 561 / lcm, 0.99115454582047591],
        [x, y, 'less', 55275 / lcm, 3.1317328311518713e-26]
      ],
      'auto',
      1e-9
    )
    // The suite's two-sided value, 4.2188474935755949e-15, predates scipy's switch to computing
    // 1 - p directly and is only asserted to 6 decimals there. scipy 1.17.1 itself now returns
    // 6.263465662260858e-26 (computed locally via `stats.ks_2samp(x, y)` with the x, y above).
    const r = ks2samp(x, y)
    expect(Math.abs(r.pvalue - 4.2188474935755949e-15)).toBeLessThan(1e-6)
    close(r.pvalue, 6.263465662260858e-26, 1e-9)
  })
  it('testLargeBoth: 10000 vs 11000, asymptotic (auto) and exact', () => {
    const n1 = 10000
    const n2 = 11000
    const lcm = n1 * 11
    const delta = 1 / n1 / n2 / 2 / 2
    const x = linspace(1, 200, n1).map((v) => v - delta)
    const y = linspace(2, 200, n2)
    check([[x, y, 'two-sided', 563 / lcm, 0.9990660108966576]], 'asymp', 1e-12)
    check([[x, y, 'two-sided', 563 / lcm, 0.9990660108966576]], 'auto', 1e-12)
    check([[x, y, 'two-sided', 563 / lcm, 0.9990456491488628]], 'exact', 1e-12)
    check([
      [x, y, 'greater', 563 / lcm, 0.7561851877420673],
      [x, y, 'less', 10 / lcm, 0.9998239693191724]
    ])
  })
  it('testMediumBoth and testMiddlingBoth: asymptotic one-sided, exact fallback', () => {
    for (const [n1, n2, dTwo, dLess, pGreater, pLess] of [
      [1000, 1100, 6600, 1000, 0.9573185808092622, 0.9982410869433984],
      [500, 600, 2000, 500, 0.9697596024683929, 0.9968735843165021]
    ] as const) {
      const delta = 1 / n1 / n2 / 2 / 2
      const x = linspace(1, 200, n1).map((v) => v - delta)
      const y = linspace(2, 200, n2)
      check([[x, y, 'two-sided', dTwo / n1 / n2, 1]], 'asymp')
      check([[x, y, 'two-sided', dTwo / n1 / n2, 1]], 'auto')
      check([[x, y, 'greater', dTwo / n1 / n2, pGreater]], 'asymp')
      check([[x, y, 'less', dLess / n1 / n2, pLess]], 'asymp')
      // The one-sided exact count overflows; scipy warns and falls back to asymp.
      const r = ks2samp(x, y, { alternative: 'greater', method: 'exact' })
      expect(r.method).toBe('asymp')
      expect(r.fallback).toBe('exact-failed')
      close(r.pvalue, pGreater, 1e-12)
    }
  })
  it('test_location_sign: where the gap is measured and its sign', () => {
    for (const [alternative, x6, loc, sign] of [
      ['greater', 5.9, 5.9, 1],
      ['less', 6.1, 6.0, -1],
      ['two-sided', 5.9, 5.9, 1],
      ['two-sided', 6.1, 6.0, -1]
    ] as const) {
      const x = Array.from({ length: 10 }, (_, i) => i)
      const y = x.slice()
      x[6] = x6
      const r = ks2samp(x, y, { alternative })
      expect(r.statistic).toBe(0.1)
      expect(r.statisticLocation).toBe(loc)
      expect(r.statisticSign).toBe(sign)
    }
  })
})

describe('ks2samp: asymptotic distribution (scipy.stats.kstwo / scipy.special.smirnov)', () => {
  // Computed with scipy 1.17.1 locally via `scipy.stats.kstwo.sf(x, n)`; each pair exercises one
  // branch of scipy's _kolmogn (Ruben-Gambino, Durbin/MTW, Pomeranz, Pelz-Good, 2*smirnov).
  const kstwo: [number, number, number, number][] = [
    [10, 0.07, 0.9999999619492741, 1e-14], // t = nx <= 1: Ruben-Gambino
    [10, 0.2, 0.7487190399999999, 1e-13], // n x^2 <= 0.754693: Durbin matrix (MTW)
    [10, 0.3, 0.27053557479999946, 1e-13], // n x^2 <= 4, n <= 140: Pomeranz
    [10, 0.6, 0.0005681672000000003, 1e-12], // x >= 0.5: 2 * smirnov
    [20, 0.95, 1.9073486328125338e-26, 1e-12], // nx >= n - 1: Ruben-Gambino
    [140, 0.1, 0.11353657290090946, 1e-12], // Pomeranz at the n <= 140 boundary
    [141, 0.1, 0.11128445516467944, 1e-12], // n > 140: Durbin matrix
    [1000, 0.01, 0.9999496745370611, 1e-13], // Durbin matrix
    [1000, 0.02, 0.8108971656895577, 1e-12], // n x^1.5 > 1.4: Pelz-Good
    [1000, 0.05, 0.013012074781090332, 1e-12], // n x^2 >= 2.2: 2 * smirnov
    [500000, 0.0015, 0.21034190155828947, 1e-12], // Pelz-Good, large n
    [2000000, 0.001, 0.03660662431970485, 1e-12], // Pelz-Good, n > 10^6
    [2000000, 0.0012, 0.006297183259583361, 1e-12] // smirnov's n > 10^6 approximation
  ]
  it('kstwoSf matches scipy.stats.kstwo.sf on every branch', () => {
    for (const [n, x, p, rtol] of kstwo) close(kstwoSf(n, x), p, rtol)
    expect(kstwoSf(10, 0)).toBe(1)
    expect(kstwoSf(10, 1)).toBe(0)
    expect(kstwoSf(0, 0.5)).toBeNaN()
  })
  it('smirnovSf matches scipy.special.smirnov', () => {
    // Computed with scipy 1.17.1 locally via `scipy.special.smirnov(n, x)`.
    close(smirnovSf(5, 0.3), 0.34282, 1e-14)
    close(smirnovSf(20, 0.1), 0.6290710188849629, 1e-14)
    close(smirnovSf(1000, 0.05), 0.006506037390545166, 1e-12)
    close(smirnovSf(100000, 0.004), 0.04065347569406545, 1e-11)
    close(smirnovSf(2000000, 0.001), 0.018303432023617325, 1e-12)
    expect(smirnovSf(1, 0.25)).toBe(0.75)
  })
})

describe('ks2samp: edge cases and input errors', () => {
  it('identical samples: D = 0, p = 1', () => {
    const x = [3, 1, 2, 2, 5]
    const r = ks2samp(x, x.slice().reverse())
    expect(r.statistic).toBe(0)
    expect(r.pvalue).toBe(1)
  })
  it('n = 1 against n = 1 with the asymptotic method gives NaN, as scipy (effective n rounds to 0)', () => {
    // scipy: ks_2samp([0], [1], method='asymp') -> p = nan (kstwo.sf(1, round(0.5) = 0)).
    expect(ks2samp([0], [1], { method: 'asymp' }).pvalue).toBeNaN()
  })
  it('rejects empty samples, non-finite values and bad options with StatsInputError', () => {
    expect(() => ks2samp([], [1])).toThrow(StatsInputError)
    expect(() => ks2samp([1], [])).toThrow(/sample b is empty/)
    expect(() => ks2samp([1, NaN], [1])).toThrow(/not a finite number/)
    expect(() => ks2samp([1, Infinity], [1])).toThrow(StatsInputError)
    expect(() => ks2samp([1], [2], { method: 'bogus' as 'auto' })).toThrow(/invalid method/)
    expect(() => ks2sampPValue(1.5, 3, 4)).toThrow(StatsInputError)
    expect(() => ks2sampPValue(0.5, 0, 4)).toThrow(StatsInputError)
  })
  it('does not modify its inputs', () => {
    const a = Float64Array.from([3, 1, 2])
    const b = [9, 7, 8]
    ks2samp(a, b)
    expect(Array.from(a)).toEqual([3, 1, 2])
    expect(b).toEqual([9, 7, 8])
  })
})

describe('ks2samp: large samples (synthetic, 10^6 vs 10^6)', () => {
  // Computed with scipy 1.17.1 locally via
  //   n = 1000000; a = np.arange(n) / n
  //   stats.ks_2samp(a, np.arange(n) / n + 0.0015)             # D, p, location, sign below
  //   stats.ks_2samp(a, (np.arange(n) + 0.5) / n * 1.002)
  // Same IEEE operations in both languages, so the samples are bit-identical.
  const n = 1000000
  const a = new Float64Array(n)
  const b = new Float64Array(n)
  const c = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    a[i] = i / n
    b[i] = i / n + 0.0015
    c[i] = ((i + 0.5) / n) * 1.002
  }
  it('matches scipy (asymptotic method, Pelz-Good branch) and runs in O(n log n)', () => {
    const t0 = performance.now()
    const r = ks2samp(a, b)
    const ms = performance.now() - t0
    expect(r.method).toBe('asymp')
    expect(r.statistic).toBe(0.0015010000000000002)
    close(r.pvalue, 0.20971366867853014, 1e-12)
    expect(r.statisticLocation).toBe(0.001576)
    expect(r.statisticSign).toBe(1)
    const r2 = ks2samp(a, c)
    expect(r2.statistic).toBe(0.0019970000000000265)
    close(r2.pvalue, 0.03702354343719838, 1e-12)
    expect(r2.statisticLocation).toBe(0.999746)
    expect(ms).toBeLessThan(5000)
  })
})

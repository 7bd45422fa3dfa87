// Tail estimators: Hill and the Clauset-Shalizi-Newman power-law fit. No statistics package ships
// documented numeric examples of these on data we can reproduce here, so the references are
// (1) the maximum-likelihood identity they rest on, checked against scipy.stats.pareto.fit, and
// (2) Clauset's reference code plfit.m, transcribed line by line into Python and run locally.
// Inputs are synthetic Pareto quantiles (deterministic), labelled as such.
import { describe, expect, it } from 'vitest'
import { StatsInputError, Xoshiro128, hill, powerLawFit } from '../../../src-main/fidelity/stats'

function close(actual: number, expected: number, rtol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-300)
}

/** Synthetic Pareto quantiles (1 - (i + 0.5)/n)^(-1/a), i = 0..n-1: tail index a, xmin ~ 1. */
function paretoQuantiles(n: number, a: number): number[] {
  return Array.from({ length: n }, (_, i) => (1 - (i + 0.5) / n) ** (-1 / a))
}

describe('hill', () => {
  // The Hill estimate is the Pareto shape MLE of the k largest values with the scale fixed at
  // X(k+1). Computed with scipy 1.17.1 locally via
  //   x = (1 - (np.arange(1000) + 0.5) / 1000) ** (-1 / 1.5); s = np.sort(x)
  //   stats.pareto.fit(s[1000 - k:], floc=0, fscale=s[1000 - k - 1])[0]   # k = 31 and k = 100
  const x = paretoQuantiles(1000, 1.5)
  it('default k = floor(sqrt(n)) = 31: alpha = 1.4927394599219943', () => {
    const h = hill(x)
    expect(h.k).toBe(31)
    expect(h.kRule).toBe('sqrt(n)')
    close(h.alpha, 1.4927394599219943, 1e-13)
    close(h.threshold, 10.025967615327591, 1e-15)
    close(h.gamma, 1 / 1.4927394599219943, 1e-13)
  })
  it('given k = 100: alpha = 1.4977145291891303', () => {
    close(hill(x, { k: 100 }).alpha, 1.4977145291891303, 1e-13)
  })
  it('lower and absolute tails use -x and |x|; only positive values enter', () => {
    const neg = x.map((v) => -v)
    close(hill(neg, { tail: 'lower' }).alpha, 1.4927394599219943, 1e-13)
    const both = [...x, ...neg]
    const abs = hill(both, { tail: 'abs', k: 62 })
    expect(abs.n).toBe(2000)
    expect(hill([...x, 0, -5]).n).toBe(1000)
  })
  it('rejects too few positive values and k out of range', () => {
    expect(() => hill([1, 2])).toThrow(StatsInputError)
    expect(() => hill([-1, -2, -3, 4])).toThrow(/at least 3 positive/)
    expect(() => hill(x, { k: 1000 })).toThrow(StatsInputError)
  })
})

describe('powerLawFit (Clauset, Shalizi & Newman 2009, plfit.m continuous branch)', () => {
  // Synthetic: 200 body values in (0, 0.5) plus 300 Pareto quantiles with density exponent 2.5.
  const body = Array.from({ length: 200 }, (_, i) => (0.5 * (i + 0.5)) / 200)
  const data = [...body, ...paretoQuantiles(300, 1.5)]
  // Computed locally with this Python transcription of plfit.m ('REAL' branch), numpy 2.4.6:
  //   def plfit_real(x, sample=None):
  //       xmins = np.unique(x)[:-1]
  //       if sample: xmins = xmins[np.unique(np.round(np.linspace(1, len(xmins), sample)).astype(int)) - 1]
  //       dat = np.zeros(len(xmins)); z = np.sort(x)
  //       for i, xmin in enumerate(xmins):
  //           z = z[z >= xmin]; n = len(z); a = n / np.sum(np.log(z / xmin))
  //           dat[i] = np.max(np.abs(1 - (xmin / z) ** a - np.arange(n) / n))
  //       xmin = xmins[np.argmax(dat <= dat.min())]; z = x[x >= xmin]; n = len(z)
  //       return 1 + n / np.sum(np.log(z / xmin)), xmin, n, dat.min()
  it('exhaustive search: alpha = 2.504246245628078, xmin = 1.001112656610723, ntail = 300', () => {
    // 499 candidates exceed the default cap of 200, so lift it to get plfit's exhaustive search.
    const f = powerLawFit(data, { maxCandidates: 1000 })
    expect(f.sampled).toBe(false)
    expect(f.candidatesTried).toBe(499)
    close(f.alpha, 2.504246245628078, 1e-13)
    expect(f.xmin).toBe(1.001112656610723)
    expect(f.nTail).toBe(300)
    close(f.ks, 0.00224259618970446, 1e-12)
  })
  it("sampled candidates as plfit's 'sample' option (50 of 499)", () => {
    // plfit_real(data, sample=50)
    const f = powerLawFit(data, { maxCandidates: 50 })
    expect(f.sampled).toBe(true)
    expect(f.candidatesTried).toBe(50)
    close(f.alpha, 2.5042892739461067, 1e-13)
    expect(f.xmin).toBe(1.0078541877196663)
    expect(f.nTail).toBe(297)
  })
  it('fixed xmin: the MLE equals scipy.stats.pareto.fit + 1', () => {
    // 1 + stats.pareto.fit(data[data >= xm], floc=0, fscale=xm)[0] with xm = 1.001112656610723
    const f = powerLawFit(data, { xmin: 1 })
    expect(f.xmin).toBe(1.001112656610723)
    close(f.alpha, 2.504246245628078, 1e-13)
    expect(f.candidatesTried).toBe(1)
  })
  it('recovers the exponent of a large random Pareto sample (synthetic, seeded)', () => {
    const rng = Xoshiro128.fromSeed(5)
    const x = Float64Array.from({ length: 20000 }, () => (1 - rng.nextFloat()) ** (-1 / 2))
    const f = powerLawFit(x, { maxCandidates: 100 })
    expect(Math.abs(f.alpha - 3)).toBeLessThan(0.1)
  })
  it('ignores non-positive values and rejects data without two distinct positive values', () => {
    expect(powerLawFit([...data, 0, -1]).nIgnored).toBe(2)
    expect(powerLawFit(data).candidatesTried).toBe(200) // default cap, spread as plfit 'sample'
    expect(() => powerLawFit([2, 2, 2])).toThrow(StatsInputError)
    expect(() => powerLawFit([-1, 0])).toThrow(StatsInputError)
  })
})

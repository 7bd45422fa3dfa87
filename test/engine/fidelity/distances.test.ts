// Distribution distances: Wasserstein-1 (scipy.stats.wasserstein_distance docstring examples),
// LOB-Bench's z-scored W1, and the histogram total variation on Freedman-Diaconis bins (numpy's
// histogram / histogram_bin_edges docstring examples, plus values computed with local numpy).
import { describe, expect, it } from 'vitest'
import {
  StatsInputError,
  fdBinEdges,
  histogramCounts,
  histogramL1,
  wasserstein,
  wassersteinZ
} from '../../../src-main/fidelity/stats'
import { lew } from './fixtures/nist'

function close(actual: number, expected: number, rtol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-300)
}

describe('wasserstein: scipy.stats.wasserstein_distance docstring examples', () => {
  // scipy 1.17.1, scipy/stats/_stats_py.py, wasserstein_distance docstring "Examples".
  it('wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0', () => {
    expect(wasserstein([0, 1, 3], [5, 6, 8])).toBe(5)
  })
  it('wasserstein_distance([0, 1], [0, 1], [3, 1], [2, 2]) = 0.25', () => {
    expect(wasserstein([0, 1], [0, 1], { weightsA: [3, 1], weightsB: [2, 2] })).toBe(0.25)
  })
  it('wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]) = 4.0781331438047861', () => {
    const w = wasserstein([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], {
      weightsA: [1.4, 0.9, 3.1, 7.2],
      weightsB: [3.2, 3.5]
    })
    close(w, 4.0781331438047861, 1e-14)
  })
  it('NIST Lew, first vs second half (computed with local scipy)', () => {
    // Computed with scipy 1.17.1 locally via stats.wasserstein_distance(lew[:100], lew[100:]).
    close(wasserstein(lew.slice(0, 100), lew.slice(100)), 12.370000000000003, 1e-13)
  })
  it('is symmetric, zero for identical samples, and handles n = 1 and ties', () => {
    expect(wasserstein([1, 2, 2, 3], [3, 2, 1, 2])).toBe(0)
    expect(wasserstein([1], [4])).toBe(3)
    expect(wasserstein([0, 0, 1], [1])).toBeCloseTo(2 / 3, 15)
    expect(wasserstein([5, 1, 9], [2, 2])).toBe(wasserstein([2, 2], [5, 1, 9]))
  })
  it('rejects empty samples, NaN and bad weights', () => {
    expect(() => wasserstein([], [1])).toThrow(StatsInputError)
    expect(() => wasserstein([1, NaN], [1])).toThrow(StatsInputError)
    expect(() => wasserstein([1, 2], [1], { weightsA: [1] })).toThrow(/differ in length/)
    expect(() => wasserstein([1, 2], [1], { weightsA: [1, -1] })).toThrow(/non-negative/)
    expect(() => wasserstein([1, 2], [1], { weightsA: [0, 0] })).toThrow(/positive, finite/)
  })
})

describe('wassersteinZ: LOB-Bench z-scored W1', () => {
  // LOB-Bench metrics.py `wasserstein`: score = (score - mean) / std over the pooled real+generated
  // table (pandas std, ddof=1), then scipy.stats.wasserstein_distance. Computed with scipy 1.17.1
  // locally via
  //   pooled = np.concatenate([u, v]); z = (pooled - pooled.mean()) / pooled.std(ddof=1)
  //   stats.wasserstein_distance(z[:len(u)], z[len(u):])
  it('docstring samples [0, 1, 3] vs [5, 6, 8]: 1.6337194208025665', () => {
    const r = wassersteinZ([0, 1, 3], [5, 6, 8])
    close(r.distance, 1.6337194208025665, 1e-14)
    close(r.pooledStd, 3.0605010483034745, 1e-15)
    expect(r.raw).toBe(5)
  })
  it('NIST Lew halves: 0.044603552798185835', () => {
    close(wassersteinZ(lew.slice(0, 100), lew.slice(100)).distance, 0.044603552798185835, 1e-13)
  })
  it('constant pooled sample gives 0 (pandas would give NaN)', () => {
    expect(wassersteinZ([2, 2], [2]).distance).toBe(0)
  })
})

describe('histogram: numpy docstring examples', () => {
  // numpy 2.4, numpy.histogram_bin_edges / numpy.histogram docstrings.
  const arr = [0, 0, 0, 1, 2, 3, 3, 4, 5]
  const group = [0, 1, 1, 0, 1, 1, 0, 1, 1]
  it('np.histogram([1, 2, 1], bins=[0, 1, 2, 3]) -> [0, 2, 1]', () => {
    expect(
      Array.from(histogramCounts(Float64Array.from([1, 2, 1]), Float64Array.from([0, 1, 2, 3])))
    ).toEqual([0, 2, 1])
  })
  it('shared bins [0..5]: hist_0 = [1, 1, 0, 1, 0], hist_1 = [2, 0, 1, 1, 2]; TV = 0.5', () => {
    const g0 = arr.filter((_, i) => group[i] === 0)
    const g1 = arr.filter((_, i) => group[i] === 1)
    const edges = Float64Array.from([0, 1, 2, 3, 4, 5])
    const r = histogramL1(g0, g1, { bins: edges })
    expect(Array.from(r.countsA)).toEqual([1, 1, 0, 1, 0])
    expect(Array.from(r.countsB)).toEqual([2, 0, 1, 1, 2])
    // 1/2 (|1/3-2/6| + |1/3-0| + |0-1/6| + |1/3-1/6| + |0-2/6|) = 1/2, from the printed histograms.
    close(r.tv, 0.5, 1e-15)
  })
  it('uneven edges, right-closed last bin, values outside dropped (numpy semantics)', () => {
    // Computed with numpy 2.4.6 locally via
    //   np.histogram([0.5, 50, 96, 99.5, 100, 101, -1], bins=[0, 90, 95, 99, 100])[0]
    const x = Float64Array.from([0.5, 50, 96, 99.5, 100, 101, -1])
    const edges = Float64Array.from([0, 90, 95, 99, 100])
    expect(Array.from(histogramCounts(x, edges))).toEqual([2, 0, 1, 2])
  })
  it('np.histogram_bin_edges(arr, bins=2) -> [0, 2.5, 5]', () => {
    expect(Array.from(histogramL1(arr, arr, { bins: 2 }).edges)).toEqual([0, 2.5, 5])
  })
})

describe('histogram: Freedman-Diaconis bins and LOB-Bench grouping', () => {
  it("FD edges match numpy.histogram_bin_edges(x, 'fd') bit for bit", () => {
    // Computed with numpy 2.4.6 locally via np.histogram_bin_edges(x, bins='fd') for
    // x = [0, 1, ..., 9, 100]: IQR = 5, width = 10 / 11^(1/3), 23 bins.
    const x = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    const fd = fdBinEdges(x)
    expect(fd.edges.length).toBe(24)
    expect(fd.edges[1]).toBe(4.3478260869565215)
    expect(fd.edges[22]).toBe(95.65217391304347)
    expect(fd.edges[23]).toBe(100)
    expect(fd.capped).toBe(false)
    const capped = fdBinEdges(x, 5)
    expect(capped.capped).toBe(true)
    expect(capped.uncappedBins).toBe(23)
    expect(Array.from(capped.edges)).toEqual([0, 20, 40, 60, 80, 100])
  })
  it('NIST Lew halves: edges, counts and TV as numpy / LOB-Bench compute them', () => {
    // Computed with numpy 2.4.6 locally via
    //   e = np.histogram_bin_edges(np.concatenate([a, b]), bins='fd'), a, b = lew[:100], lew[100:]
    //   np.histogram(a, e)[0], np.histogram(b, e)[0], TV = 1/2 sum |ha/100 - hb/100|
    //   LOB-Bench: g = np.searchsorted(e, x, side='right'); TV over np.bincount(g) / n
    const r = histogramL1(lew.slice(0, 100), lew.slice(100))
    expect(Array.from(r.edges)).toEqual([
      -579, -403.2, -227.39999999999998, -51.59999999999991, 124.20000000000005, 300
    ])
    expect(Array.from(r.countsA)).toEqual([31, 13, 16, 19, 21])
    expect(Array.from(r.countsB)).toEqual([31, 14, 13, 18, 24])
    close(r.tv, 0.04000000000000001, 1e-14)
    const l = histogramL1(lew.slice(0, 100), lew.slice(100), { assignment: 'lob-bench' })
    close(l.tv, 0.040000000000000015, 1e-14)
    // The pooled maximum (300, in the second half) sits in its own LOB-Bench group.
    expect(l.countsB[l.countsB.length - 1]).toBe(1)
  })
  it("'discrete' bins: one group per value (LOB-Bench discrete scores)", () => {
    const r = histogramL1([1, 1, 2, 3], [1, 2, 2, 4], { bins: 'discrete' })
    expect(Array.from(r.edges)).toEqual([1, 2, 3, 4])
    expect(Array.from(r.countsA)).toEqual([2, 1, 1, 0])
    expect(Array.from(r.countsB)).toEqual([1, 2, 0, 1])
    close(r.tv, 0.5, 1e-15) // 1/2 (1/4 + 1/4 + 1/4 + 1/4)
  })
  it('edge cases: identical samples, disjoint samples, single values, values outside edges', () => {
    expect(histogramL1(lew, lew).tv).toBe(0)
    expect(histogramL1([0, 0, 1], [10, 11], { bins: 3 }).tv).toBe(1)
    const single = histogramL1([5], [5])
    expect(Array.from(single.edges)).toEqual([4.5, 5.5])
    expect(single.tv).toBe(0)
    // Half of a lies below the explicit edges: that mass is compared too.
    close(histogramL1([-1, 0.5], [0.5, 0.5], { bins: Float64Array.from([0, 1]) }).tv, 0.5, 1e-15)
    expect(() => histogramL1([], [1])).toThrow(StatsInputError)
    expect(() => histogramL1([1], [1], { bins: Float64Array.from([1, 1]) })).toThrow(/increase/)
  })
})

// The seeded generator (reference vector of xoshiro128**), the percentile bootstrap (LOB-Bench's
// procedure, numpy's percentile rule), the moving-block bootstrap and thinning. Bootstrap and
// thinning results are random by nature; these tests check determinism, the exact bookkeeping,
// and statistical sanity on synthetic data with fixed seeds.
import { describe, expect, it } from 'vitest'
import {
  StatsInputError,
  Xoshiro128,
  bootstrapCi,
  bootstrapCi2,
  ks2samp,
  mean,
  thin,
  wassersteinZ
} from '../../../src-main/fidelity/stats'

function normals(n: number, seed: number, mu = 0, phi = 0): Float64Array {
  const rng = Xoshiro128.fromSeed(seed)
  const x = new Float64Array(n)
  let prev = 0
  for (let i = 0; i < n; i++) {
    const e =
      Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat())
    prev = phi * prev + e
    x[i] = mu + prev
  }
  return x
}

describe('Xoshiro128 (xoshiro128** 1.1)', () => {
  it('reproduces the reference output from state {1, 2, 3, 4}', () => {
    // Produced with Blackman & Vigna's reference xoshiro128starstar.c (v1.1); the same vector is
    // the known-answer test of the Rust crate rand_xoshiro (Xoshiro128StarStar, test `reference`).
    const r = new Xoshiro128(1, 2, 3, 4)
    const expected = [
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597,
      4258142804
    ]
    expect(expected.map(() => r.nextU32())).toEqual(expected)
  })
  it('is deterministic per seed, and different seeds give different streams', () => {
    const a = Xoshiro128.fromSeed(12345)
    const b = Xoshiro128.fromSeed(12345)
    const c = Xoshiro128.fromSeed(12346)
    const sa = Array.from({ length: 8 }, () => a.nextU32())
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(sa)
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(sa)
    expect(() => Xoshiro128.fromSeed(-1)).toThrow(RangeError)
    expect(() => new Xoshiro128(0, 0, 0, 0)).toThrow(RangeError)
  })
  it('nextFloat is in [0, 1) and nextInt is uniform (chi-square, 10 cells, 10^5 draws)', () => {
    const r = Xoshiro128.fromSeed(1)
    const cells = new Array<number>(10).fill(0)
    for (let i = 0; i < 100000; i++) {
      const f = r.nextFloat()
      expect(f >= 0 && f < 1).toBe(true)
      const k = r.nextInt(10)
      cells[k] = (cells[k] ?? 0) + 1
    }
    const chi2 = cells.reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0)
    expect(chi2).toBeLessThan(27.88) // chi-square(9) 0.999 quantile
  })
})

describe('bootstrapCi / bootstrapCi2 (LOB-Bench percentile bootstrap)', () => {
  it('percentiles follow numpy: np.percentile(np.arange(101), [0.5, 99.5]) = [0.5, 99.5]', () => {
    // With includeFullSample (LOB-Bench) the replicates are [estimate, 100 resamples] = 0..100.
    let k = 0
    const r = bootstrapCi([1, 2, 3], () => k++)
    expect(r.replicates.length).toBe(101)
    expect(r.estimate).toBe(0)
    expect(r.lower).toBe(0.5)
    expect(r.upper).toBe(99.5)
    expect(r.alpha).toBe(0.01)
    expect(r.seed).toBe(12345)
  })
  it('is deterministic for a seed and covers the mean of a synthetic normal sample', () => {
    const x = normals(2000, 42, 1)
    const a = bootstrapCi(x, mean, { nResamples: 200 })
    const b = bootstrapCi(x, mean, { nResamples: 200 })
    expect(Array.from(b.replicates)).toEqual(Array.from(a.replicates))
    expect(a.lower).toBeLessThan(a.estimate)
    expect(a.upper).toBeGreaterThan(a.estimate)
    // 99% normal-theory width is 2 * 2.576 / sqrt(2000) = 0.115; the bootstrap is close to it.
    expect(a.upper - a.lower).toBeGreaterThan(0.08)
    expect(a.upper - a.lower).toBeLessThan(0.15)
    const c = bootstrapCi(x, mean, { nResamples: 200, seed: 7 })
    expect(c.lower).not.toBe(a.lower)
  })
  it('two samples are resampled independently (KS D and z-scored W1 of synthetic samples)', () => {
    const a = normals(1000, 1)
    const b = normals(1200, 2, 0.3)
    const ks = bootstrapCi2(a, b, (x, y) => ks2samp(x, y).statistic, { nResamples: 50 })
    expect(ks.estimate).toBe(ks2samp(a, b).statistic)
    expect(ks.lower).toBeLessThanOrEqual(ks.estimate)
    expect(ks.upper).toBeGreaterThanOrEqual(ks.estimate)
    const w = bootstrapCi2(a, b, (x, y) => wassersteinZ(x, y).distance, { nResamples: 50 })
    expect(w.lower).toBeGreaterThan(0.05)
    expect(w.replicates.length).toBe(51)
  })
  it('moving-block bootstrap: wider intervals for a dependent series; L = n repeats it', () => {
    const x = normals(5000, 3, 0, 0.9) // synthetic AR(1), phi = 0.9
    const iid = bootstrapCi(x, mean, { nResamples: 200 })
    const block = bootstrapCi(x, mean, { nResamples: 200, blockLength: 100 })
    // For AR(1) the variance of the mean is (1 + phi) / (1 - phi) = 19 times the iid one.
    expect((block.upper - block.lower) / (iid.upper - iid.lower)).toBeGreaterThan(2.5)
    const whole = bootstrapCi(x, mean, { nResamples: 5, blockLength: 5000 })
    expect(Array.from(whole.replicates).every((v) => v === whole.estimate)).toBe(true)
  })
  it('counts non-finite replicates and leaves them out of the percentiles', () => {
    let k = 0
    const r = bootstrapCi([1, 2], () => (k++ % 2 ? NaN : k), { nResamples: 9 })
    expect(r.nInvalid).toBe(5)
    expect(Number.isFinite(r.lower)).toBe(true)
  })
  it('rejects bad options', () => {
    expect(() => bootstrapCi([1, 2], mean, { nResamples: 0 })).toThrow(StatsInputError)
    expect(() => bootstrapCi([1, 2], mean, { alpha: 1 })).toThrow(StatsInputError)
    expect(() => bootstrapCi([1, 2], mean, { blockLength: 3 })).toThrow(/exceeds/)
    expect(() => bootstrapCi([], mean)).toThrow(StatsInputError)
    expect(() => bootstrapCi2([1, 2], [1], mean, { blockLength: 2 })).toThrow(/exceeds/)
  })
})

describe('thin', () => {
  const x = Float64Array.from({ length: 10000 }, (_, i) => i * 0.5)
  it('fixed size (default 2000): sorted distinct indices, values taken from them, deterministic', () => {
    const t = thin(x)
    expect(t.indices.length).toBe(2000)
    for (let i = 1; i < t.indices.length; i++) {
      expect((t.indices[i] ?? 0) > (t.indices[i - 1] ?? 0)).toBe(true)
    }
    t.indices.forEach((idx, i) => {
      expect(t.values[i]).toBe(idx * 0.5)
    })
    expect(t.description.method).toBe('random')
    expect(t.description.text).toBe('2000 of 10000 values chosen uniformly at random, seed 12345')
    expect(Array.from(thin(x).indices)).toEqual(Array.from(t.indices))
    expect(Array.from(thin(x, { seed: 1 }).indices)).not.toEqual(Array.from(t.indices))
    // Uniform selection: the mean selected index is near (N - 1) / 2.
    const m = mean(t.indices)
    expect(Math.abs(m - 4999.5)).toBeLessThan(300)
  })
  it('no thinning when the series is not longer than n', () => {
    const t = thin([3, 1, 2], { n: 5 })
    expect(Array.from(t.values)).toEqual([3, 1, 2])
    expect(t.description.method).toBe('none')
  })
  it('one value per block, optionally capped at n blocks', () => {
    const t = thin(x, { blockLength: 30 })
    expect(t.indices.length).toBe(333)
    t.indices.forEach((idx, b) => {
      expect(idx >= b * 30 && idx < (b + 1) * 30).toBe(true)
    })
    expect(t.description.text).toBe(
      'one value per block of 30: 333 of 333 blocks (last 10 values dropped), seed 12345'
    )
    const capped = thin(x, { blockLength: 30, n: 50 })
    expect(capped.indices.length).toBe(50)
    expect(capped.description.blocksAvailable).toBe(333)
    for (const idx of capped.indices) expect(t.indices.length > Math.floor(idx / 30)).toBe(true)
  })
  it('rejects bad options', () => {
    expect(() => thin(x, { blockLength: 20000 })).toThrow(/longer than the series/)
    expect(() => thin(x, { n: 0 })).toThrow(StatsInputError)
    expect(() => thin([])).toThrow(StatsInputError)
  })
})

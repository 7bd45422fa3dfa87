// The fused weighted distances and the allocation-free block resamples behind the fidelity
// bootstrap: with unit weights they equal the library's ks2samp / wasserstein / wassersteinZ /
// histogramL1 (themselves checked against scipy and numpy), integer weights equal duplicated
// values, and the weights of a resample are exactly the multiset bootstrap.ts draws for the same
// seed. Samples are real trade sizes and inter-trade times from the shared spot capture.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  Xoshiro128,
  assignBins,
  assignDiscrete,
  blockResampleIndices,
  blockResampleWeights,
  bootstrapCi,
  distinctPooled,
  fdBinEdges,
  histogramL1,
  ks2samp,
  wasserstein,
  wassersteinZ,
  weightedDistances
} from '../../../src-main/fidelity/stats'
import { captureFiles, hasCaptures } from '../../helpers/data'

const sorted = (a: ArrayLike<number>): Float64Array => Float64Array.from(a).sort()

function unit(a: Float64Array, b: Float64Array, discrete: boolean) {
  const pooled = sorted([...a, ...b])
  const levels = distinctPooled(a, b)
  const edges = discrete ? levels : fdBinEdges(pooled).edges
  const assign = (v: Float64Array): Int32Array =>
    discrete ? assignDiscrete(v, levels) : assignBins(v, edges)
  const nBins = discrete ? levels.length : edges.length - 1
  const d = weightedDistances(
    { values: a, weights: null, bins: assign(a) },
    { values: b, weights: null, bins: assign(b) },
    nBins
  )
  return { d, edges }
}

describe.skipIf(!hasCaptures)('weighted distances on real samples', () => {
  let sizesA: Float64Array
  let sizesB: Float64Array
  let gapsA: Float64Array
  let gapsB: Float64Array
  beforeAll(() => {
    const q: number[] = []
    const T: number[] = []
    for (const f of captureFiles('spot-btcusdt-20240808')) {
      for (const l of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) {
        if (!l.includes('@trade')) continue
        const d = (JSON.parse(l.slice(l.indexOf(' ') + 1)) as { data: { q: string; T: number } })
          .data
        q.push(Number.parseFloat(d.q))
        T.push(d.T)
      }
    }
    const half = q.length >> 1
    sizesA = sorted(q.slice(0, half))
    sizesB = sorted(q.slice(half))
    const gaps = T.slice(1).map((t, i) => t - (T[i] ?? 0))
    gapsA = sorted(gaps.slice(0, half))
    gapsB = sorted(gaps.slice(half))
  })

  it('equals ks2samp, wasserstein, wassersteinZ and histogramL1 with unit weights', () => {
    for (const [a, b, discrete] of [
      [sizesA, sizesB, false],
      [gapsA, gapsB, false],
      [gapsA, gapsB, true]
    ] as const) {
      const { d, edges } = unit(a, b, discrete)
      expect(d.ks).toBeCloseTo(ks2samp(a, b).statistic, 14)
      expect(d.w1).toBeCloseTo(wasserstein(a, b), 12)
      expect(d.w1z).toBeCloseTo(wassersteinZ(a, b).distance, 12)
      const tv = discrete
        ? histogramL1(a, b, { bins: 'discrete' }).tv
        : histogramL1(a, b, { bins: edges }).tv
      expect(d.tv).toBeCloseTo(tv, 12)
    }
  })

  it('gives integer weights the meaning of repeated values', () => {
    const rng = Xoshiro128.fromSeed(7)
    const a = sizesA.subarray(0, 3000)
    const b = gapsA.subarray(0, 2000).map((x) => x / 1000)
    const wa = Float64Array.from(a, () => rng.nextInt(4))
    const wb = Float64Array.from(b, () => rng.nextInt(4))
    const expand = (v: Float64Array, w: Float64Array): Float64Array =>
      Float64Array.from(Array.from(v).flatMap((x, i) => new Array<number>(w[i] ?? 0).fill(x)))
    const ea = expand(a, wa)
    const eb = expand(b, wb)
    const levels = distinctPooled(ea, eb)
    const w = weightedDistances(
      { values: a, weights: wa, bins: assignDiscrete(a, levels) },
      { values: b, weights: wb, bins: assignDiscrete(b, levels) },
      levels.length
    )
    expect(w.ks).toBeCloseTo(ks2samp(ea, eb).statistic, 12)
    expect(w.w1).toBeCloseTo(wasserstein(ea, eb), 12)
    expect(w.w1z).toBeCloseTo(wassersteinZ(ea, eb).distance, 10)
    expect(w.tv).toBeCloseTo(histogramL1(ea, eb, { bins: 'discrete' }).tv, 12)
  })
})

describe('allocation-free block resamples', () => {
  it('draws the same multiset as bootstrap.ts for the same seed, as indices or as weights', () => {
    for (const [n, L] of [
      [1000, 1],
      [1000, 37],
      [997, 100]
    ] as const) {
      const x = Float64Array.from({ length: n }, (_, i) => i)
      const seen: Float64Array[] = []
      bootstrapCi(x, (r) => (seen.push(r.slice()), 0), {
        nResamples: 3,
        blockLength: L,
        seed: 99,
        includeFullSample: false
      })
      const rw = Xoshiro128.fromSeed(99)
      const ri = Xoshiro128.fromSeed(99)
      const w = new Float64Array(n + 1)
      const idx = new Int32Array(n)
      // The statistic sees the full sample first (the estimate), then each resample in order.
      expect(seen).toHaveLength(4)
      for (const r of seen.slice(1)) {
        blockResampleWeights(n, L, rw, w)
        blockResampleIndices(n, L, ri, idx)
        const counts = new Float64Array(n)
        for (const v of r) counts[v] = (counts[v] ?? 0) + 1
        expect(Array.from(w.subarray(0, n))).toEqual(Array.from(counts))
        expect(Array.from(idx)).toEqual(Array.from(r))
      }
    }
  })

  it('draws m-out-of-n resamples as whole blocks', () => {
    const idx = new Int32Array(250)
    blockResampleIndices(10_000, 50, Xoshiro128.fromSeed(1), idx, 250)
    for (let b = 0; b < 5; b++) {
      for (let k = 1; k < 50; k++) expect(idx[b * 50 + k]).toBe((idx[b * 50] ?? 0) + k)
    }
    expect(() => {
      blockResampleIndices(10, 11, Xoshiro128.fromSeed(1), idx)
    }).toThrow()
  })
})

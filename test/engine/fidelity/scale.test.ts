// Scale check on synthetic data: the statistics the fidelity report computes on every score run on
// 10^6-value samples (one day of BTCUSDT depth updates is of that order), give sane answers there,
// and never modify their inputs. Speed is measured by the benchmarks, not asserted here.
import { describe, expect, it } from 'vitest'
import {
  Xoshiro128,
  acf,
  andersonKSamp,
  histogramL1,
  kurtosis,
  ks2samp,
  thin,
  wasserstein
} from '../../../src-main/fidelity/stats'

describe('statistics on 10^6-value synthetic samples', () => {
  const n = 1_000_000
  const rng = Xoshiro128.fromSeed(2025)
  // Synthetic heavy-tailed "returns" (symmetric Pareto, tail index 3) and a uniform comparison.
  const a = new Float64Array(n)
  const b = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const s = rng.nextFloat() < 0.5 ? -1 : 1
    a[i] = s * ((1 - rng.nextFloat()) ** (-1 / 3) - 1)
    b[i] = (rng.nextFloat() - 0.5) * 2
  }
  const a0 = a.slice()

  it('runs the distances, tests and moments at this scale without touching the inputs', () => {
    const ks = ks2samp(a, b)
    const w = wasserstein(a, b)
    const h = histogramL1(a, b)
    const k = kurtosis(a)
    const r = acf(a, 50)
    const ad = andersonKSamp([a.subarray(0, 200_000), b.subarray(0, 200_000)])
    const t = thin(a, { blockLength: 100 })
    expect(ks.method).toBe('asymp')
    expect(ks.statistic).toBeGreaterThan(0.1)
    expect(w).toBeGreaterThan(0)
    expect(h.capped).toBe(true) // heavy tails: FD wants more than 1000 bins
    expect(k).toBeGreaterThan(3)
    expect(Math.abs(r[1] ?? NaN)).toBeLessThan(0.01)
    expect(ad.pvalueBound).toBe('floored')
    expect(t.values.length).toBe(10_000)
    let same = true
    for (let i = 0; i < n; i++) if (a[i] !== a0[i]) same = false
    expect(same).toBe(true)
  })
})

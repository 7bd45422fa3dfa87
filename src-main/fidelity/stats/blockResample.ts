// The moving-block bootstrap resample of bootstrap.ts (Künsch 1989: blocks of L consecutive values,
// starts uniform in [0, n - L], glued and truncated to n) in two allocation-free forms:
//   - `blockResampleIndices`: the source positions of one resample, in resample order (to gather
//     several aligned columns, or to compute order-dependent statistics such as an ACF);
//   - `blockResampleWeights`: how many times each position was drawn (a multiplicity per value),
//     which is all an order-free statistic of the resample needs (weightedDistances.ts).
// Both consume the generator exactly as bootstrap.ts does for the same n and L, so a resample drawn
// either way from the same seed is the same multiset.

import type { Xoshiro128 } from './prng'
import { StatsInputError } from './validate'

function check(n: number, L: number, fn: string): void {
  if (!Number.isInteger(n) || n < 1)
    throw new StatsInputError(`${fn}: n must be a positive integer`)
  if (!Number.isInteger(L) || L < 1 || L > n) {
    throw new StatsInputError(`${fn}: block length must be an integer in [1, n], got ${L}`)
  }
}

/**
 * Writes the positions of one block-bootstrap resample of 0..n-1 into `out`. The resample has
 * length m (default n; m < n is the m-out-of-n block bootstrap, for long series), so `out` needs
 * length >= m.
 */
export function blockResampleIndices(
  n: number,
  L: number,
  rng: Xoshiro128,
  out: Int32Array,
  m = n
): void {
  check(n, L, 'blockResampleIndices')
  if (!Number.isInteger(m) || m < 1) {
    throw new StatsInputError('blockResampleIndices: m must be a positive integer')
  }
  if (L === 1) {
    for (let i = 0; i < m; i++) out[i] = rng.nextInt(n)
    return
  }
  const starts = n - L + 1
  let i = 0
  while (i < m) {
    const s = rng.nextInt(starts)
    const take = Math.min(L, m - i)
    for (let k = 0; k < take; k++) out[i + k] = s + k
    i += take
  }
}

/**
 * Writes how often each position 0..n-1 is drawn by one block-bootstrap resample into `out`, which
 * needs length >= n + 1 (one slot past the end marks block ends).
 */
export function blockResampleWeights(
  n: number,
  L: number,
  rng: Xoshiro128,
  out: Float64Array
): void {
  check(n, L, 'blockResampleWeights')
  out.fill(0, 0, n + 1)
  if (L === 1) {
    for (let i = 0; i < n; i++) {
      const k = rng.nextInt(n)
      out[k] = (out[k] as number) + 1
    }
    out[n] = 0
    return
  }
  // Each block adds 1 to a run of positions: mark the run's ends, then take prefix sums.
  const starts = n - L + 1
  let i = 0
  while (i < n) {
    const s = rng.nextInt(starts)
    const take = Math.min(L, n - i)
    out[s] = (out[s] as number) + 1
    out[s + take] = (out[s + take] as number) - 1
    i += take
  }
  let run = 0
  for (let k = 0; k < n; k++) {
    run += out[k] as number
    out[k] = run
  }
  out[n] = 0
}

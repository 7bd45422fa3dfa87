// Thinning of long, autocorrelated series before a significance test. A KS p-value on millions of
// dependent values answers the wrong question (anchors §4d: at n = 10^6 any D above 0.002 is
// "significant", and dependence makes even that optimistic), so the fidelity module tests on a
// thinned sample and always says which thinning it used.
//
// Two modes, both deterministic given the seed:
//   - fixed size (default n = 2000): n indices chosen uniformly without replacement, in order
//     (Knuth's selection sampling, Algorithm S, TAOCP vol. 2 §3.4.2: one pass, no extra memory);
//   - blocks (`blockLength` L): the series is cut into floor(N / L) consecutive blocks (a trailing
//     partial block is dropped) and one uniformly placed value is taken from each. With L at least
//     the decorrelation length (acf.ts `decorrelationLag`) the values are close to independent.
//     If `n` is also given and there are more blocks than n, n blocks are chosen at random.

import { Xoshiro128 } from './prng'
import { type Sample, StatsInputError, requireInt, toF64 } from './validate'

export interface ThinOptions {
  /** Target size (default 2000 in fixed-size mode; in block mode, a cap on the number of blocks). */
  n?: number
  /** Block length; when set, one value per block. */
  blockLength?: number
  /** PRNG seed (default 12345). */
  seed?: number
}

export interface ThinningDescription {
  method: 'none' | 'random' | 'block'
  inputLength: number
  outputLength: number
  seed: number
  blockLength: number | null
  /** Complete blocks available (block mode). */
  blocksAvailable: number | null
  /** One line for reports, e.g. "one value per block of 50: 2000 of 24000 blocks, seed 12345". */
  text: string
}

export interface Thinning {
  /** Selected positions in the input, ascending. */
  indices: Float64Array
  values: Float64Array
  description: ThinningDescription
}

/** Selects k of 0..N-1 uniformly, in ascending order (Algorithm S). */
function selectSorted(N: number, k: number, rng: Xoshiro128): Float64Array {
  const out = new Float64Array(k)
  let m = 0
  for (let t = 0; t < N && m < k; t++) {
    if ((N - t) * rng.nextFloat() < k - m) out[m++] = t
  }
  return out
}

/** Thins `x` to a fixed size or to one value per block; see the file comment. */
export function thin(x: Sample, options: ThinOptions = {}): Thinning {
  const fn = 'thin'
  const a = toF64(x, fn, 'series')
  const N = a.length
  const seed = options.seed ?? 12345
  requireInt(seed, fn, 'seed', 0, Number.MAX_SAFE_INTEGER)
  if (options.n !== undefined) requireInt(options.n, fn, 'n', 1)
  const rng = Xoshiro128.fromSeed(seed)

  let indices: Float64Array
  let description: Omit<ThinningDescription, 'outputLength' | 'text'>
  let text: string
  if (options.blockLength !== undefined) {
    const L = options.blockLength
    requireInt(L, fn, 'blockLength', 1)
    const blocks = Math.floor(N / L)
    if (blocks === 0) {
      throw new StatsInputError(`${fn}: blockLength ${L} is longer than the series (${N})`)
    }
    const chosen =
      options.n !== undefined && options.n < blocks
        ? selectSorted(blocks, options.n, rng)
        : Float64Array.from({ length: blocks }, (_, i) => i)
    indices = new Float64Array(chosen.length)
    for (let i = 0; i < chosen.length; i++) indices[i] = (chosen[i] as number) * L + rng.nextInt(L)
    description = { method: 'block', inputLength: N, seed, blockLength: L, blocksAvailable: blocks }
    text =
      `one value per block of ${L}: ${chosen.length} of ${blocks} blocks` +
      (N % L ? ` (last ${N % L} values dropped)` : '') +
      `, seed ${seed}`
  } else {
    const n = options.n ?? 2000
    if (N <= n) {
      indices = Float64Array.from({ length: N }, (_, i) => i)
      description = {
        method: 'none',
        inputLength: N,
        seed,
        blockLength: null,
        blocksAvailable: null
      }
      text = `no thinning: all ${N} values (target ${n})`
    } else {
      indices = selectSorted(N, n, rng)
      description = {
        method: 'random',
        inputLength: N,
        seed,
        blockLength: null,
        blocksAvailable: null
      }
      text = `${n} of ${N} values chosen uniformly at random, seed ${seed}`
    }
  }
  const values = new Float64Array(indices.length)
  for (let i = 0; i < indices.length; i++) values[i] = a[indices[i] as number] as number
  return { indices, values, description: { ...description, outputLength: indices.length, text } }
}

// Percentile bootstrap confidence intervals for any statistic of one or two samples, as LOB-Bench
// computes them (metrics.py `_bootstrap`): each resample draws n values with replacement from each
// sample independently, the statistic is recomputed, and the interval is the numpy.percentile
// (linear) of the replicates at alpha/2 and 1 - alpha/2. Defaults are LOB-Bench's: 100 resamples,
// alpha = 0.01 (a 99% interval), the full-sample statistic included as one of the replicates
// (`includeFullSample`), seed 12345. Our generator is xoshiro128**, not numpy's PCG64, so the
// replicates are not bit-identical to LOB-Bench's; the procedure is.
//
// Block bootstrap (`blockLength` > 1): the moving-block bootstrap of Künsch (1989), for serially
// dependent data such as returns or inter-arrival times. Each resample glues together randomly
// placed contiguous blocks of `blockLength` values (starts uniform in [0, n - L]) and truncates to
// n, which keeps the dependence inside blocks. Choose L at least the decorrelation length
// (acf.ts `decorrelationLag`); with L = 1 it is the ordinary bootstrap.
//
// Resamples are written into reused buffers: the statistic receives a Float64Array that is
// overwritten by the next resample, so it must not keep a reference to it. It must not modify its
// argument either (the full-sample call gets the caller's own array): sort a copy if needed.

import { Xoshiro128 } from './prng'
import { quantileSorted } from './quantile'
import { type Sample, StatsInputError, requireInt, requireRange, toF64 } from './validate'

export interface BootstrapOptions {
  /** Number of resamples (default 100, LOB-Bench's n_bootstrap). */
  nResamples?: number
  /** Two-sided level: the interval covers 1 - alpha (default 0.01, LOB-Bench's ci_alpha). */
  alpha?: number
  /** PRNG seed (default 12345, LOB-Bench's default_rng seed). */
  seed?: number
  /** Block length for the moving-block bootstrap (default 1: ordinary iid bootstrap). */
  blockLength?: number
  /** Count the full-sample statistic as a replicate, as LOB-Bench does (default true). */
  includeFullSample?: boolean
}

export interface BootstrapResult {
  /** The statistic on the full sample(s). */
  estimate: number
  lower: number
  upper: number
  alpha: number
  /** Replicates in draw order (the full-sample value first when included). Non-finite ones kept. */
  replicates: Float64Array
  /** Replicates that were NaN or infinite and left out of the percentiles. */
  nInvalid: number
  nResamples: number
  seed: number
  blockLength: number
}

interface Resolved {
  nResamples: number
  alpha: number
  seed: number
  blockLength: number
  includeFullSample: boolean
}

function resolve(fn: string, o: BootstrapOptions): Resolved {
  const r = {
    nResamples: o.nResamples ?? 100,
    alpha: o.alpha ?? 0.01,
    seed: o.seed ?? 12345,
    blockLength: o.blockLength ?? 1,
    includeFullSample: o.includeFullSample ?? true
  }
  requireInt(r.nResamples, fn, 'nResamples', 1)
  requireRange(r.alpha, fn, 'alpha', 0, 1, true)
  requireInt(r.seed, fn, 'seed', 0, Number.MAX_SAFE_INTEGER)
  requireInt(r.blockLength, fn, 'blockLength', 1)
  return r
}

/** Fills `out` with a (block) bootstrap resample of `src`. */
function resample(src: Float64Array, out: Float64Array, L: number, rng: Xoshiro128): void {
  const n = src.length
  if (L === 1) {
    for (let i = 0; i < n; i++) out[i] = src[rng.nextInt(n)] as number
    return
  }
  const starts = n - L + 1
  let i = 0
  while (i < n) {
    const s = rng.nextInt(starts)
    const take = Math.min(L, n - i)
    out.set(src.subarray(s, s + take), i)
    i += take
  }
}

function summarize(estimate: number, reps: Float64Array, r: Resolved): BootstrapResult {
  const finite = reps.filter((v) => Number.isFinite(v)).sort()
  const nInvalid = reps.length - finite.length
  // numpy: np.percentile(losses, [alpha/2*100, 100 - alpha/2*100]), i.e. q / 100 again.
  const qLo = (r.alpha / 2) * 100
  const qHi = 100 - (r.alpha / 2) * 100
  const lower = finite.length ? quantileSorted(finite, qLo / 100) : NaN
  const upper = finite.length ? quantileSorted(finite, qHi / 100) : NaN
  return {
    estimate,
    lower,
    upper,
    alpha: r.alpha,
    replicates: reps,
    nInvalid,
    nResamples: r.nResamples,
    seed: r.seed,
    blockLength: r.blockLength
  }
}

/** Percentile bootstrap CI of statistic(x). */
export function bootstrapCi(
  x: Sample,
  statistic: (x: Float64Array) => number,
  options: BootstrapOptions = {}
): BootstrapResult {
  const fn = 'bootstrapCi'
  const r = resolve(fn, options)
  const a = toF64(x, fn, 'sample')
  if (r.blockLength > a.length) {
    throw new StatsInputError(
      `${fn}: blockLength ${r.blockLength} exceeds the sample size ${a.length}`
    )
  }
  const rng = Xoshiro128.fromSeed(r.seed)
  const estimate = statistic(a)
  const reps = new Float64Array(r.nResamples + (r.includeFullSample ? 1 : 0))
  let k = 0
  if (r.includeFullSample) reps[k++] = estimate
  const buf = new Float64Array(a.length)
  for (let b = 0; b < r.nResamples; b++) {
    resample(a, buf, r.blockLength, rng)
    reps[k++] = statistic(buf)
  }
  return summarize(estimate, reps, r)
}

/**
 * Percentile bootstrap CI of statistic(a, b), resampling a and b independently (LOB-Bench resamples
 * real and generated scores separately). `blockLength` applies to both series.
 */
export function bootstrapCi2(
  a: Sample,
  b: Sample,
  statistic: (a: Float64Array, b: Float64Array) => number,
  options: BootstrapOptions = {}
): BootstrapResult {
  const fn = 'bootstrapCi2'
  const r = resolve(fn, options)
  const x = toF64(a, fn, 'sample a')
  const y = toF64(b, fn, 'sample b')
  if (r.blockLength > Math.min(x.length, y.length)) {
    throw new StatsInputError(`${fn}: blockLength ${r.blockLength} exceeds a sample size`)
  }
  const rng = Xoshiro128.fromSeed(r.seed)
  const estimate = statistic(x, y)
  const reps = new Float64Array(r.nResamples + (r.includeFullSample ? 1 : 0))
  let k = 0
  if (r.includeFullSample) reps[k++] = estimate
  const bx = new Float64Array(x.length)
  const by = new Float64Array(y.length)
  for (let i = 0; i < r.nResamples; i++) {
    resample(x, bx, r.blockLength, rng)
    resample(y, by, r.blockLength, rng)
    reps[k++] = statistic(bx, by)
  }
  return summarize(estimate, reps, r)
}

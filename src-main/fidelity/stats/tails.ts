// Tail-heaviness estimators for the "heavy tails" stylized fact (Cont 2001: return tail index
// roughly between 2 and 5).
//
// Hill (1975), "A simple general approach to inference about the tail of a distribution", Ann.
// Stat. 3(5): with X(1) >= X(2) >= ... the positive values in decreasing order and k of them in
// the tail,
//   gamma_hat = (1/k) sum_{i=1..k} ln X(i) - ln X(k+1),   tail index alpha_hat = 1 / gamma_hat,
// so P(X > x) ~ x^-alpha. Default k = floor(sqrt(n)) (n = positive values): k -> infinity and
// k / n -> 0 are the conditions for consistency, and sqrt(n) is the usual rule of thumb; pass `k`
// (or look at a Hill plot over several k) when the choice matters.
//
// Power-law fit, Clauset, Shalizi & Newman (2009), "Power-law distributions in empirical data",
// SIAM Review 51(4), continuous case, following their reference code plfit.m ('REAL' branch):
// for each candidate xmin (distinct values except the largest), alpha = 1 + n / sum ln(x / xmin)
// over the n values >= xmin, and the KS distance D = max_i |(1 - (xmin / z_i)^(alpha-1)) - i / n|
// between the fitted CDF and the empirical one at the sorted tail values z_0..z_{n-1}; the xmin
// with the smallest D wins (first one on ties). Note the density exponent alpha here is the tail
// index + 1 (p(x) ~ x^-alpha, P(X > x) ~ x^-(alpha-1)). To bound the cost on millions of values,
// at most `maxCandidates` xmin values are tried, spread evenly over the distinct values exactly as
// plfit's 'sample' option does; below that count the search is exhaustive and equals plfit.m.

import { type Sample, StatsInputError, requireInt, sortedCopy, toF64 } from './validate'

/** Which tail: 'upper' uses x, 'lower' uses -x, 'abs' uses |x|. Only positive values enter. */
export type TailSide = 'upper' | 'lower' | 'abs'

function tailValues(x: Float64Array, side: TailSide): Float64Array {
  const sign = side === 'lower' ? -1 : 1
  const pick = (v: number): number => (side === 'abs' ? Math.abs(v) : sign * v)
  let count = 0
  for (let i = 0; i < x.length; i++) if (pick(x[i] as number) > 0) count++
  const out = new Float64Array(count)
  let k = 0
  for (let i = 0; i < x.length; i++) {
    const t = pick(x[i] as number)
    if (t > 0) out[k++] = t
  }
  return out
}

export interface HillResult {
  /** Tail index alpha = 1 / gamma (P(X > x) ~ x^-alpha). */
  alpha: number
  /** Extreme-value index gamma (Hill's estimate). */
  gamma: number
  k: number
  /** X(k+1), the threshold the k largest values exceed. */
  threshold: number
  /** Positive values available in the chosen tail. */
  n: number
  kRule: 'given' | 'sqrt(n)'
}

/** Hill estimator of the tail index of `x` on the chosen side (default 'upper'). */
export function hill(x: Sample, options: { k?: number; tail?: TailSide } = {}): HillResult {
  const fn = 'hill'
  const t = sortedCopy(tailValues(toF64(x, fn, 'sample'), options.tail ?? 'upper'))
  const n = t.length
  if (n < 3) throw new StatsInputError(`${fn}: needs at least 3 positive tail values, got ${n}`)
  const k = options.k ?? Math.floor(Math.sqrt(n))
  requireInt(k, fn, 'k', 1, n - 1)
  const threshold = t[n - k - 1] as number
  const lnU = Math.log(threshold)
  let s = 0
  for (let i = n - k; i < n; i++) s += Math.log(t[i] as number) - lnU
  const gamma = s / k
  return {
    alpha: 1 / gamma,
    gamma,
    k,
    threshold,
    n,
    kRule: options.k === undefined ? 'sqrt(n)' : 'given'
  }
}

export interface PowerLawFit {
  /** Density exponent alpha (p(x) ~ x^-alpha); the tail index is alpha - 1. */
  alpha: number
  xmin: number
  /** Values >= xmin. */
  nTail: number
  /** KS distance of the fit at the chosen xmin. */
  ks: number
  /** Log-likelihood of the tail under the fit (plfit's L). */
  logLikelihood: number
  /** Number of xmin values tried, and whether they were a spread-out subset of the candidates. */
  candidatesTried: number
  sampled: boolean
  /** Values left out because they were not positive. */
  nIgnored: number
}

export interface PowerLawOptions {
  /** Fix xmin instead of searching (plfit's 'xmin' option: first candidate >= this value). */
  xmin?: number
  /** Largest number of xmin candidates to try (default 200). */
  maxCandidates?: number
  /** Skip candidates leaving fewer than this many tail values (default 2). */
  minTail?: number
  tail?: TailSide
}

/** Continuous power-law fit with xmin by minimum KS distance (Clauset, Shalizi & Newman 2009). */
export function powerLawFit(x: Sample, options: PowerLawOptions = {}): PowerLawFit {
  const fn = 'powerLawFit'
  const raw = toF64(x, fn, 'sample')
  const z = sortedCopy(tailValues(raw, options.tail ?? 'upper'))
  const n = z.length
  const nIgnored = raw.length - n
  const maxCandidates = options.maxCandidates ?? 200
  const minTail = options.minTail ?? 2
  requireInt(maxCandidates, fn, 'maxCandidates', 1)
  requireInt(minTail, fn, 'minTail', 2)

  // Distinct values except the largest, with the index of their first occurrence.
  const starts: number[] = []
  for (let i = 0; i < n; i++) if (i === 0 || z[i] !== z[i - 1]) starts.push(i)
  starts.pop()
  let cand = starts.filter((s) => n - s >= minTail)
  if (options.xmin !== undefined) {
    const xm = options.xmin
    const first = cand.find((s) => (z[s] as number) >= xm)
    cand = first === undefined ? [] : [first]
  }
  if (cand.length === 0) {
    throw new StatsInputError(`${fn}: no xmin candidate (needs 2+ distinct positive values)`)
  }
  let sampled = false
  if (cand.length > maxCandidates) {
    // plfit: xmins(unique(round(linspace(1, length(xmins), sample)))), MATLAB 1-based rounding.
    const picked = new Set<number>()
    const L = cand.length
    for (let i = 0; i < maxCandidates; i++) {
      const pos = maxCandidates === 1 ? 1 : 1 + ((L - 1) * i) / (maxCandidates - 1)
      picked.add(Math.round(pos) - 1)
    }
    cand = [...picked].sort((p, q) => p - q).map((p) => cand[p] as number)
    sampled = true
  }

  const lz = new Float64Array(n)
  for (let i = 0; i < n; i++) lz[i] = Math.log(z[i] as number)
  let bestD = Infinity
  let bestStart = -1
  for (const s of cand) {
    const nt = n - s
    const lx = lz[s] as number
    let sum = 0
    for (let i = s; i < n; i++) sum += (lz[i] as number) - lx
    const a = nt / sum // alpha - 1
    let d = 0
    for (let i = s; i < n; i++) {
      const cf = 1 - Math.exp(a * (lx - (lz[i] as number)))
      const diff = Math.abs(cf - (i - s) / nt)
      if (diff > d) d = diff
    }
    if (d < bestD) {
      bestD = d
      bestStart = s
    }
  }
  const xmin = z[bestStart] as number
  const nTail = n - bestStart
  const lx = lz[bestStart] as number
  let sum = 0
  for (let i = bestStart; i < n; i++) sum += (lz[i] as number) - lx
  const alpha = 1 + nTail / sum
  return {
    alpha,
    xmin,
    nTail,
    ks: bestD,
    logLikelihood: nTail * Math.log((alpha - 1) / xmin) - alpha * sum,
    candidatesTried: cand.length,
    sampled,
    nIgnored
  }
}

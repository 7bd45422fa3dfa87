// k-sample Anderson-Darling test, scipy.stats.anderson_ksamp (scipy 1.17), after Scholz & Stephens
// (1987), "K-Sample Anderson-Darling Tests", JASA 82(399), 918-924.
//
// Variants (scipy's `variant`): 'midrank' (default; eq. 7, midrank ECDF, valid with ties),
// 'right' (eq. 6, right-continuous ECDF for discrete data; scipy's midrank=False) and 'continuous'
// (eq. 3, assumes no ties). The statistic returned is scipy's: the standardized
// T = (A2 - (k - 1)) / sigma_N, with sigma_N^2 the exact finite-sample variance of S&S eq. 4.
//
// p-value: like scipy without `method`, interpolated from the critical-value table rather than
// computed. S&S Table 2 gives T's critical values at 25%, 10%, 5%, 2.5%, 1% (scipy extends it to
// 0.5% and 0.1%) as b0 + b1/sqrt(m) + b2/m with m = k - 1; scipy fits a quadratic in T to
// log(significance) through those 7 points by least squares and evaluates it at T. Outside the
// table the p-value is capped at 0.25 or floored at 0.001 and flagged here as `pvalueBound`, so
// a reader can tell "p >= 0.25" from "p = 0.25". A permutation p-value is not implemented.

import { type Sample, StatsInputError, sortedCopy, toF64 } from './validate'

export type AndersonVariant = 'midrank' | 'right' | 'continuous'

export interface AndersonKSampResult {
  /** Standardized statistic T (scipy's `statistic`). */
  statistic: number
  /** Unstandardized A2 (A2akN for 'midrank', A2kN otherwise). */
  a2: number
  /** Critical values of T at the significance levels below (scipy's `critical_values`). */
  criticalValues: Float64Array
  significanceLevels: Float64Array
  /** Interpolated p-value, clipped to [0.001, 0.25] as scipy does. */
  pvalue: number
  /** 'capped': the true p-value is above 0.25; 'floored': below 0.001; null: interpolated. */
  pvalueBound: 'capped' | 'floored' | null
  k: number
  n: number
}

const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085]
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615]
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154]

/** Count of values <= v (side 'right') and < v (side 'left') in a sorted array, from a cursor. */
function advance(s: Float64Array, from: number, v: number): number {
  let i = from
  while (i < s.length && (s[i] as number) <= v) i++
  return i
}

function a2Midrank(samples: Float64Array[], z: Float64Array, n: number): number {
  let total = 0
  for (const s of samples) {
    const ni = s.length
    let sum = 0
    let zi = 0
    let si = 0
    while (zi < n) {
      const v = z[zi] as number
      const left = zi
      const right = advance(z, zi, v)
      const lj = right - left
      const bj = left + lj / 2
      const sLeft = si
      si = advance(s, si, v)
      const fij = si - sLeft
      const mij = si - fij / 2
      const num = n * mij - bj * ni
      sum += ((lj / n) * num * num) / (bj * (n - bj) - (n * lj) / 4)
      zi = right
    }
    total += sum / ni
  }
  return total * ((n - 1) / n)
}

function a2Right(samples: Float64Array[], z: Float64Array, n: number): number {
  let total = 0
  for (const s of samples) {
    const ni = s.length
    let sum = 0
    let zi = 0
    let si = 0
    while (zi < n) {
      const v = z[zi] as number
      const right = advance(z, zi, v)
      if (right === n) break // the largest distinct value is excluded (Zstar[:-1])
      const lj = right - zi
      const bj = right // cumulative count of values <= v
      si = advance(s, si, v)
      const num = n * si - bj * ni
      sum += ((lj / n) * num * num) / (bj * (n - bj))
      zi = right
    }
    total += sum / ni
  }
  return total
}

function a2Continuous(samples: Float64Array[], z: Float64Array, n: number): number {
  let total = 0
  for (const s of samples) {
    const ni = s.length
    let sum = 0
    let si = 0
    for (let j = 1; j < n; j++) {
      si = advance(s, si, z[j - 1] as number)
      const num = n * si - j * ni
      sum += (num * num) / (j * (n - j))
    }
    total += sum / ni
  }
  return total / n
}

type A2Function = (samples: Float64Array[], z: Float64Array, n: number) => number
const A2_FUNCTIONS: Record<string, A2Function> = {
  midrank: a2Midrank,
  right: a2Right,
  continuous: a2Continuous
}

/** Least-squares quadratic through (x, y), coefficients [c2, c1, c0] (numpy.polyfit deg 2). */
function polyfit2(x: readonly number[], y: readonly number[]): [number, number, number] {
  // Column-scaled Vandermonde, solved by Householder QR (numpy scales columns, then uses SVD).
  const m = x.length
  const cols = [x.map((v) => v * v), x.map((v) => v), x.map(() => 1)]
  const scale = cols.map((c) => Math.sqrt(c.reduce((acc, v) => acc + v * v, 0)))
  const A = cols.map((c, j) => c.map((v) => v / (scale[j] as number)))
  const b = y.slice()
  for (let j = 0; j < 3; j++) {
    const col = A[j] as number[]
    let norm = 0
    for (let i = j; i < m; i++) norm += (col[i] as number) ** 2
    norm = Math.sqrt(norm)
    const alpha = (col[j] as number) > 0 ? -norm : norm
    const v = col.map((val, i) => (i < j ? 0 : i === j ? val - alpha : val))
    const vv = v.reduce((acc, t) => acc + t * t, 0)
    if (vv === 0) continue
    for (let k = j; k < 3; k++) {
      const ck = A[k] as number[]
      let dot = 0
      for (let i = j; i < m; i++) dot += (v[i] as number) * (ck[i] as number)
      const f = (2 * dot) / vv
      for (let i = j; i < m; i++) ck[i] = (ck[i] as number) - f * (v[i] as number)
    }
    let dot = 0
    for (let i = j; i < m; i++) dot += (v[i] as number) * (b[i] as number)
    const f = (2 * dot) / vv
    for (let i = j; i < m; i++) b[i] = (b[i] as number) - f * (v[i] as number)
  }
  const c = [0, 0, 0]
  for (let j = 2; j >= 0; j--) {
    let s = b[j] as number
    for (let k = j + 1; k < 3; k++) s -= ((A[k] as number[])[j] as number) * (c[k] as number)
    c[j] = s / ((A[j] as number[])[j] as number)
  }
  return [
    (c[0] as number) / (scale[0] as number),
    (c[1] as number) / (scale[1] as number),
    (c[2] as number) / (scale[2] as number)
  ]
}

/**
 * k-sample Anderson-Darling test (k >= 2) of the hypothesis that all samples come from one
 * distribution. Throws StatsInputError for fewer than 2 samples, an empty sample, fewer than 4
 * values in total (the variance formula divides by (N-1)(N-2)(N-3)), or a single distinct value.
 */
export function andersonKSamp(
  samples: readonly Sample[],
  options: { variant?: AndersonVariant } = {}
): AndersonKSampResult {
  const variant = options.variant ?? 'midrank'
  const k = samples.length
  if (k < 2) throw new StatsInputError('andersonKSamp: needs at least two samples')
  const sorted = samples.map((s, i) => sortedCopy(toF64(s, 'andersonKSamp', `sample ${i}`)))
  let n = 0
  for (const s of sorted) n += s.length
  if (n < 4) throw new StatsInputError(`andersonKSamp: needs at least 4 values in total, got ${n}`)
  const z = new Float64Array(n)
  let off = 0
  for (const s of sorted) {
    z.set(s, off)
    off += s.length
  }
  z.sort()
  if (z[0] === z[n - 1]) {
    throw new StatsInputError('andersonKSamp: needs more than one distinct observation')
  }

  const a2Of = A2_FUNCTIONS[variant]
  if (!a2Of) throw new StatsInputError(`andersonKSamp: unknown variant ${variant}`)
  const a2 = a2Of(sorted, z, n)

  // Variance of A2 under H0 (S&S eq. 4), in scipy's operation order.
  let H = 0
  for (const s of sorted) H += 1 / s.length
  let hsCum = 0
  let g = 0
  for (let idx = 0, d = n - 1; d > 1; idx++, d--) {
    hsCum += 1 / d // cumsum of 1/(N-1), 1/(N-2), ..., 1/2
    g += hsCum / (idx + 2)
  }
  const h = hsCum + 1
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h
  const d = (2 * h + 6) * k ** 2 - 4 * h * k
  const sigmasq = (a * n ** 3 + b * n ** 2 + c * n + d) / ((n - 1) * (n - 2) * (n - 3))
  const m = k - 1
  const t = (a2 - m) / Math.sqrt(sigmasq)

  const critical = new Float64Array(7)
  for (let i = 0; i < 7; i++) {
    critical[i] = (B0[i] as number) + (B1[i] as number) / Math.sqrt(m) + (B2[i] as number) / m
  }
  const cmin = Math.min(...critical)
  const cmax = Math.max(...critical)
  let pvalue: number
  let pvalueBound: AndersonKSampResult['pvalueBound'] = null
  if (t < cmin) {
    pvalue = 0.25
    pvalueBound = 'capped'
  } else if (t > cmax) {
    pvalue = 0.001
    pvalueBound = 'floored'
  } else {
    const [c2, c1, c0] = polyfit2(
      Array.from(critical),
      SIG.map((s) => Math.log(s))
    )
    pvalue = Math.exp((c2 * t + c1) * t + c0)
  }
  return {
    statistic: t,
    a2,
    criticalValues: critical,
    significanceLevels: Float64Array.from(SIG),
    pvalue,
    pvalueBound,
    k,
    n
  }
}

// Exact null distribution of the two-sample Kolmogorov-Smirnov statistic by lattice-path counting,
// ported from scipy.stats._stats_py (scipy 1.17): `_compute_prob_outside_square`,
// `_count_paths_outside_method`, `_attempt_exact_2kssamp`, and `_compute_outer_prob_inside_method`
// from scipy/stats/_stats_pythran.py. The method follows Hodges (1958), "The significance
// probability of the Smirnov two-sample test", Arkiv for Matematik 3(43), 469-486, and for the
// two-sided case computes 1 - p directly (Viehmann 2021, arXiv:2102.08037) so small p-values keep
// their relative precision down to ~1e-16.
//
// D is measured on the lattice of multiples of 1/lcm(n1, n2): h = round(D * lcm) steps.

export type KsAlternative = 'two-sided' | 'less' | 'greater'

/** scipy.special.binom for non-negative integers n >= k (multiplicative form, ~k ulps). */
export function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0
  let kk = k
  if (kk > n / 2 && n > 0) kk = n - kk
  let r = 1
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i
  return r
}

/** P(D_{n,n} >= h/n), both sample sizes n (Hodges eq. for the square, Horner-like). */
export function probOutsideSquare(n: number, h: number): number {
  let P = 0
  let k = Math.floor(n / h)
  while (k >= 0) {
    let p1 = 1
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1)
    P = p1 * (1 - P)
    k -= 1
  }
  return 2 * P
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that do not stay strictly inside
 * |x/m - y/n| < h/lcm(m,n): the two-sided exact p-value for unequal sizes.
 */
export function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  let m = m0
  let n = n0
  if (m < n) {
    m = n0
    n = m0
  }
  const mg = Math.floor(m / g)
  const ng = Math.floor(n / g)
  let minj = 0
  let maxj = Math.min(Math.ceil(h / mg), n + 1)
  let curlen = maxj - minj
  const lenA = Math.min(2 * maxj + 2, n + 1)
  const A = new Float64Array(lenA).fill(1)
  for (let j = minj; j < maxj; j++) A[j] = 0
  for (let i = 1; i <= m; i++) {
    const lastminj = minj
    const lastlen = curlen
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0)
    minj = Math.min(minj, n)
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1)
    if (maxj <= minj) return 1
    let val = minj === 0 ? 0 : 1
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj
      val = ((A[jj + minj - lastminj] as number) * i + val * j) / (i + j)
      A[jj] = val
    }
    curlen = maxj - minj
    if (lastlen > curlen) {
      for (let t = maxj - minj; t < maxj - minj + (lastlen - curlen); t++) A[t] = 1
    }
  }
  return A[maxj - minj - 1] as number
}

/**
 * Number of lattice paths from (0,0) to (m,n) that reach m*y <= n*x - h*g (one-sided exceedance).
 * Can overflow double precision; the caller checks for a finite answer.
 */
export function countPathsOutside(m0: number, n0: number, g: number, h: number): number {
  let m = m0
  let n = n0
  if (m < n) {
    m = n0
    n = m0
  }
  const mg = Math.floor(m / g)
  const ng = Math.floor(n / g)
  const lxj = n + Math.floor((mg - h) / mg)
  if (lxj <= 0) return binom(m + n, n)
  const xj = new Float64Array(lxj)
  for (let j = 0; j < lxj; j++) xj[j] = Math.floor((h + mg * j + ng - 1) / ng)
  const B = new Float64Array(lxj)
  B[0] = 1
  for (let j = 1; j < lxj; j++) {
    const xjj = xj[j] as number
    let Bj = binom(xjj + j, j)
    for (let i = 0; i < j; i++)
      Bj -= binom(xjj - (xj[i] as number) + j - i, j - i) * (B[i] as number)
    if (!Number.isFinite(Bj)) return NaN
    B[j] = Bj
  }
  let numPaths = 0
  for (let j = 0; j < lxj; j++) {
    numPaths += (B[j] as number) * binom(m - (xj[j] as number) + (n - j), n - j)
  }
  return numPaths
}

export interface ExactAttempt {
  success: boolean
  /** D rounded onto the lattice of multiples of 1/lcm(n1, n2), as scipy returns it. */
  d: number
  prob: number
}

export function gcd(a: number, b: number): number {
  let x = a
  let y = b
  while (y !== 0) {
    const t = x % y
    x = y
    y = t
  }
  return x
}

/** Round half to even, as numpy.round. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v)
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * scipy's `_attempt_exact_2kssamp`: the exact p-value, or success = false when the computation
 * overflows or leaves [0, 1] (scipy then warns and falls back to the asymptotic method).
 */
export function attemptExact(
  n1: number,
  n2: number,
  d: number,
  alternative: KsAlternative
): ExactAttempt {
  const g = gcd(n1, n2)
  const lcm = (n1 / g) * n2
  const h = roundHalfEven(d * lcm)
  const dl = h / lcm
  if (h === 0) return { success: true, d: dl, prob: 1 }
  let prob: number
  if (alternative === 'two-sided') {
    prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h)
  } else if (n1 === n2) {
    // binom(2n, n-h) / binom(2n, n), as a product to avoid the binomials' roundoff.
    prob = 1
    for (let j = 0; j < h; j++) prob *= (n1 - j) / (n1 + j + 1)
  } else {
    // When the total number of paths overflows, scipy's answer is a failure either way.
    const bin = binom(n1 + n2, n1)
    if (!Number.isFinite(bin)) return { success: false, d: dl, prob: NaN }
    const numPaths = countPathsOutside(n1, n2, g, h)
    if (!Number.isFinite(numPaths) || numPaths > bin) return { success: false, d: dl, prob: NaN }
    prob = numPaths / bin
  }
  if (!(prob >= 0 && prob <= 1)) return { success: false, d: dl, prob }
  return { success: true, d: dl, prob }
}

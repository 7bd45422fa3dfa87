// Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic for finite n,
// P(D_n >= x): scipy.stats.kstwo.sf(x, n). ks2samp's asymptotic two-sided p-value is this function
// evaluated at the effective sample size round(n1*n2 / (n1+n2)), exactly as scipy does.
//
// Port of scipy/stats/_ksstats.py `_kolmogn` (Simard & L'Ecuyer 2011 decision rules):
//   - Ruben-Gambino closed forms for x <= 1/n and x >= 1 - 1/n,
//   - 2 * smirnov(n, x) where the two one-sided tails cannot overlap (x >= 0.5) or the tail is small,
//   - Durbin's matrix algorithm in the Marsaglia-Tsang-Wang form for small n*x^2,
//   - Pomeranz's recursion for n <= 140,
//   - the Pelz-Good asymptotic series for large n.
// Same thresholds, same scaling by 2^+-128. scipy holds two scale factors in 80-bit long double;
// here everything is double, a relative difference of ~1e-16.

import { smirnovSf } from './smirnov'

const E128 = 128
const EP128 = 2 ** 128
const EM128 = 2 ** -128
const MIN_LOG = -708
const SQRT2PI = Math.sqrt(2 * Math.PI)
const LOG_2PI = Math.log(2 * Math.PI)
const SQRT3 = Math.sqrt(3)
const PI2 = Math.PI ** 2
const PI4 = Math.PI ** 4
const PI6 = Math.PI ** 6
// Stirling series coefficients B_2j / (2j (2j-1)) for j = 8..1 (scipy _ksstats.py).
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
  8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
  -2.7777777777777777778e-3, 8.3333333333333333333e-2
]

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p))
}

/** x * 2^e without overflowing 2^e on the way. */
function ldexp(x: number, e: number): number {
  let r = x
  let k = e
  while (k > 1000) {
    r *= 2 ** 1000
    k -= 1000
  }
  while (k < -1000) {
    r *= 2 ** -1000
    k += 1000
  }
  return r * 2 ** k
}

/** log(n! / n^n) by Stirling's series, with n log n removed up front. */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n
  let poly = 0
  const y = rn / n
  for (const c of STIRLING) poly = poly * y + c
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m)
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number
      if (aik === 0) continue
      const ro = i * m
      const bo = k * m
      for (let j = 0; j < m; j++) c[ro + j] = (c[ro + j] as number) + aik * (b[bo + j] as number)
    }
  }
  return c
}

/** P(D_n <= d) by Durbin's matrix method, Marsaglia-Tsang-Wang formulation (_kolmogn_DMTW). */
function dmtwCdf(n: number, d: number): number {
  if (d >= 1) return 1
  const nd = n * d
  if (nd <= 0.5) return 0
  const k = Math.ceil(nd)
  const h = k - nd
  const m = 2 * k - 1
  let H: Float64Array = new Float64Array(m * m)
  const v = new Float64Array(m)
  const w = new Float64Array(m)
  let fac = 1
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac
    fac /= j
    v[j - 1] = (1 - h ** j) * fac
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m
  v[m - 1] = (1 + tt) * fac
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)] as number
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number

  let Hpwr: Float64Array = new Float64Array(m * m)
  for (let i = 0; i < m; i++) Hpwr[i * m + i] = 1
  let nn = n
  let expnt = 0
  let Hexpnt = 0
  const kk = (k - 1) * m + (k - 1)
  while (nn > 0) {
    if (nn % 2) {
      Hpwr = matmul(Hpwr, H, m)
      expnt += Hexpnt
    }
    H = matmul(H, H, m)
    Hexpnt *= 2
    if (Math.abs(H[kk] as number) > EP128) {
      for (let i = 0; i < H.length; i++) H[i] = (H[i] as number) / EP128
      Hexpnt += E128
    }
    nn = Math.floor(nn / 2)
  }
  let p = Hpwr[kk] as number
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n
    if (Math.abs(p) < EM128) {
      p *= EP128
      expnt -= E128
    }
  }
  if (expnt !== 0) p = ldexp(p, expnt)
  return clip01(p)
}

function pomeranzJ1J2(
  i: number,
  n: number,
  ll: number,
  ceilf: number,
  roundf: number
): [number, number] {
  let j1: number
  let j2: number
  if (i === 0) {
    j1 = -ll - ceilf - 1
    j2 = ll + ceilf - 1
  } else {
    const ip1div2 = Math.floor((i + 1) / 2)
    const ip1mod2 = (i + 1) % 2
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1
        j2 = n + ll + ceilf - 1
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1
        j2 = ip1div2 + ll - 1 + ceilf - 1
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1
      j2 = ip1div2 + ll + roundf - 1
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)]
}

/** P(D_n <= x) by Pomeranz's recursion (_kolmogn_Pomeranz). */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x
  const ll = Math.floor(t)
  const f = t - ll
  const g = Math.min(f, 1 - f)
  const ceilf = f > 0 ? 1 : 0
  const roundf = f > 0.5 ? 1 : 0
  const npwrs = 2 * (ll + 1)
  const gpower = new Float64Array(npwrs)
  const twogpower = new Float64Array(npwrs)
  const onem2gpower = new Float64Array(npwrs)
  gpower[0] = 1
  twogpower[0] = 1
  onem2gpower[0] = 1
  let expnt = 0
  const gOverN = g / n
  const twoGOverN = (2 * g) / n
  const oneMinusTwoGOverN = (1 - 2 * g) / n
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = ((gpower[m - 1] as number) * gOverN) / m
    twogpower[m] = ((twogpower[m - 1] as number) * twoGOverN) / m
    onem2gpower[m] = ((onem2gpower[m - 1] as number) * oneMinusTwoGOverN) / m
  }
  let V0 = new Float64Array(npwrs)
  let V1 = new Float64Array(npwrs)
  V1[0] = 1
  let V0s = 0
  let V1s = 0
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf)
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1
    const tmp = V0
    V0 = V1
    V1 = tmp
    const tmps = V0s
    V0s = V1s
    V1s = tmps
    V1.fill(0)
    ;[j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf)
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower
    const ln2 = j2 - k1 + 1
    if (ln2 > 0) {
      // Full convolution of V0[k1-V0s : k1-V0s+ln2] with pwrs[:ln2], entries conv_start.. kept.
      const off = k1 - V0s
      const aLen = Math.max(0, Math.min(ln2, npwrs - off))
      const convStart = j1 - k1
      const convLen = j2 - j1 + 1
      let vmax = -Infinity
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c
        let s = 0
        const lo = Math.max(0, idx - (ln2 - 1))
        const hi = Math.min(aLen - 1, idx)
        for (let a = lo; a <= hi; a++) s += (V0[off + a] as number) * (pwrs[idx - a] as number)
        V1[c] = s
      }
      for (let c = 0; c < npwrs; c++) vmax = Math.max(vmax, V1[c] as number)
      if (vmax > 0 && vmax < EM128) {
        for (let c = 0; c < npwrs; c++) V1[c] = (V1[c] as number) * EP128
        expnt -= E128
      }
      V1s = V0s + j1 - k1
    }
  }
  let ans = V1[n - V1s] as number
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128
      expnt += E128
    }
    ans *= m
  }
  if (expnt !== 0) ans = ldexp(ans, expnt)
  return clip01(ans)
}

/** Pelz-Good asymptotic approximation of P(D_n <= x) (_kolmogn_PelzGood), CDF only. */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const z = Math.sqrt(n) * x
  const z2 = z * z
  const z3 = z ** 3
  const z4 = z ** 4
  const z6 = z ** 6
  const qlog = -PI2 / 8 / z2
  if (qlog < MIN_LOG) return 0
  let q = Math.exp(qlog)
  const k1a = -z2
  const k1b = PI2 / 4
  const k2a = 6 * z6 + 2 * z4
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4
  const k2c = (PI4 * (1 - 2 * z2)) / 16
  const k3d = (PI6 * (5 - 30 * z2)) / 64
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4
  const k3a = -30 * z6 - 90 * z ** 8
  let K0 = 0
  let K1 = 0
  let K2 = 0
  let K3 = 0
  // Horner scheme in q^(8k) over odd m = 2k-1.
  const maxk = Math.ceil((16 * z) / Math.PI)
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1
    const m2 = m * m
    const m4 = m2 * m2
    const m6 = m4 * m2
    const qpower = q ** (8 * k)
    K0 = K0 * qpower + 1
    K1 = K1 * qpower + (k1a + k1b * m2)
    K2 = K2 * qpower + (k2a + k2b * m2 + k2c * m4)
    K3 = K3 * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6)
  }
  K0 = (K0 * q * SQRT2PI) / z
  K1 = (K1 * q * SQRT2PI) / (6 * z4)
  K2 = (K2 * q * SQRT2PI) / (72 * z ** 7)
  K3 = (K3 * q * SQRT2PI) / (6480 * z ** 10)
  // The sums over all integers k for the K2 and K3 extra terms.
  q = Math.exp(-PI2 / 2 / z2)
  const sqrt3z = SQRT3 * z
  let k2extra = 0
  let k3extra = 0
  for (let k = maxk; k >= 1; k--) {
    const ksq = k * k
    const qp = q ** ksq
    const kspi = Math.PI * k
    k2extra += ksq * qp
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp
  }
  K2 += k2extra * ((PI2 * SQRT2PI) / (-36 * z3))
  K3 += k3extra * ((PI2 * SQRT2PI) / (216 * z6))
  return K0 + K1 / Math.sqrt(n) + K2 / n + K3 / n ** 1.5
}

/**
 * P(D_n >= x) for the two-sided one-sample KS statistic with sample size n (scipy.stats.kstwo.sf).
 * n must be a positive integer.
 */
export function kstwoSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return NaN
  if (Number.isNaN(x)) return NaN
  if (x >= 1) return 0
  if (x <= 0) return 1
  const t = n * x
  if (t <= 1) {
    // Ruben-Gambino: P(D_n <= x) = n!/n^n (2t - 1)^n for 1/2n <= x <= 1/n.
    if (t <= 0.5) return 1
    let prob: number
    if (n <= 140) {
      prob = 1
      const c = 2 * t - 1
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * c
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1))
    }
    return clip01(1 - prob)
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n)
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x))
  const nxsquared = t * x
  if (n <= 140) {
    if (nxsquared <= 0.754693) return clip01(1 - dmtwCdf(n, x))
    if (nxsquared <= 4) return clip01(1 - pomeranzCdf(n, x))
    return clip01(2 * smirnovSf(n, x))
  }
  if (nxsquared >= 370) return 0
  if (nxsquared >= 2.2) return clip01(2 * smirnovSf(n, x))
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? dmtwCdf(n, x) : pelzGoodCdf(n, x)
  return clip01(1 - cdf)
}

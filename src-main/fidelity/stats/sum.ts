// Summation in numpy's order. numpy's float64 `sum` and `mean` use pairwise summation (8 running
// partial sums inside blocks of <= 128 values, blocks combined by halving), which keeps the error at
// O(log n) ulps instead of O(n) for a plain loop. Reproducing the exact order makes our means and
// moments agree with scipy to the last bit on most inputs, which lets the tests use tight tolerances
// on millions of values. Source: numpy/_core/src/umath/loops_utils.h.src, pairwise_sum.

const BLOCK = 128

function pairwise(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0
    for (let i = 0; i < n; i++) res += a[start + i] as number
    return res
  }
  if (n <= BLOCK) {
    let r0 = a[start] as number
    let r1 = a[start + 1] as number
    let r2 = a[start + 2] as number
    let r3 = a[start + 3] as number
    let r4 = a[start + 4] as number
    let r5 = a[start + 5] as number
    let r6 = a[start + 6] as number
    let r7 = a[start + 7] as number
    const end8 = n - (n % 8)
    let i = 8
    for (; i < end8; i += 8) {
      const j = start + i
      r0 += a[j] as number
      r1 += a[j + 1] as number
      r2 += a[j + 2] as number
      r3 += a[j + 3] as number
      r4 += a[j + 4] as number
      r5 += a[j + 5] as number
      r6 += a[j + 6] as number
      r7 += a[j + 7] as number
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7))
    for (; i < n; i++) res += a[start + i] as number
    return res
  }
  let n2 = Math.floor(n / 2)
  n2 -= n2 % 8
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2)
}

/** Sum of a[start .. start+n) in numpy's pairwise order (0 for n = 0). */
export function pairwiseSum(a: Float64Array, start = 0, n = a.length - start): number {
  return 0 + pairwise(a, start, n)
}

/** Arithmetic mean as numpy computes it: pairwise sum divided by n. */
export function meanOf(a: Float64Array): number {
  return pairwiseSum(a) / a.length
}

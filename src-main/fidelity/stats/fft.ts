// In-place iterative radix-2 complex FFT on separate real/imaginary Float64Arrays. Used only for
// long autocorrelations, where the direct O(n * lags) sum would be too slow. Twiddle factors come
// from Math.cos/sin of each angle rather than a recurrence, which keeps the error at O(log n) ulps.

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0
}

/** Smallest power of two >= n. */
export function nextPow2(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}

/** Forward DFT (sign -1) of (re, im), length a power of two, in place. */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length
  if (!isPow2(n) || im.length !== n) throw new RangeError('fft: length must be a power of two')
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      const tr = re[i] as number
      re[i] = re[j] as number
      re[j] = tr
      const ti = im[i] as number
      im[i] = im[j] as number
      im[j] = ti
    }
  }
  const half = n >> 1
  const cos = new Float64Array(half)
  const sin = new Float64Array(half)
  for (let k = 0; k < half; k++) {
    const ang = (-2 * Math.PI * k) / n
    cos[k] = Math.cos(ang)
    sin[k] = Math.sin(ang)
  }
  for (let size = 2; size <= n; size *= 2) {
    const h = size >> 1
    const step = n / size
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < h; k++) {
        const wr = cos[k * step] as number
        const wi = sin[k * step] as number
        const a = start + k
        const b = a + h
        const br = re[b] as number
        const bi = im[b] as number
        const xr = br * wr - bi * wi
        const xi = br * wi + bi * wr
        const ar = re[a] as number
        const ai = im[a] as number
        re[b] = ar - xr
        im[b] = ai - xi
        re[a] = ar + xr
        im[a] = ai + xi
      }
    }
  }
}

// Exact int64 <-> Float64 conversions without a BigInt per value. Parquet int64 columns arrive as
// BigInt64Array; converting each element with Number(x) or x / 1000n allocates a BigInt per row and
// is far too slow for 10^8 rows. Instead each value is read as two 32-bit halves
// (value = hi·2^32 + lo, hi signed, lo unsigned; little-endian layout) and combined with double
// arithmetic whose every step is provably exact:
//
// - int64 → Float64: hi·2^32 is a power-of-two scaling (exact) and the sum is exact whenever the
//   value lies in [-2^53, 2^53), which is checked through hi alone.
// - ns → µs: 2^32 = 1000·4294967 + 296, so value = 1000·(hi·4294967) + r with r = hi·296 + lo,
//   |r| < 2^40 (exact). floor(r / 1000) is exact for such r (the quotient's rounding error is far
//   below 1/1000), and hi·4294967 + floor(r/1000) is exact while the result is below 2^53 µs
//   (year 2255); larger results are refused.
//
// Convention: µs = floor(ns / 1000), rounding toward minus infinity, the same as truncation for
// every real (non-negative) time. Vendor times come from float seconds and carry artefacts such
// as …00.032999936 s; floor keeps 032999 µs, it does not "repair" them to 033000.
// Each function returns -1 when every value converted, else the index of the first value it could
// not convert exactly (the caller names the file, column and row).

const TWO32 = 4294967296
const HI_LIMIT = 2097152 // 2^21: |hi| < 2^21 ⇔ value in [-2^53, 2^53)

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  // Every platform Node and Electron ship on is little-endian; refuse loudly rather than misread.
  throw new Error('lake/parquet/int64: big-endian platforms are not supported')
}

function halves(src: BigInt64Array): { lo: Uint32Array; hi: Int32Array } {
  return {
    lo: new Uint32Array(src.buffer, src.byteOffset, src.length * 2),
    hi: new Int32Array(src.buffer, src.byteOffset, src.length * 2)
  }
}

/** dst[at + i] = Number(src[i]) exactly; refuses values outside [-2^53, 2^53). */
export function int64ToFloat64(src: BigInt64Array, dst: Float64Array, at = 0): number {
  const { lo, hi } = halves(src)
  const n = src.length
  for (let i = 0; i < n; i++) {
    const h = hi[2 * i + 1] ?? 0
    if (h >= HI_LIMIT || h < -HI_LIMIT) return i
    dst[at + i] = h * TWO32 + (lo[2 * i] ?? 0)
  }
  return -1
}

/** dst[at + i] = floor(src[i] / 1000) exactly (ns → µs); refuses results of 2^53 µs or more. */
export function nsToUsFloor(src: BigInt64Array, dst: Float64Array, at = 0): number {
  const { lo, hi } = halves(src)
  const n = src.length
  for (let i = 0; i < n; i++) {
    const h = hi[2 * i + 1] ?? 0
    const r = h * 296 + (lo[2 * i] ?? 0)
    const us = h * 4294967 + Math.floor(r / 1000)
    if (us > Number.MAX_SAFE_INTEGER || us < -Number.MAX_SAFE_INTEGER) return i
    dst[at + i] = us
  }
  return -1
}

/**
 * dst[at + i] = BigInt(src[from + i]) for i < count, exactly; refuses non-integers and values
 * outside [-2^63, 2^63). Every double of magnitude ≥ 2^53 is an integer, so vendor-style ns
 * times (derived from float seconds) always pass.
 */
export function float64ToInt64(
  src: Float64Array,
  from: number,
  count: number,
  dst: BigInt64Array,
  at = 0
): number {
  const { lo, hi } = halves(dst)
  for (let i = 0; i < count; i++) {
    const v = src[from + i] ?? NaN
    if (!Number.isInteger(v)) return i
    const h = Math.floor(v / TWO32)
    if (h >= 2147483648 || h < -2147483648) return i
    lo[2 * (at + i)] = v - h * TWO32
    hi[2 * (at + i) + 1] = h
  }
  return -1
}

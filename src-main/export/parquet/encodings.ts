// The three Parquet value encodings the dataset uses, written straight from the typed columns of a
// row group: DELTA_BINARY_PACKED for integer and time columns, the RLE / bit-packed hybrid for
// dictionary indices and definition levels, PLAIN for dictionaries and for floats whose dictionary
// would not pay. Formats: https://parquet.apache.org/docs/file-format/data-pages/encodings/.
//
// Hand-written because parquet-wasm's writer was half of the export's CPU (docs/benchmarks.md,
// "Where the export's CPU goes") and no JavaScript Parquet library encodes columns without
// building a value object or an Arrow copy per row. Nothing here allocates per value.
import type { ByteSink } from './byteSink'

const TWO32 = 4294967296
/** Values per DELTA_BINARY_PACKED block and per miniblock (parquet-rs and parquet-cpp defaults). */
const BLOCK = 128
const MINI = 32
const MINIS = BLOCK / MINI
// int64 values whose high word lies in [-2^19, 2^19) are below 2^51 in magnitude, so a delta minus
// the block's smallest delta stays below 2^53 and is exact as a JS number. Anything larger (no
// column of the dataset comes near: times in µs reach 2^51 in 2041) takes the BigInt path.
const SAFE_HI = 1 << 19

/** Scratch space for one block of deltas, shared by every column of a writer thread. */
const deltas = new Float64Array(BLOCK)
/** The same block relative to its smallest delta, as low and high 32-bit words. */
const rel = new Uint32Array(BLOCK)
const relHi = new Uint32Array(BLOCK)

/** Index of the smallest and the largest value of the last deltaInt64 call (its statistics). */
export const int64Range = { min: 0, max: 0 }

/** The bit widths and miniblocks of one block of `m` deltas (`deltas[0..m)`), given their minimum. */
function packBlock(sink: ByteSink, m: number, minD: number): void {
  const at = sink.len
  for (let k = 0; k < MINIS; k++) sink.byte(0)
  for (let k = 0; k * MINI < m; k++) {
    const from = k * MINI
    const end = Math.min(m, from + MINI)
    let or = 0
    let wide = false
    for (let j = from; j < end; j++) {
      const x = (deltas[j] ?? 0) - minD
      rel[j] = x
      or |= x
      if (x > 0xffffffff) wide = true
    }
    // Past the last value the miniblock is padded; readers ignore what the padding holds.
    rel.fill(0, end, from + MINI)
    if (wide) {
      // Interleaved ids of two kinds (trade ids and book update ids in `sequence`) step by more.
      let orHi = 0
      for (let j = from; j < from + MINI; j++) {
        const x = j < end ? (deltas[j] ?? 0) - minD : 0
        rel[j] = x % TWO32
        relHi[j] = Math.floor(x / TWO32)
        orHi |= relHi[j] ?? 0
      }
      const w = 64 - Math.clz32(orHi)
      sink.buf[at + k] = w
      sink.packWide(rel, relHi, from, MINI, w)
    } else {
      const w = 32 - Math.clz32(or)
      sink.buf[at + k] = w
      sink.pack(rel, from, MINI, w)
    }
  }
}

function deltaHeader(sink: ByteSink, n: number): void {
  sink.varint(BLOCK)
  sink.varint(MINIS)
  sink.varint(n)
}

/**
 * DELTA_BINARY_PACKED of `n` int64 values given as little-endian word pairs (`words[2i]` low,
 * `words[2i + 1]` high), the layout of a BigInt64Array's buffer. Also leaves the indices of the
 * smallest and largest value in `int64Range`.
 */
export function deltaInt64(words: Int32Array, n: number, sink: ByteSink): void {
  const start0 = sink.len
  deltaHeader(sink, n)
  let prev = n > 0 ? (words[1] ?? 0) * TWO32 + ((words[0] ?? 0) >>> 0) : 0
  sink.zigzag(prev)
  let lo = prev
  let hi = prev
  let loAt = 0
  let hiAt = 0
  for (let start = 1; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start)
    let minD = Infinity
    for (let j = 0; j < m; j++) {
      const i = start + j
      const h = words[2 * i + 1] ?? 0
      if (h < -SAFE_HI || h >= SAFE_HI) {
        sink.len = start0
        deltaInt64Big(words, n, sink)
        return
      }
      const v = h * TWO32 + ((words[2 * i] ?? 0) >>> 0)
      const d = v - prev
      prev = v
      deltas[j] = d
      if (d < minD) minD = d
      if (v < lo) {
        lo = v
        loAt = i
      } else if (v > hi) {
        hi = v
        hiAt = i
      }
    }
    sink.zigzag(minD)
    packBlock(sink, m, minD)
  }
  int64Range.min = loAt
  int64Range.max = hiAt
}

/** DELTA_BINARY_PACKED of `n` int32 values; deltas wrap at 32 bits as readers undo them. */
export function deltaInt32(values: Int32Array, n: number, sink: ByteSink): void {
  deltaHeader(sink, n)
  let prev = n > 0 ? (values[0] ?? 0) : 0
  sink.zigzag(prev)
  for (let start = 1; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start)
    let minD = 2147483647
    for (let j = 0; j < m; j++) {
      const v = values[start + j] ?? 0
      const d = (v - prev) | 0
      prev = v
      deltas[j] = d
      if (d < minD) minD = d
    }
    sink.zigzag(minD)
    // (d - minD) modulo 2^32 fits 32 bits; packBlock takes it as a non-negative number.
    for (let j = 0; j < m; j++) deltas[j] = (((deltas[j] ?? 0) - minD) | 0) >>> 0
    packBlock(sink, m, 0)
  }
}

/** The same encoding with BigInt arithmetic, for int64 values beyond ±2^51 (slow, never hot). */
function deltaInt64Big(words: Int32Array, n: number, sink: ByteSink): void {
  const big = new BigInt64Array(words.buffer, words.byteOffset, n)
  deltaHeader(sink, n)
  let prev = big[0] ?? 0n
  sink.zigzag64(prev)
  int64Range.min = 0
  int64Range.max = 0
  for (let i = 1; i < n; i++) {
    const v = big[i] ?? 0n
    if (v < (big[int64Range.min] ?? 0n)) int64Range.min = i
    if (v > (big[int64Range.max] ?? 0n)) int64Range.max = i
  }
  const d = new BigInt64Array(BLOCK)
  for (let start = 1; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start)
    let minD = 0n
    for (let j = 0; j < m; j++) {
      const v = big[start + j] ?? 0n
      d[j] = BigInt.asIntN(64, v - prev)
      prev = v
      if (j === 0 || (d[j] ?? 0n) < minD) minD = d[j] ?? 0n
    }
    sink.zigzag64(minD)
    const rel = (j: number): bigint => BigInt.asUintN(64, (d[j] ?? 0n) - minD)
    const widths = [0, 0, 0, 0]
    for (let k = 0; k < MINIS; k++) {
      let max = 0n
      for (let j = k * MINI; j < Math.min(m, (k + 1) * MINI); j++) if (rel(j) > max) max = rel(j)
      widths[k] = max === 0n ? 0 : max.toString(2).length
    }
    for (let k = 0; k < MINIS; k++) sink.byte(widths[k] ?? 0)
    for (let k = 0; k < MINIS && k * MINI < m; k++) {
      const w = widths[k] ?? 0
      for (let j = k * MINI; w > 0 && j < (k + 1) * MINI; j++) {
        const x = j < m ? rel(j) : 0n
        sink.bitsOut(Number(x & 0xffffffffn), Math.min(w, 32))
        if (w > 32) sink.bitsOut(Number(x >> 32n), w - 32)
      }
    }
  }
}

/** Length of the run of equal values starting at `i` (at most `limit`). */
function runLength(v: Int32Array, i: number, n: number): number {
  const x = v[i] ?? 0
  let j = i + 1
  while (j < n && v[j] === x) j++
  return j - i
}

/**
 * The RLE / bit-packed hybrid of `n` unsigned values below 2^`width` (no length prefix). Runs of
 * 8 or more equal values become RLE runs, the rest bit-packed groups of 8; a group that would
 * start a run of 8 ends the bit-packed run there.
 */
export function rleHybrid(values: Int32Array, n: number, width: number, sink: ByteSink): void {
  const valueBytes = (width + 7) >> 3
  let i = 0
  while (i < n) {
    const r = runLength(values, i, n)
    if (r >= 8) {
      sink.varint(r * 2)
      const x = values[i] ?? 0
      for (let b = 0; b < valueBytes; b++) sink.byte(x >>> (8 * b))
      i += r
      continue
    }
    const start = i
    do i += 8
    while (i < n && runLength(values, i, Math.min(n, i + 8)) < 8)
    const groups = (Math.min(i, n) - start + 7) >> 3
    sink.varint(groups * 2 + 1)
    const end = start + groups * 8
    if (width > 0) {
      const real = Math.min(end, n) - start
      sink.pack(values, start, real, width)
      for (let j = real; j < end - start; j++) sink.bitsOut(0, width)
      sink.flushBits()
    }
    if (i > n) i = n
  }
}

/** PLAIN bytes of a typed column: its little-endian memory as it is. */
export function plainBytes(values: Int32Array | Float64Array, n: number): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, n * values.BYTES_PER_ELEMENT)
}

// Dictionaries of one column chunk: each distinct value once (in order of first appearance) and
// every row as an index into them. Doubles are keyed by their bits, so NaN payloads and -0 are
// kept as written. The tables are reused from chunk to chunk; only the slots used are cleared.

/** A chunk's dictionary: `count` distinct values and an index per row. */
export interface DictionaryChunk {
  readonly count: number
  /** Distinct values, PLAIN-ready: Float64Array for doubles, Int32Array for small integers. */
  readonly values: Float64Array | Int32Array
  readonly indices: Int32Array
}

export class Dictionaries {
  private slots = new Int32Array(0)
  private used = new Int32Array(0)
  private dictF64 = new Float64Array(0)
  private dictBits = new Uint32Array(0)
  private indices = new Int32Array(0)
  private readonly byCode = new Int32Array(256)
  private readonly dictI32 = new Int32Array(256)

  private grow(rows: number): void {
    if (this.indices.length >= rows) return
    this.indices = new Int32Array(rows)
    this.dictF64 = new Float64Array(rows)
    this.dictBits = new Uint32Array(this.dictF64.buffer)
    let size = 1024
    while (size < rows * 2) size *= 2
    this.slots = new Int32Array(size)
    this.used = new Int32Array(rows)
  }

  /** Dictionary of `n` doubles given as their 32-bit words (low, high). */
  float64(bits: Uint32Array, n: number): DictionaryChunk {
    this.grow(n)
    const slots = this.slots
    const mask = slots.length - 1
    const dict = this.dictBits
    const idx = this.indices
    let count = 0
    for (let i = 0; i < n; i++) {
      const lo = bits[2 * i] ?? 0
      const hi = bits[2 * i + 1] ?? 0
      let s = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) & mask
      for (;;) {
        const e = slots[s] ?? 0
        if (e === 0) {
          slots[s] = count + 1
          this.used[count] = s
          dict[2 * count] = lo
          dict[2 * count + 1] = hi
          idx[i] = count++
          break
        }
        if (dict[2 * (e - 1)] === lo && dict[2 * (e - 1) + 1] === hi) {
          idx[i] = e - 1
          break
        }
        s = (s + 1) & mask
      }
    }
    for (let k = 0; k < count; k++) slots[this.used[k] ?? 0] = 0
    return { count, values: this.dictF64.subarray(0, count), indices: idx.subarray(0, n) }
  }

  /** Dictionary of `n` int8 codes (written as INT32, as Parquet stores 8-bit integers). */
  int8(values: Int8Array, n: number): DictionaryChunk {
    this.grow(n)
    const byCode = this.byCode
    byCode.fill(-1)
    const idx = this.indices
    let count = 0
    for (let i = 0; i < n; i++) {
      const c = (values[i] ?? 0) + 128
      let e = byCode[c] ?? 0
      if (e < 0) {
        e = count++
        byCode[c] = e
        this.dictI32[e] = c - 128
      }
      idx[i] = e
    }
    return { count, values: this.dictI32.subarray(0, count), indices: idx.subarray(0, n) }
  }
}

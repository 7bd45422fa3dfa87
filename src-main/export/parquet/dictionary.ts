// Dictionaries of one column chunk: each distinct value once (in order of first appearance) and
// every row as an index into them. Doubles are keyed by their bits, so NaN payloads and -0 are
// kept as written. The tables are reused from chunk to chunk.

/** A chunk's dictionary: `count` distinct values and an index per row. */
export interface DictionaryChunk {
  readonly count: number
  /** Distinct values, PLAIN-ready: Float64Array for doubles, Int32Array for small integers. */
  readonly values: Float64Array | Int32Array
  readonly indices: Int32Array
}

const MIN_SLOTS = 4096
/** A table grown past this (256 KiB) for one chunk is dropped, not cleared for the next. */
const MAX_KEPT_SLOTS = 65536

/**
 * murmur3's finaliser over both words: prices and sizes differ in few mantissa bits (the low word
 * is often 0), so the slot must depend on every bit, not on a product's low bits.
 */
function slotOf(lo: number, hi: number, mask: number): number {
  let h = Math.imul(hi ^ (hi >>> 16), 0x85ebca6b) ^ lo
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) & mask
}

export class Dictionaries {
  // Open addressing: slot → dictionary index + 1 (0 = empty). The table starts small and doubles
  // at half full, so a chunk of few distinct values (most of them) probes a cache-sized table.
  private slots: Int32Array = new Int32Array(MIN_SLOTS)
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
  }

  /** Dictionary of `n` doubles given as their 32-bit words (low, high). */
  float64(bits: Uint32Array, n: number): DictionaryChunk {
    this.grow(n)
    this.slots.fill(0)
    let slots = this.slots
    let mask = slots.length - 1
    const dict = this.dictBits
    const idx = this.indices
    let count = 0
    // Rows often repeat the row before (a book level between states, a burst at one price):
    // those take the previous index without a lookup.
    let prevLo = -1
    let prevHi = -1
    for (let i = 0; i < n; i++) {
      const lo = bits[2 * i] ?? 0
      const hi = bits[2 * i + 1] ?? 0
      if (lo === prevLo && hi === prevHi) {
        idx[i] = idx[i - 1] ?? 0
        continue
      }
      prevLo = lo
      prevHi = hi
      let s = slotOf(lo, hi, mask)
      for (;;) {
        const e = slots[s] ?? 0
        if (e === 0) {
          slots[s] = count + 1
          dict[2 * count] = lo
          dict[2 * count + 1] = hi
          idx[i] = count++
          if (2 * count > slots.length) {
            slots = this.rehash(count)
            mask = slots.length - 1
          }
          break
        }
        if (dict[2 * (e - 1)] === lo && dict[2 * (e - 1) + 1] === hi) {
          idx[i] = e - 1
          break
        }
        s = (s + 1) & mask
      }
    }
    if (this.slots.length > MAX_KEPT_SLOTS) this.slots = new Int32Array(MIN_SLOTS)
    return { count, values: this.dictF64.subarray(0, count), indices: idx.subarray(0, n) }
  }

  /** A table twice the size holding the first `count` dictionary values. */
  private rehash(count: number): Int32Array {
    const slots = new Int32Array(this.slots.length * 2)
    const mask = slots.length - 1
    const dict = this.dictBits
    for (let k = 0; k < count; k++) {
      let s = slotOf(dict[2 * k] ?? 0, dict[2 * k + 1] ?? 0, mask)
      while (slots[s] !== 0) s = (s + 1) & mask
      slots[s] = k + 1
    }
    this.slots = slots
    return slots
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

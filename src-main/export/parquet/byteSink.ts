// A growable byte buffer reused for every page of a part file, with the few primitive writes the
// Parquet encodings need (ULEB128 varints, zigzag, little-endian words, bit packing LSB first).
// Numbers stay JS numbers: every value written here is an exact integer below 2^53.
import { ByteBuffer } from '../../util/byteBuffer'

export class ByteSink extends ByteBuffer {
  // Bit packing state: bits not yet written to `buf`, lowest first.
  private acc = 0
  private accBits = 0

  constructor(capacity = 1 << 16) {
    super(capacity)
  }

  reset(): void {
    this.len = 0
    this.acc = 0
    this.accBits = 0
  }

  /** Unsigned LEB128 of an integer in [0, 2^53). */
  varint(n: number): void {
    this.ensure(10)
    while (n >= 128) {
      this.buf[this.len++] = (n % 128) | 0x80
      n = Math.floor(n / 128)
    }
    this.buf[this.len++] = n
  }

  /** Zigzag then LEB128 of an integer in (-2^52, 2^52). */
  zigzag(n: number): void {
    this.varint(n >= 0 ? 2 * n : -2 * n - 1)
  }

  int32le(x: number): void {
    this.ensure(4)
    const b = this.buf
    b[this.len] = x
    b[this.len + 1] = x >>> 8
    b[this.len + 2] = x >>> 16
    b[this.len + 3] = x >>> 24
    this.len += 4
  }

  /** Appends `bits` (1–32) low bits of `v`, least significant first. */
  bitsOut(v: number, bits: number): void {
    // acc holds < 8 bits between calls, so acc | v << accBits can need up to 39 bits: split.
    let b = this.accBits
    let acc = this.acc
    if (bits < 32) v &= (1 << bits) - 1
    this.ensure(5)
    const out = this.buf
    // Low part: as many bits of v as fit beside acc in 32 bits.
    const room = 32 - b
    const take = bits < room ? bits : room
    const lowMask = take === 32 ? -1 : (1 << take) - 1
    acc = (acc | ((v & lowMask) << b)) >>> 0
    b += take
    while (b >= 8) {
      out[this.len++] = acc & 0xff
      acc >>>= 8
      b -= 8
    }
    if (take < bits) {
      acc |= (v >>> take) << b
      b += bits - take
      while (b >= 8) {
        out[this.len++] = acc & 0xff
        acc >>>= 8
        b -= 8
      }
    }
    this.acc = acc
    this.accBits = b
  }

  /**
   * Bit-packs `count` values of `src` from `from` (each below 2^`w`), least significant bit first,
   * continuing any bits already pending. The hot loop of both bit-packed encodings: widths up to
   * 25 keep every intermediate in one 32-bit word (at most 7 pending bits + 25).
   */
  pack(src: Uint32Array | Int32Array, from: number, count: number, w: number): void {
    if (w === 0) return
    if (w > 25) {
      for (let i = from; i < from + count; i++) this.bitsOut(src[i] ?? 0, w)
      return
    }
    this.ensure(((count * w) >> 3) + 8)
    const out = this.buf
    let p = this.len
    let acc = this.acc
    let b = this.accBits
    const end = from + count
    for (let i = from; i < end; i++) {
      acc |= (src[i] ?? 0) << b
      b += w
      while (b >= 8) {
        out[p++] = acc
        acc >>>= 8
        b -= 8
      }
    }
    this.len = p
    this.acc = acc
    this.accBits = b
  }

  /**
   * pack() for widths `w` of 33 to 57 bits, each value given as its low 32 bits (`lo`) and the
   * rest (`hi`): the low word goes out as four bytes beside the pending bits, then the high part.
   */
  packWide(lo: Uint32Array, hi: Uint32Array, from: number, count: number, w: number): void {
    const w2 = w - 32
    const end = from + count
    if (w2 > 25) {
      for (let i = from; i < end; i++) {
        this.bitsOut(lo[i] ?? 0, 32)
        this.bitsOut(hi[i] ?? 0, w2)
      }
      return
    }
    this.ensure(((count * w) >> 3) + 16)
    const out = this.buf
    let p = this.len
    let acc = this.acc
    let b = this.accBits
    for (let i = from; i < end; i++) {
      const x = lo[i] ?? 0
      const c = acc | (x << b)
      out[p] = c
      out[p + 1] = c >>> 8
      out[p + 2] = c >>> 16
      out[p + 3] = c >>> 24
      p += 4
      // The low word's top b bits did not fit beside the pending ones: they are pending now.
      acc = b === 0 ? 0 : x >>> (32 - b)
      acc |= (hi[i] ?? 0) << b
      b += w2
      while (b >= 8) {
        out[p++] = acc
        acc >>>= 8
        b -= 8
      }
    }
    this.len = p
    this.acc = acc
    this.accBits = b
  }

  /** Writes out the last partial byte of bit-packed values (zero-padded). */
  flushBits(): void {
    if (this.accBits > 0) this.byte(this.acc)
    this.acc = 0
    this.accBits = 0
  }
}

/** Bits needed for unsigned values up to `max` (0 → 0). */
export function bitWidth(max: number): number {
  let w = 0
  while (max >= 1) {
    w++
    max = Math.floor(max / 2)
  }
  return w
}

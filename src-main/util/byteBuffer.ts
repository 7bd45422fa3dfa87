// A growable byte buffer: the base of the Parquet footer codec (lake/parquet/thrift.ts) and of
// the dataset's page encoder (export/parquet/byteSink.ts). Reused across writes; grows by doubling.

export class ByteBuffer {
  buf: Uint8Array
  len = 0

  constructor(capacity = 1 << 12) {
    this.buf = new Uint8Array(capacity)
  }

  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return
    let cap = this.buf.length * 2
    while (cap < this.len + n) cap *= 2
    const b = new Uint8Array(cap)
    b.set(this.buf.subarray(0, this.len))
    this.buf = b
  }

  byte(x: number): void {
    this.ensure(1)
    this.buf[this.len++] = x & 0xff
  }

  bytes(x: Uint8Array): void {
    this.ensure(x.length)
    this.buf.set(x, this.len)
    this.len += x.length
  }

  /** Unsigned LEB128 of the low 64 bits of `v`. */
  uleb(v: bigint): void {
    let x = BigInt.asUintN(64, v)
    if (x < 0x20000000000000n) {
      let n = Number(x)
      while (n >= 128) {
        this.byte((n % 128) | 0x80)
        n = Math.floor(n / 128)
      }
      this.byte(n)
      return
    }
    do {
      let b = Number(x & 0x7fn)
      x >>= 7n
      if (x !== 0n) b |= 0x80
      this.byte(b)
    } while (x !== 0n)
  }

  /** Zigzag then LEB128 of a signed 64-bit value. */
  zigzag64(v: bigint): void {
    this.uleb((v << 1n) ^ (v >> 63n))
  }

  /** The bytes written so far, without a copy (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len)
  }

  /** A copy of the bytes written so far. */
  result(): Uint8Array {
    return this.buf.slice(0, this.len)
  }
}

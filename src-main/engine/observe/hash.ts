// A fast, deterministic 64-bit (two 32-bit lanes) hash of a stream of numbers: the replay's output
// fingerprint, cheap enough to feed every applied message. Not cryptographic — it detects
// differences between runs, it does not resist adversaries.
const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)

export class StreamHash {
  private h1 = 0x811c9dc5
  private h2 = 0x01000193
  count = 0

  add(v: number): void {
    f64[0] = v
    const lo = u32[0] ?? 0
    const hi = u32[1] ?? 0
    this.h1 = Math.imul(this.h1 ^ lo, 0x01000193) ^ hi
    this.h2 = Math.imul(this.h2 ^ hi, 0x5bd1e995) ^ (lo >>> 7)
    this.h1 = (this.h1 << 13) | (this.h1 >>> 19)
    this.count++
  }

  hex(): string {
    const a = Math.imul(this.h1 ^ (this.h2 >>> 15), 0x2c1b3c6d) >>> 0
    const b = Math.imul(this.h2 ^ (this.h1 >>> 13), 0x297a2d39) >>> 0
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')
  }
}

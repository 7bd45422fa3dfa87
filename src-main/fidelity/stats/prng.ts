// Seeded pseudo-random numbers for resampling and thinning. Every random choice in the fidelity
// module goes through this generator so that a report can be reproduced from its seed.
//
// Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
// 32-bit arithmetic only, so it is fast in JavaScript (no BigInt) and passes BigCrush. The 128-bit
// state is expanded from the seed with splitmix32, so nearby seeds give unrelated streams. Streams
// do not match numpy's (PCG64), so bootstrap intervals are not bit-identical to LOB-Bench's.

const TWO32 = 4294967296
const TWO53 = 9007199254740992

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

export class Xoshiro128 {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  /** Raw state constructor; use `Xoshiro128.fromSeed` unless reproducing a reference vector. */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128**: state must not be all zero')
    this.s0 = s0 | 0
    this.s1 = s1 | 0
    this.s2 = s2 | 0
    this.s3 = s3 | 0
  }

  /** A generator whose 4 state words are the first outputs of splitmix32 on `seed`. */
  static fromSeed(seed: number): Xoshiro128 {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`)
    }
    // Fold the high bits in so seeds above 2^32 are not aliased onto smaller ones.
    let state = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO32) >>> 0, 0x9e3779b9)
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) | 0
    }
    const a = next()
    const b = next()
    const c = next()
    const d = next()
    // splitmix32 is a bijection of its counter, so four zero outputs in a row cannot happen.
    return new Xoshiro128(a, b, c, d)
  }

  /** Next 32-bit output as an unsigned integer in [0, 2^32). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9)
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result >>> 0
  }

  /** Uniform double in [0, 1) with 53 random bits (two outputs, as numpy's random_sample). */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5
    const lo = this.nextU32() >>> 6
    return (hi * 67108864 + lo) / TWO53
  }

  /**
   * Uniform integer in [0, n). Exact (rejection sampling) for n <= 2^32; above that, floor of a
   * 53-bit uniform times n, whose bias (< n / 2^53) is far below anything a resample can detect.
   */
  nextInt(n: number): number {
    if (n <= TWO32) {
      const limit = TWO32 - (TWO32 % n)
      let r = this.nextU32()
      while (r >= limit) r = this.nextU32()
      return r % n
    }
    return Math.floor(this.nextFloat() * n)
  }
}

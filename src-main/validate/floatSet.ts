// A set of doubles for the validator's hot loop, cleared once per message: open addressing over
// typed arrays with a generation stamp, so adding and clearing allocate nothing (a Set<number>
// boxes every double it holds, one heap object per row, which was a fifth of the gate's time in
// garbage collection). Equality is the Set's (SameValueZero): NaN equals NaN, +0 equals -0.
const bits = new Float64Array(1)
const words = new Uint32Array(bits.buffer)

export class FloatSet {
  private keys: Float64Array
  private stamps: Uint32Array
  private mask: number
  private gen = 1
  private size = 0

  constructor(capacity = 64) {
    let n = 16
    while (n < capacity * 2) n *= 2
    this.keys = new Float64Array(n)
    this.stamps = new Uint32Array(n)
    this.mask = n - 1
  }

  /** Empties the set in O(1). */
  clear(): void {
    this.size = 0
    if (this.gen === 0xffffffff) {
      this.stamps.fill(0)
      this.gen = 1
    } else this.gen++
  }

  /** Adds `x`; false when it was there already. */
  add(x: number): boolean {
    const v = x === 0 ? 0 : x !== x ? NaN : x
    const keys = this.keys
    const stamps = this.stamps
    const gen = this.gen
    let j = hash(v) & this.mask
    for (;;) {
      if (stamps[j] !== gen) break
      const k = keys[j] as number
      if (k === v || (k !== k && v !== v)) return false
      j = (j + 1) & this.mask
    }
    keys[j] = v
    stamps[j] = gen
    if (++this.size * 2 > keys.length) this.grow()
    return true
  }

  private grow(): void {
    const oldKeys = this.keys
    const oldStamps = this.stamps
    const gen = this.gen
    const n = oldKeys.length * 2
    this.keys = new Float64Array(n)
    this.stamps = new Uint32Array(n)
    this.mask = n - 1
    this.gen = 1
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldStamps[i] !== gen) continue
      const v = oldKeys[i] as number
      let j = hash(v) & this.mask
      while (this.stamps[j] === 1) j = (j + 1) & this.mask
      this.keys[j] = v
      this.stamps[j] = 1
    }
  }
}

function hash(v: number): number {
  bits[0] = v
  let h = Math.imul((words[0] as number) ^ Math.imul(words[1] as number, 0x9e3779b1), 0x85ebca6b)
  h ^= h >>> 13
  return Math.imul(h, 0xc2b2ae35) ^ (h >>> 16)
}

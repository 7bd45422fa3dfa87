// FloatSet against the built-in Set<number> it replaces in the delta rules, on synthetic values
// chosen for the edge cases (NaN, ±0, infinities, near-equal doubles, growth, many clears).
import { describe, expect, it } from 'vitest'
import { FloatSet } from '../../../src-main/validate/floatSet'

describe('FloatSet (synthetic values)', () => {
  it('answers like Set<number> (SameValueZero) across growth and clears', () => {
    const special = [
      NaN,
      0,
      -0,
      Infinity,
      -Infinity,
      1,
      1 + Number.EPSILON,
      0.1,
      0.30000000000000004
    ]
    let seed = 12345
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed / 2 ** 32
    }
    const mine = new FloatSet(4)
    for (let round = 0; round < 300; round++) {
      const ref = new Set<number>()
      mine.clear()
      const n = Math.floor(rnd() * (round % 50 === 0 ? 5000 : 60))
      for (let i = 0; i < n; i++) {
        const x =
          rnd() < 0.1
            ? (special[Math.floor(rnd() * special.length)] ?? 0)
            : Math.round(rnd() * 200) / 100 + 60_000
        const had = ref.has(x)
        ref.add(x)
        expect(mine.add(x)).toBe(!had)
      }
    }
  })
})

// The SideBook against a plain sorted-Map model on a long random sequence (synthetic inputs: this
// is an edge-case property test of the data structure, not a claim about market data).
import { describe, expect, it } from 'vitest'
import { SideBook } from '../../../src-main/engine/book/sideBook'

function model(levels: Map<number, number>, isBid: boolean, n: number): [number, number][] {
  return [...levels.entries()]
    .filter(([, q]) => q > 0)
    .sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]))
    .slice(0, n)
}

function topOf(side: SideBook, n: number): [number, number][] {
  const t = new Float64Array(n)
  const l = new Float64Array(n)
  const k = side.top(n, t, l)
  return Array.from({ length: k }, (_, i) => [t[i] ?? NaN, l[i] ?? NaN])
}

// Deterministic PRNG so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('SideBook', () => {
  for (const isBid of [true, false]) {
    it(`matches a Map model through window moves and overflow (${isBid ? 'bids' : 'asks'})`, () => {
      const side = new SideBook(isBid, 256) // a tiny window forces re-centring and overflow
      const m = new Map<number, number>()
      const r = rng(isBid ? 7 : 11)
      let mid = 100_000
      for (let step = 0; step < 50_000; step++) {
        mid += Math.round((r() - 0.5) * 6)
        const far = r() < 0.1
        const tick = mid + Math.round((r() - 0.5) * (far ? 4000 : 60))
        const lots = r() < 0.35 ? 0 : 1 + Math.floor(r() * 1000)
        const before = m.get(tick) ?? 0
        expect(side.set(tick, lots)).toBe(before)
        if (lots === 0) m.delete(tick)
        else m.set(tick, lots)
        if (step % 97 === 0) {
          expect(topOf(side, 20)).toEqual(model(m, isBid, 20))
          expect(side.levels).toBe(m.size)
        }
      }
      const best = model(m, isBid, 1)[0]
      expect(side.bestTick()).toBe(best ? best[0] : NaN)
      expect(side.recenters).toBeGreaterThan(0)
      // Reading everything agrees too.
      const all: [number, number][] = []
      side.forEach((t, l) => all.push([t, l]))
      expect(all).toEqual(model(m, isBid, Infinity))
    })
  }

  it('clears a price range and finds the new best', () => {
    const s = new SideBook(true, 64)
    for (const t of [100, 101, 102, 150, 10]) s.set(t, 5)
    expect(s.clearRange(100, 200)).toBe(4)
    expect(s.bestTick()).toBe(10)
    expect(s.levels).toBe(1)
    s.clear()
    expect(s.bestTick()).toBeNaN()
    expect(s.levels).toBe(0)
  })

  it('reports an unknown delete as previous size 0', () => {
    const s = new SideBook(false)
    expect(s.set(500, 0)).toBe(0)
    expect(s.levels).toBe(0)
  })
})

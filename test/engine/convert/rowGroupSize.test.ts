// The vendor writer's row-group rule on SYNTHETIC receive times (even spacing at a chosen rate);
// the real capture's sizes are checked in vendorWriter.test.ts.
import { describe, expect, it } from 'vitest'
import { RowGroupSizer, rowGroupRowsForRate } from '../../../src-main/convert/rowGroupSize'

/** SYNTHETIC: `n` receive times (ns) `1e9 / rate` apart, from 1 s. */
function evenly(n: number, rate: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 1e9 + (i * 1e9) / rate)
}

describe('row-group size by message rate (the vendor writer’s rule)', () => {
  it('maps rates to 200 / 500 / 3,000 / 10,000 at the writer’s thresholds', () => {
    expect([0.05, 0.1, 2.9, 3, 19.9, 20, 1e6].map(rowGroupRowsForRate)).toEqual([
      200, 500, 500, 3000, 3000, 10_000, 10_000
    ])
  })

  it('fixes the size when the first buffer fills, at each rate band', () => {
    for (const [rate, rows] of [
      [0.05, 200],
      [1, 500],
      [10, 3000],
      [100, 10_000]
    ] as const) {
      const s = new RowGroupSizer()
      const t = evenly(rows, rate)
      expect(s.feed(t.subarray(0, rows - 1))).toBe(false)
      expect(s.feed(t.subarray(rows - 1))).toBe(true)
      expect(s.length).toBe(rows)
    }
  })

  it('ignores a pick smaller than the rows already buffered', () => {
    // 40 rows/s for 5,000 rows picks 10,000; then a pause drags the rate under 20/s, but 3,000 <
    // the 5,000+ rows buffered, so 10,000 stays.
    const s = new RowGroupSizer()
    const fast = evenly(5000, 40)
    const last = fast[fast.length - 1] ?? 0
    s.feed(fast)
    s.feed(Float64Array.from({ length: 100 }, (_, i) => last + 600e9 + i))
    expect(s.length).toBe(10_000)
    expect(s.decided).toBe(false)
  })

  it('starts a day from the size carried over midnight and may still change it', () => {
    const s = new RowGroupSizer(3000)
    s.feed(evenly(25, 100))
    expect(s.length).toBe(10_000)
    // Rows in one instant: the rate is unbounded, the largest pick.
    const t = new RowGroupSizer(200)
    t.feed(new Float64Array(25).fill(5e9))
    expect(t.length).toBe(10_000)
  })
})

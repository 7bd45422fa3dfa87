// SYNTHETIC edge case (no data needed): the drift against the vendor's book rows keeps the largest
// |Δmid| and each receive-time day's compared rows apart, so a day job can leave out the warm-up
// day it replayed only to seed the book; the figures survive a checkpoint (state → restore). The
// real-data behaviour (a backfill day with a warm-up day) is in test/engine/export/backfillSummary.
import { describe, expect, it } from 'vitest'
import { OrderBook } from '../../../src-main/engine/book/orderBook'
import { ReferenceDrift } from '../../../src-main/engine/observe/referenceDrift'
import { BOOK_LEVELS, type BookBatch } from '../../../src-main/engine/source/batches'

/** Synthetic book rows: one level a side each (best bid, best ask in ticks), at receive times. */
function rows(at: readonly string[], bid: readonly number[], ask: readonly number[]): BookBatch {
  const n = at.length
  const grid = (v: readonly number[]): Float64Array => {
    const a = new Float64Array(n * BOOK_LEVELS).fill(NaN)
    v.forEach((x, i) => (a[i * BOOK_LEVELS] = x))
    return a
  }
  const lots = (): Float64Array => {
    const a = new Float64Array(n * BOOK_LEVELS).fill(NaN)
    for (let i = 0; i < n; i++) a[i * BOOK_LEVELS] = 1
    return a
  }
  return {
    kind: 'book',
    file: 'synthetic',
    firstRow: 0,
    day: at[0]?.slice(0, 10) ?? '',
    length: n,
    recvUs: Float64Array.from(at.map((t) => Date.parse(t) * 1000)),
    exchUs: Float64Array.from(at.map((t) => Date.parse(t) * 1000)),
    seq: new Float64Array(n).fill(7),
    bidTicks: grid(bid),
    bidLots: lots(),
    askTicks: grid(ask),
    askLots: lots()
  }
}

describe('reference drift per day and its maximum (synthetic)', () => {
  it('keeps the largest |Δmid| and each day apart, through a checkpoint', () => {
    const book = new OrderBook()
    book.set(true, 1000, 1)
    book.set(false, 1002, 1)
    // The book's mid is 1001. 2024-08-08 (the warm-up day): mids 1001 and 1005 → |Δmid| 0, 4.
    // 2024-08-09: mids 1002, 1000, 1001 → 1, 1, 0.
    const b = rows(
      [
        '2024-08-08T23:58:00Z',
        '2024-08-08T23:59:00Z',
        '2024-08-09T00:00:01Z',
        '2024-08-09T00:01:00Z',
        '2024-08-09T00:02:00Z'
      ],
      [1000, 1004, 1001, 999, 1000],
      [1002, 1006, 1003, 1001, 1002]
    )
    const d = new ReferenceDrift(0.5, 100)
    for (let i = 0; i < 3; i++) expect(d.compare(book, 7, b, i)).not.toBeNull()
    // A checkpoint after the first row of 2024-08-09, restored into a new observer.
    const resumed = new ReferenceDrift(0.5, 100)
    resumed.restore(JSON.parse(JSON.stringify(d.state())) as ReturnType<typeof d.state>)
    for (let i = 3; i < 5; i++) resumed.compare(book, 7, b, i)
    const s = resumed.summary()
    expect(s.aligned).toBe(5)
    expect(s.meanAbsMidErrTicks).toBeCloseTo(6 / 5)
    expect(s.maxAbsMidErrTicks).toBe(4)
    expect(
      s.days?.map((x) => [x.day, x.aligned, x.meanAbsMidErrTicks, x.maxAbsMidErrTicks])
    ).toEqual([
      ['2024-08-08', 2, 2, 4],
      ['2024-08-09', 3, 2 / 3, 1]
    ])
    // An older checkpoint (before the days and the maximum were kept) restores to zeros.
    const { days: _d, midMax: _m, ...old } = d.state()
    const fromOld = new ReferenceDrift(0.5, 100)
    fromOld.restore(old)
    expect(fromOld.summary().days).toEqual([])
    expect(fromOld.summary().maxAbsMidErrTicks).toBe(0)
  })
})

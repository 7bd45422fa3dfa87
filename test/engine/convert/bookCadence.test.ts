// `book` rows by the vendor writer's era (src-main/convert/bookCadence.ts): the 2022-11 throttle
// and one row per exchange update, on the REAL spot capture's rows, plus the throttle's
// thresholds on SYNTHETIC receive times.
import { beforeAll, describe, expect, it } from 'vitest'
import { BookThrottle } from '../../../src-main/convert/bookCadence'
import { lakeRowsFromCapture, type CaptureLakeRows } from '../../../src-main/convert/lakeRows'
import { captureFiles, hasCaptures } from '../../helpers/data'

describe('book throttle thresholds (SYNTHETIC receive times, ns)', () => {
  it('2022-11: drops under 25 ms, postpones (does not write) under 100 ms, measured from the last kept row', () => {
    const t = new BookThrottle('2022-11')
    const ms = [0, 24.999, 25, 99.999, 100, 150, 200]
    const kept = ms.map((m) => t.keep(m * 1e6))
    expect(kept).toEqual([true, false, false, false, true, false, true])
    expect(t.counts()).toEqual({
      cadence: '2022-11',
      updates: 7,
      kept: 3,
      dropped: 1,
      postponed: 3
    })
  })

  it('every-update keeps every update, also several in one instant', () => {
    const t = new BookThrottle('every-update')
    expect([5, 5, 6].map((ns) => t.keep(ns))).toEqual([true, true, true])
    expect(t.counts()).toMatchObject({ updates: 3, kept: 3, dropped: 0, postponed: 0 })
  })
})

describe.skipIf(!hasCaptures)('book cadence on the real spot BTCUSDT capture', () => {
  let modern: CaptureLakeRows
  let early: CaptureLakeRows
  beforeAll(async () => {
    const files = captureFiles('spot-btcusdt-20240808')
    ;[modern, early] = await Promise.all([
      lakeRowsFromCapture(files, { bookCadence: '2022-11' }),
      lakeRowsFromCapture(files, { bookCadence: 'every-update' })
    ])
  })

  /** Spacings between consecutive book rows' receipt_timestamp, ns. */
  const spacings = (r: CaptureLakeRows): number[] => {
    const t = r.book.columns.receipt_timestamp as Float64Array
    return Array.from(t.subarray(1), (v, i) => v - (t[i] ?? 0))
  }

  it('every-update writes one row per exchange update: the snapshot and each applied diff', () => {
    const seq = early.bookDelta.columns.sequence_number as Float64Array
    let messages = 0
    for (let i = 0; i < seq.length; i++) if (i === 0 || seq[i] !== seq[i - 1]) messages++
    expect(early.book.rows).toBe(messages)
    expect(early.book.rows).toBe(6494)
    // depth@100ms: ~10 rows/s of receive time, some far closer than 25 ms.
    expect(Math.min(...spacings(early))).toBeLessThan(25e6)
  })

  it('2022-11 writes fewer rows, never closer than 100 ms (so never under 25 ms)', () => {
    // 4,169: one spacing is 99.99975 ms in the stored ns (the vendor's float artefacts), which the
    // writer compares, though 100.000 ms in the capture's µs.
    expect(modern.book.rows).toBe(4169)
    expect(modern.book.rows).toBeLessThan(early.book.rows)
    expect(Math.min(...spacings(modern))).toBeGreaterThanOrEqual(100e6)
    // Deltas and trades do not depend on the cadence.
    expect(modern.bookDelta.rows).toBe(early.bookDelta.rows)
    expect(modern.trades.rows).toBe(early.trades.rows)
  })

  it('every 2022-11 row is the every-update row of the same update, value for value', () => {
    const seq = (r: CaptureLakeRows): Float64Array => r.book.columns.sequence_number as Float64Array
    const at = new Map<number, number>()
    seq(early).forEach((s, i) => at.set(s, i))
    const cols = Object.keys(modern.book.columns) as (keyof typeof modern.book.columns)[]
    let checked = 0
    const differ: string[] = []
    seq(modern).forEach((s, i) => {
      const j = at.get(s)
      if (j === undefined) differ.push(`row ${i}: no every-update row for sequence ${s}`)
      else
        for (const c of cols) {
          const a = (modern.book.columns[c] as Float64Array)[i] ?? NaN
          const b = (early.book.columns[c] as Float64Array)[j] ?? NaN
          if (!Object.is(a, b)) differ.push(`row ${i} ${c}: ${a} vs ${b}`)
        }
      checked++
    })
    expect(differ.slice(0, 5)).toEqual([])
    expect(checked).toBe(modern.book.rows)
    expect(cols.length).toBe(83)
  })
})

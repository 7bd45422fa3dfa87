// Lake replay policies on SYNTHETIC batches built here (edge cases the real captures do not
// contain): reseed after a sustained crossing, range-clearing bursts, stale and invalid rows.
import { describe, expect, it } from 'vitest'
import type { BookBatch, DeltaBatch, TradeBatch } from '../../../src-main/engine/source/batches'
import { replayLake } from '../../../src-main/engine/lakeReplay'

interface Row {
  recvMs: number
  seq: number
  bid: boolean
  tick: number
  lots: number
  exch?: number
}

function deltas(rows: Row[]): DeltaBatch {
  return {
    kind: 'delta',
    file: 'synthetic-deltas',
    firstRow: 0,
    day: '2024-01-01',
    length: rows.length,
    recvUs: Float64Array.from(rows, (r) => r.recvMs * 1000),
    exchUs: Float64Array.from(rows, (r) => r.exch ?? r.recvMs * 1000),
    seq: Float64Array.from(rows, (r) => r.seq),
    isBid: Uint8Array.from(rows, (r) => (r.bid ? 1 : 0)),
    ticks: Float64Array.from(rows, (r) => r.tick),
    lots: Float64Array.from(rows, (r) => r.lots)
  }
}

function books(
  rows: { recvMs: number; seq: number; bids: [number, number][]; asks: [number, number][] }[]
): BookBatch {
  const n = rows.length
  const mk = () => new Float64Array(n * 20).fill(NaN)
  const b = { bidTicks: mk(), bidLots: mk(), askTicks: mk(), askLots: mk() }
  rows.forEach((r, i) => {
    r.bids.forEach(([t, l], k) => {
      b.bidTicks[i * 20 + k] = t
      b.bidLots[i * 20 + k] = l
    })
    r.asks.forEach(([t, l], k) => {
      b.askTicks[i * 20 + k] = t
      b.askLots[i * 20 + k] = l
    })
  })
  return {
    kind: 'book',
    file: 'synthetic-book',
    firstRow: 0,
    day: '2024-01-01',
    length: n,
    recvUs: Float64Array.from(rows, (r) => r.recvMs * 1000),
    exchUs: Float64Array.from(rows, (r) => r.recvMs * 1000),
    seq: Float64Array.from(rows, (r) => r.seq),
    ...b
  }
}

async function* of<T>(...items: T[]): AsyncGenerator<T> {
  for (const i of items) yield await Promise.resolve(i)
}
const noTrades = (): AsyncGenerator<TradeBatch> => of<TradeBatch>()

const levels = (from: number, step: number, n = 6): [number, number][] =>
  Array.from({ length: n }, (_, k) => [from + k * step, 100])

describe('Lake replay policies (synthetic batches)', () => {
  it('reseeds from the next book row after the book stays crossed long enough', async () => {
    const seed = { recvMs: 0, seq: 10, bids: levels(100, -1), asks: levels(101, 1) }
    const cross = deltas([
      { recvMs: 10, seq: 11, bid: true, tick: 105, lots: 5 }, // a stranded bid above the asks
      { recvMs: 3000, seq: 12, bid: false, tick: 110, lots: 1 } // still crossed 2.99 s later
    ])
    const reseed = { recvMs: 3100, seq: 20, bids: levels(100, -1), asks: levels(101, 1) }
    const r = await replayLake(
      { deltas: of(cross), trades: noTrades(), books: of(books([seed, reseed])) },
      { market: 'spot', policy: { reseedAfterCrossedMs: 2000 } }
    )
    expect(r.seeds.fromBook).toBe(1)
    expect(r.reseeds.count).toBe(1)
    expect(r.crossings).toBe(1)
    expect(r.crossedMs).toBe(3100 - 10)
  })

  it('does not reseed when the policy is off', async () => {
    const seed = { recvMs: 0, seq: 10, bids: levels(100, -1), asks: levels(101, 1) }
    const cross = deltas([
      { recvMs: 10, seq: 11, bid: true, tick: 105, lots: 5 },
      { recvMs: 3000, seq: 12, bid: false, tick: 110, lots: 1 }
    ])
    const later = { recvMs: 3100, seq: 12, bids: levels(100, -1), asks: levels(101, 1) }
    const r = await replayLake(
      { deltas: of(cross), trades: noTrades(), books: of(books([seed, later])) },
      { market: 'spot', policy: { reseedAfterCrossedMs: null } }
    )
    expect(r.reseeds.count).toBe(0)
    expect(r.drift.aligned).toBe(1)
    expect(r.drift.exactRows).toBe(0) // the stranded bid is visible as drift
    expect(r.drift.bestPriceMismatchRows).toBe(1)
  })

  it('detects a snapshot burst by shape and clears only its range with burstClear=range', async () => {
    const seed = { recvMs: 0, seq: 10, bids: levels(100, -1, 20), asks: levels(101, 1, 20) }
    const far = deltas([{ recvMs: 5, seq: 11, bid: true, tick: 50, lots: 7 }])
    // A burst of 100 rows, no zero size, both sides: 6 bids (100…95) and 94 asks (101…194).
    const burstRows: Row[] = []
    for (let k = 0; k < 6; k++)
      burstRows.push({ recvMs: 10, seq: 30, bid: true, tick: 100 - k, lots: 9 })
    for (let k = 0; k < 94; k++)
      burstRows.push({ recvMs: 10, seq: 30, bid: false, tick: 101 + k, lots: 9 })
    const after = {
      recvMs: 10,
      seq: 30,
      bids: Array.from({ length: 6 }, (_, k) => [100 - k, 9] as [number, number]),
      asks: Array.from({ length: 20 }, (_, k) => [101 + k, 9] as [number, number])
    }
    const run = (burstClear: 'full' | 'range') =>
      replayLake(
        { deltas: of(far, deltas(burstRows)), trades: noTrades(), books: of(books([seed, after])) },
        { market: 'usdm', policy: { burstMinRows: 100, burstClear } }
      )
    const full = await run('full')
    expect(full.bursts.count).toBe(1)
    expect(full.drift).toMatchObject({ aligned: 1, exactRows: 1 })
    const range = await run('range')
    expect(range.bursts.count).toBe(1)
    // The stranded bid at 50 lies outside the burst's range: range clear keeps it, and drift shows it.
    expect(range.drift.aligned).toBe(1)
    expect(range.drift.exactRows).toBe(0)
  })

  it('skips and counts stale messages and invalid rows', async () => {
    const seed = { recvMs: 0, seq: 10, bids: levels(100, -1), asks: levels(101, 1) }
    const d = deltas([
      { recvMs: 1, seq: 9, bid: true, tick: 99, lots: 1 }, // older than the seed
      { recvMs: 2, seq: 11, bid: true, tick: NaN, lots: 1 }, // off-tick at the source
      { recvMs: 2, seq: 11, bid: true, tick: 98, lots: 3 }
    ])
    const r = await replayLake(
      { deltas: of(d), trades: noTrades(), books: of(books([seed])) },
      { market: 'spot' }
    )
    expect(r.skipped.staleMessages).toBe(1)
    expect(r.skipped.invalidRows).toBe(1)
    expect(r.appliedMessages).toBe(1) // the message at seq 11 (a seed from a book row is not a message)
  })

  it('applies the rows of one message atomically even when it spans two batches', async () => {
    const seed = { recvMs: 0, seq: 10, bids: levels(100, -1), asks: levels(101, 1) }
    const a = deltas([{ recvMs: 5, seq: 11, bid: true, tick: 102, lots: 1 }]) // would cross alone…
    const b = deltas([
      { recvMs: 5, seq: 11, bid: false, tick: 101, lots: 0 },
      { recvMs: 5, seq: 11, bid: false, tick: 103, lots: 2 }
    ])
    const check = {
      recvMs: 5,
      seq: 11,
      bids: [[102, 1], ...levels(100, -1)] as [number, number][],
      asks: [
        [102, 100],
        [103, 2],
        [104, 100],
        [105, 100],
        [106, 100]
      ] as [number, number][]
    }
    const r = await replayLake(
      { deltas: of(a, b), trades: noTrades(), books: of(books([seed, check])) },
      { market: 'spot' }
    )
    expect(r.crossings).toBe(0) // …but the message also removes the ask at 101
    expect(r.lockedMs).toBe(0)
    expect(r.events.deltaMessages).toBe(1)
  })

  it('progressive seed: unknown until every price of the top 20 was touched, then known bounds take over', async () => {
    // SYNTHETIC: 20 bids on every other tick (100, 98 … 62) and 20 asks (101, 103 … 139): the
    // prices between were never touched, so the top 20 may hide levels.
    const first: Row[] = []
    for (let k = 0; k < 20; k++) {
      first.push({ recvMs: 0, seq: 1, bid: true, tick: 100 - 2 * k, lots: 5 })
      first.push({ recvMs: 0, seq: 1, bid: false, tick: 101 + 2 * k, lots: 5 })
    }
    // 150 ms later every skipped price is touched (deletes of levels the book never held).
    const fill: Row[] = []
    for (let k = 0; k < 19; k++) {
      fill.push({ recvMs: 150, seq: 2, bid: true, tick: 99 - 2 * k, lots: 0 })
      fill.push({ recvMs: 150, seq: 2, bid: false, tick: 102 + 2 * k, lots: 0 })
    }
    // Then the best bid leaves: the 20th bid is now 60, below what was known (62).
    const deeper: Row[] = [
      { recvMs: 300, seq: 3, bid: true, tick: 100, lots: 0 },
      { recvMs: 300, seq: 3, bid: true, tick: 60, lots: 4 }
    ]
    const run = (seed: 'auto' | 'progressive') =>
      replayLake(
        { deltas: of(deltas([...first, ...fill, ...deeper])), trades: noTrades(), books: of() },
        { market: 'usdm', policy: { seed } }
      )
    const auto = await run('auto')
    expect(auto.appliedMessages).toBe(0)
    expect(auto.daySeeds).toMatchObject([{ seed: 'none', beforeSeedRows: 40 + 38 + 2 }])
    const p = await run('progressive')
    expect(p.seeds).toEqual({ fromBook: 0, fromBurst: 0, progressive: 1 })
    expect(p.appliedMessages).toBe(3)
    expect(p.daySeeds[0]).toMatchObject({
      seed: 'progressive',
      appliedShare: 1,
      knownAfterMs: 150,
      untouchedAtEnd: null
    })
    // Message 1 unknown (untouched prices), 2 known, 3 reaches below the known floor.
    expect(p.unknownDepthMessages).toBe(2)
  })
})

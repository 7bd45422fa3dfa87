// Seeding a day that starts mid-stream, on the REAL vendor-writer files (the spot capture's rows
// written by Crypto Lake's own writer): a delta-only day without a snapshot burst fails under the
// default policy; the progressive seed builds the book from the deltas and is compared, price by
// price, with the book seeded from the writer's snapshot burst the day before.
import { describe, expect, it } from 'vitest'
import { FloatGrid } from '../../../src-shared/units'
import type { OrderBook } from '../../../src-main/engine/book/orderBook'
import { IssueLog } from '../../../src-main/util/issueLog'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { replayLake } from '../../../src-main/engine/lakeReplay'
import { resolveLakeTick, resolveSelection } from '../../../src-main/engine/source/lakeSources'
import { openLakeSources } from '../../../src-main/engine/source/parallelSources'
import { hasVendorWriter } from '../../helpers/data'
import { vendorWriterLake } from '../../helpers/lake'
import { importToStaging, validateLake } from '../../../src-main/validate'
import { lakeWithManifest } from '../validate/helpers'

const D9 = '2024-08-09'
const sel = { exchange: 'BINANCE', symbol: 'BTC-USDT' }

function top20(book: OrderBook): string {
  book.readTop(20)
  const parts: string[] = []
  for (let i = 0; i < book.topBidCount; i++)
    parts.push(`b${book.topBidTicks[i]}:${book.topBidLots[i]}`)
  for (let i = 0; i < book.topAskCount; i++)
    parts.push(`a${book.topAskTicks[i]}:${book.topAskLots[i]}`)
  return parts.join(',')
}

/** The top 20 after every applied message, by sequence number, from `from` to 2024-08-09. */
async function tops(root: string, from: string, seed: 'auto' | 'progressive') {
  const s = resolveSelection({ root, ...sel, from, to: D9 })
  const src = openLakeSources(s, new FloatGrid(await resolveLakeTick(s)), new IssueLog(), {
    workers: 0
  })
  const out = new Map<number, { recvUs: number; top: string }>()
  try {
    await replayLake(src, {
      market: 'spot',
      policy: { seed },
      observer: {
        message: (recvUs, _e, seq, book) => {
          out.set(seq, { recvUs, top: top20(book) })
        }
      }
    })
  } finally {
    await src.close()
  }
  return out
}

describe.skipIf(!hasVendorWriter)('seeding a mid-stream day (vendor-writer files)', () => {
  it('a delta-only day without a snapshot burst applies nothing and fails under the default policy', async () => {
    const root = vendorWriterLake({ tables: ['book_delta_v2'], days: [D9] })
    const r = await runLakeReplay({ root, ...sel }, { workers: 0 })
    expect(r.appliedMessages).toBe(0)
    expect(r.complete).toBe(false)
    expect(r.issueCounts).toEqual({ 'no-seed': 1 })
    expect(r.issues[0]?.message).toBe(
      'no seed for 2024-08-09: no book rows and no snapshot burst; rerun with --seed progressive or add the book table'
    )
    expect(r.issues[0]?.file).toMatch(/dt=2024-08-09/)
    expect(r.daySeeds).toMatchObject([{ day: D9, seed: 'none', appliedShare: 0 }])
  })

  it('the progressive seed applies every row and its top 20 matches the burst-seeded book', async () => {
    const root = vendorWriterLake({ tables: ['book_delta_v2'] })
    const r = await runLakeReplay(
      { root, ...sel, from: D9, policy: { seed: 'progressive' } },
      {
        workers: 0
      }
    )
    expect(r.complete).toBe(true)
    expect(r.seeds).toEqual({ fromBook: 0, fromBurst: 0, progressive: 1 })
    const day = r.daySeeds[0]
    expect(day).toMatchObject({ day: D9, seed: 'progressive', appliedShare: 1, knownAfterMs: null })
    // Five minutes of data do not touch every price of the top 20: unknown, and said so.
    expect(r.unknownDepthShare).toBe(1)
    expect(day?.untouchedAtEnd?.prices).toBeGreaterThan(0)
    expect(day?.untouchedAtEnd?.prices).toBeLessThan((day?.untouchedAtEnd?.span ?? 0) / 5)

    // The truth: the writer's snapshot burst on 2024-08-08 seeds the book, carried into 08-09.
    const truth = await tops(root, '2024-08-08', 'auto')
    const mine = await tops(root, D9, 'progressive')
    let compared = 0
    let exact = 0
    let exactAfterMinute = 0
    let afterMinute = 0
    const start = Math.min(...[...mine.values()].map((m) => m.recvUs))
    for (const [seq, m] of mine) {
      const t = truth.get(seq)
      if (!t) continue
      compared++
      const same = t.top === m.top
      if (same) exact++
      if (m.recvUs - start >= 60e6) {
        afterMinute++
        if (same) exactAfterMinute++
      }
    }
    expect(compared).toBe(mine.size)
    expect(exact / compared).toBeGreaterThan(0.8)
    expect(exactAfterMinute / afterMinute).toBeGreaterThan(0.9)
  })

  it('seeds from the snapshot burst the writer stored at its start', async () => {
    const root = vendorWriterLake({ tables: ['book_delta_v2'], days: ['2024-08-08'] })
    const r = await runLakeReplay({ root, ...sel }, { workers: 0 })
    expect(r.complete).toBe(true)
    expect(r.daySeeds).toMatchObject([{ seed: 'burst', beforeSeedRows: 0, appliedShare: 1 }])
  })

  it('with the book table: seeds from its first row, which also replaces a progressive book', async () => {
    const root = vendorWriterLake({ tables: ['book_delta_v2', 'book'], days: [D9] })
    const auto = await runLakeReplay({ root, ...sel }, { workers: 0 })
    expect(auto.daySeeds).toMatchObject([{ seed: 'book' }])
    expect(auto.drift.exactRows).toBe(auto.drift.aligned)
    const p = await runLakeReplay({ root, ...sel, policy: { seed: 'progressive' } }, { workers: 0 })
    expect(p.seeds).toEqual({ fromBook: 1, fromBurst: 0, progressive: 1 })
    expect(p.daySeeds).toMatchObject([
      { seed: 'progressive', appliedShare: 1, untouchedAtEnd: null }
    ])
    expect(p.drift.aligned).toBeGreaterThan(100)
    expect(p.drift.exactRows).toBe(p.drift.aligned)
  })

  it('imported, validated and replayed from ready/: exact on every aligned book row', async () => {
    const gate = lakeWithManifest()
    await importToStaging({ dir: vendorWriterLake() }, { lakeRoot: gate.root, store: gate.store })
    const v = await validateLake({}, { lakeRoot: gate.root, store: gate.store, runId: 'vw' })
    expect(v.promoted).toHaveLength(6)
    const r = await runLakeReplay({ root: gate.root, ...sel }, { workers: 0 })
    expect(r.complete).toBe(true)
    expect(r.daySeeds.map((d) => d.seed)).toEqual(['burst', 'carried'])
    expect(r.drift.aligned).toBeGreaterThan(4000)
    expect(r.drift.exactRows).toBe(r.drift.aligned)
  })
})

// The unified Lake replay on Crypto Lake-shaped data converted from the REAL shared captures:
// agreement with the `book` rows, seeding, bursts, day boundaries, determinism across runs and
// decode-worker counts.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { builtWorkerPath } from '../../helpers/build'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'

const decodeWorker = () => ({ path: builtWorkerPath(), workerData: { role: 'decode' } })

describe.skipIf(!hasCaptures)('Lake replay of converted real captures', () => {
  let spot = ''
  beforeAll(async () => {
    spot = (await convertedLake('spot-btcusdt-20240808')).root
  })

  it('agrees with every aligned book row where depth is known, and says where it is not', async () => {
    const r = await runLakeReplay(
      { root: spot, exchange: 'BINANCE', symbol: 'BTC-USDT' },
      { workers: 0 }
    )
    const capture = await replayCapture(captureFiles('spot-btcusdt-20240808'))
    expect(r.complete).toBe(true)
    expect(r.seeds).toEqual({ fromBook: 0, fromBurst: 1, progressive: 0 })
    expect(r.bursts.count).toBe(1)
    expect(r.bursts.list[0]?.detail).toContain('origin time 0')
    expect(r.appliedMessages).toBe(capture.appliedUpdates + 1) // the burst + every applied diff
    expect(r.drift.aligned).toBeGreaterThan(4000)
    expect(r.drift.exactRows).toBe(r.drift.aligned)
    expect(r.drift.meanJaccard).toBe(1)
    // The same unknown-depth share as the capture replay: the snapshot's ±$200 range was left.
    expect(r.unknownDepthMessages).toBe(capture.unknownDepthUpdates)
    expect(r.drift.unknownDepthRows).toBeGreaterThan(0)
    expect(r.dayBoundaries).toEqual({ carried: 1, reseededAfterMissingDay: 0 })
    expect(r.crossedMs).toBe(0)
  })

  it('gives the same output hash on every run and with any number of decode workers', async () => {
    const hashes = new Set<string>()
    for (const workers of [0, 0, 1, 2, 3]) {
      const r = await runLakeReplay(
        { root: spot, exchange: 'BINANCE', symbol: 'BTC-USDT' },
        { workers, decodeWorker: decodeWorker() }
      )
      expect(r.decodeWorkers).toBe(workers)
      hashes.add(r.outputHash)
    }
    expect(hashes.size).toBe(1)
  })

  it('seeds a day that starts mid-stream from its first book row', async () => {
    const r = await runLakeReplay(
      { root: spot, exchange: 'BINANCE', symbol: 'BTC-USDT', from: '2024-08-09' },
      { workers: 0 }
    )
    expect(r.seeds).toEqual({ fromBook: 1, fromBurst: 0, progressive: 0 })
    expect(r.bursts.count).toBe(0)
    expect(r.skipped.beforeSeedRows).toBeGreaterThan(0)
    expect(r.drift.exactRows).toBe(r.drift.aligned)
    // Seeded from 20 levels: nearly every top-20 reaches past what is known, and it is reported.
    expect(r.unknownDepthShare).toBeGreaterThan(0.9)
  })

  it('never carries the book over a missing day', async () => {
    const { root } = await convertedLake('spot-nexousdt-20240723')
    for (const t of ['book_delta_v2', 'book', 'trades']) {
      rmSync(join(root, t, 'exchange=BINANCE', 'symbol=NEXO-USDT', 'dt=2024-07-24'), {
        recursive: true
      })
    }
    const r = await runLakeReplay(
      { root, exchange: 'BINANCE', symbol: 'NEXO-USDT' },
      { workers: 0 }
    )
    expect(r.missingDays.book_delta_v2).toEqual(['2024-07-24'])
    expect(r.dayBoundaries).toEqual({ carried: 0, reseededAfterMissingDay: 1 })
    expect(r.seeds.fromBook).toBe(1) // the 25th is seeded again from its first book row
    expect(r.drift.exactRows).toBe(r.drift.aligned)
  })

  it('replays the USD-M sets with the burst found by its shape (futures snapshots carry an event time)', async () => {
    const { root } = await convertedLake('usdm-btcusdt-20240718')
    const r = await runLakeReplay(
      { root, exchange: 'BINANCE_FUTURES', symbol: 'BTC-USDT-PERP' },
      { workers: 1, decodeWorker: decodeWorker() }
    )
    expect(r.bursts.count).toBe(1)
    expect(r.bursts.list[0]?.detail).toBe('2000 rows (1000 bids, 1000 asks)')
    expect(r.drift.exactRows).toBe(r.drift.aligned)
    expect(r.drift.aligned).toBeGreaterThan(4000)
  })

  it('fails clearly when there is no data for the selection', async () => {
    await expect(
      runLakeReplay({ root: spot, exchange: 'BINANCE', symbol: 'ETH-USDT' }, { workers: 0 })
    ).rejects.toThrow(/no BINANCE ETH-USDT files under .*; found BINANCE BTC-USDT 2024-08-08..09/)
  })
})

// Tiling converted real data forward (benchmark inputs, labelled "tiled real data"): sequence,
// time and ids keep increasing across copies, and each copy replays exactly.
import { beforeAll, describe, expect, it } from 'vitest'
import { tileLake } from '../../../src-main/convert/tile'
import { readLakeTable } from '../../../src-main/lake/parquet/reader'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

describe.skipIf(!hasCaptures)('tiled real data', () => {
  let root = ''
  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
  })

  it('repeats the capture forward across a day boundary, monotonic in time and sequence', async () => {
    const out = tempDir()
    // Start late on the 10th so the copies cross midnight into the 11th.
    const r = await tileLake(root, out, {
      exchange: 'BINANCE',
      symbol: 'BTC-USDT',
      deltaRows: 700_000,
      startDay: '2024-08-10'
    })
    expect(r.copies).toBe(3)
    let lastSeq = -Infinity
    let lastRecv = -Infinity
    for (const f of r.files.filter((x) => x.table === 'book_delta_v2')) {
      for await (const b of readLakeTable(f.path, 'book_delta_v2')) {
        for (let i = 0; i < b.rows; i++) {
          expect(b.columns.sequence_number[i]).toBeGreaterThanOrEqual(lastSeq)
          lastSeq = b.columns.sequence_number[i] ?? NaN
          lastRecv = Math.max(lastRecv, b.columns.received_time[i] ?? NaN)
        }
      }
    }
    const replay = await runLakeReplay(
      { root: out, exchange: 'BINANCE', symbol: 'BTC-USDT' },
      { workers: 0 }
    )
    expect(replay.bursts.count).toBe(3)
    expect(replay.events.deltaRows).toBe(r.deltaRows)
    expect(replay.drift.exactRows).toBe(replay.drift.aligned)
    expect(replay.skipped.staleMessages).toBe(0)
  })
})

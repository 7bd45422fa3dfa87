// capture → Crypto Lake conversion on the real spot capture: the vendor's layout, schema, row
// groups, metadata and value conventions (docs/crypto-lake-format.md).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  convertCaptureToLake,
  vendorNsFromMs,
  type ConvertResult
} from '../../../src-main/convert/captureToLake'
import { readFooter } from '../../../src-main/lake/parquet/footer'
import { readLakeTable } from '../../../src-main/lake/parquet/reader'
import { VENDOR_FINGERPRINTS } from '../../../src-main/lake/parquet/schemas'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'

describe.skipIf(!hasCaptures)('convert capture-to-lake (real spot BTCUSDT capture)', () => {
  let root = ''
  let result: ConvertResult
  beforeAll(async () => {
    ;({ root, result } = await convertedLake('spot-btcusdt-20240808'))
  })

  const file = (table: string, day: string): string =>
    join(root, table, 'exchange=BINANCE', `symbol=BTC-USDT`, `dt=${day}`, '1.snappy.parquet')

  it('writes the three tables per receive-time day in the vendor layout', () => {
    expect(result.exchange).toBe('BINANCE')
    expect(result.symbol).toBe('BTC-USDT')
    expect(result.days).toEqual(['2024-08-08', '2024-08-09'])
    for (const t of ['book_delta_v2', 'book', 'trades'])
      for (const d of result.days) expect(existsSync(file(t, d))).toBe(true)
    expect(result.files).toHaveLength(6)
    expect(result.snapshotBursts).toBe(1)
    expect(result.replay.bbo.matched).toBe(1072)
    // The book cadence written (the default, the writer's 2022-11 throttle) and its counts.
    expect(result.book).toEqual({
      cadence: '2022-11',
      updates: 6494,
      kept: 4169,
      dropped: 1,
      postponed: 2324
    })
    expect(result.rows.book).toBe(4169)
  })

  it('has the vendor schema (fingerprints measured on real vendor files), snappy, 10,000-row groups and metadata', async () => {
    const f = await readFooter(file('book_delta_v2', '2024-08-09'))
    expect(f.fingerprint).toBe(VENDOR_FINGERPRINTS.book_delta_v2)
    expect(f.columns.map((c) => c.name)).toEqual([
      'timestamp',
      'receipt_timestamp',
      'sequence_number',
      'side_is_bid',
      'price',
      'size'
    ])
    expect(f.compression).toEqual(['SNAPPY'])
    expect(f.rowGroups.slice(0, -1).every((g) => g.rows === 10_000)).toBe(true)
    expect(f.kv).toMatchObject({
      date: '2024-08-09',
      contains_gaps: 'No',
      symbol: 'BTC-USDT',
      event_type: 'book_delta_v2',
      exchange: 'BINANCE'
    })
    expect((await readFooter(file('book', '2024-08-08'))).fingerprint).toBe(
      VENDOR_FINGERPRINTS.book
    )
    expect((await readFooter(file('trades', '2024-08-08'))).fingerprint).toBe(
      VENDOR_FINGERPRINTS.trades
    )
  })

  it('counts every delta level, trade and book row of the replay', async () => {
    const capture = await replayCapture(captureFiles('spot-btcusdt-20240808'))
    // Trades: every trade line; deltas: the 2,000-level snapshot plus every applied diff's levels.
    expect(result.rows.trades).toBe(capture.trades)
    let rows = 0
    for (const d of result.days)
      for await (const b of readLakeTable(file('book_delta_v2', d), 'book_delta_v2')) rows += b.rows
    expect(rows).toBe(result.rows.book_delta_v2)
    expect(result.rows.book).toBeGreaterThan(0)
  })

  it('writes the snapshot as an unflagged burst: origin time 0 (spot), sequence = lastUpdateId', async () => {
    const first = (await readLakeTable(file('book_delta_v2', '2024-08-08'), 'book_delta_v2').next())
      .value
    if (!first) throw new Error('no batch')
    const c = first.columns
    let burst = 0
    while (c.origin_time[burst] === 0) burst++
    expect(burst).toBe(2000)
    expect(new Set(c.sequence_number.subarray(0, burst))).toEqual(new Set([50093239218]))
    expect(c.side_is_bid.subarray(0, 1000).every((v) => v === 1)).toBe(true)
    expect(c.side_is_bid.subarray(1000, 2000).every((v) => v === 0)).toBe(true)
    // After the burst, origin times carry the vendor's float artefacts (int(E/1000.0*1e9)), read as µs.
    expect(c.origin_time[burst]).toBe(Math.floor(vendorNsFromMs(1723161255408) / 1000))
  })

  it('refuses to overwrite existing partitions unless forced', async () => {
    await expect(convertCaptureToLake(captureFiles('spot-btcusdt-20240808'), root)).rejects.toThrow(
      /already exists; pass --force/
    )
    const again = await convertCaptureToLake(captureFiles('spot-btcusdt-20240808'), root, {
      force: true
    })
    expect(again.rows).toEqual(result.rows)
  })
})

describe.skipIf(!hasCaptures)('convert capture-to-lake (real USD-M capture)', () => {
  it('names the futures series and keeps the snapshot event time', async () => {
    const { root, result } = await convertedLake('usdm-btcusdt-20240808')
    expect(result.exchange).toBe('BINANCE_FUTURES')
    expect(result.symbol).toBe('BTC-USDT-PERP')
    const p = join(
      root,
      'book_delta_v2',
      'exchange=BINANCE_FUTURES',
      'symbol=BTC-USDT-PERP',
      'dt=2024-08-08',
      '1.snappy.parquet'
    )
    const first = (await readLakeTable(p, 'book_delta_v2').next()).value
    expect(first?.columns.origin_time[0]).toBeGreaterThan(0)
  })
})

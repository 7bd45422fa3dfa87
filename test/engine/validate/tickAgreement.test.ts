// The gate and the replay use one tick resolver (src-main/lake/tick.ts), so on the same REAL
// files they report the same tick: for BTC-USDT from the known symbol table, and for the same
// files copied under a symbol no table knows (FOO-USDT) by detection from the first
// book_delta_v2 file's prices. Before the resolver was shared, the gate detected from the book
// table first and the replay from book_delta_v2, so the two could differ.
import { cpSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { knownLakeTick } from '../../../src-main/lake/tick'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { importToStaging, validateLake } from '../../../src-main/validate'
import { hasCaptures, hasVendorWriter } from '../../helpers/data'
import { convertedLake, vendorWriterLake } from '../../helpers/lake'
import { lakeWithManifest } from './helpers'

/** Copies every table's BTC-USDT partitions under `symbol` (same files, another name). */
function copyUnder(root: string, exchange: string, symbol: string): void {
  for (const table of ['book_delta_v2', 'trades', 'book']) {
    const src = join(root, table, `exchange=${exchange}`, 'symbol=BTC-USDT')
    if (existsSync(src))
      cpSync(src, join(root, table, `exchange=${exchange}`, `symbol=${symbol}`), {
        recursive: true
      })
  }
}

async function gateTick(dir: string, exchange: string, symbol: string): Promise<string | null> {
  const lake = lakeWithManifest('lakebook-tick-')
  await importToStaging({ dir }, { lakeRoot: lake.root, store: lake.store })
  const r = await validateLake(
    { exchange, symbol },
    { lakeRoot: lake.root, store: lake.store, runId: `tick-${symbol}` }
  )
  lake.db.close()
  return r.tick
}

async function replayTick(root: string, exchange: string, symbol: string): Promise<string> {
  return (await runLakeReplay({ root, exchange, symbol }, { workers: 0 })).tick
}

describe.skipIf(!hasVendorWriter || !hasCaptures)('one tick for the gate and the replay', () => {
  const roots: Record<string, string> = {}
  beforeAll(async () => {
    roots['vendor-writer'] = vendorWriterLake()
    roots['converted'] = (await convertedLake('spot-btcusdt-20240808')).root
    for (const root of Object.values(roots)) copyUnder(root, 'BINANCE', 'FOO-USDT')
  })

  it('FOO-USDT is in no symbol table, BTC-USDT is (0.01)', () => {
    expect(knownLakeTick('BINANCE', 'FOO-USDT')).toBeUndefined()
    expect(knownLakeTick('BINANCE', 'BTC-USDT')).toBe('0.01')
  })

  it.each([
    ['vendor-writer', 'BTC-USDT'],
    ['vendor-writer', 'FOO-USDT'],
    ['converted', 'BTC-USDT'],
    ['converted', 'FOO-USDT']
  ])('%s %s: the gate and the replay report the same tick', async (source, symbol) => {
    const root = roots[source] ?? ''
    const gate = await gateTick(root, 'BINANCE', symbol)
    const replay = await replayTick(root, 'BINANCE', symbol)
    expect(gate).toBe(replay)
    // Detection on the real BTC-USDT prices finds the tick the exchange publishes.
    expect(replay).toBe('0.01')
  })

  it('a configured tick wins over the table and detection in both', async () => {
    const root = roots['vendor-writer'] ?? ''
    const lake = lakeWithManifest('lakebook-tick-')
    await importToStaging({ dir: root }, { lakeRoot: lake.root, store: lake.store })
    const r = await validateLake(
      { exchange: 'BINANCE', symbol: 'FOO-USDT', tick: '0.001' },
      { lakeRoot: lake.root, store: lake.store, runId: 'tick-configured' }
    )
    lake.db.close()
    const replay = await runLakeReplay(
      { root, exchange: 'BINANCE', symbol: 'FOO-USDT', tick: '0.001' },
      { workers: 0 }
    )
    expect(r.tick).toBe('0.001')
    expect(replay.tick).toBe('0.001')
  })
})

// The gate and the decimal strategy on two more REAL capture sets (USD-M BTCUSDT, spot NEXOUSDT
// over 34 h; spot BTCUSDT is gate.test.ts's), converted to Crypto Lake files: every file passes to
// ready/ (warnings say what is unusual about the real data), and every price and size of the
// captures (decimal strings) and of the converted files (float64) converts to integer ticks /
// 1e-8 lots and back without loss. All four sets are measured by bench/decimal.bench.ts
// (docs/decimal-strategy.md); here two keep the folder fast.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  importToStaging,
  measureCaptureExactness,
  measureParquetExactness,
  parsePartitionRel,
  validateLake,
  walkParquet
} from '../../../src-main/validate'
import { captureFiles, hasCaptures, type CaptureSet } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { lakeWithManifest, parquetUnder } from './helpers'

const SETS: readonly { set: CaptureSet; exchange: string; symbol: string; tick: string }[] = [
  {
    set: 'usdm-btcusdt-20240718',
    exchange: 'BINANCE_FUTURES',
    symbol: 'BTC-USDT-PERP',
    tick: '0.1'
  },
  { set: 'spot-nexousdt-20240723', exchange: 'BINANCE', symbol: 'NEXO-USDT', tick: '0.001' }
]

describe.skipIf(!hasCaptures)('the gate on the other real sets', () => {
  const roots = new Map<CaptureSet, string>()
  beforeAll(async () => {
    for (const s of SETS) roots.set(s.set, (await convertedLake(s.set)).root)
  })

  it.each(SETS.map((s) => [s.set, s] as const))(
    '%s: every file passes to ready/',
    async (_n, s) => {
      const lake = lakeWithManifest()
      const src = roots.get(s.set) ?? ''
      await importToStaging({ dir: src }, { lakeRoot: lake.root, store: lake.store })
      const r = await validateLake(
        { exchange: s.exchange, symbol: s.symbol },
        { lakeRoot: lake.root, store: lake.store, runId: s.set }
      )
      expect(r.tick).toBe(s.tick)
      expect(r.counts.fail, JSON.stringify(r.kept)).toBe(0)
      expect(r.promoted).toHaveLength(r.files.length)
      expect(parquetUnder(join(lake.root, 'staging'))).toEqual([])
      const first = r.files.find((f) => f.table === 'book_delta_v2' && f.day === r.from)
      const bursts = first?.rules.find((x) => x.rule === 'sequence.bursts')
      expect(bursts?.status).toBe('warn')
      if (s.exchange === 'BINANCE_FUTURES') {
        // Futures REST snapshots carry an event time: the burst is found by its size, not origin 0.
        expect(bursts?.examples[0]?.message).not.toContain('origin time 0')
        expect(
          r.files.every((f) => f.rules.find((x) => x.rule === 'time.feed-lag')?.status === 'warn')
        ).toBe(true)
      } else {
        // NEXOUSDT is thin: pauses of tens of seconds between diffs are real, and only warned.
        const gaps = r.files
          .find((f) => f.table === 'book_delta_v2')
          ?.rules.find((x) => x.rule === 'time.gaps')
        expect(gaps?.status).toBe('warn')
        expect(
          r.files.every((f) => f.rules.find((x) => x.rule === 'time.feed-lag')?.status === 'pass')
        ).toBe(true)
      }
      lake.db.close()
    }
  )

  it('converts every price and size of the converted files to integers and back exactly', async () => {
    for (const s of SETS) {
      const root = roots.get(s.set) ?? ''
      const files = walkParquet(root).map((rel) => ({
        path: join(root, rel),
        table: parsePartitionRel(rel)?.table ?? 'trades'
      }))
      const m = await measureParquetExactness(files, s.tick)
      expect(m.prices.values).toBeGreaterThan(100_000)
      expect(m.prices.exact).toBe(m.prices.values)
      expect(m.sizes.exact).toBe(m.sizes.values)
    }
  })

  it('converts every decimal string of the captures to ticks/lots and back exactly, and so does the float path', async () => {
    const all: readonly [CaptureSet, string][] = [
      ['spot-btcusdt-20240808', '0.01'],
      ['spot-nexousdt-20240723', '0.001']
    ]
    for (const [set, tick] of all) {
      const m = await measureCaptureExactness(captureFiles(set), tick)
      expect(m.prices.values).toBeGreaterThan(300_000)
      expect(m.prices.failures).toEqual([])
      expect(m.sizes.failures).toEqual([])
      expect(m.prices.exact).toBe(m.prices.values)
      expect(m.sizes.exact).toBe(m.sizes.values)
      expect(m.prices.floatAgrees).toBe(m.prices.values)
      expect(m.sizes.floatAgrees).toBe(m.sizes.values)
    }
  })
})

// Plausibility of what a Lake replay and an (ungated) export read: CORRUPTED COPIES OF REAL DATA
// (the vendor-writer files, each variant damaged here in one way) must end as counted, named
// failures — never as a complete replay or a passing replay gate. Before these checks a file
// with no rows, trades moved to 1915 or 2200, or a footer declaring rows that are not there all
// exported "complete" (the 2200 trades were silently never read).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { GateResult } from '../../../src-shared/gates'
import { exportDataset } from '../../../src-main/export/exportJob'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { hasVendorWriter } from '../../helpers/data'
import { spotOptions, ungated } from '../../helpers/exportData'
import { vendorWriterLake } from '../../helpers/lake'
import {
  cloneCols,
  readRaw,
  selectRows,
  withDeclaredRows,
  writeLake,
  type RawColumns
} from '../../helpers/parquetVariants'
import type { LakeTable } from '../../../src-main/lake/parquet/schemas'

const D9 = '2024-08-09'
const YEAR_NS = 365 * 86_400e9
const file = (root: string, table: string, day = D9): string =>
  join(root, table, 'exchange=BINANCE', 'symbol=BTC-USDT', `dt=${day}`, '1.snappy.parquet')

/** Rewrites one vendor-writer file of a fresh copy with `change` applied to its real rows. */
async function variant(
  table: LakeTable,
  change: (c: RawColumns) => RawColumns | undefined
): Promise<string> {
  const root = vendorWriterLake()
  const path = file(root, table)
  const cols = cloneCols(await readRaw(path, table))
  const out = change(cols) ?? cols
  await writeLake(
    path,
    table,
    { date: D9, containsGaps: true, symbol: 'BTC-USDT', exchange: 'BINANCE' },
    out
  )
  return root
}

const shift =
  (cols: readonly string[], ns: number, rows?: readonly number[]) =>
  (c: RawColumns): undefined => {
    for (const k of cols) {
      const a = c[k] as Float64Array
      for (const i of rows ?? a.keys()) a[i] = (a[i] ?? 0) + ns
    }
    return undefined
  }

const rule = (g: GateResult, id: string) => g.rules.find((r) => r.id === id)

async function both(root: string) {
  const replay = await runLakeReplay(
    { root, exchange: 'BINANCE', symbol: 'BTC-USDT' },
    { workers: 0 }
  )
  const o = spotOptions(root, {
    tables: { events: true, book: true, bookEvents: false, features: true }
  })
  const { result } = await exportDataset(o, ungated(o))
  const cert = JSON.parse(readFileSync(join(o.out, 'certificate.json'), 'utf8')) as {
    gates: { replay: GateResult }
  }
  return { replay, result, gate: cert.gates.replay }
}

describe.skipIf(!hasVendorWriter)(
  'replay and export plausibility (corrupted copies of real data)',
  () => {
    it('control: the unchanged files replay and export complete, the replay gate passes', async () => {
      const { replay, result, gate } = await both(vendorWriterLake())
      expect(replay.complete).toBe(true)
      expect(result.complete).toBe(true)
      expect(gate.verdict).toBe('pass')
      expect(rule(gate, 'replay.inputs')?.measured).toBe('6 input files, none empty')
    })

    it('a trades file with no rows is an empty-file issue and fails replay.inputs', async () => {
      const root = await variant('trades', (c) => selectRows(c, []))
      const { replay, result, gate } = await both(root)
      expect(replay.complete).toBe(false)
      expect(replay.issueCounts).toEqual({ 'empty-file': 1 })
      expect(result.complete).toBe(false)
      expect(rule(gate, 'replay.inputs')?.verdict).toBe('fail')
      expect(rule(gate, 'replay.inputs')?.measured).toContain('1 of 6 input files hold no rows')
    })

    for (const [name, years] of [
      ['moved to 1915', -109],
      ['moved to 2200', 176]
    ] as const) {
      it(`trades ${name}: every row refused as outside its day, counted in the replay and the export`, async () => {
        const root = await variant(
          'trades',
          shift(['timestamp', 'receipt_timestamp'], years * YEAR_NS)
        )
        const { replay, result, gate } = await both(root)
        const trades = (await readRaw(file(root, 'trades'), 'trades'))['id']?.length ?? 0
        expect(trades).toBe(10_147)
        expect(replay.complete).toBe(false)
        expect(replay.issueCounts).toEqual({ 'outside-day': trades })
        expect(replay.issues[0]?.message).toMatch(
          /receive time (1915|2200)-.* is outside 2024-08-09/
        )
        // The export reads them where the file has them (2200 was past its end before): all counted.
        expect(result.issues['outside-day']).toBe(trades)
        expect(result.complete).toBe(false)
        expect(rule(gate, 'replay.refused-rows')?.measured).toBe(
          `${trades} rows refused (outside-day ${trades})`
        )
        // The replay's time range stays inside the days it covers.
        expect(rule(gate, 'replay.time-range')?.verdict).toBe('pass')
        expect(replay.lastReceiveTime?.startsWith('2024-08-09')).toBe(true)
      })
    }

    it('three delta rows two days late and exchange times three days off are refused by row', async () => {
      const root = await variant(
        'book_delta_v2',
        shift(['receipt_timestamp', 'timestamp'], 2 * 86_400e9, [500, 501, 502])
      )
      const { replay, result } = await both(root)
      expect(replay.issueCounts).toEqual({ 'outside-day': 3 })
      expect(replay.issues.map((i) => i.line)).toEqual([500, 501, 502])
      expect(result.issues['outside-day']).toBe(3)

      const root2 = await variant('trades', shift(['timestamp'], 3 * 86_400e9, [7]))
      const r2 = await both(root2)
      expect(r2.replay.issueCounts).toEqual({ 'implausible-time': 1 })
      expect(r2.replay.issues[0]?.line).toBe(7)
      expect(r2.result.issues['implausible-time']).toBe(1)
    })

    it('book rows from 1970 are refused, neither seeds nor drift references', async () => {
      const root = await variant('book', shift(['timestamp', 'receipt_timestamp'], -54 * YEAR_NS))
      const { replay, result } = await both(root)
      expect(replay.issueCounts).toEqual({ 'outside-day': 1945 })
      expect(result.issues['outside-day']).toBe(1945)
      // Only the 08-08 book rows remain references (2,225 rows, all aligned but the first).
      expect(replay.drift.rows).toBe(2225)
    })

    it('a footer declaring rows that are not there is refused naming the file', async () => {
      const root = vendorWriterLake()
      withDeclaredRows(file(root, 'trades'), 20_000)
      await expect(
        runLakeReplay({ root, exchange: 'BINANCE', symbol: 'BTC-USDT' }, { workers: 0 })
      ).rejects.toThrow(/declares 20000 rows but its \d+ row groups hold 10147/)
      const o = spotOptions(root)
      await expect(exportDataset(o, ungated(o))).rejects.toThrow(
        /dt=2024-08-09.*declares 20000 rows|declares 20000 rows.*dt=2024-08-09/s
      )
    })
  }
)

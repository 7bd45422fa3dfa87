// Writer restarts found in the data, not read from the contains_gaps flag, on the REAL
// vendor-writer files: a flagged day without a restart passes; a day spliced from real rows (the
// 2024-08-09 rows moved to end 30 s before the writer's snapshot burst on 2024-08-08, so the day
// holds a real hole followed by a real REST snapshot) shows one restart with its time and length
// in the gate, the certificate and the replay.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { certifyLake, importToStaging, validateLake } from '../../../src-main/validate'
import { hasVendorWriter } from '../../helpers/data'
import { vendorWriterLake } from '../../helpers/lake'
import { readRaw, rowCount, writeLake, type RawColumns } from '../../helpers/parquetVariants'
import { lakeWithManifest } from './helpers'

const D8 = '2024-08-08'
const D9 = '2024-08-09'
const sel = { exchange: 'BINANCE', symbol: 'BTC-USDT' }
const deltaFile = (root: string, day: string) =>
  join(
    root,
    'book_delta_v2',
    'exchange=BINANCE',
    'symbol=BTC-USDT',
    `dt=${day}`,
    '1.snappy.parquet'
  )

/** The rows of `a` shifted so they end `holeNs` before `b` starts, then the rows of `b`. */
function splice(a: RawColumns, b: RawColumns, holeNs: number): RawColumns {
  const recvA = a['receipt_timestamp'] as Float64Array
  const recvB = b['receipt_timestamp'] as Float64Array
  const shift = (recvB[0] ?? 0) - holeNs - (recvA[recvA.length - 1] ?? 0)
  const out: RawColumns = {}
  for (const [k, va] of Object.entries(a)) {
    const vb = b[k]
    if (va instanceof Float64Array && vb instanceof Float64Array) {
      const moved = k === 'timestamp' || k === 'receipt_timestamp'
      const x = new Float64Array(va.length + vb.length)
      x.set(moved ? va.map((v) => (v === 0 ? 0 : v + shift)) : va)
      x.set(vb, va.length)
      out[k] = x
    } else if (va instanceof Uint8Array && vb instanceof Uint8Array) {
      const x = new Uint8Array(va.length + vb.length)
      x.set(va)
      x.set(vb, va.length)
      out[k] = x
    }
  }
  return out
}

describe.skipIf(!hasVendorWriter)('writer restarts found in the data (vendor-writer files)', () => {
  it('a day flagged contains_gaps=Yes whose rows show no restart passes', async () => {
    const dir = vendorWriterLake()
    const gate = lakeWithManifest()
    await importToStaging({ dir }, { lakeRoot: gate.root, store: gate.store })
    const r = await validateLake({}, { lakeRoot: gate.root, store: gate.store, runId: 'r1' })
    expect(r.files.every((f) => f.kv?.['contains_gaps'] === 'Yes')).toBe(true)
    const rule = (table: string, day: string) =>
      r.days
        .find((d) => d.table === table && d.day === day)
        ?.rules.find((x) => x.rule === 'coverage.restarts')
    const d9 = rule('book_delta_v2', D9)
    expect(d9?.status).toBe('pass')
    expect(d9?.measured).toBe(
      "no restart found in the data (no snapshot burst, receive-time gap or missing trade id); 1 file flagged contains_gaps=Yes (the writer's hint)"
    )
    expect(rule('trades', D9)?.status).toBe('pass')
    // 08-08 opens with the writer's REST snapshot: where the recording began, not a restart
    // (the day-span rule reports the hours missing before it).
    expect(rule('book_delta_v2', D8)?.status).toBe('pass')
    const c = await certifyLake(
      { from: D8, to: D9 },
      { lakeRoot: gate.root, store: gate.store, runId: 'c1' }
    )
    const issues = c.certificate.openIssues.filter((i) => i.kind === 'restart')
    expect(issues).toEqual([])
    expect(c.certificate.openIssues.some((i) => i.message.includes('contains_gaps'))).toBe(false)
  })

  it('a spliced day with a real hole and snapshot burst shows one restart, its time and length', async () => {
    const dir = vendorWriterLake({ tables: ['book_delta_v2'] })
    const a = await readRaw(deltaFile(dir, D9), 'book_delta_v2')
    const b = await readRaw(deltaFile(dir, D8), 'book_delta_v2')
    const day = splice(a, b, 30e9)
    const n = rowCount(day)
    await writeLake(
      deltaFile(dir, D8),
      'book_delta_v2',
      {
        date: D8,
        containsGaps: true,
        ...sel
      },
      day
    )
    expect(n).toBe(rowCount(a) + rowCount(b))

    const gate = lakeWithManifest()
    await importToStaging({ dir }, { lakeRoot: gate.root, store: gate.store })
    const r = await validateLake(
      { from: D8, to: D8 },
      { lakeRoot: gate.root, store: gate.store, runId: 's1' }
    )
    const file = r.files.find((f) => f.day === D8)
    expect(file?.restarts).toHaveLength(1)
    const restart = file?.restarts?.[0]
    expect(restart?.row).toBe(rowCount(a))
    expect(restart?.at).toMatch(/^2024-08-08T23:54:14\./)
    expect(restart?.gapS).toBeCloseTo(30, 2)
    expect(restart?.evidence).toBe('receive-time gap; snapshot burst of 2000 rows')
    const rule = r.days.find((d) => d.day === D8)?.rules.find((x) => x.rule === 'coverage.restarts')
    expect(rule?.status).toBe('warn')
    expect(rule?.measured).toMatch(/^1 restart found in the data; 1 file flagged/)
    expect(rule?.examples[0]?.message).toMatch(
      /writer restart at 2024-08-08T23:54:14\.\d{6}Z after 30(\.\d+)? s without rows \(receive-time gap; snapshot burst of 2000 rows\)/
    )
    const c = await certifyLake(
      { from: D8, to: D8, tables: ['book_delta_v2'] },
      { lakeRoot: gate.root, store: gate.store, runId: 'c2' }
    )
    expect(c.certificate.openIssues.filter((i) => i.kind === 'restart')).toHaveLength(1)

    // The replay: by default the rows before the burst have no seed (late-seed, incomplete);
    // progressive builds them, and the burst replaces that book, its hole stated.
    const auto = await runLakeReplay({ root: dir, ...sel, from: D8, to: D8 }, { workers: 0 })
    expect(auto.complete).toBe(false)
    expect(auto.issueCounts).toEqual({ 'late-seed': 1 })
    expect(auto.daySeeds[0]).toMatchObject({ seed: 'burst', beforeSeedRows: rowCount(a) })
    expect(auto.bursts.list[0]?.detail).toMatch(/after 30\.0\d\d s without deltas$/)
    const p = await runLakeReplay(
      { root: dir, ...sel, from: D8, to: D8, policy: { seed: 'progressive' } },
      { workers: 0 }
    )
    expect(p.complete).toBe(true)
    expect(p.seeds).toEqual({ fromBook: 0, fromBurst: 1, progressive: 1 })
    expect(p.daySeeds[0]).toMatchObject({ seed: 'progressive', appliedShare: 1 })
  })
})

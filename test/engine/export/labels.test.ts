// Forward labels and the split. On the converted real spot capture (it crosses midnight): the
// labels of an export cut in 1-minute chunks equal those of one cut in whole days and equal a
// whole-series reference computed here from the features rows, labels look across midnight, the
// last rows are null and counted as the end of the data, and the split column agrees with
// splits.json, the purge and the embargo; verify-dataset covers splits.json. Gaps and resets,
// which the capture does not have, are checked on a small synthetic series.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportDataset } from '../../../src-main/export/exportJob'
import { computeLabels, emptyCounts, labelOptions } from '../../../src-main/export/labels'
import type { LabelOptions } from '../../../src-main/export/labels'
import { splitOptions } from '../../../src-main/export/split'
import { verifyDataset } from '../../../src-main/export/verify'
import type { ExportResult } from '../../../src-shared/export'
import { hasCaptures } from '../../helpers/data'
import { spotOptions, ungated } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'

const GRID = 100_000
const HORIZONS = labelOptions(['100ms', '1s', '60s'], 1)

describe('labels on a synthetic series (edge cases)', () => {
  // Synthetic grid rows: 10 rows at 100 ms, a reset at row 5, row 8 missing, mid NaN at row 3.
  const times = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10].map((k) => k * GRID)
  const mids = [100, 100.01, 100.02, NaN, 100.02, 100.05, 100.0, 100.0, 100.03, 100.04]
  const resets = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0]
  const w = {
    time: Float64Array.from(times),
    mid: Float64Array.from(mids),
    resets: Int32Array.from(resets),
    n: times.length,
    atEnd: true,
    covers: Infinity
  }

  it('nulls labels across a reset, a missing row, an undefined mid and the end, and counts why', () => {
    const o = labelOptions(['100ms', '200ms'], 1)
    const counts = [emptyCounts(), emptyCounts()]
    const [h1, h2] = computeLabels(w, w.n, o, GRID, '0.01', counts)
    if (!h1 || !h2) throw new Error('no labels')
    // 100 ms: row 0 → 1 valid; 2 → 3 and 3 → 4 no mid; 4 → 5 reset; 7 → 8 (row at 800 ms missing).
    expect([...h1.valid]).toEqual([1, 1, 0, 0, 0, 1, 1, 0, 1, 0])
    expect(counts[0]).toEqual({ valid: 5, gap: 2, end: 1, noMid: 2 })
    expect(h1.ret[0]).toBe(Math.log(100.01 / 100))
    // Dead zone 1 tick: +1 tick is flat.
    expect(h1.dir[0]).toBe(0)
    expect(h1.dir[5]).toBe(-1) // 100.05 → 100.00: −5 ticks
    expect(h1.vol[5]).toBe(Math.abs(Math.log(100.0 / 100.05)))
    // 200 ms: 0 → 2 and 5 → 7 valid; 3 → 5 and 4 → 6 cross the reset at 5; 6 → 8 and 7 → 9
    // miss the row at 800 ms; 1 → 3 and 2 → 4 reach the undefined mid; 8 and 9 the end.
    expect([...h2.valid]).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0])
    expect(counts[1]).toEqual({ valid: 2, gap: 4, end: 2, noMid: 2 })
    expect(h2.dir[0]).toBe(1) // +2 ticks > dead zone 1
    const r1 = Math.log(100.01 / 100)
    const r2 = Math.log(100.02 / 100.01)
    expect(h2.vol[0]).toBe(Math.sqrt(r1 * r1 + r2 * r2))
  })

  it('refuses a window that stops short of a horizon before the end of the data', () => {
    const o = labelOptions(['200ms'], 0)
    expect(() =>
      computeLabels({ ...w, atEnd: false, covers: 10 * GRID }, w.n, o, GRID, '0.01', [
        emptyCounts()
      ])
    ).toThrow(/internal error/)
  })

  it('refuses bad options with a plain sentence', () => {
    expect(() => labelOptions(['1s', '1000ms'], 1)).toThrow(/are the same/)
    expect(() =>
      splitOptions({ split: '70/15/15', purge: '10s', longestHorizonUs: 60_000_000 })
    ).toThrow(/shorter than the longest label horizon/)
    expect(() => splitOptions({ split: '70/20/20', longestHorizonUs: 0 })).toThrow(/summing to 100/)
    expect(() =>
      splitOptions({ splitDates: ['2024-08-09', '2024-08-08'], longestHorizonUs: 0 })
    ).toThrow(/ascending/)
  })
})

type Row = Record<string, unknown>

/** Labels computed over the whole series at once, straight from the definitions. */
function reference(features: Row[], o: LabelOptions, tick: number): Map<number, Row> {
  const at = new Map<number, number>()
  features.forEach((f, i) => at.set(Number(f['t']), i))
  const out = new Map<number, Row>()
  const last = Number(features[features.length - 1]?.['t'])
  for (const f of features) {
    const t = Number(f['t'])
    const row: Row = {}
    o.horizons.forEach((name, hi) => {
      const h = o.horizonsUs[hi] ?? 0
      let ok = t + h <= last
      let s = 0
      for (let u = t + GRID; ok && u <= t + h; u += GRID) {
        const i = at.get(u)
        const g = i === undefined ? undefined : features[i]
        const p = features[(i ?? 0) - 1]
        if (g === undefined || p === undefined || Number(g['resets']) > 0) ok = false
        else {
          const r = Math.log((g['mid'] as number) / (p['mid'] as number))
          s += r * r
        }
      }
      const m0 = f['mid'] as number
      const m1 = ok ? (features[at.get(t + h) ?? -1]?.['mid'] as number) : NaN
      const d = ok ? Math.round((2 * m1) / tick) - Math.round((2 * m0) / tick) : 0
      row[`ret_${name}`] = ok ? Math.log(m1 / m0) : null
      row[`dir_${name}`] = ok
        ? d > 2 * o.deadZoneTicks
          ? 1
          : d < -2 * o.deadZoneTicks
            ? -1
            : 0
        : null
      row[`vol_${name}`] = ok ? Math.sqrt(s) : null
    })
    out.set(t, row)
  }
  return out
}

describe.skipIf(!hasCaptures)('labels and split of a real export', () => {
  let con: DuckDBConnection
  let minute: { out: string; result: ExportResult }
  let day: { out: string; result: ExportResult }
  const read = async (sql: string): Promise<Row[]> =>
    (await con.runAndReadAll(sql)).getRowObjectsJS()
  const labelsOf = (out: string): string =>
    `read_parquet('${join(out, 'labels')}/*/*.parquet', hive_partitioning = true)`
  const cols = HORIZONS.horizons.flatMap((h) => [`ret_${h}`, `dir_${h}`, `vol_${h}`])

  beforeAll(async () => {
    const root = (await convertedLake('spot-btcusdt-20240808')).root
    const common = {
      tables: { events: false, book: false, bookEvents: false, features: true },
      labels: HORIZONS,
      split: splitOptions({
        split: '70/15/15',
        purge: '1m',
        embargo: '10s',
        longestHorizonUs: 60_000_000
      })
    }
    const a = spotOptions(root, { ...common, chunkUs: 60_000_000 })
    const b = spotOptions(root, { ...common, chunkUs: 86_400_000_000 })
    minute = { out: a.out, result: (await exportDataset(a, ungated(a))).result }
    day = { out: b.out, result: (await exportDataset(b, ungated(b))).result }
    con = await (await DuckDBInstance.create(':memory:')).connect()
  })

  it('gives the same labels whatever the chunks, equal to a whole-series computation', async () => {
    const sql = (out: string) =>
      `SELECT epoch_us(time) AS t, split, ${cols.join(', ')} FROM ${labelsOf(out)} ORDER BY time`
    const a = await read(sql(minute.out))
    const b = await read(sql(day.out))
    expect(a.length).toBeGreaterThan(6000)
    expect(b).toEqual(a)
    expect(minute.result.labels).toEqual(day.result.labels)
    const features = await read(
      `SELECT epoch_us(time) AS t, mid, resets FROM read_parquet('${join(minute.out, 'features')}/*/*.parquet') ORDER BY time`
    )
    expect(features.map((f) => f['t'])).toEqual(a.map((r) => r['t']))
    const ref = reference(features, HORIZONS, 0.01)
    const got = a.map((r) => [r['t'], ...cols.map((c) => r[c])])
    const want = a.map((r) => [r['t'], ...cols.map((c) => ref.get(Number(r['t']))?.[c])])
    expect(got).toEqual(want)
  })

  it('labels across midnight and nulls only the end of the data, counted', async () => {
    const last = await read(
      `SELECT epoch_us(max(time)) AS t, count(*)::INTEGER AS n FROM ${labelsOf(minute.out)}`
    )
    const lastT = Number(last[0]?.['t'])
    const counts = minute.result.labels ?? {}
    for (const [hi, h] of HORIZONS.horizons.entries()) {
      const hUs = HORIZONS.horizonsUs[hi] ?? 0
      const nulls = await read(
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE epoch_us(time) + ${hUs} > ${lastT})::INTEGER AS late
           FROM ${labelsOf(minute.out)} WHERE ret_${h} IS NULL`
      )
      expect(nulls[0]?.['n']).toBe(nulls[0]?.['late'])
      expect(counts[h]).toEqual({
        valid: (last[0]?.['n'] as number) - (nulls[0]?.['n'] as number),
        gap: 0,
        end: nulls[0]?.['n'],
        noMid: 0
      })
    }
    const across = await read(
      `SELECT count(*)::INTEGER AS n FROM ${labelsOf(minute.out)}
        WHERE date = DATE '2024-08-08' AND ret_60s IS NOT NULL
          AND epoch_us(time) + 60000000 >= epoch_us(TIMESTAMPTZ '2024-08-09 00:00:00+00')`
    )
    expect(across[0]?.['n']).toBeGreaterThan(500)
    const cert = JSON.parse(readFileSync(join(minute.out, 'certificate.json'), 'utf8')) as {
      labels: { perHorizon: unknown; horizons: string[] }
      split: { rows: Record<string, number>; sha256: string }
    }
    expect(cert.labels.perHorizon).toEqual(counts)
    expect(cert.labels.horizons).toEqual(['100ms', '1s', '60s'])
  })

  it('writes the split as a column and as splits.json, with purge and embargo', async () => {
    const m = JSON.parse(readFileSync(join(minute.out, 'splits.json'), 'utf8')) as {
      boundaries: { validationStart: string; testStart: string }
      splits: Record<string, { rows: number; days: string[] }>
      excluded: { purged: number; embargoed: number }
    }
    const byCode = await read(
      `SELECT split, count(*)::INTEGER AS n, epoch_us(min(time)) AS lo, epoch_us(max(time)) AS hi
         FROM ${labelsOf(minute.out)} GROUP BY split ORDER BY split`
    )
    const n = (code: number) => byCode.find((r) => r['split'] === code)?.['n']
    expect(n(0)).toBe(m.splits['train']?.rows)
    expect(n(1)).toBe(m.splits['validation']?.rows)
    expect(n(2)).toBe(m.splits['test']?.rows)
    expect(n(-1)).toBe(m.excluded.purged)
    expect(n(-2)).toBe(m.excluded.embargoed)
    const v = Date.parse(m.boundaries.validationStart) * 1000
    const t = Date.parse(m.boundaries.testStart) * 1000
    const range = (code: number) => byCode.find((r) => r['split'] === code)
    // Train ends a purge (1 min) before validation starts; validation starts an embargo after.
    expect(Number(range(0)?.['hi'])).toBeLessThan(v - 60_000_000)
    expect(Number(range(1)?.['lo'])).toBeGreaterThanOrEqual(v + 10_000_000)
    expect(Number(range(1)?.['hi'])).toBeLessThan(t - 60_000_000)
    expect(Number(range(2)?.['lo'])).toBeGreaterThanOrEqual(t + 10_000_000)
    // 600 purged rows per boundary at 100 ms, 100 embargoed.
    expect(m.excluded).toEqual({ purged: 1200, embargoed: 200 })
    expect(m.splits['train']?.days).toEqual(['2024-08-08', '2024-08-09'])
    expect(minute.result.split?.rows).toEqual({
      train: n(0),
      validation: n(1),
      test: n(2),
      purged: 1200,
      embargoed: 200
    })
  })

  it('verify-dataset passes the labels and fails on an edited splits.json', async () => {
    const ok = await verifyDataset(minute.out, { checkInputs: false })
    expect(ok.problems).toEqual([])
    const p = join(minute.out, 'splits.json')
    writeFileSync(p, readFileSync(p, 'utf8').replace('"purge": "1m"', '"purge": "0s"'))
    const bad = await verifyDataset(minute.out, { checkInputs: false })
    expect(bad.problems).toEqual([expect.objectContaining({ kind: 'sha256', path: 'splits.json' })])
  })
})

// The tools the datasets are for, for real: an export of the converted real spot capture (with
// labels and a 70/15/15 split) read by pyarrow, pandas, polars and duckdb in a Python venv
// (LAKEBOOK_PYTHON): schemas and nullability as documented, rows per day as the certificate
// says, the part files' key-value metadata, book values at sample grid times against an
// independent replay, the split against the certificate and splits.json; then the loaders in
// examples/python (a polars scan by split, numpy windows of book states) against DuckDB here.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { FloatGrid } from '../../../src-shared/units'
import { exportDataset } from '../../../src-main/export/exportJob'
import { labelOptions, labelsSpec } from '../../../src-main/export/labels'
import { DATASET_SCHEMA_VERSION, TABLE_SPECS } from '../../../src-main/export/schema'
import { splitOptions } from '../../../src-main/export/split'
import { IssueLog } from '../../../src-main/util/issueLog'
import { replayLake } from '../../../src-main/engine/lakeReplay'
import { resolveSelection } from '../../../src-main/engine/source/lakeSources'
import { openLakeSources } from '../../../src-main/engine/source/parallelSources'
import type { DatasetCertificate } from '../../../src-main/export/certificate'
import { ROOT } from '../../helpers/build'
import { hasCaptures } from '../../helpers/data'
import { SPOT, spotOptions, ungated } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'
import { hasPython, runPython } from '../../helpers/python'

const EXAMPLES = join(ROOT, 'examples/python')
const ARROW_TYPE = {
  i8: 'int8',
  i32: 'int32',
  i64: 'int64',
  ts: 'timestamp[us, tz=UTC]',
  f64: 'double'
}

type Json = Record<string, unknown>

/** The best bid and ask after every message of an independent replay. */
async function replayBest(
  root: string
): Promise<{ recvUs: number; bid: number; bidLots: number; ask: number; askLots: number }[]> {
  const best: { recvUs: number; bid: number; bidLots: number; ask: number; askLots: number }[] = []
  await replayLake(
    openLakeSources(resolveSelection({ root, ...SPOT }), new FloatGrid('0.01'), new IssueLog(), {
      workers: 0
    }),
    {
      market: 'spot',
      observer: {
        message(recvUs, _e, _s, book) {
          best.push({
            recvUs,
            bid: book.bids.bestTick(),
            bidLots: book.bids.bestQty(),
            ask: book.asks.bestTick(),
            askLots: book.asks.bestQty()
          })
        }
      }
    }
  )
  return best
}

describe.skipIf(!hasCaptures || !hasPython)('Python consumers of a real export', () => {
  let out = ''
  let cert: DatasetCertificate
  let seen: Record<string, Json>
  let con: DuckDBConnection
  let sampleTimes: number[] = []
  let best: Awaited<ReturnType<typeof replayBest>> = []
  const labels = labelOptions(undefined, 1)

  beforeAll(async () => {
    const root = (await convertedLake('spot-btcusdt-20240808')).root
    const o = spotOptions(root, {
      tables: { events: false, book: true, bookEvents: false, features: true },
      labels,
      split: splitOptions({ split: '70/15/15', longestHorizonUs: 60_000_000 })
    })
    out = o.out
    await exportDataset(o, ungated(o))
    cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as DatasetCertificate
    con = await (await DuckDBInstance.create(':memory:')).connect()
    const grid = (
      await con.runAndReadAll(
        `SELECT epoch_us(time) AS t FROM read_parquet('${out}/book/*/*.parquet') ORDER BY time`
      )
    ).getRowObjectsJS()
    sampleTimes = [0, 1, 777, 3000, 5000, grid.length - 1].map((k) => Number(grid[k]?.['t']))
    best = await replayBest(root)
    seen = runPython(join(ROOT, 'test/engine/python/read_dataset.py'), [
      out,
      JSON.stringify(sampleTimes)
    ]) as Record<string, Json>
  })

  it('reads the documented schema, nullability and key-value metadata with pyarrow', () => {
    const schema = seen['pyarrow']?.['schema'] as Record<string, [string, string, boolean][]>
    const specs = {
      book: TABLE_SPECS.book,
      features: TABLE_SPECS.features,
      labels: labelsSpec(labels, true)
    }
    for (const [t, spec] of Object.entries(specs)) {
      expect(schema[t]).toEqual([
        ...spec.columns.map((c) => [c.name, ARROW_TYPE[c.type], c.nullable === true]),
        ['date', 'string', true] // pyarrow infers Hive partition values as strings
      ])
      const kv = (seen['pyarrow']?.['kv'] as Record<string, Record<string, string>>)[t]
      expect(JSON.parse(kv?.['lakebook'] ?? '{}')).toEqual({
        format: 'lakebook-dataset',
        table: t,
        schemaVersion: DATASET_SCHEMA_VERSION,
        columns: spec.columns.length
      })
    }
    expect(Object.keys(schema.labels ?? [])).toHaveLength(2 + 3 * 4 + 1)
  })

  it('finds the delta and dictionary encodings the writer chose (parquetWriter.ts)', () => {
    const enc = seen['pyarrow']?.['encodings'] as Record<string, Record<string, string[]>>
    // Times and integers: delta-encoded; prices and codes: dictionary pages (or plain fallback).
    expect(enc.book?.['time']).toContain('DELTA_BINARY_PACKED')
    expect(enc.book?.['sequence']).toContain('DELTA_BINARY_PACKED')
    expect(enc.book?.['bid_0_price']).toContain('RLE_DICTIONARY')
    expect(enc.book?.['flags']).toContain('RLE_DICTIONARY')
    expect(enc.features?.['trades']).toContain('DELTA_BINARY_PACKED')
    for (const cols of Object.values(enc))
      for (const e of Object.values(cols)) expect(e).not.toContain('BYTE_STREAM_SPLIT')
  })

  it('counts the rows of every day as the certificate does, in all four libraries', () => {
    const want: Record<string, Record<string, number>> = {}
    for (const d of cert.days)
      for (const [t, n] of Object.entries(d.outputRows)) (want[t] ??= {})[d.date] = n
    expect(Object.keys(want.labels ?? {})).toEqual(['2024-08-08', '2024-08-09'])
    for (const lib of ['pyarrow', 'polars', 'duckdb'])
      expect([lib, seen[lib]?.['rows']]).toEqual([lib, want])
    expect(seen['pandas']?.['rows']).toEqual({ features: want.features })
    // pandas through pyarrow: timestamps with UTC, the split's codes as int8, labels nullable.
    const dtypes = (seen['pandas']?.['dtypes'] as Record<string, Record<string, string>>).features
    expect(dtypes?.['time']).toMatch(/^datetime64\[(us|ns), UTC\]$/)
    expect(dtypes?.['trades']).toBe('int32')
    expect(seen['duckdb']?.['joined']).toBe(cert.totals.rows['features'])
  })

  it('shows the book the independent replay had at the sample grid times (pandas, polars)', () => {
    const want = sampleTimes.map((t) => {
      let last = best[0]
      for (const m of best) {
        if (m.recvUs > t) break
        last = m
      }
      return {
        t,
        bid_0_price: (last?.bid ?? NaN) / 100,
        bid_0_size: (last?.bidLots ?? NaN) / 1e8,
        ask_0_price: (last?.ask ?? NaN) / 100,
        ask_0_size: (last?.askLots ?? NaN) / 1e8
      }
    })
    expect(seen['pandas']?.['book']).toEqual(want)
    expect(seen['polars']?.['book']).toEqual(want)
  })

  it('reads the split the certificate and splits.json describe', () => {
    const codes = {
      '0': 'train',
      '1': 'validation',
      '2': 'test',
      '-1': 'purged',
      '-2': 'embargoed'
    }
    const byName = Object.fromEntries(
      Object.entries(seen['polars']?.['split'] as Record<string, number>).map(([c, n]) => [
        codes[c as keyof typeof codes],
        n
      ])
    )
    // Codes with no row (here: no embargo) are absent from a group-by, present in the certificate.
    expect(byName).toEqual(
      Object.fromEntries(Object.entries(cert.split?.rows ?? {}).filter(([, n]) => n > 0))
    )
    expect(
      Object.fromEntries(
        Object.entries(seen['duckdb']?.['split'] as Record<string, number>).map(([c, n]) => [
          codes[c as keyof typeof codes],
          n
        ])
      )
    ).toEqual(byName)
    const manifest = JSON.parse(readFileSync(join(out, 'splits.json'), 'utf8')) as {
      days: { date: string; rows: Record<string, number> }[]
    }
    const perDay: Record<string, number> = {}
    for (const d of manifest.days)
      for (const [name, n] of Object.entries(d.rows)) {
        const code = Object.entries(codes).find(([, v]) => v === name)?.[0] ?? '?'
        perDay[`${d.date}/${code}`] = n
      }
    expect(seen['polars']?.['splitDays']).toEqual(perDay)
    expect(seen['polars']?.['nullRet1s']).toBe(cert.labels?.perHorizon['1s']?.end)
  })

  it('runs the examples: a polars scan by split and numpy windows of book states', async () => {
    const q = async (sql: string): Promise<Json | undefined> =>
      (await con.runAndReadAll(sql)).getRowObjectsJS()[0]
    const labelsGlob = `read_parquet('${out}/labels/*/*.parquet', hive_partitioning = true)`
    const scans = runPython(join(EXAMPLES, 'scan_split.py'), [out, 'train', 'test']) as Json[]
    for (const [k, code] of [0, 2].entries()) {
      const got = scans[k] ?? {}
      const want = await q(
        `SELECT count(*)::INTEGER AS rows, count(DISTINCT date)::INTEGER AS days, epoch_us(min(time)) AS first_us,
                epoch_us(max(time)) AS last_us, avg(ret_1s) AS mean_ret_1s, count(*) FILTER (WHERE ret_60s IS NULL)::INTEGER AS nulls_ret_60s
           FROM ${labelsGlob} WHERE split = ${code}`
      )
      expect(got['rows']).toBe(want?.['rows'])
      expect(got['days']).toBe(want?.['days'])
      expect(got['first_us']).toBe(Number(want?.['first_us']))
      expect(got['last_us']).toBe(Number(want?.['last_us']))
      expect(got['mean_ret_1s']).toBeCloseTo(want?.['mean_ret_1s'] as number, 15)
      expect(got['nulls_ret_60s']).toBe(want?.['nulls_ret_60s'])
    }
    const w = runPython(join(EXAMPLES, 'windows.py'), [out, 'train', '50', 'ret_1s']) as Json
    // Window ends, independently: 50 rows spanning 49 grid steps, all train, target present.
    const ends = await q(
      `WITH r AS (
         SELECT time, ret_1s, split,
                epoch_us(time) - epoch_us(lag(time, 49) OVER (ORDER BY time)) AS span,
                max(abs(split)) OVER (ORDER BY time ROWS 49 PRECEDING) AS worst,
                min(split) OVER (ORDER BY time ROWS 49 PRECEDING) AS least
           FROM ${labelsGlob})
       SELECT count(*)::INTEGER AS n, sum(ret_1s) AS s, epoch_us(min(time)) AS first
         FROM r WHERE span = 4900000 AND worst = 0 AND least = 0 AND ret_1s IS NOT NULL`
    )
    expect(w['windows']).toBe(ends?.['n'])
    expect(w['windows']).toBeGreaterThan(3000)
    expect(w['shape']).toEqual([[50, 20], []])
    expect(w['y_sum']).toBeCloseTo(ends?.['s'] as number, 6)
    // The first window's last row: the book at the first window end, prices relative to the mid.
    const b = await q(
      `SELECT bid_0_price, bid_0_size, ask_0_price, ask_0_size FROM read_parquet('${out}/book/*/*.parquet')
        WHERE epoch_us(time) = ${Number(ends?.['first'])}`
    )
    const mid = ((b?.['bid_0_price'] as number) + (b?.['ask_0_price'] as number)) / 2
    const first = w['first'] as number[]
    expect(first[0]).toBeCloseTo((b?.['bid_0_price'] as number) - mid, 4)
    expect(first[1]).toBeCloseTo(b?.['bid_0_size'] as number, 6)
    expect(first[2]).toBeCloseTo((b?.['ask_0_price'] as number) - mid, 4)
    expect(first[3]).toBeCloseTo(b?.['ask_0_size'] as number, 6)
  })
})

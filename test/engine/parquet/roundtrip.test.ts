// Write → read round trips of the three Crypto Lake tables on rows derived from the REAL Binance
// spot capture (spot-btcusdt-20240808): values bit for bit, the vendor's schema (names, order,
// types, fingerprints), 10,000-row row groups, snappy, data page v2, format version 2 and the KV
// metadata. DuckDB reads the same files as an independent second reader.
import { describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { readFooter } from '../../../src-main/lake/parquet/footer'
import { readLakeTable } from '../../../src-main/lake/parquet/reader'
import {
  ARROW_TYPE,
  SCHEMAS,
  VENDOR_FINGERPRINTS,
  tableFingerprint,
  type Int64Input,
  type LakeTable
} from '../../../src-main/lake/parquet/schemas'
import { writeLakeTable } from '../../../src-main/lake/parquet/writer'
import { hasCaptures } from '../../helpers/data'
import { META, bytesOf, quote, realRows, scratch, sql, usRef } from './helpers'

type Cols = Record<string, Float64Array | Uint8Array>

async function readAll(
  path: string,
  table: LakeTable
): Promise<{ rows: number; cols: Cols; groups: number[] }> {
  const parts: Cols[] = []
  const groups: number[] = []
  let rows = 0
  for await (const b of readLakeTable(path, table)) {
    expect(b.rowStart).toBe(rows)
    rows += b.rows
    groups.push(b.rowGroup)
    parts.push(b.columns as unknown as Cols)
  }
  const cols: Cols = {}
  for (const c of SCHEMAS[table].columns) {
    const first = parts[0]?.[c.name]
    const out = first instanceof Uint8Array ? new Uint8Array(rows) : new Float64Array(rows)
    let at = 0
    for (const p of parts) {
      const a = p[c.name]!
      out.set(a, at)
      at += a.length
    }
    cols[c.name] = out
  }
  return { rows, cols, groups }
}

const asBig = (v: Int64Input, i: number): bigint =>
  v instanceof BigInt64Array ? v[i]! : BigInt(v[i]!)

describe('schemas', () => {
  it('reproduce the fingerprints measured on real vendor files', () => {
    for (const t of ['book_delta_v2', 'trades', 'book'] as const) {
      expect(tableFingerprint(t)).toBe(VENDOR_FINGERPRINTS[t])
    }
    expect(SCHEMAS.book.columns).toHaveLength(83)
    expect(SCHEMAS.book.columns.map((c) => c.raw).slice(0, 5)).toEqual([
      'timestamp',
      'receipt_timestamp',
      'sequence_number',
      'bid_0_price',
      'bid_0_size'
    ])
    expect(SCHEMAS.book.columns[43]?.raw).toBe('ask_0_price')
    expect(SCHEMAS.trades.columns.map((c) => c.raw)).toEqual([
      'side',
      'amount',
      'price',
      'id',
      'timestamp',
      'receipt_timestamp'
    ])
  })
})

describe.skipIf(!hasCaptures)('round trip on rows from the real spot capture', () => {
  const tables = [
    ['book_delta_v2', 'bookDelta'],
    ['trades', 'trades'],
    ['book', 'book']
  ] as const

  for (const [table, key] of tables) {
    it(`${table}: values, types, row groups and metadata survive`, async () => {
      const real = await realRows()
      const src = real[key]
      expect(src.rows).toBeGreaterThan(100)
      const dir = scratch(table)
      const path = join(dir, '1.snappy.parquet')
      // Feed in uneven slices so row groups are cut by the writer, not by the caller.
      const inCols = src.columns as unknown as Record<string, Float64Array | Uint8Array | string[]>
      const slices = [0, 777, 5000, 12_345, src.rows].filter(
        (x, i, a) => x <= src.rows && a.indexOf(x) === i
      )
      const batches = slices.slice(1).map((end, i) => {
        const start = slices[i]!
        const o: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(inCols)) o[k] = v.slice(start, end)
        return o
      })
      const summary = await writeLakeTable(path, table, META, batches as never[])
      expect(summary.rows).toBe(src.rows)
      expect(readdirSync(dir)).toEqual(['1.snappy.parquet']) // no temp file left behind

      const footer = await readFooter(path)
      expect(footer.rows).toBe(src.rows)
      expect(footer.formatVersion).toBe(2)
      expect(footer.compression).toEqual(['SNAPPY'])
      expect(footer.kv).toEqual({
        date: '2024-08-08',
        contains_gaps: 'No',
        symbol: 'BTC-USDT',
        event_type: table,
        exchange: 'BINANCE'
      })
      expect(footer.columns.map((c) => `${c.name}:${c.type}`)).toEqual(
        SCHEMAS[table].columns.map((c) => `${c.raw}:${ARROW_TYPE[c.kind]}`)
      )
      expect(footer.columns.every((c) => c.nullable)).toBe(true)
      expect(footer.fingerprint).toBe(VENDOR_FINGERPRINTS[table])
      const sizes = footer.rowGroups.map((g) => g.rows)
      if (table === 'book_delta_v2') expect(sizes.length).toBeGreaterThanOrEqual(2)
      expect(sizes.slice(0, -1).every((n) => n === 10_000)).toBe(true)
      expect(sizes.at(-1)).toBe(src.rows - 10_000 * (sizes.length - 1))

      const got = await readAll(path, table)
      expect(got.rows).toBe(src.rows)
      expect(new Set(got.groups).size).toBe(sizes.length)
      for (const c of SCHEMAS[table].columns) {
        const out = got.cols[c.name]!
        const input = inCols[c.raw]!
        for (let i = 0; i < src.rows; i++) {
          let want: number
          if (c.kind === 'time') want = usRef(asBig(input as Int64Input, i))
          else if (c.kind === 'int') want = Number(asBig(input as Int64Input, i))
          else if (c.kind === 'side') want = (input as string[])[i] === 'buy' ? 1 : 0
          else want = (input as Float64Array)[i]!
          if (!Object.is(out[i], want)) {
            expect.fail(`${table}.${c.name} row ${i}: got ${out[i]}, want ${want}`)
          }
        }
      }

      // DuckDB, an independent reader, sees the same rows and a v2 data page in every chunk.
      const [agg] = await sql(
        `SELECT count(*) AS n, sum(receipt_timestamp // 1000)::VARCHAR AS rts FROM read_parquet(${quote(path)})`
      )
      expect(Number(agg?.['n'])).toBe(src.rows)
      let rts = 0n
      for (let i = 0; i < src.rows; i++)
        rts += BigInt(usRef(asBig(src.columns.receipt_timestamp, i)))
      expect(agg?.['rts']).toBe(rts.toString())
      const pages = await sql(
        `SELECT data_page_offset::BIGINT AS off FROM parquet_metadata(${quote(path)})`
      )
      const bytes = bytesOf(path)
      expect(pages.length).toBe(sizes.length * SCHEMAS[table].columns.length)
      for (const p of pages) {
        const off = Number(p['off'])
        // Thrift compact PageHeader: field 1 (i32 type) = 0x15, value zigzag(3 = DATA_PAGE_V2) = 6.
        expect([bytes[off], bytes[off + 1]]).toEqual([0x15, 0x06])
      }
    })
  }

  it('the capture-derived rows follow the vendor recipe', async () => {
    const real = await realRows()
    const d = real.bookDelta.columns
    // The REST snapshot opens the stream: timestamp 0 (spot REST depth has no E), one sequence.
    expect(real.snapshotRows).toBe(2000)
    expect(d.timestamp[0]).toBe(0)
    expect(d.sequence_number[0]).toBe(d.sequence_number[1999])
    // Diff rows carry int(E_ms / 1000.0 * 1e9): float artefacts included, always exact doubles.
    const e = real.bookDelta.eventMs[real.snapshotRows]!
    expect(d.timestamp[real.snapshotRows]).toBe((e / 1000) * 1e9)
    expect(Number.isInteger(d.timestamp[real.snapshotRows])).toBe(true)
  })
})

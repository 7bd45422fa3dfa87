// Files that carry lakeapi's column names instead of the vendor's raw ones, built from rows of the
// REAL spot capture: (1) a raw file renamed and re-written by DuckDB (a foreign writer with its own
// row-group sizes, read with a small batch cap), (2) a trades file shaped like a saved lakeapi
// frame (pandas categorical side → dictionary<string>, datetime64[ns] → timestamp[ns], plus the
// partition columns lakeapi adds). Both must read back to exactly the raw file's values.
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { mkdirSync, writeFileSync } from 'node:fs'
import {
  Dictionary,
  Float64,
  Int8,
  Int64,
  Table,
  TimestampNanosecond,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray
} from 'apache-arrow'
import { Table as WasmTable, writeParquet } from 'parquet-wasm'
import { InputError } from '../../../src-main/util/errors'
import { readFooter } from '../../../src-main/lake/parquet/footer'
import { readLakeTable, type ReadOptions } from '../../../src-main/lake/parquet/reader'
import type { LakeTable } from '../../../src-main/lake/parquet/schemas'
import { writeLakeTable } from '../../../src-main/lake/parquet/writer'
import { hasCaptures } from '../../helpers/data'
import { META, quote, realRows, scratch, sql } from './helpers'

async function collect(path: string, table: LakeTable, opts: ReadOptions = {}) {
  const cols: Record<string, number[]> = {}
  const batches: { rowGroup: number; rowStart: number; rows: number }[] = []
  for await (const b of readLakeTable(path, table, opts)) {
    batches.push({ rowGroup: b.rowGroup, rowStart: b.rowStart, rows: b.rows })
    for (const [k, v] of Object.entries(
      b.columns as unknown as Record<string, ArrayLike<number>>
    )) {
      ;(cols[k] ??= []).push(...Array.from(v))
    }
  }
  return { cols, batches }
}

describe.skipIf(!hasCaptures)('lakeapi column names', () => {
  it('book_delta_v2 renamed and re-written by DuckDB reads like the raw file', async () => {
    const real = await realRows()
    const dir = scratch('lakeapi-duckdb')
    const raw = join(dir, 'raw.parquet')
    const renamed = join(dir, 'lakeapi.parquet')
    await writeLakeTable(raw, 'book_delta_v2', META, [real.bookDelta.columns])
    await sql(
      `COPY (SELECT timestamp AS origin_time, receipt_timestamp AS received_time, sequence_number,
        side_is_bid, price, size FROM read_parquet(${quote(raw)})) TO ${quote(renamed)}
        (FORMAT parquet, ROW_GROUP_SIZE 8192)`
    )
    const footer = await readFooter(renamed)
    expect(footer.columns.map((c) => c.name)).toContain('origin_time')
    expect(footer.rowGroups.length).toBeGreaterThan(1)

    const a = await collect(raw, 'book_delta_v2')
    const b = await collect(renamed, 'book_delta_v2', { maxBatchRows: 3000 })
    expect(Object.keys(b.cols).sort()).toEqual(Object.keys(a.cols).sort())
    for (const k of Object.keys(a.cols)) expect(b.cols[k]).toEqual(a.cols[k])

    // Batches are capped and never straddle a row group; rowGroup/rowStart follow the footer.
    let groupStart = 0
    let g = 0
    for (const x of b.batches) {
      expect(x.rows).toBeLessThanOrEqual(3000)
      while (x.rowStart >= groupStart + (footer.rowGroups[g]?.rows ?? 0)) {
        groupStart += footer.rowGroups[g]?.rows ?? 0
        g++
      }
      expect(x.rowGroup).toBe(g)
      expect(x.rowStart + x.rows).toBeLessThanOrEqual(groupStart + (footer.rowGroups[g]?.rows ?? 0))
    }
  })

  it('trades saved from a lakeapi frame (categorical side, datetime64[ns]) read like the raw file', async () => {
    const real = await realRows()
    const t = real.trades
    const dir = scratch('lakeapi-pandas')
    const raw = join(dir, 'raw.parquet')
    await writeLakeTable(raw, 'trades', META, [t.columns])

    const n = t.rows
    const ns = (v: Float64Array): BigInt64Array => BigInt64Array.from(v, (x) => BigInt(x))
    const i64 = (v: BigInt64Array) =>
      makeVector(makeData({ type: new Int64(), length: n, nullCount: 0, data: v }))
    const tsNs = (v: BigInt64Array) =>
      makeVector(makeData({ type: new TimestampNanosecond(), length: n, nullCount: 0, data: v }))
    const f64 = (v: Float64Array) =>
      makeVector(makeData({ type: new Float64(), length: n, nullCount: 0, data: v }))
    const cat = (values: readonly string[]) =>
      vectorFromArray([...values], new Dictionary(new Utf8(), new Int8()))
    const frame = (withPartitions: boolean) =>
      new Table({
        side: cat(t.columns.side),
        quantity: f64(t.columns.amount),
        price: f64(t.columns.price),
        trade_id: i64(ns(t.columns.id as Float64Array)),
        origin_time: tsNs(ns(t.columns.timestamp as Float64Array)),
        received_time: tsNs(ns(t.columns.receipt_timestamp as Float64Array)),
        ...(withPartitions
          ? {
              symbol: cat(t.columns.side.map(() => 'BTC-USDT')),
              exchange: cat(t.columns.side.map(() => 'BINANCE'))
            }
          : {})
      })
    const save = (file: string, table: Table): void => {
      writeFileSync(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream'))))
    }
    const plain = join(dir, 'lakeapi.parquet')
    const withParts = join(dir, 'lakeapi-partitions.parquet')
    save(plain, frame(false))
    save(withParts, frame(true))

    const types = (await readFooter(plain)).columns.map((c) => `${c.name}:${c.type}`)
    expect(types).toContain('side:dictionary<values=string, indices=int8, ordered=0>')
    expect(types).toContain('origin_time:timestamp[ns]')

    const a = await collect(raw, 'trades')
    const b = await collect(plain, 'trades')
    for (const k of Object.keys(a.cols)) expect(b.cols[k]).toEqual(a.cols[k])

    // lakeapi's added partition columns are checked against the path: outside a partition folder
    // they cannot be, and the file is refused, naming them; inside one they read like the raw file.
    const err = await collect(withParts, 'trades').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).file).toBe(withParts)
    expect(String(err)).toMatch(/column "symbol" cannot be checked: the path has no symbol= folder/)
    const inPartition = join(dir, 'exchange=BINANCE', 'symbol=BTC-USDT', 'dt=2024-08-08')
    mkdirSync(inPartition, { recursive: true })
    save(join(inPartition, '1.snappy.parquet'), frame(true))
    const c = await collect(join(inPartition, '1.snappy.parquet'), 'trades')
    for (const k of Object.keys(a.cols)) expect(c.cols[k]).toEqual(a.cols[k])
  })
})

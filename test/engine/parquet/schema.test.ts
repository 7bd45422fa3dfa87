// Files whose schema is not the table's are refused with one InputError that names the file and
// every missing, unexpected, duplicated or mistyped column. Also refused at read time, naming the
// row: null values, a side other than buy/sell, an int64 id beyond 2^53. The bad files are made by
// DuckDB from a file of REAL capture rows, each with one deliberate (synthetic) defect.
import { beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { InputError } from '../../../src-main/util/errors'
import { readLakeTable } from '../../../src-main/lake/parquet/reader'
import type { LakeTable } from '../../../src-main/lake/parquet/schemas'
import { writeLakeTable } from '../../../src-main/lake/parquet/writer'
import { hasCaptures } from '../../helpers/data'
import { META, quote, realRows, scratch, sql } from './helpers'

async function readError(path: string, table: LakeTable): Promise<InputError> {
  try {
    for await (const _ of readLakeTable(path, table)) {
      // drain
    }
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).file).toBe(path)
    expect((e as Error).message).toContain(path)
    return e as InputError
  }
  return expect.fail(`${path} was read without error`)
}

describe.skipIf(!hasCaptures)('schema checks', () => {
  let dir = ''
  let deltas = ''
  let trades = ''
  const variant = async (name: string, from: string, select: string): Promise<string> => {
    const out = join(dir, `${name}.parquet`)
    await sql(
      `COPY (SELECT ${select} FROM read_parquet(${quote(from)})) TO ${quote(out)} (FORMAT parquet)`
    )
    return out
  }

  beforeAll(async () => {
    const real = await realRows()
    dir = scratch('schema')
    deltas = join(dir, 'deltas.parquet')
    trades = join(dir, 'trades.parquet')
    await writeLakeTable(deltas, 'book_delta_v2', META, [real.bookDelta.columns])
    await writeLakeTable(trades, 'trades', META, [real.trades.columns])
  })

  it('names an extra column', async () => {
    const f = await variant('extra', deltas, '*, 1.5::DOUBLE AS mid')
    const e = await readError(f, 'book_delta_v2')
    expect(e.message).toMatch(
      /not a Crypto Lake book_delta_v2 file: unexpected column "mid" \(double\)/
    )
  })

  it('names a missing column with its lakeapi name', async () => {
    const f = await variant('missing', deltas, '* EXCLUDE (receipt_timestamp)')
    const e = await readError(f, 'book_delta_v2')
    expect(e.message).toMatch(/missing column "receipt_timestamp" \(lakeapi name "received_time"\)/)
  })

  it('names retyped columns with the type found and the type expected', async () => {
    const f = await variant(
      'retyped',
      deltas,
      '* REPLACE (price::FLOAT AS price, (sequence_number % 1000000)::INTEGER AS sequence_number)'
    )
    const e = await readError(f, 'book_delta_v2')
    expect(e.message).toMatch(/column "price" is float, expected double/)
    expect(e.message).toMatch(/column "sequence_number" is int32, expected int64/)
  })

  it('refuses a column present under both names', async () => {
    const f = await variant('twice', deltas, '*, timestamp AS origin_time')
    const e = await readError(f, 'book_delta_v2')
    expect(e.message).toMatch(/column "timestamp" appears twice, as "timestamp" and "origin_time"/)
  })

  it('refuses another table’s file', async () => {
    const e = await readError(trades, 'book_delta_v2')
    expect(e.message).toMatch(/unexpected column "side"/)
    expect(e.message).toMatch(/missing column "side_is_bid"/)
  })

  it('refuses null values, naming the column and rows', async () => {
    const f = await variant(
      'nulls',
      deltas,
      '* REPLACE (CASE WHEN sequence_number % 7 = 0 THEN NULL ELSE size END AS size)'
    )
    const e = await readError(f, 'book_delta_v2')
    expect(e.message).toMatch(/column "size" has \d+ null values in rows \d+–\d+/)
  })

  it('refuses a side other than buy/sell, naming the row', async () => {
    const f = await variant(
      'side',
      trades,
      '* REPLACE (CASE WHEN id % 1000 = 7 THEN upper(side) ELSE side END AS side)'
    )
    const e = await readError(f, 'trades')
    expect(e.message).toMatch(
      /column "side" row \d+: side is "(BUY|SELL)", expected "buy" or "sell"/
    )
  })

  it('refuses an id that a Float64 cannot hold exactly', async () => {
    const f = await variant('bigid', trades, '* REPLACE (id + 9007199254740992 AS id)')
    const e = await readError(f, 'trades')
    expect(e.message).toMatch(/column "id" row 0: \d+ is outside ±2\^53, not exact in a Float64/)
  })
})

// The writer's contract: nothing appears at the target path until close() (temp file in the same
// folder, then rename), abort and bad input leave no file behind, shapes are checked before any
// row is taken, and a 0-row table is still a valid file. Inputs are SYNTHETIC except where the
// real capture rows are used for BigInt64Array vs Float64Array equivalence.
import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../../../src-main/util/errors'
import { readFooter } from '../../../src-main/lake/parquet/footer'
import { readLakeTable } from '../../../src-main/lake/parquet/reader'
import type { TradeInput } from '../../../src-main/lake/parquet/schemas'
import { LakeParquetWriter, writeLakeTable } from '../../../src-main/lake/parquet/writer'
import { hasCaptures } from '../../helpers/data'
import { META, realRows, scratch } from './helpers'

function trades(n: number, start = 0): TradeInput {
  const ts = Float64Array.from(
    { length: n },
    (_, i) => 1_723_161_255_000_000_000 + (start + i) * 1024
  )
  return {
    side: Array.from({ length: n }, (_, i) => ((start + i) % 3 === 0 ? 'sell' : 'buy')),
    amount: Float64Array.from({ length: n }, (_, i) => (i % 7) / 100),
    price: new Float64Array(n).fill(61_000.5),
    id: Float64Array.from({ length: n }, (_, i) => 3_735_683_259 + start + i),
    timestamp: ts,
    receipt_timestamp: ts
  }
}

describe('LakeParquetWriter (synthetic rows)', () => {
  it('publishes the file only on close, atomically', async () => {
    const dir = scratch('atomic')
    const path = join(dir, '1.snappy.parquet')
    writeFileSync(path, 'previous version')
    const w = LakeParquetWriter.open(path, 'trades', META)
    await w.append(trades(25_000))
    // Two full row groups are on disk, in the temp file only.
    expect(readFileSync(path, 'utf8')).toBe('previous version')
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1)
    const s = await w.close()
    expect(s).toMatchObject({ rows: 25_000, rowGroups: 3, table: 'trades' })
    expect(readdirSync(dir)).toEqual(['1.snappy.parquet'])
    expect((await readFooter(path)).rowGroups.map((g) => g.rows)).toEqual([10_000, 10_000, 5_000])
  })

  it('abort leaves nothing behind', async () => {
    const dir = scratch('abort')
    const w = LakeParquetWriter.open(join(dir, 'x.parquet'), 'trades', META)
    await w.append(trades(15_000))
    await w.abort()
    await w.abort()
    expect(readdirSync(dir)).toEqual([])
    await expect(w.append(trades(1))).rejects.toThrow(/writer is failed/)
  })

  it('a bad value fails the whole write, naming column and row, and removes the temp file', async () => {
    const dir = scratch('badvalue')
    const path = join(dir, 'x.parquet')
    const w = LakeParquetWriter.open(path, 'trades', META)
    await w.append(trades(12_000))
    const bad = trades(100, 12_000)
    ;(bad.side as string[])[42] = 'BUY'
    const e = await w.append(bad).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(InputError)
    expect((e as Error).message).toBe(
      `${path}: trades column "side" row 12042: side must be 'buy' or 'sell'`
    )
    await w.abort()
    expect(readdirSync(dir)).toEqual([])

    const w2 = LakeParquetWriter.open(path, 'trades', META)
    const frac = trades(10)
    ;(frac.timestamp as Float64Array)[3] = 1.5
    await expect(w2.append(frac)).rejects.toThrow(
      /column "timestamp" row 3: int64 values must be integers/
    )
    await w2.abort()
    expect(existsSync(path)).toBe(false)
  })

  it('checks shapes before taking any row and stays usable', async () => {
    const path = join(scratch('shapes'), 'x.parquet')
    const w = LakeParquetWriter.open(path, 'trades', META)
    const short = { ...trades(10), price: new Float64Array(9) }
    await expect(w.append(short)).rejects.toThrow(/columns differ in length: "price" has 9 rows/)
    const wrong = { ...trades(10), amount: [1, 2] as unknown as Float64Array }
    await expect(w.append(wrong)).rejects.toThrow(/column "amount" must be a Float64Array/)
    await w.append(trades(10))
    expect((await w.close()).rows).toBe(10)
  })

  it('refuses bad metadata before creating a file', () => {
    const dir = scratch('meta')
    expect(() =>
      LakeParquetWriter.open(join(dir, 'x.parquet'), 'trades', { ...META, date: '8/8/2024' })
    ).toThrow(/metadata date: "8\/8\/2024" is not a day as YYYY-MM-DD/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('writes a valid file with no rows', async () => {
    const path = join(scratch('empty'), 'x.parquet')
    await writeLakeTable(path, 'trades', { ...META, containsGaps: true }, [])
    const f = await readFooter(path)
    expect(f.rows).toBe(0)
    expect(f.kv['contains_gaps']).toBe('Yes')
    let batches = 0
    for await (const _ of readLakeTable(path, 'trades')) batches++
    expect(batches).toBe(0)
  })
})

describe.skipIf(!hasCaptures)('int64 inputs (real capture rows)', () => {
  it('BigInt64Array and Float64Array inputs give byte-identical files', async () => {
    const real = await realRows(3000)
    const c = real.bookDelta.columns
    const big = (v: BigInt64Array | Float64Array) =>
      BigInt64Array.from(v as Float64Array, (x) => BigInt(x))
    const dir = scratch('inputs')
    await writeLakeTable(join(dir, 'f64.parquet'), 'book_delta_v2', META, [c])
    await writeLakeTable(join(dir, 'i64.parquet'), 'book_delta_v2', META, [
      {
        ...c,
        timestamp: big(c.timestamp),
        receipt_timestamp: big(c.receipt_timestamp),
        sequence_number: big(c.sequence_number)
      }
    ])
    // KV metadata order is not fixed by the writer, so compare everything up to the footer.
    const a = readFileSync(join(dir, 'f64.parquet'))
    const b = readFileSync(join(dir, 'i64.parquet'))
    expect(a.length).toBe(b.length)
    const dataEnd = a.length - 8 - a.readUInt32LE(a.length - 8)
    expect(a.subarray(0, dataEnd).equals(b.subarray(0, dataEnd))).toBe(true)
  })
})

// The footer codec and the row-group cutter the reader is built on, checked with DuckDB as an
// independent reader: decoding and re-encoding a footer reproduces it byte for byte, and every
// row group cut out as a standalone file holds exactly the rows of that group in the original.
// Files hold rows of the REAL spot capture, written by our writer and by DuckDB (another writer).
import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openParquet } from '../../../src-main/lake/parquet/footer'
import { rowGroupCutter } from '../../../src-main/lake/parquet/rowGroupFile'
import { decodeStruct, encodeStruct } from '../../../src-main/lake/parquet/thrift'
import { writeLakeTable } from '../../../src-main/lake/parquet/writer'
import { hasCaptures } from '../../helpers/data'
import { META, quote, realRows, scratch, sql } from './helpers'

function footerBytes(path: string): Uint8Array {
  const b = readFileSync(path)
  const len = b.readUInt32LE(b.length - 8)
  return new Uint8Array(b.subarray(b.length - 8 - len, b.length - 8))
}

describe.skipIf(!hasCaptures)('footer codec and row-group files', () => {
  it('cuts every row group into a file DuckDB reads as exactly that group', async () => {
    const real = await realRows()
    const dir = scratch('cut')
    const ours = join(dir, 'ours.parquet')
    const duck = join(dir, 'duck.parquet')
    await writeLakeTable(ours, 'book_delta_v2', META, [real.bookDelta.columns])
    await sql(
      `COPY (SELECT * FROM read_parquet(${quote(ours)})) TO ${quote(duck)} (FORMAT parquet, ROW_GROUP_SIZE 4096)`
    )
    for (const path of [ours, duck]) {
      const footer = footerBytes(path)
      expect(encodeStruct(decodeStruct(footer).value)).toEqual(footer)

      const pq = openParquet(path)
      try {
        const cut = rowGroupCutter(pq.model)
        let first = 0
        expect(pq.model.rowGroups.length).toBeGreaterThan(1)
        for (const span of pq.model.rowGroups) {
          const piece = join(dir, `piece-${span.index}.parquet`)
          writeFileSync(
            piece,
            cut(span, (body) => {
              pq.readInto(span.start, body)
            })
          )
          const q = (from: string, where: string) =>
            `SELECT count(*)::INT AS n, sum(sequence_number)::VARCHAR AS s, sum(price)::VARCHAR AS p,
              sum(receipt_timestamp)::VARCHAR AS r FROM read_parquet(${quote(from)}) ${where}`
          const [a] = await sql(q(piece, ''))
          const [b] = await sql(
            q(
              path,
              `WHERE file_row_number >= ${first} AND file_row_number < ${first + span.rows}`
            ).replace(
              `read_parquet(${quote(path)})`,
              `read_parquet(${quote(path)}, file_row_number = true)`
            )
          )
          expect(a).toEqual(b)
          expect(a?.['n']).toBe(span.rows)
          first += span.rows
        }
        expect(first).toBe(pq.model.rows)
      } finally {
        pq.close()
      }
    }
  })
})

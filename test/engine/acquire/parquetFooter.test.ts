// The footer reader the download check uses (lake/parquet/footer.ts) against DuckDB
// (parquet_file_metadata / parquet_schema / parquet_kv_metadata) on the real-data vendor files,
// and its refusals on broken files (0 bytes, truncated, no magic, encrypted).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { VENDOR_FINGERPRINTS } from '../../../src-main/lake/parquet/schemas'
import { readFooter } from '../../../src-main/lake/parquet/footer'
import { hasCaptures } from '../../helpers/data'
import { buildVendorBucketFiles, type VendorFile } from '../../helpers/vendorBucket'

describe.skipIf(!hasCaptures)('Parquet footer reader', () => {
  let files: VendorFile[] = []
  beforeAll(async () => {
    files = await buildVendorBucketFiles()
  })

  it('agrees with DuckDB on rows, row groups, schema and KV metadata', async () => {
    const db = await DuckDBInstance.create(':memory:')
    const con = await db.connect()
    try {
      for (const f of files) {
        const footer = await readFooter(f.path)
        const meta = (
          await con.runAndReadAll(
            `SELECT num_rows, num_row_groups FROM parquet_file_metadata('${f.path}')`
          )
        ).getRowObjectsJS()[0]
        expect(footer.rows).toBe(Number(meta?.['num_rows']))
        expect(footer.rows).toBe(f.rows)
        expect(footer.rowGroups.length).toBe(Number(meta?.['num_row_groups']))
        const names = (
          await con.runAndReadAll(
            `SELECT name FROM parquet_schema('${f.path}') WHERE num_children IS NULL`
          )
        )
          .getRowObjectsJS()
          .map((r) => r['name'] as string)
        expect(footer.columns.map((x) => x.name)).toEqual(names)
        const kv = (
          await con.runAndReadAll(
            `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${f.path}')`
          )
        ).getRowObjectsJS()
        for (const row of kv) {
          const k = row['k'] as string
          // ARROW:schema (binary) is left out of kv on purpose.
          if (k === 'ARROW:schema') expect(footer.kv[k]).toBeUndefined()
          else expect(footer.kv[k]).toBe(row['v'] as string)
        }
        expect(footer.kv).toMatchObject({
          exchange: 'BINANCE',
          symbol: 'BTC-USDT',
          event_type: f.table,
          date: f.dt
        })
        // Same fingerprint as [JB] measured on the vendor's real files.
        expect(footer.fingerprint).toBe(VENDOR_FINGERPRINTS[f.table])
      }
    } finally {
      con.closeSync()
      db.closeSync()
    }
  })

  it('refuses 0-byte, truncated and non-Parquet files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakebook-footer-'))
    const f = files.find((x) => x.table === 'trades')
    if (f === undefined) throw new Error('no trades file')
    const bytes = readFileSync(f.path)
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(), /0 bytes/],
      ['tiny', bytes.subarray(0, 10), /too short/],
      [
        'truncated',
        bytes.subarray(0, bytes.length - 1000),
        /does not end with the Parquet magic.*truncated/
      ],
      ['headless', bytes.subarray(4), /does not start with the Parquet magic/],
      [
        'footer-cut',
        Buffer.concat([bytes.subarray(0, bytes.length - 8 - 50), bytes.subarray(bytes.length - 8)]),
        /footer|Thrift|nested|schema|row count/
      ],
      // Synthetic: the real file with both magics turned into PARE (an encrypted file's).
      [
        'encrypted',
        Buffer.concat([
          Buffer.from('PARE'),
          bytes.subarray(4, bytes.length - 4),
          Buffer.from('PARE')
        ]),
        /"PARE": the footer is encrypted/
      ]
    ]
    for (const [name, body, re] of cases) {
      const p = join(dir, `${name}.parquet`)
      writeFileSync(p, body)
      await expect(readFooter(p), name).rejects.toThrow(re)
      // The sentence names the file.
      await expect(readFooter(p), name).rejects.toThrow(p)
    }
    rmSync(dir, { recursive: true, force: true })
  })
})

// The export's tables against their documentation (docs/dataset-schema.md names every column and
// code), and the row-group buffers the writer stage hands to the Parquet writer: exact int64
// writes without BigInt, and a short last row group read back as exactly its rows.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromIPC } from 'apache-arrow'
import { readParquet } from 'parquet-wasm'
import { describe, expect, it } from 'vitest'
import { putI64, rowGroupBuffer, rowGroupLayout } from '../../../src-main/export/rowGroup'
import { ExportParquetWriter } from '../../../src-main/export/parquetWriter'
import { CODES, LEVEL_COLUMNS, TABLE_SPECS } from '../../../src-main/export/schema'
import { ROOT } from '../../helpers/build'

describe('dataset schema', () => {
  const doc = readFileSync(join(ROOT, 'docs/dataset-schema.md'), 'utf8')

  it('documents every table, column and code', () => {
    const levels = new Set(LEVEL_COLUMNS.map((c) => c.name))
    for (const spec of Object.values(TABLE_SPECS)) {
      expect(doc).toContain(`## \`${spec.table}\``)
      for (const c of spec.columns) if (!levels.has(c.name)) expect(doc).toContain(`\`${c.name}\``)
    }
    expect(doc).toContain('`bid_0_price`, `bid_0_size` … `bid_19_price`, `bid_19_size`')
    for (const [code] of Object.entries(CODES.status))
      expect(doc).toMatch(new RegExp(`\\| ${code} +\\|`))
  })
})

describe('row-group buffers', () => {
  it('writes int64 values exactly', () => {
    const v = new Uint32Array(2)
    const b = new BigInt64Array(v.buffer)
    const xs = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 1_723_161_254_206_651, 2 ** 53 - 1]
    for (let i = 0; i < 10_000; i++) xs.push(Math.floor(Math.random() * 2 ** 53))
    for (const x of xs) {
      putI64(v, 0, x)
      expect(b[0]).toBe(BigInt(x))
    }
  })

  it('writes a short row group as exactly its first rows', async () => {
    const spec = TABLE_SPECS.features
    const layout = rowGroupLayout(spec)
    const rg = rowGroupBuffer(spec, layout)
    const n = 777
    for (let i = 0; i < spec.rowGroupRows; i++) {
      putI64(rg.views[0] as Uint32Array, i, 1_723_161_254_200_000 + i * 100_000)
      ;(rg.views[2] as Float64Array)[i] = 61_000 + i / 100
    }
    const dir = mkdtempSync(join(tmpdir(), 'lakebook-rg-'))
    try {
      const w = ExportParquetWriter.open(join(dir, 'part.parquet'), spec)
      w.writeBufferRowGroup(rg.buffer, n)
      await w.close()
      const t = tableFromIPC(readParquet(readFileSync(join(dir, 'part.parquet'))).intoIPCStream())
      expect(t.numRows).toBe(n)
      expect(t.schema.fields.map((f) => f.name)).toEqual(spec.columns.map((c) => c.name))
      expect(t.getChild('mid')?.get(n - 1)).toBe(61_000 + (n - 1) / 100)
      // apache-arrow reads timestamps as milliseconds.
      expect(t.getChild('time')?.get(n - 1)).toBe(1_723_161_254_200 + (n - 1) * 100)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

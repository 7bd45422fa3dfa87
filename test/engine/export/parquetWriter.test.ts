// The export's own Parquet encoder (src-main/export/parquet/) on synthetic edge cases built here:
// block and group boundaries, int64 values beyond ±2^51 (the BigInt path), int32 deltas that
// wrap, constant columns (bit width 0), doubles whose dictionary does not pay (plain) and one
// whose dictionary outgrows its first hash table, NaN
// payloads and -0, nullable columns. Every file is read back with parquet-wasm (arrow-rs) and
// compared bit for bit; real data is compared with DuckDB, polars and pyarrow in
// test/engine/python/consumers.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromIPC, type Table } from 'apache-arrow'
import { readParquet } from 'parquet-wasm'
import { afterAll, describe, expect, it } from 'vitest'
import { ExportParquetWriter } from '../../../src-main/export/parquetWriter'
import type { ColumnInput } from '../../../src-main/export/parquet/columnChunk'
import type { ColumnSpec, TableSpec } from '../../../src-main/export/schema'
import { Dictionaries } from '../../../src-main/export/parquet/dictionary'

const dir = mkdtempSync(join(tmpdir(), 'lakebook-pqw-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'i64' },
  { name: 'time', type: 'ts' },
  { name: 'count', type: 'i32' },
  { name: 'code', type: 'i8' },
  { name: 'price', type: 'f64' },
  { name: 'noise', type: 'f64' },
  { name: 'size', type: 'f64' },
  { name: 'ret', type: 'f64', nullable: true },
  { name: 'dir', type: 'i8', nullable: true }
]
const SPEC: TableSpec = {
  table: 'features',
  columns: COLUMNS,
  rowGroupRows: 4096,
  statsColumns: ['id', 'time']
}

/** A pseudo-random generator with a fixed seed, so a failure is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
}

interface Group {
  readonly rows: number
  readonly id: BigInt64Array
  readonly time: BigInt64Array
  readonly count: Int32Array
  readonly code: Int8Array
  readonly price: Float64Array
  readonly noise: Float64Array
  readonly size: Float64Array
  readonly ret: Float64Array
  readonly dir: Int8Array
  readonly valid: Uint8Array
}

function syntheticGroup(rows: number, seed: number, huge: boolean, constant: boolean): Group {
  const r = rng(seed)
  const g: Group = {
    rows,
    id: new BigInt64Array(rows),
    time: new BigInt64Array(rows),
    count: new Int32Array(rows),
    code: new Int8Array(rows),
    price: new Float64Array(rows),
    noise: new Float64Array(rows),
    size: new Float64Array(rows),
    ret: new Float64Array(rows),
    dir: new Int8Array(rows),
    valid: new Uint8Array(rows)
  }
  const prices = [61_000.5, 61_001, -0, 0, NaN, 60_999.99]
  const nanPayload = new Float64Array(new BigUint64Array([0x7ff8_0000_dead_beefn]).buffer)[0]!
  let t = 1_723_161_254_206_651n
  for (let i = 0; i < rows; i++) {
    g.id[i] = huge
      ? BigInt.asIntN(64, BigInt(Math.floor(r() * 2 ** 53)) * (i % 2 === 0 ? 4099n : -7919n))
      : BigInt(i * 3 - 50)
    t += BigInt(Math.floor(r() * (i % 97 === 0 ? 5e9 : 300)))
    g.time[i] = constant ? 5n : t
    g.count[i] = constant ? 7 : i % 5 === 0 ? 2_147_483_647 : i % 7 === 0 ? -2_147_483_648 : i
    g.code[i] = constant ? -1 : i % 300 < 40 ? 3 : Math.floor(r() * 256) - 128
    g.price[i] = i % 11 === 0 ? nanPayload : (prices[Math.floor(r() * prices.length)] ?? 0)
    g.noise[i] = r() * 1e6 - 5e5
    // ~2,560 distinct sizes in 4,096 rows: a dictionary that pays, grown past its first table.
    g.size[i] = Math.floor(r() * 4000) / 1000
    g.valid[i] = i % 13 < 9 || i % 200 < 30 ? 1 : 0
    g.ret[i] = g.valid[i] === 1 ? r() - 0.5 : 0
    g.dir[i] = g.valid[i] === 1 ? Math.floor(r() * 3) - 1 : 0
  }
  return g
}

const bytes = (a: ArrayBufferView): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

function inputs(g: Group): ColumnInput[] {
  return [
    { bytes: bytes(g.id) },
    { bytes: bytes(g.time) },
    { bytes: bytes(g.count) },
    { bytes: bytes(g.code) },
    { bytes: bytes(g.price) },
    { bytes: bytes(g.noise) },
    { bytes: bytes(g.size) },
    { bytes: bytes(g.ret), valid: g.valid },
    { bytes: bytes(g.dir), valid: g.valid }
  ]
}

async function writeFile(name: string, groups: readonly Group[]): Promise<Table> {
  const path = join(dir, name)
  const w = ExportParquetWriter.open(path, SPEC)
  for (const g of groups) w.writeRowGroup(inputs(g), g.rows)
  const part = await w.close()
  expect(part.rows).toBe(groups.reduce((a, g) => a + g.rows, 0))
  expect(part.rowGroups).toBe(groups.length)
  return tableFromIPC(readParquet(readFileSync(path)).intoIPCStream())
}

/** Every value of column `name` as raw bytes, with nulls as null. */
function readBack(t: Table, name: string): (string | null)[] {
  const col = t.getChild(name)
  if (!col) throw new Error(`no column ${name}`)
  const out: (string | null)[] = []
  for (const chunk of col.data) {
    const v = chunk.values as ArrayBufferView & { length: number; BYTES_PER_ELEMENT: number }
    const w = v.BYTES_PER_ELEMENT
    const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    for (let i = 0; i < chunk.length; i++) {
      const present = chunk.nullCount === 0 || chunk.getValid(i)
      out.push(
        present
          ? Buffer.from(b.subarray((chunk.offset + i) * w, (chunk.offset + i + 1) * w)).toString(
              'hex'
            )
          : null
      )
    }
  }
  return out
}

function expected(
  groups: readonly Group[],
  key: keyof Group,
  nullable: boolean
): (string | null)[] {
  const out: (string | null)[] = []
  for (const g of groups) {
    const a = g[key] as ArrayBufferView & { BYTES_PER_ELEMENT: number; length: number }
    const w = a.BYTES_PER_ELEMENT
    const b = bytes(a)
    for (let i = 0; i < g.rows; i++)
      out.push(
        nullable && g.valid[i] === 0
          ? null
          : Buffer.from(b.subarray(i * w, (i + 1) * w)).toString('hex')
      )
  }
  return out
}

describe('the export Parquet writer (synthetic edge cases)', () => {
  const cases: [string, Group[]][] = [
    ['one row', [syntheticGroup(1, 1, false, false)]],
    [
      'block and group boundaries',
      [
        syntheticGroup(129, 2, false, false),
        syntheticGroup(4096, 3, false, false),
        syntheticGroup(1001, 4, false, false)
      ]
    ],
    ['int64 beyond ±2^51', [syntheticGroup(777, 5, true, false)]],
    ['constant columns', [syntheticGroup(300, 6, false, true)]]
  ]
  for (const [name, groups] of cases) {
    it(`reads back bit for bit: ${name}`, async () => {
      const t = await writeFile(`${name.replace(/\W+/g, '-')}.parquet`, groups)
      expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`)).toEqual([
        'id:Int64:false',
        'time:Timestamp<MICROSECOND, UTC>:false',
        'count:Int32:false',
        'code:Int8:false',
        'price:Float64:false',
        'noise:Float64:false',
        'size:Float64:false',
        'ret:Float64:true',
        'dir:Int8:true'
      ])
      for (const c of COLUMNS) {
        const got = readBack(t, c.name)
        const want = expected(groups, c.name as keyof Group, c.nullable === true)
        expect(got.length).toBe(want.length)
        const bad = got.findIndex((x, i) => x !== want[i])
        expect(bad, `${c.name} differs at row ${bad}: ${got[bad]} vs ${want[bad]}`).toBe(-1)
      }
    })
  }

  it('refuses a row group of the wrong shape and leaves no file behind', async () => {
    const path = join(dir, 'bad', 'part.parquet')
    const w = ExportParquetWriter.open(path, SPEC)
    const g = syntheticGroup(10, 7, false, false)
    expect(() => {
      w.writeRowGroup(inputs(g).slice(1), 10)
    }).toThrow(/8 columns for a table of 9/)
    await w.abort()
    expect(readdirSync(join(dir, 'bad'))).toEqual([])
  })

  it('keeps one dictionary entry per distinct value as its table grows', () => {
    const d = new Dictionaries()
    for (const [n, pool] of [
      [131_072, 50_000],
      [4096, 4000],
      [10, 3]
    ] as const) {
      const r = rng(n)
      const v = new Float64Array(n)
      for (let i = 0; i < n; i++) v[i] = Math.floor(r() * pool) / 100
      const chunk = d.float64(new Uint32Array(v.buffer), n)
      expect(chunk.count).toBe(new Set(v).size)
      let wrong = 0
      for (let i = 0; i < n; i++) if (chunk.values[chunk.indices[i] ?? -1] !== v[i]) wrong++
      expect(wrong).toBe(0)
    }
  })
})

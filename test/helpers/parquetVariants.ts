// Building blocks for the gate's bad-input corpus: CORRUPTED COPIES OF REAL DATA. A real converted
// file (test/helpers/lake.ts) is read whole with readLakeTable, its arrays are changed, and the
// result is written back either with the project's LakeParquetWriter (same schema) or, for schema
// damage (dropped, renamed, retyped columns, nulls, bad side strings), with parquet-wasm directly
// from an Arrow table built here. Byte-level damage (truncation, flipped bytes, missing footer) is
// done on the file's bytes. Nothing here invents market data: every value comes from a capture.
import { readFileSync } from 'node:fs'
import {
  Bool,
  Float32,
  Float64,
  Int32,
  Int64,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector
} from 'apache-arrow'
import {
  Compression,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet
} from 'parquet-wasm'
import { writeFileSync } from 'node:fs'
import { readLakeTable } from '../../src-main/lake/parquet/reader'
import { decodeStruct, encodeStruct } from '../../src-main/lake/parquet/thrift'
import { SCHEMAS, type LakeTable, type WriteColumns } from '../../src-main/lake/parquet/schemas'
import { LakeParquetWriter, type LakeFileMeta } from '../../src-main/lake/parquet/writer'

/** A whole table in memory: raw column names, times in ns (µs from the reader × 1000). */
export type RawColumns = Record<string, Float64Array | Uint8Array | string[]>

/** Reads a (small) real file whole, back into the writer's raw-name columns. */
export async function readRaw(path: string, table: LakeTable): Promise<RawColumns> {
  const parts: Record<string, (Float64Array | Uint8Array)[]> = {}
  for await (const b of readLakeTable(path, table)) {
    for (const [k, v] of Object.entries(
      b.columns as unknown as Record<string, Float64Array | Uint8Array>
    )) {
      ;(parts[k] ??= []).push(v)
    }
  }
  const out: RawColumns = {}
  for (const c of SCHEMAS[table].columns) {
    const chunks = parts[c.name] ?? []
    const n = chunks.reduce((s, a) => s + a.length, 0)
    if (c.kind === 'side') {
      const side: string[] = []
      for (const ch of chunks) for (const v of ch) side.push(v === 1 ? 'buy' : 'sell')
      out[c.raw] = side
    } else if (c.kind === 'bool') {
      const a = new Uint8Array(n)
      let at = 0
      for (const ch of chunks) {
        a.set(ch, at)
        at += ch.length
      }
      out[c.raw] = a
    } else {
      const a = new Float64Array(n)
      let at = 0
      for (const ch of chunks) {
        a.set(ch, at)
        at += ch.length
      }
      if (c.kind === 'time') for (let i = 0; i < n; i++) a[i] = (a[i] ?? 0) * 1000
      out[c.raw] = a
    }
  }
  return out
}

export function rowCount(cols: RawColumns): number {
  return Object.values(cols)[0]?.length ?? 0
}

/** Keeps the rows whose index `keep` returns true for (order as given by `order` when set). */
export function selectRows(cols: RawColumns, order: readonly number[]): RawColumns {
  const out: RawColumns = {}
  for (const [k, v] of Object.entries(cols)) {
    if (Array.isArray(v)) out[k] = order.map((i) => v[i] ?? 'buy')
    else if (v instanceof Uint8Array) out[k] = Uint8Array.from(order, (i) => v[i] ?? 0)
    else out[k] = Float64Array.from(order, (i) => v[i] ?? NaN)
  }
  return out
}

export function cloneCols(cols: RawColumns): RawColumns {
  return selectRows(
    cols,
    Array.from({ length: rowCount(cols) }, (_, i) => i)
  )
}

/** Writes with the project's writer (vendor schema, settings and KV metadata). */
export async function writeLake(
  path: string,
  table: LakeTable,
  meta: LakeFileMeta,
  cols: RawColumns,
  rowGroupSize = 10_000
): Promise<void> {
  const w = LakeParquetWriter.open(path, table, meta, { rowGroupSize })
  await w.append(cols as unknown as WriteColumns[LakeTable])
  await w.close()
}

export type FieldType = 'int64' | 'double' | 'bool' | 'utf8' | 'float32' | 'int32'

export interface CustomField {
  readonly name: string
  readonly type: FieldType
  /** Values; null entries become nulls. */
  readonly values: ArrayLike<number | string | bigint | boolean | null>
}

const ARROW: Record<FieldType, () => DataType> = {
  int64: () => new Int64(),
  double: () => new Float64(),
  bool: () => new Bool(),
  utf8: () => new Utf8(),
  float32: () => new Float32(),
  int32: () => new Int32()
}

/** Writes arbitrary columns (any names and types) with parquet-wasm, snappy, one row group per `rowGroup` rows. */
export function writeCustom(
  path: string,
  fields: readonly CustomField[],
  kv: Record<string, string>
): void {
  const vectors: Record<string, Vector> = {}
  for (const f of fields) {
    const values = Array.from(f.values, (v) =>
      v === null
        ? null
        : f.type === 'int64'
          ? BigInt(Math.round(Number(v)))
          : f.type === 'bool'
            ? v === 1 || v === true
            : v
    )
    vectors[f.name] = vectorFromArray(values as never[], ARROW[f.type]()) as Vector
  }
  const table = new Table(vectors)
  const wasm = WasmTable.fromIPCStream(tableToIPC(table, 'stream'))
  const props = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setMaxRowGroupSize(10_000)
    .setKeyValueMetadata(new Map(Object.entries(kv)))
    .build()
  writeFileSync(path, writeParquet(wasm, props))
}

/** The raw columns of a table as CustomFields with the vendor's types (to modify before writeCustom). */
export function customFields(table: LakeTable, cols: RawColumns): CustomField[] {
  return SCHEMAS[table].columns.map((c) => {
    const v = cols[c.raw] ?? []
    const type: FieldType =
      c.kind === 'time' || c.kind === 'int'
        ? 'int64'
        : c.kind === 'float'
          ? 'double'
          : c.kind === 'bool'
            ? 'bool'
            : 'utf8'
    return { name: c.raw, type, values: v }
  })
}

export function kvOf(table: LakeTable, meta: LakeFileMeta): Record<string, string> {
  return {
    date: meta.date,
    contains_gaps: meta.containsGaps ? 'Yes' : 'No',
    symbol: meta.symbol,
    event_type: table,
    exchange: meta.exchange
  }
}

export function bytesOf(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path))
}

/**
 * Rewrites a file's footer so that its total row count (FileMetaData.num_rows) says `rows`
 * while the row groups stay as they are: a footer declaring rows that are not there.
 */
export function withDeclaredRows(path: string, rows: number): void {
  const bytes = bytesOf(path)
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true)
  const footerAt = bytes.length - 8 - len
  const { value } = decodeStruct(bytes.subarray(footerAt, bytes.length - 8))
  const num = value.fields.find((f) => f.id === 3)
  if (!num) throw new Error(`no num_rows in ${path}`)
  num.value = { t: 'i64', v: BigInt(rows) }
  const footer = encodeStruct(value)
  const tail = new Uint8Array(8)
  new DataView(tail.buffer).setUint32(0, footer.length, true)
  tail.set([0x50, 0x41, 0x52, 0x31], 4)
  writeFileSync(path, Buffer.concat([bytes.subarray(0, footerAt), footer, tail]))
}

// The Thrift structs of a part file (parquet.thrift field ids): page headers, column chunks, row
// groups and the footer with the schema. Encoded with the project's compact-protocol codec
// (lake/parquet/thrift.ts), the same one that reads vendor footers.
import {
  BINARY,
  I32,
  STRUCT,
  encodeStruct,
  type TField,
  type TStruct,
  type TValue
} from '../../lake/parquet/thrift'
import type { ColumnSpec } from '../schema'

export const PAR1 = new TextEncoder().encode('PAR1')

export const PhysicalType = { INT32: 1, INT64: 2, DOUBLE: 5 } as const
export const Enc = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8 } as const
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1 } as const
const PageType = { DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const
const REQUIRED = 0
const OPTIONAL = 1
const TIMESTAMP_MICROS = 10
const INT_8 = 15

const i32 = (v: number): TValue => ({ t: 'i32', v })
const i64 = (v: number): TValue => ({ t: 'i64', v: BigInt(v) })
const bool = (v: boolean): TValue => ({ t: 'bool', v })
const bin = (v: Uint8Array): TValue => ({ t: 'binary', v })
const str = (s: string): TValue => bin(new TextEncoder().encode(s))
const struct = (fields: TField[]): TStruct => ({ t: 'struct', fields })
const f = (id: number, value: TValue): TField => ({ id, value })
const list = (elem: number, items: TValue[]): TValue => ({ t: 'list', elem, items })

export function physicalType(c: ColumnSpec): number {
  if (c.type === 'f64') return PhysicalType.DOUBLE
  if (c.type === 'i64' || c.type === 'ts') return PhysicalType.INT64
  return PhysicalType.INT32
}

function schemaElement(c: ColumnSpec): TStruct {
  const fields = [
    f(1, i32(physicalType(c))),
    f(3, i32(c.nullable === true ? OPTIONAL : REQUIRED)),
    f(4, str(c.name))
  ]
  // Logical types as arrow-rs writes them, so readers see timestamp[us, UTC] and int8.
  if (c.type === 'ts') {
    fields.push(f(6, i32(TIMESTAMP_MICROS)))
    const micros = struct([f(2, struct([]))])
    fields.push(f(10, struct([f(8, struct([f(1, bool(true)), f(2, micros)]))])))
  } else if (c.type === 'i8') {
    fields.push(f(6, i32(INT_8)))
    fields.push(f(10, struct([f(10, struct([f(1, { t: 'i8', v: 8 }), f(2, bool(true))]))])))
  }
  return struct(fields)
}

export function dictionaryPageHeader(count: number, raw: number, stored: number): Uint8Array {
  return encodeStruct(
    struct([
      f(1, i32(PageType.DICTIONARY_PAGE)),
      f(2, i32(raw)),
      f(3, i32(stored)),
      f(7, struct([f(1, i32(count)), f(2, i32(Enc.PLAIN))]))
    ])
  )
}

export interface DataPageV2 {
  readonly values: number
  readonly nulls: number
  readonly rows: number
  readonly encoding: number
  readonly levelBytes: number
  /** Size of the levels plus the values before and after compression. */
  readonly raw: number
  readonly stored: number
  readonly compressed: boolean
}

export function dataPageHeader(p: DataPageV2): Uint8Array {
  return encodeStruct(
    struct([
      f(1, i32(PageType.DATA_PAGE_V2)),
      f(2, i32(p.raw)),
      f(3, i32(p.stored)),
      f(
        8,
        struct([
          f(1, i32(p.values)),
          f(2, i32(p.nulls)),
          f(3, i32(p.rows)),
          f(4, i32(p.encoding)),
          f(5, i32(p.levelBytes)),
          f(6, i32(0)),
          f(7, bool(p.compressed))
        ])
      )
    ])
  )
}

/** What the footer records of one column chunk. */
export interface ChunkMeta {
  readonly column: ColumnSpec
  readonly encodings: readonly number[]
  readonly codec: number
  readonly values: number
  readonly raw: number
  readonly stored: number
  readonly dataPageOffset: number
  readonly dictionaryPageOffset: number | null
  /** Plain-encoded min and max, and the null count, for columns with statistics. */
  readonly stats: { readonly min: Uint8Array; readonly max: Uint8Array; nulls: number } | null
}

function columnChunk(c: ChunkMeta): TStruct {
  const meta: TField[] = [
    f(1, i32(physicalType(c.column))),
    f(2, list(I32, c.encodings.map(i32))),
    f(3, list(BINARY, [str(c.column.name)])),
    f(4, i32(c.codec)),
    f(5, i64(c.values)),
    f(6, i64(c.raw)),
    f(7, i64(c.stored)),
    f(9, i64(c.dataPageOffset))
  ]
  if (c.dictionaryPageOffset !== null) meta.push(f(11, i64(c.dictionaryPageOffset)))
  if (c.stats !== null) {
    const s = c.stats
    meta.push(
      f(
        12,
        struct([
          f(3, i64(s.nulls)),
          f(5, bin(s.max)),
          f(6, bin(s.min)),
          f(7, bool(true)),
          f(8, bool(true))
        ])
      )
    )
  }
  const start = c.dictionaryPageOffset ?? c.dataPageOffset
  return struct([f(2, i64(start + c.stored)), f(3, struct(meta))])
}

export interface RowGroupMeta {
  readonly rows: number
  readonly chunks: readonly ChunkMeta[]
}

function rowGroup(g: RowGroupMeta, ordinal: number): TStruct {
  const first = g.chunks[0]
  const start = first ? (first.dictionaryPageOffset ?? first.dataPageOffset) : 4
  return struct([
    f(1, list(STRUCT, g.chunks.map(columnChunk))),
    f(2, i64(g.chunks.reduce((a, c) => a + c.raw, 0))),
    f(3, i64(g.rows)),
    f(5, i64(start)),
    f(6, i64(g.chunks.reduce((a, c) => a + c.stored, 0))),
    f(7, { t: 'i16', v: ordinal })
  ])
}

/** The footer: schema, row groups, one key-value entry, created_by and column orders. */
export function footer(
  columns: readonly ColumnSpec[],
  groups: readonly RowGroupMeta[],
  kv: ReadonlyMap<string, string>,
  createdBy: string
): Uint8Array {
  const root = struct([f(4, str('arrow_schema')), f(5, i32(columns.length))])
  const typeOrder = struct([f(1, struct([]))])
  return encodeStruct(
    struct([
      f(1, i32(2)),
      f(2, list(STRUCT, [root, ...columns.map(schemaElement)])),
      f(3, i64(groups.reduce((a, g) => a + g.rows, 0))),
      f(4, list(STRUCT, groups.map(rowGroup))),
      f(
        5,
        list(
          STRUCT,
          [...kv].map(([k, v]) => struct([f(1, str(k)), f(2, str(v))]))
        )
      ),
      f(6, str(createdBy)),
      f(
        7,
        list(
          STRUCT,
          columns.map(() => typeOrder)
        )
      )
    ])
  )
}

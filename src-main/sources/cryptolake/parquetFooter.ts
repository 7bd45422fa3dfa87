// Reads a Parquet file's footer without a Parquet library: checks the PAR1 magic at both ends,
// reads the footer length, and decodes just enough of the Thrift compact-protocol FileMetaData
// for acquisition checks (row count, row groups, top-level schema, key/value metadata, writer).
// Why not DuckDB here: this runs on every downloaded file before it is renamed into place, must
// be strict about truncation, and needs no native instance per worker. The tests cross-check it
// against DuckDB's parquet_file_metadata/parquet_schema on the same files.
import { open } from 'node:fs/promises'
import { schemaFingerprint } from '../../lake/parquet/schemas'

export interface ParquetField {
  readonly name: string
  /** pyarrow's spelling of the Arrow type Parquet maps to (int64, double, bool, string…). */
  readonly type: string
}

export interface ParquetFooter {
  readonly rows: number
  readonly rowGroups: number
  readonly fields: readonly ParquetField[]
  readonly kv: Readonly<Record<string, string>>
  readonly createdBy: string | null
  /** sha256 of the sorted "name:type" lines, first 16 hex chars (the [JB] manifest's). */
  readonly fingerprint: string
  readonly footerBytes: number
}

export class ParquetFormatError extends Error {
  override readonly name = 'ParquetFormatError'
}

const MAGIC = 0x31524150 // 'PAR1' little-endian
const MAGIC_ENCRYPTED = 0x45524150 // 'PARE'

/** Checks magic at both ends and parses the footer of the file at `path` (`size` bytes). */
export async function readParquetFooter(path: string, size?: number): Promise<ParquetFooter> {
  const fh = await open(path, 'r')
  try {
    const total = size ?? (await fh.stat()).size
    if (total === 0) throw new ParquetFormatError('empty file (0 bytes)')
    if (total < 12) throw new ParquetFormatError(`too short for Parquet (${total} bytes)`)
    const head = Buffer.alloc(4)
    await fh.read(head, 0, 4, 0)
    const tail = Buffer.alloc(8)
    await fh.read(tail, 0, 8, total - 8)
    const tailMagic = tail.readUInt32LE(4)
    if (tailMagic === MAGIC_ENCRYPTED) throw new ParquetFormatError('encrypted Parquet footer')
    if (head.readUInt32LE(0) !== MAGIC)
      throw new ParquetFormatError('Parquet magic missing at the start')
    if (tailMagic !== MAGIC)
      throw new ParquetFormatError('Parquet magic missing at the end (truncated?)')
    const len = tail.readUInt32LE(0)
    if (len === 0 || len > total - 12) {
      throw new ParquetFormatError(`footer length ${len} does not fit a ${total}-byte file`)
    }
    const footer = Buffer.alloc(len)
    await fh.read(footer, 0, len, total - 8 - len)
    return { ...decodeFileMetaData(footer), footerBytes: len }
  } finally {
    await fh.close()
  }
}

// Thrift compact protocol type ids.
const T = {
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12
} as const

class Reader {
  pos = 0
  constructor(private readonly b: Uint8Array) {}

  byte(): number {
    const v = this.b[this.pos]
    if (v === undefined) throw new ParquetFormatError('footer ends early (truncated metadata)')
    this.pos++
    return v
  }

  /** Unsigned LEB128 as a double: exact below 2^53, enough for any row count or length. */
  varint(): number {
    let result = 0
    let mul = 1
    for (let i = 0; i < 10; i++) {
      const b = this.byte()
      result += (b & 0x7f) * mul
      if ((b & 0x80) === 0) return result
      mul *= 128
    }
    throw new ParquetFormatError('varint too long')
  }

  zigzag(): number {
    const v = this.varint()
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2
  }

  bytes(): Uint8Array {
    const n = this.varint()
    if (this.pos + n > this.b.length) throw new ParquetFormatError('footer ends early (string)')
    const out = this.b.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  string(): string {
    return Buffer.from(this.bytes()).toString('utf8')
  }

  /** Iterates a struct's fields: calls `field(id, type)`, which must consume or skip the value. */
  struct(field: (id: number, type: number) => void, depth = 0): void {
    if (depth > 32) throw new ParquetFormatError('metadata nested too deeply')
    let last = 0
    for (;;) {
      const h = this.byte()
      if (h === 0) return
      const type = h & 0x0f
      const delta = h >> 4
      const id = delta === 0 ? this.zigzag() : last + delta
      last = id
      field(id, type)
    }
  }

  list(): { size: number; type: number } {
    const h = this.byte()
    const size = h >> 4 === 15 ? this.varint() : h >> 4
    return { size, type: h & 0x0f }
  }

  skip(type: number, depth = 0): void {
    if (depth > 32) throw new ParquetFormatError('metadata nested too deeply')
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        return
      case T.BYTE:
        this.byte()
        return
      case T.I16:
      case T.I32:
      case T.I64:
        this.varint()
        return
      case T.DOUBLE:
        if (this.pos + 8 > this.b.length) throw new ParquetFormatError('footer ends early')
        this.pos += 8
        return
      case T.BINARY:
        this.bytes()
        return
      case T.LIST:
      case T.SET: {
        const { size, type: et } = this.list()
        for (let i = 0; i < size; i++) {
          // Booleans inside a list take one byte each.
          if (et === T.TRUE || et === T.FALSE) this.byte()
          else this.skip(et, depth + 1)
        }
        return
      }
      case T.MAP: {
        const size = this.varint()
        if (size === 0) return
        const kv = this.byte()
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4, depth + 1)
          this.skip(kv & 0x0f, depth + 1)
        }
        return
      }
      case T.STRUCT:
        this.struct((_, t) => {
          this.skip(t, depth + 1)
        }, depth + 1)
        return
      default:
        throw new ParquetFormatError(`bad Thrift type ${type} in footer`)
    }
  }
}

interface SchemaElement {
  type: number | null
  typeLength: number | null
  name: string
  numChildren: number
  convertedType: number | null
  scale: number | null
  precision: number | null
  logical: Logical | null
}

type Logical =
  | { kind: 'string' | 'enum' | 'json' | 'bson' | 'uuid' | 'date' | 'float16' | 'other' }
  | { kind: 'decimal'; scale: number; precision: number }
  | { kind: 'int'; bits: number; signed: boolean }
  | { kind: 'timestamp' | 'time'; unit: 'ms' | 'us' | 'ns'; utc: boolean }

function readLogical(r: Reader): Logical {
  let out: Logical = { kind: 'other' }
  r.struct((id, type) => {
    if (type !== T.STRUCT) {
      r.skip(type)
      return
    }
    switch (id) {
      case 1:
      case 4:
      case 6:
      case 12:
      case 13:
      case 14:
      case 15: {
        const kinds = {
          1: 'string',
          4: 'enum',
          6: 'date',
          12: 'json',
          13: 'bson',
          14: 'uuid',
          15: 'float16'
        } as const
        out = { kind: kinds[id] }
        r.skip(type)
        return
      }
      case 5: {
        let scale = 0
        let precision = 0
        r.struct((fid, ft) => {
          if (fid === 1 && ft === T.I32) scale = r.zigzag()
          else if (fid === 2 && ft === T.I32) precision = r.zigzag()
          else r.skip(ft)
        })
        out = { kind: 'decimal', scale, precision }
        return
      }
      case 7:
      case 8: {
        let utc = false
        let unit: 'ms' | 'us' | 'ns' = 'ms'
        r.struct((fid, ft) => {
          if (fid === 1 && (ft === T.TRUE || ft === T.FALSE)) utc = ft === T.TRUE
          else if (fid === 2 && ft === T.STRUCT) {
            r.struct((uid, ut) => {
              unit = uid === 1 ? 'ms' : uid === 2 ? 'us' : 'ns'
              r.skip(ut)
            })
          } else r.skip(ft)
        })
        out = { kind: id === 8 ? 'timestamp' : 'time', unit, utc }
        return
      }
      case 10: {
        let bits = 64
        let signed = true
        r.struct((fid, ft) => {
          if (fid === 1 && ft === T.BYTE) bits = r.byte()
          else if (fid === 2 && (ft === T.TRUE || ft === T.FALSE)) signed = ft === T.TRUE
          else r.skip(ft)
        })
        out = { kind: 'int', bits, signed }
        return
      }
      default:
        r.skip(type)
    }
  })
  return out
}

function readSchemaElement(r: Reader): SchemaElement {
  const e: SchemaElement = {
    type: null,
    typeLength: null,
    name: '',
    numChildren: 0,
    convertedType: null,
    scale: null,
    precision: null,
    logical: null
  }
  r.struct((id, type) => {
    if (id === 1 && type === T.I32) e.type = r.zigzag()
    else if (id === 2 && type === T.I32) e.typeLength = r.zigzag()
    else if (id === 4 && type === T.BINARY) e.name = r.string()
    else if (id === 5 && type === T.I32) e.numChildren = r.zigzag()
    else if (id === 6 && type === T.I32) e.convertedType = r.zigzag()
    else if (id === 7 && type === T.I32) e.scale = r.zigzag()
    else if (id === 8 && type === T.I32) e.precision = r.zigzag()
    else if (id === 10 && type === T.STRUCT) e.logical = readLogical(r)
    else r.skip(type)
  })
  return e
}

/** pyarrow's name for the Arrow type a Parquet leaf column reads as. */
export function arrowTypeName(e: SchemaElement): string {
  const l = e.logical
  const ct = e.convertedType
  switch (e.type) {
    case 0:
      return 'bool'
    case 1:
    case 2: {
      const width = e.type === 1 ? 32 : 64
      if (l?.kind === 'int') return `${l.signed ? 'int' : 'uint'}${l.bits}`
      if (l?.kind === 'date' || ct === 6) return 'date32[day]'
      if (l?.kind === 'decimal') return `decimal128(${l.precision}, ${l.scale})`
      if (l?.kind === 'timestamp') return `timestamp[${l.unit}${l.utc ? ', tz=UTC' : ''}]`
      if (l?.kind === 'time') return l.unit === 'ms' ? 'time32[ms]' : `time64[${l.unit}]`
      const conv: Record<number, string> = {
        5: `decimal128(${e.precision ?? 0}, ${e.scale ?? 0})`,
        7: 'time32[ms]',
        8: 'time64[us]',
        9: 'timestamp[ms, tz=UTC]',
        10: 'timestamp[us, tz=UTC]',
        11: 'uint8',
        12: 'uint16',
        13: 'uint32',
        14: 'uint64',
        15: 'int8',
        16: 'int16',
        17: 'int32',
        18: 'int64'
      }
      return (ct === null ? undefined : conv[ct]) ?? `int${width}`
    }
    case 3:
      return 'timestamp[ns]'
    case 4:
      return l?.kind === 'float16' ? 'halffloat' : 'float'
    case 5:
      return 'double'
    case 6:
      if (
        l?.kind === 'string' ||
        l?.kind === 'enum' ||
        l?.kind === 'json' ||
        ct === 0 ||
        ct === 4 ||
        ct === 19
      ) {
        return 'string'
      }
      if (l?.kind === 'decimal' || ct === 5)
        return `decimal128(${e.precision ?? 0}, ${e.scale ?? 0})`
      return 'binary'
    case 7:
      if (l?.kind === 'decimal' || ct === 5)
        return `decimal128(${e.precision ?? 0}, ${e.scale ?? 0})`
      if (l?.kind === 'uuid') return 'extension<arrow.uuid>'
      return `fixed_size_binary[${e.typeLength ?? 0}]`
    default:
      return 'nested'
  }
}

/** Decodes FileMetaData (fields 2 schema, 3 num_rows, 4 row_groups, 5 key_value_metadata, 6 created_by). */
export function decodeFileMetaData(buf: Uint8Array): Omit<ParquetFooter, 'footerBytes'> {
  const r = new Reader(buf)
  // One state object: assignments inside the callbacks would not widen narrowed `let`s.
  const m = {
    elements: [] as SchemaElement[],
    rows: null as number | null,
    rowGroups: 0,
    createdBy: null as string | null
  }
  const kv: Record<string, string> = {}
  r.struct((id, type) => {
    if (id === 2 && type === T.LIST) {
      const { size, type: et } = r.list()
      if (et !== T.STRUCT) throw new ParquetFormatError('schema is not a list of structs')
      m.elements = Array.from({ length: size }, () => readSchemaElement(r))
    } else if (id === 3 && type === T.I64) {
      m.rows = r.zigzag()
    } else if (id === 4 && type === T.LIST) {
      const { size, type: et } = r.list()
      m.rowGroups = size
      for (let i = 0; i < size; i++) r.skip(et)
    } else if (id === 5 && type === T.LIST) {
      const { size } = r.list()
      for (let i = 0; i < size; i++) {
        let k = ''
        let v = ''
        r.struct((fid, ft) => {
          if (fid === 1 && ft === T.BINARY) k = r.string()
          else if (fid === 2 && ft === T.BINARY) v = r.string()
          else r.skip(ft)
        })
        kv[k] = v
      }
    } else if (id === 6 && type === T.BINARY) {
      m.createdBy = r.string()
    } else {
      r.skip(type)
    }
  })
  const { elements, rows, rowGroups, createdBy } = m
  if (rows === null || rows < 0) throw new ParquetFormatError('footer has no row count')
  const root = elements[0]
  if (root === undefined) throw new ParquetFormatError('footer has no schema')
  // Top-level fields: walk the flattened tree, skipping each nested field's descendants.
  const fields: ParquetField[] = []
  let i = 1
  const skipSubtree = (): void => {
    const e = elements[i++]
    for (let c = 0; c < (e?.numChildren ?? 0); c++) skipSubtree()
  }
  for (let c = 0; c < root.numChildren; c++) {
    const e = elements[i]
    if (e === undefined) throw new ParquetFormatError('schema has fewer elements than declared')
    fields.push({ name: e.name, type: e.numChildren > 0 ? 'nested' : arrowTypeName(e) })
    skipSubtree()
  }
  return { rows, rowGroups, fields, kv, createdBy, fingerprint: schemaFingerprint(fields) }
}

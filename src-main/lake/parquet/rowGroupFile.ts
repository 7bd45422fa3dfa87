// Cuts one row group out of a Parquet file as a small standalone Parquet file: "PAR1", the row
// group's column-chunk bytes, a footer that lists only that row group with its offsets shifted,
// then the footer length and "PAR1". parquet-wasm's synchronous readParquet() decodes it and
// reports damaged pages as ordinary exceptions, which its async file reader does not (see
// thrift.ts), while memory holds one row group, never the file. Page-index and bloom-filter
// references are dropped from the copy: they point outside the row group and readers do not need
// them to decode.
import { InputError } from '../../util/errors'
import {
  CompactReader,
  CompactWriter,
  encodeFields,
  encodeStruct,
  field,
  I32,
  I64,
  intField,
  LIST,
  STRUCT,
  ThriftError,
  type TField,
  type TStruct
} from './thrift'

// Field ids from parquet.thrift.
const FMD_NUM_ROWS = 3
const FMD_ROW_GROUPS = 4
const FMD_KV = 5
const FMD_ENCRYPTION = [8, 9]
const RG_COLUMNS = 1
const RG_TOTAL_BYTES = 2
const RG_NUM_ROWS = 3
const RG_FILE_OFFSET = 5
const RG_TOTAL_COMPRESSED = 6
const RG_ORDINAL = 7
const CC_FILE_PATH = 1
const CC_FILE_OFFSET = 2
const CC_META = 3
const CC_DROP = [4, 5, 6, 7, 8, 9] // page index offsets/lengths, encryption
const CM_CODEC = 4
const CM_TOTAL_COMPRESSED = 7
const CM_DATA_PAGE = 9
const CM_INDEX_PAGE = 10
const CM_DICTIONARY_PAGE = 11
const CM_DROP = [14, 15] // bloom filter offset/length

export interface RowGroupSpan {
  readonly index: number
  readonly rows: number
  /** Byte range of the row group's column chunks in the file. */
  readonly start: number
  readonly end: number
  readonly uncompressedBytes: number
  readonly compressedBytes: number
  /** Codec of each column chunk (parquet.thrift CompressionCodec). */
  readonly codecs: readonly number[]
  /** The RowGroup struct's bytes inside the footer, decoded only when the group is cut. */
  readonly footerBytes: Uint8Array
}

/** A parsed footer: the FileMetaData fields other than row groups, plus the row groups' spans. */
export interface FooterModel {
  /** FileMetaData with an empty row_groups list (spans hold the row groups). */
  readonly meta: TStruct
  readonly rows: number
  readonly rowGroups: readonly RowGroupSpan[]
}

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31])

interface ChunkInfo {
  start: number
  end: number
  codec: number
}

// The walkers below read just the numbers a row group's byte range needs and skip the rest
// (statistics above all): a 35 M-row file has a 2.5 MB footer that a full decode into objects
// takes half a second to build.

function walkColumnMeta(r: CompactReader): {
  data: number
  index: number
  dict: number
  size: number
  codec: number
} {
  const out = { data: -1, index: -1, dict: -1, size: -1, codec: -1 }
  let last = 0
  for (let f = r.field(last); f !== null; f = r.field(last)) {
    last = f.id
    if (f.type === I64 && f.id === CM_TOTAL_COMPRESSED) out.size = r.i64Number()
    else if (f.type === I64 && f.id === CM_DATA_PAGE) out.data = r.i64Number()
    else if (f.type === I64 && f.id === CM_INDEX_PAGE) out.index = r.i64Number()
    else if (f.type === I64 && f.id === CM_DICTIONARY_PAGE) out.dict = r.i64Number()
    else if (f.type === I32 && f.id === CM_CODEC) out.codec = r.int()
    else r.skip(f.type)
  }
  return out
}

function walkColumnChunk(
  r: CompactReader,
  path: string,
  rg: number,
  c: number,
  dataEnd: number
): ChunkInfo {
  let info: ChunkInfo | null = null
  let last = 0
  for (let f = r.field(last); f !== null; f = r.field(last)) {
    last = f.id
    if (f.id === CC_FILE_PATH) {
      throw new InputError(`row group ${rg} keeps column ${c} in another file; not supported`, path)
    }
    if (f.id === CC_META && f.type === STRUCT) {
      const m = walkColumnMeta(r)
      if (m.data < 0 || m.size < 0) {
        throw new InputError(
          `cannot parse the Parquet footer: row group ${rg} column ${c} lacks offsets`,
          path
        )
      }
      let start = m.data
      if (m.dict > 0 && m.dict < start) start = m.dict
      if (m.index > 0 && m.index < start) start = m.index
      const end = start + m.size
      if (start < 4 || end > dataEnd) {
        throw new InputError(
          `row group ${rg} column ${c} claims bytes ${start}–${end}, outside the data area 4–${dataEnd}: corrupt footer`,
          path
        )
      }
      info = { start, end, codec: m.codec }
    } else r.skip(f.type)
  }
  if (info === null) {
    throw new InputError(
      `cannot parse the Parquet footer: row group ${rg} column ${c} has no metadata`,
      path
    )
  }
  return info
}

function walkRowGroup(
  r: CompactReader,
  path: string,
  index: number,
  dataEnd: number,
  footer: Uint8Array
): RowGroupSpan {
  const from = r.pos
  let rows = 0
  let uncompressed = 0
  let compressed = -1
  let start = Infinity
  let end = -Infinity
  const codecs: number[] = []
  let last = 0
  for (let f = r.field(last); f !== null; f = r.field(last)) {
    last = f.id
    if (f.id === RG_COLUMNS && f.type === LIST) {
      const { size } = r.list()
      for (let c = 0; c < size; c++) {
        const chunk = walkColumnChunk(r, path, index, c, dataEnd)
        start = Math.min(start, chunk.start)
        end = Math.max(end, chunk.end)
        codecs.push(chunk.codec)
      }
    } else if (f.id === RG_NUM_ROWS && f.type === I64) rows = r.i64Number()
    else if (f.id === RG_TOTAL_BYTES && f.type === I64) uncompressed = r.i64Number()
    else if (f.id === RG_TOTAL_COMPRESSED && f.type === I64) compressed = r.i64Number()
    else r.skip(f.type)
  }
  if (!Number.isFinite(start)) {
    start = 4
    end = 4
  }
  return {
    index,
    rows,
    start,
    end,
    uncompressedBytes: uncompressed,
    compressedBytes: compressed >= 0 ? compressed : end - start,
    codecs,
    footerBytes: footer.subarray(from, r.pos)
  }
}

/** Parses the footer bytes (without length and magic) of a file whose data ends at footerStart. */
export function parseFooter(path: string, footer: Uint8Array, footerStart: number): FooterModel {
  const fields: TField[] = []
  const rowGroups: RowGroupSpan[] = []
  let hasRowGroups = false
  try {
    const r = new CompactReader(footer)
    let last = 0
    for (let f = r.field(last); f !== null; f = r.field(last)) {
      last = f.id
      if (f.id === FMD_ROW_GROUPS && f.type === LIST) {
        hasRowGroups = true
        const { elem, size } = r.list()
        if (elem !== STRUCT && size > 0) throw new ThriftError('row groups are not structs')
        for (let i = 0; i < size; i++) rowGroups.push(walkRowGroup(r, path, i, footerStart, footer))
        fields.push({ id: f.id, value: { t: 'list', elem: STRUCT, items: [] } })
      } else {
        fields.push({ id: f.id, value: r.fieldValue(f.type) })
      }
    }
  } catch (e) {
    if (e instanceof InputError) throw e
    const why = e instanceof ThriftError ? e.message : String(e)
    throw new InputError(`cannot parse the Parquet footer: ${why}`, path)
  }
  const meta: TStruct = { t: 'struct', fields }
  const rows = intField(meta, FMD_NUM_ROWS)
  if (rows === undefined || field(meta, 2)?.t !== 'list' || !hasRowGroups) {
    throw new InputError(
      'cannot parse the Parquet footer: it lacks schema, row count or row groups',
      path
    )
  }
  if (FMD_ENCRYPTION.some((id) => field(meta, id) !== undefined)) {
    throw new InputError('encrypted Parquet files are not supported', path)
  }
  // Readers trust the row groups; a footer whose total says otherwise declares rows that are
  // not there (or hides some), and every count taken from it would be wrong.
  const inGroups = rowGroups.reduce((a, g) => a + g.rows, 0)
  if (inGroups !== rows) {
    throw new InputError(
      `the Parquet footer declares ${rows} rows but its ${rowGroups.length} row groups hold ${inGroups}`,
      path
    )
  }
  return { meta, rows, rowGroups }
}

function withFields(meta: TStruct, replace: Readonly<Record<number, TField['value']>>): TStruct {
  return {
    t: 'struct',
    fields: meta.fields
      .filter((f) => !FMD_ENCRYPTION.includes(f.id))
      .map((f): TField => {
        const value = replace[f.id]
        return value === undefined ? f : { id: f.id, value }
      })
  }
}

/** "PAR1" + body + footer + length + "PAR1"; `fill` writes the body bytes into place. */
function assemble(
  bodyLength: number,
  fill: (body: Uint8Array) => void,
  footerParts: readonly Uint8Array[]
): Uint8Array {
  const footerLength = footerParts.reduce((n, p) => n + p.length, 0)
  const out = new Uint8Array(4 + bodyLength + footerLength + 8)
  out.set(MAGIC, 0)
  fill(out.subarray(4, 4 + bodyLength))
  let at = 4 + bodyLength
  for (const p of footerParts) {
    out.set(p, at)
    at += p.length
  }
  new DataView(out.buffer).setUint32(at, footerLength, true)
  out.set(MAGIC, out.length - 4)
  return out
}

/**
 * Re-encodes a RowGroup struct with its offsets moved by `delta` and its outside references
 * dropped. Fields are streamed: bytes of untouched fields are copied as they are and no objects
 * are built, since this runs once per row group (no per-field closures either: they showed up in
 * profiles).
 */
class RowGroupRewriter {
  private readonly r: CompactReader
  private readonly w = new CompactWriter()

  constructor(
    private readonly bytes: Uint8Array,
    private readonly delta: bigint
  ) {
    this.r = new CompactReader(bytes)
  }

  run(): Uint8Array {
    this.struct(0)
    return this.w.result()
  }

  /** level 0: RowGroup, 1: ColumnChunk, 2: ColumnMetaData. */
  private struct(level: 0 | 1 | 2): void {
    const { r, w } = this
    let last = 0
    let lastOut = 0
    for (let f = r.field(last); f !== null; f = r.field(last)) {
      last = f.id
      const id = f.id
      const action = this.action(level, id, f.type)
      if (action === 'drop') {
        r.skip(f.type)
        continue
      }
      w.fieldHeader(id, f.type, lastOut)
      lastOut = id
      if (action === 'shift' || action === 'shiftPositive') {
        const v = r.long()
        w.long(action === 'shiftPositive' && v <= 0n ? v : v + this.delta)
      } else if (action === 'columns') {
        const { elem, size } = r.list()
        w.listHeader(elem, size)
        for (let i = 0; i < size; i++) this.struct(1)
      } else if (action === 'meta') {
        this.struct(2)
      } else {
        const from = r.pos
        r.skip(f.type)
        w.bytes(this.bytes.subarray(from, r.pos))
      }
    }
    w.byte(0)
  }

  private action(
    level: 0 | 1 | 2,
    id: number,
    type: number
  ): 'copy' | 'drop' | 'shift' | 'shiftPositive' | 'columns' | 'meta' {
    if (level === 0) {
      if (id === RG_ORDINAL) return 'drop'
      if (id === RG_FILE_OFFSET && type === I64) return 'shiftPositive'
      if (id === RG_COLUMNS && type === LIST) return 'columns'
    } else if (level === 1) {
      if (CC_DROP.includes(id)) return 'drop'
      if (id === CC_FILE_OFFSET && type === I64) return 'shiftPositive'
      if (id === CC_META && type === STRUCT) return 'meta'
    } else {
      if (CM_DROP.includes(id)) return 'drop'
      if (id === CM_DATA_PAGE && type === I64) return 'shift'
      if ((id === CM_INDEX_PAGE || id === CM_DICTIONARY_PAGE) && type === I64)
        return 'shiftPositive'
    }
    return 'copy'
  }
}

/**
 * Returns a function that turns one row group into a standalone Parquet file; `fill` must write
 * the row group's bytes [start, end) into the buffer it is given (straight from the file). The footer parts common to every row group are encoded once. The key-value
 * metadata is left out: it only carries ARROW:schema, a type hint that readers would otherwise
 * re-decode for every row group; without it the decoder reports the Parquet types (for example a
 * dictionary-typed string column comes back as plain strings), which the caller handles.
 */
export function rowGroupCutter(
  model: FooterModel
): (span: RowGroupSpan, fill: (body: Uint8Array) => void) => Uint8Array {
  const kept = model.meta.fields.filter((f) => !FMD_ENCRYPTION.includes(f.id) && f.id !== FMD_KV)
  const before = kept.filter((f) => f.id < FMD_NUM_ROWS)
  const after = kept.filter((f) => f.id > FMD_ROW_GROUPS)
  const lastBefore = before.at(-1)?.id ?? 0
  const prefix = encodeFields(before, 0, false)
  const suffix = encodeFields(after, FMD_ROW_GROUPS, true)
  return (span, fill) => {
    const rg = new RowGroupRewriter(span.footerBytes, BigInt(4 - span.start)).run()
    const w = new CompactWriter()
    w.fieldHeader(FMD_NUM_ROWS, I64, lastBefore)
    w.long(BigInt(span.rows))
    w.fieldHeader(FMD_ROW_GROUPS, LIST, FMD_NUM_ROWS)
    w.listHeader(STRUCT, 1)
    w.bytes(rg)
    return assemble(span.end - span.start, fill, [prefix, w.result(), suffix])
  }
}

/** A Parquet file with the same schema and metadata but no rows: enough to read the schema. */
export function schemaOnlyFile(model: FooterModel): Uint8Array {
  const meta = withFields(model.meta, {
    [FMD_NUM_ROWS]: { t: 'i64', v: 0n },
    [FMD_ROW_GROUPS]: { t: 'list', elem: 12, items: [] }
  })
  return assemble(0, () => undefined, [encodeStruct(meta)])
}

// One row group of an export table as an Arrow IPC stream held in a single reusable buffer: the
// schema message, one record-batch message and the end-of-stream marker, with every column's
// values at a fixed place in the body. Producers write rows straight into the column views; the
// writer stage hands the whole buffer to parquet-wasm (Table.fromIPCStream), which is the only way
// into its memory. Building the same stream with apache-arrow's tableToIPC for every row group
// cost about as much CPU as the Parquet encoding itself (fresh buffers, copies), so the stream is
// made once per table by apache-arrow — the template — and the places of the column values are
// computed (Arrow aligns each body buffer to 8 bytes) and checked against a template filled with
// a marker per column before the layout is used. Every column is non-null, so no validity
// buffers exist and the header never changes, except for a part's last, shorter row group: its
// row count is written into the record batch's length and field-node lengths in the header
// (found by walking the flatbuffer), the buffers keep their full size, which Arrow allows.
import {
  Field,
  Float64,
  Int32,
  Int64,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  TimeUnit,
  Timestamp,
  makeData,
  tableToIPC,
  type Data,
  type DataType
} from 'apache-arrow'
import { TYPE_BYTES, type ColumnType, type TableSpec } from './schema'

const pad8 = (n: number): number => (n + 7) & ~7

export function arrowType(t: ColumnType): DataType {
  switch (t) {
    case 'i8':
      return new Int8()
    case 'i32':
      return new Int32()
    case 'i64':
      return new Int64()
    case 'ts':
      return new Timestamp(TimeUnit.MICROSECOND, 'UTC')
    case 'f64':
      return new Float64()
  }
}

export function arrowSchema(spec: TableSpec): Schema {
  return new Schema(
    spec.columns.map((c) => new Field(c.name, arrowType(c.type), c.nullable === true))
  )
}

/** Where everything sits in the IPC stream of one row group of `rows` rows. */
export interface IpcLayout {
  readonly rows: number
  /** The stream with zeroed values: copy it into a buffer, then fill the columns. */
  readonly template: Uint8Array
  /** Byte offset of each column's values in the stream. */
  readonly offsets: readonly number[]
  readonly bytes: number
  /** Byte offsets of the int64 row counts in the header (record batch and field nodes). */
  readonly rowCountFields: readonly number[]
}

const layouts = new WeakMap<TableSpec, IpcLayout>()

/** The layout of a table's full-size row group (built once per table). */
export function ipcLayout(spec: TableSpec): IpcLayout {
  let l = layouts.get(spec)
  if (!l) {
    l = buildLayout(spec, spec.rowGroupRows)
    layouts.set(spec, l)
  }
  return l
}

function buildLayout(spec: TableSpec, rows: number): IpcLayout {
  const schema = arrowSchema(spec)
  // Column k is filled with the byte k + 1 (mod 251, never 0), so its place can be checked.
  const marked = spec.columns.map((col, k) =>
    new Uint8Array(rows * TYPE_BYTES[col.type]).fill((k % 251) + 1)
  )
  const children: Data[] = spec.columns.map((col, k) => {
    const m = marked[k] ?? new Uint8Array(0)
    const type = arrowType(col.type)
    const data =
      col.type === 'i8'
        ? new Int8Array(m.buffer)
        : col.type === 'i32'
          ? new Int32Array(m.buffer)
          : col.type === 'f64'
            ? new Float64Array(m.buffer)
            : new BigInt64Array(m.buffer)
    return makeData({ type, length: rows, nullCount: 0, data } as never)
  })
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children })
  )
  const stream = tableToIPC(new ArrowTable([batch]), 'stream')
  // Body = the column buffers, each padded to 8 bytes; then the 8-byte end-of-stream marker.
  let body = 0
  for (const col of spec.columns) body += pad8(rows * TYPE_BYTES[col.type])
  const bodyStart = stream.length - 8 - body
  const offsets: number[] = []
  let at = bodyStart
  for (const col of spec.columns) {
    offsets.push(at)
    at += pad8(rows * TYPE_BYTES[col.type])
  }
  if (bodyStart % 8 !== 0) throw new Error(`${spec.table}: IPC body not 8-byte aligned`)
  for (let k = 0; k < spec.columns.length; k++) {
    const n = rows * TYPE_BYTES[spec.columns[k]?.type ?? 'i8']
    const off = offsets[k] ?? 0
    const want = (k % 251) + 1
    for (let i = 0; i < n; i++) {
      if (stream[off + i] !== want) {
        throw new Error(
          `${spec.table}: Arrow IPC layout differs from the expected one at column ${spec.columns[k]?.name ?? k}`
        )
      }
    }
  }
  const template = stream.slice()
  for (let k = 0; k < spec.columns.length; k++) {
    const off = offsets[k] ?? 0
    template.fill(0, off, off + rows * TYPE_BYTES[spec.columns[k]?.type ?? 'i8'])
  }
  const rowCountFields = recordBatchRowFields(template, spec.columns.length)
  const dv = new DataView(template.buffer, template.byteOffset, template.byteLength)
  for (const p of rowCountFields) {
    if (dv.getBigInt64(p, true) !== BigInt(rows))
      throw new Error(`${spec.table}: Arrow IPC header has no row count where expected`)
  }
  return { rows, template, offsets, bytes: stream.length, rowCountFields }
}

/**
 * Byte offsets of RecordBatch.length and of every FieldNode.length in the stream's second
 * message (the record batch), read from the flatbuffer (Arrow format, Message.fbs/Schema.fbs):
 * each message is 0xFFFFFFFF, its metadata length, the metadata; a table starts with the offset
 * back to its vtable, whose entries give the fields' positions; a vector field holds the offset
 * to [count][elements], and a FieldNode is the struct {length: int64, null_count: int64}.
 */
function recordBatchRowFields(stream: Uint8Array, columns: number): number[] {
  const dv = new DataView(stream.buffer, stream.byteOffset, stream.byteLength)
  const u32 = (p: number): number => dv.getUint32(p, true)
  const i32 = (p: number): number => dv.getInt32(p, true)
  const u16 = (p: number): number => dv.getUint16(p, true)
  /** Absolute position of field `id` of the table at `t`, or -1 when absent. */
  const fieldAt = (t: number, id: number): number => {
    const vt = t - i32(t)
    const size = u16(vt)
    const slot = 4 + 2 * id
    if (slot >= size) return -1
    const off = u16(vt + slot)
    return off === 0 ? -1 : t + off
  }
  // Skip the schema message.
  const metaLen1 = u32(4)
  const second = 8 + metaLen1
  if (u32(second) !== 0xffffffff) throw new Error('unexpected Arrow IPC framing')
  const meta = second + 8
  const message = meta + u32(meta)
  const headerField = fieldAt(message, 2) // Message.header
  if (headerField < 0) throw new Error('Arrow IPC record batch without header')
  const rb = headerField + u32(headerField)
  const lengthField = fieldAt(rb, 0) // RecordBatch.length
  const nodesField = fieldAt(rb, 1) // RecordBatch.nodes
  if (lengthField < 0 || nodesField < 0) throw new Error('Arrow IPC record batch without length')
  const nodes = nodesField + u32(nodesField)
  const count = u32(nodes)
  if (count !== columns)
    throw new Error(`Arrow IPC record batch has ${count} nodes, not ${columns}`)
  const out = [lengthField]
  for (let i = 0; i < count; i++) out.push(nodes + 4 + 16 * i)
  return out
}

/**
 * Marks a full-size buffer as holding only `rows` rows (a part's last row group), or back to
 * full size. The buffers keep their full size; readers use only the first `rows` values.
 */
export function setRowCount(layout: IpcLayout, buf: ArrayBuffer, rows: number): void {
  const dv = new DataView(buf)
  for (const p of layout.rowCountFields) dv.setBigInt64(p, BigInt(rows), true)
}

/** Typed views of one column in a row-group buffer; int64 columns as (lo, hi) 32-bit pairs. */
export type ColumnView = Int8Array | Int32Array | Uint32Array | Float64Array

/** A row-group buffer and its column views, for producers to fill. */
export interface RowGroupBuffer {
  readonly buffer: ArrayBuffer
  readonly layout: IpcLayout
  readonly views: ColumnView[]
}

export function rowGroupBuffer(
  spec: TableSpec,
  layout: IpcLayout,
  buffer?: ArrayBuffer
): RowGroupBuffer {
  const buf = buffer ?? new ArrayBuffer(layout.bytes)
  if (buffer === undefined) {
    // A new buffer is zeroed: only the header and the end-of-stream marker need copying.
    const head = layout.offsets[0] ?? layout.bytes
    new Uint8Array(buf).set(layout.template.subarray(0, head))
    new Uint8Array(buf).set(layout.template.subarray(layout.bytes - 8), layout.bytes - 8)
  }
  return { buffer: buf, layout, views: columnViews(spec, layout, buf) }
}

export function columnViews(spec: TableSpec, layout: IpcLayout, buf: ArrayBuffer): ColumnView[] {
  const n = layout.rows
  return spec.columns.map((col, k) => {
    const off = layout.offsets[k] ?? 0
    switch (col.type) {
      case 'i8':
        return new Int8Array(buf, off, n)
      case 'i32':
        return new Int32Array(buf, off, n)
      case 'f64':
        return new Float64Array(buf, off, n)
      case 'i64':
      case 'ts':
        return new Uint32Array(buf, off, 2 * n)
    }
  })
}

const INV32 = 1 / 4294967296

/**
 * Writes a non-negative integer below 2^53 as a little-endian int64 into a (lo, hi) view: exact,
 * no BigInt. A Uint32Array store converts with ToUint32 (truncate, then modulo 2^32), so the low
 * word is x itself and the high word x·2^-32 (an exact scaling, truncated to floor(x / 2^32)).
 * Negative values never occur in the export (times, sequences, ids, indices).
 */
export function putI64(v: Uint32Array, row: number, x: number): void {
  v[2 * row] = x
  v[2 * row + 1] = x * INV32
}

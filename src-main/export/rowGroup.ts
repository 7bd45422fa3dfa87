// One row group of an export table in a single reusable buffer: each column's values one after
// the other, every column starting on an 8-byte boundary, in the table's column order. Producers
// write rows straight into the column views (staging.ts); the buffer goes to the writer thread as
// a transfer, and the Parquet encoder reads the same places (parquetWriter.ts), so nothing is
// copied or converted on the way. Every column is fixed-width and non-null. A part's last, short
// row group uses the first `rows` values of each column and ignores the rest.
import { TYPE_BYTES, type TableSpec } from './schema'

const pad8 = (n: number): number => (n + 7) & ~7

/** Where each column of a full-size row group sits in its buffer. */
export interface RowGroupLayout {
  readonly rows: number
  /** Byte offset of each column's values. */
  readonly offsets: readonly number[]
  readonly bytes: number
}

const layouts = new WeakMap<TableSpec, RowGroupLayout>()

/** The layout of a table's full-size row group (built once per table). */
export function rowGroupLayout(spec: TableSpec): RowGroupLayout {
  let l = layouts.get(spec)
  if (!l) {
    const offsets: number[] = []
    let at = 0
    for (const col of spec.columns) {
      offsets.push(at)
      at += pad8(spec.rowGroupRows * TYPE_BYTES[col.type])
    }
    l = { rows: spec.rowGroupRows, offsets, bytes: at }
    layouts.set(spec, l)
  }
  return l
}

/** Typed views of one column in a row-group buffer; int64 columns as (lo, hi) 32-bit pairs. */
export type ColumnView = Int8Array | Int32Array | Uint32Array | Float64Array

/** A row-group buffer and its column views, for producers to fill. */
export interface RowGroupBuffer {
  readonly buffer: ArrayBuffer
  readonly layout: RowGroupLayout
  readonly views: ColumnView[]
}

export function rowGroupBuffer(
  spec: TableSpec,
  layout: RowGroupLayout,
  buffer?: ArrayBuffer
): RowGroupBuffer {
  const buf = buffer ?? new ArrayBuffer(layout.bytes)
  return { buffer: buf, layout, views: columnViews(spec, layout, buf) }
}

export function columnViews(
  spec: TableSpec,
  layout: RowGroupLayout,
  buf: ArrayBuffer
): ColumnView[] {
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

// One column of one row group as a column chunk: an optional dictionary page and a single
// DATA_PAGE_V2 holding every row (a row group is at most 131,072 rows, so a page stays near 1 MB
// before compression). Integers and times: DELTA_BINARY_PACKED. Int8 codes and doubles: a
// dictionary with RLE / bit-packed indices when that is smaller than the plain values, otherwise
// PLAIN. Values and dictionaries are snappy-compressed (definition levels never are, as V2 pages
// require); a page that snappy cannot shrink is stored as it is, which V2 allows.
import { compressSync } from 'snappy'
import type { ColumnSpec } from '../schema'
import { ByteSink, bitWidth } from './byteSink'
import { Dictionaries, type DictionaryChunk } from './dictionary'
import { deltaInt32, deltaInt64, int64Range, plainBytes, rleHybrid } from './encodings'
import { Codec, Enc, dataPageHeader, dictionaryPageHeader, type ChunkMeta } from './fileMeta'

/** One column's values for a row group: its little-endian bytes, 8-byte aligned. */
export interface ColumnInput {
  readonly bytes: Uint8Array
  /** For nullable columns: 1 where the row has a value. Values of null rows are ignored. */
  readonly valid?: Uint8Array
}

export interface EncodedChunk {
  readonly meta: ChunkMeta
  /** The chunk's bytes in file order (page headers and page bodies). */
  readonly pieces: readonly Uint8Array[]
}

const copy = (b: Uint8Array): Uint8Array => b.slice()
// copyOutputData: the result in a buffer of V8's own heap, not an external one. Electron's V8
// memory cage refuses external buffers, and with them the export of a tiled real day peaked at
// 1,149 MB RSS instead of 724 MB with copies.
const snappy = (b: Uint8Array): Uint8Array => compressSync(b, { copyOutputData: true })

export class ColumnChunkEncoder {
  private readonly values = new ByteSink(1 << 20)
  private readonly levels = new ByteSink(1 << 12)
  private readonly dicts = new Dictionaries()
  private levelScratch = new Int32Array(0)
  private compactScratch = new Uint8Array(0)

  /** Encodes `rows` rows of `column` placed at byte `offset` of the file. */
  encode(
    column: ColumnSpec,
    input: ColumnInput,
    rows: number,
    offset: number,
    withStats: boolean
  ): EncodedChunk {
    const width = input.bytes.length / rows
    const { bytes, present } = this.presentValues(input, rows, width)
    const nulls = rows - present
    const levelBytes = input.valid ? this.encodeLevels(input.valid, rows) : 0
    const pieces: Uint8Array[] = []
    let at = offset
    let raw = 0
    const put = (header: Uint8Array, body: Uint8Array, rawBody: number): void => {
      pieces.push(header, body)
      at += header.length + body.length
      raw += header.length + rawBody
    }
    const values = this.values
    values.reset()
    let encoding: number = Enc.PLAIN
    let dictionaryPageOffset: number | null = null
    const dict = this.dictionary(column, bytes, present)
    if (column.type === 'i64' || column.type === 'ts') {
      encoding = Enc.DELTA_BINARY_PACKED
      deltaInt64(new Int32Array(bytes.buffer, bytes.byteOffset, 2 * present), present, values)
    } else if (column.type === 'i32') {
      encoding = Enc.DELTA_BINARY_PACKED
      deltaInt32(new Int32Array(bytes.buffer, bytes.byteOffset, present), present, values)
    } else if (dict !== null) {
      const dictBody = plainBytes(dict.values, dict.count)
      const stored = snappy(dictBody)
      dictionaryPageOffset = at
      put(dictionaryPageHeader(dict.count, dictBody.length, stored.length), stored, dictBody.length)
      encoding = Enc.RLE_DICTIONARY
      const w = bitWidth(dict.count - 1)
      values.byte(w)
      rleHybrid(dict.indices, present, w, values)
    } else values.bytes(bytes.subarray(0, present * 8))
    const dataPageOffset = at
    const body = values.view()
    const packed = snappy(body)
    const compressed = packed.length < body.length
    const stored = compressed ? packed : copy(body)
    const header = dataPageHeader({
      values: rows,
      nulls,
      rows,
      encoding,
      levelBytes,
      raw: levelBytes + body.length,
      stored: levelBytes + stored.length,
      compressed
    })
    pieces.push(header)
    if (levelBytes > 0) pieces.push(copy(this.levels.view()))
    pieces.push(stored)
    at += header.length + levelBytes + stored.length
    raw += header.length + levelBytes + body.length
    return {
      pieces,
      meta: {
        column,
        encodings:
          encoding === Enc.RLE_DICTIONARY
            ? [Enc.PLAIN, Enc.RLE, Enc.RLE_DICTIONARY]
            : [Enc.RLE, encoding],
        codec: Codec.SNAPPY,
        values: rows,
        raw,
        stored: at - offset,
        dataPageOffset,
        dictionaryPageOffset,
        stats: withStats && present > 0 ? int64Stats(column, bytes, nulls) : null
      }
    }
  }

  /** A dictionary for int8 codes and doubles when it beats plain values in size, else null. */
  private dictionary(column: ColumnSpec, bytes: Uint8Array, n: number): DictionaryChunk | null {
    if (column.type === 'i8') {
      // Int8 codes are INT32 in Parquet: plain would take 4 bytes a row, a dictionary never more.
      return this.dicts.int8(new Int8Array(bytes.buffer, bytes.byteOffset, n), n)
    }
    if (column.type !== 'f64' || n === 0) return null
    const d = this.dicts.float64(new Uint32Array(bytes.buffer, bytes.byteOffset, 2 * n), n)
    const dictSize = d.count * 8 + Math.ceil((n * bitWidth(d.count - 1)) / 8)
    return dictSize < n * 8 ? d : null
  }

  /** The values of the rows that have one, packed together (the column itself when none is null). */
  private presentValues(
    input: ColumnInput,
    rows: number,
    width: number
  ): { bytes: Uint8Array; present: number } {
    const valid = input.valid
    if (!valid) return { bytes: input.bytes, present: rows }
    if (this.compactScratch.length < rows * width) this.compactScratch = new Uint8Array(rows * 8)
    const out = this.compactScratch
    let present = 0
    for (let i = 0; i < rows; i++) {
      if (valid[i] === 0) continue
      out.set(input.bytes.subarray(i * width, (i + 1) * width), present * width)
      present++
    }
    return { bytes: out.subarray(0, present * width), present }
  }

  /** Definition levels (1 = value, 0 = null) as the RLE hybrid with bit width 1. */
  private encodeLevels(valid: Uint8Array, rows: number): number {
    if (this.levelScratch.length < rows) this.levelScratch = new Int32Array(rows)
    const lv = this.levelScratch
    for (let i = 0; i < rows; i++) lv[i] = valid[i] === 0 ? 0 : 1
    this.levels.reset()
    rleHybrid(lv, rows, 1, this.levels)
    return this.levels.len
  }
}

/** Plain min and max of an int64 column from the indices its delta encoding found. */
function int64Stats(
  column: ColumnSpec,
  bytes: Uint8Array,
  nulls: number
): { min: Uint8Array; max: Uint8Array; nulls: number } {
  if (column.type !== 'i64' && column.type !== 'ts')
    throw new Error(`statistics are kept for int64 and time columns only, not ${column.name}`)
  const at = (i: number): Uint8Array => bytes.slice(i * 8, i * 8 + 8)
  return { min: at(int64Range.min), max: at(int64Range.max), nulls }
}

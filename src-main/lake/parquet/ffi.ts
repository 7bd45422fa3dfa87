// Reads Arrow C Data Interface structs (ArrowSchema / ArrowArray,
// https://arrow.apache.org/docs/format/CDataInterface.html) straight out of parquet-wasm's memory.
// parquet-wasm decodes a row group into Arrow arrays inside WebAssembly memory; exporting them
// over this stable C ABI lets us view the decoded buffers in place and convert them once into our
// output arrays. The alternative, Arrow IPC (intoIPCStream + apache-arrow's tableFromIPC), copies
// every batch twice more and was 1.5× slower on the benchmark file.
import { wasmMemory } from 'parquet-wasm'

// Layouts below are for wasm32 (4-byte pointers, int64 aligned to 8), which parquet-wasm is.

const SCHEMA_FORMAT = 0
const SCHEMA_NAME = 4
const SCHEMA_FLAGS = 16
const SCHEMA_N_CHILDREN = 24
const SCHEMA_CHILDREN = 32
const SCHEMA_DICTIONARY = 36

const ARRAY_LENGTH = 0
const ARRAY_NULL_COUNT = 8
const ARRAY_OFFSET = 16
const ARRAY_N_BUFFERS = 24
const ARRAY_N_CHILDREN = 32
const ARRAY_BUFFERS = 40
const ARRAY_CHILDREN = 44
const ARRAY_DICTIONARY = 48

const FLAG_DICTIONARY_ORDERED = 1
const FLAG_NULLABLE = 2

export interface FfiField {
  readonly name: string
  /** Arrow C format string, e.g. 'l' (int64), 'g' (float64), 'tsn:' (timestamp ns). */
  readonly format: string
  /** Format of the dictionary's values for dictionary-encoded fields, else null. */
  readonly dictionaryFormat: string | null
  readonly nullable: boolean
  /** pyarrow's name for the type (`int64`, `double`, `string`, …), as fingerprints use it. */
  readonly type: string
}

export interface FfiArray {
  readonly length: number
  readonly nullCount: number
  readonly offset: number
  /** Buffer addresses in wasm memory (0 for an absent validity bitmap). */
  readonly buffers: readonly number[]
  readonly dictionary: FfiArray | null
}

const decoder = new TextDecoder()

/** parquet-wasm's linear memory. Take it afresh after every wasm call: growth detaches it. */
export function wasmBuffer(): ArrayBuffer {
  return (wasmMemory() as unknown as { buffer: ArrayBuffer }).buffer
}

function cString(mem: ArrayBuffer, ptr: number): string {
  if (ptr === 0) return ''
  const bytes = new Uint8Array(mem)
  let end = ptr
  while (end < bytes.length && bytes[end] !== 0) end++
  return decoder.decode(bytes.subarray(ptr, end))
}

const i64 = (dv: DataView, at: number): number => Number(dv.getBigInt64(at, true))
const ptr = (dv: DataView, at: number): number => dv.getUint32(at, true)

const SIMPLE: Readonly<Record<string, string>> = {
  n: 'null',
  b: 'bool',
  c: 'int8',
  C: 'uint8',
  s: 'int16',
  S: 'uint16',
  i: 'int32',
  I: 'uint32',
  l: 'int64',
  L: 'uint64',
  e: 'halffloat',
  f: 'float',
  g: 'double',
  z: 'binary',
  Z: 'large_binary',
  u: 'string',
  U: 'large_string',
  vu: 'string_view',
  tdD: 'date32[day]',
  tdm: 'date64[ms]'
}
const UNITS: Readonly<Record<string, string>> = { s: 's', m: 'ms', u: 'us', n: 'ns' }

/** pyarrow's spelling of an Arrow C format string (unknown formats keep their raw form). */
export function arrowTypeName(
  format: string,
  dictionaryFormat: string | null = null,
  ordered = false
): string {
  if (dictionaryFormat !== null) {
    return `dictionary<values=${arrowTypeName(dictionaryFormat)}, indices=${arrowTypeName(format)}, ordered=${ordered ? 1 : 0}>`
  }
  const simple = SIMPLE[format]
  if (simple !== undefined) return simple
  const ts = /^ts([smun]):(.*)$/.exec(format)
  if (ts) {
    const unit = UNITS[ts[1] ?? ''] ?? '?'
    return ts[2] ? `timestamp[${unit}, tz=${ts[2]}]` : `timestamp[${unit}]`
  }
  return `arrow-format:${format}`
}

function readField(mem: ArrayBuffer, dv: DataView, at: number): FfiField {
  const format = cString(mem, ptr(dv, at + SCHEMA_FORMAT))
  const flags = i64(dv, at + SCHEMA_FLAGS)
  const dictAt = ptr(dv, at + SCHEMA_DICTIONARY)
  const dictionaryFormat = dictAt === 0 ? null : cString(mem, ptr(dv, dictAt + SCHEMA_FORMAT))
  return {
    name: cString(mem, ptr(dv, at + SCHEMA_NAME)),
    format,
    dictionaryFormat,
    nullable: (flags & FLAG_NULLABLE) !== 0,
    type: arrowTypeName(format, dictionaryFormat, (flags & FLAG_DICTIONARY_ORDERED) !== 0)
  }
}

/** The fields of a struct-typed ArrowSchema (a record batch's or a file's schema). */
export function readSchemaFields(mem: ArrayBuffer, schemaAddr: number): FfiField[] {
  const dv = new DataView(mem)
  const n = i64(dv, schemaAddr + SCHEMA_N_CHILDREN)
  const children = ptr(dv, schemaAddr + SCHEMA_CHILDREN)
  const out: FfiField[] = []
  for (let i = 0; i < n; i++) out.push(readField(mem, dv, ptr(dv, children + 4 * i)))
  return out
}

function readArray(dv: DataView, at: number): FfiArray {
  const nBuffers = i64(dv, at + ARRAY_N_BUFFERS)
  const bufs = ptr(dv, at + ARRAY_BUFFERS)
  const buffers: number[] = []
  for (let i = 0; i < nBuffers; i++) buffers.push(ptr(dv, bufs + 4 * i))
  const dictAt = ptr(dv, at + ARRAY_DICTIONARY)
  return {
    length: i64(dv, at + ARRAY_LENGTH),
    nullCount: i64(dv, at + ARRAY_NULL_COUNT),
    offset: i64(dv, at + ARRAY_OFFSET),
    buffers,
    dictionary: dictAt === 0 ? null : readArray(dv, dictAt)
  }
}

/** A record batch exported as a struct ArrowArray: its length and one array per column. */
export function readBatchArrays(
  mem: ArrayBuffer,
  arrayAddr: number
): { length: number; columns: FfiArray[] } {
  const dv = new DataView(mem)
  const n = i64(dv, arrayAddr + ARRAY_N_CHILDREN)
  const children = ptr(dv, arrayAddr + ARRAY_CHILDREN)
  const columns: FfiArray[] = []
  for (let i = 0; i < n; i++) columns.push(readArray(dv, ptr(dv, children + 4 * i)))
  return { length: i64(dv, arrayAddr + ARRAY_LENGTH), columns }
}

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float64Array

/** A typed view of buffer `index` of `a`, starting at the array's offset; copies if misaligned. */
export function view<A extends TypedArray>(
  mem: ArrayBuffer,
  a: FfiArray,
  index: number,
  Ctor: { new (b: ArrayBuffer, off: number, len: number): A; readonly BYTES_PER_ELEMENT: number },
  length: number
): A {
  const start = (a.buffers[index] ?? 0) + a.offset * Ctor.BYTES_PER_ELEMENT
  if (start % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(mem, start, length)
  const copy = new Uint8Array(mem, start, length * Ctor.BYTES_PER_ELEMENT).slice()
  return new Ctor(copy.buffer, 0, length)
}

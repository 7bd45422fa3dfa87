// A generic Thrift compact-protocol codec (https://github.com/apache/thrift/blob/master/doc/specs/
// thrift-compact-protocol.md), enough to read and re-write Parquet footers. The Parquet layer needs
// it because parquet-wasm's async reader turns every decode error into a WebAssembly trap raised
// from a microtask (an uncaught exception and a reader that never settles), while its synchronous
// readParquet() reports the same errors as ordinary exceptions but wants a whole file in memory.
// With this codec we read the footer ourselves and cut the file into small standalone Parquet files
// of one row group each (rowGroupFile.ts), which the synchronous reader decodes safely.
// Values keep their wire types so that decode → encode reproduces the input byte for byte.

import { ByteBuffer } from '../../util/byteBuffer'

export type TValue =
  | { readonly t: 'bool'; v: boolean }
  | { readonly t: 'i8' | 'i16' | 'i32'; v: number }
  | { readonly t: 'i64'; v: bigint }
  | { readonly t: 'double'; v: number }
  | { readonly t: 'binary'; v: Uint8Array }
  | { readonly t: 'list' | 'set'; elem: number; items: TValue[] }
  | { readonly t: 'map'; key: number; val: number; entries: [TValue, TValue][] }
  | { readonly t: 'struct'; fields: TField[] }

export interface TField {
  readonly id: number
  value: TValue
}

export type TStruct = Extract<TValue, { t: 'struct' }>

const BOOL_TRUE = 1
const BOOL_FALSE = 2
const I8 = 3
const I16 = 4
export const I32 = 5
export const I64 = 6
const DOUBLE = 7
export const BINARY = 8
export const LIST = 9
const SET = 10
const MAP = 11
export const STRUCT = 12

/** Thrown for bytes that are not a well-formed compact-protocol struct. */
export class ThriftError extends Error {
  override readonly name = 'ThriftError'
}

const MAX_DEPTH = 64

/** Low-level cursor over compact-protocol bytes; `value()`/`struct()` build trees, the rest walk. */
export class CompactReader {
  pos = 0
  constructor(private readonly b: Uint8Array) {}

  /** Next field header of the current struct (`last` = previous field id), or null at its end. */
  field(last: number): { id: number; type: number } | null {
    const h = this.byte()
    if (h === 0) return null
    const delta = h >> 4
    return { id: delta === 0 ? this.int() : last + delta, type: h & 0x0f }
  }

  /** A list or set header. */
  list(): { elem: number; size: number } {
    const h = this.byte()
    return { elem: h & 0x0f, size: h >> 4 === 15 ? this.size() : h >> 4 }
  }

  /** The value of a field of `type` (a field bool lives in its type code). */
  fieldValue(type: number): TValue {
    if (type === BOOL_TRUE || type === BOOL_FALSE) return { t: 'bool', v: type === BOOL_TRUE }
    return this.value(type, 0)
  }

  /** An i64 known to fit a double exactly (file offsets and sizes). */
  i64Number(): number {
    const v = this.long()
    if (v > 9007199254740991n || v < -9007199254740991n) {
      throw new ThriftError(`64-bit value ${v} beyond 2^53 at byte ${this.pos}`)
    }
    return Number(v)
  }

  /** Skips a value of `type` without building it; field bools carry no bytes (`inField`). */
  skip(type: number, inField = true, depth = 0): void {
    if (depth > MAX_DEPTH) throw new ThriftError('nesting too deep')
    switch (type) {
      case BOOL_TRUE:
      case BOOL_FALSE:
        if (!inField) this.byte()
        return
      case I8:
        this.byte()
        return
      case I16:
      case I32:
      case I64:
        this.varint()
        return
      case DOUBLE:
        this.pos += 8
        if (this.pos > this.b.length) throw new ThriftError('unexpected end of data in a double')
        return
      case BINARY: {
        const n = this.size()
        this.pos += n
        if (this.pos > this.b.length) throw new ThriftError('unexpected end of data in a binary')
        return
      }
      case LIST:
      case SET: {
        const { elem, size } = this.list()
        for (let i = 0; i < size; i++) this.skip(elem, false, depth + 1)
        return
      }
      case MAP: {
        const n = this.size()
        if (n === 0) return
        const kv = this.byte()
        for (let i = 0; i < n; i++) {
          this.skip(kv >> 4, false, depth + 1)
          this.skip(kv & 0x0f, false, depth + 1)
        }
        return
      }
      case STRUCT: {
        let last = 0
        for (let f = this.field(last); f !== null; f = this.field(last)) {
          last = f.id
          this.skip(f.type, true, depth + 1)
        }
        return
      }
      default:
        throw new ThriftError(`unknown type ${type} at byte ${this.pos}`)
    }
  }

  byte(): number {
    const v = this.b[this.pos++]
    if (v === undefined) throw new ThriftError(`unexpected end of data at byte ${this.pos - 1}`)
    return v
  }

  /** An unsigned varint: a number below 2^53, a bigint beyond (only 64-bit fields get there). */
  varint(): number | bigint {
    // Number arithmetic while exact; footers of big files hold hundreds of thousands of varints.
    let out = 0
    let mul = 1
    for (let i = 0; i < 7; i++) {
      const x = this.byte()
      out += (x & 0x7f) * mul
      if ((x & 0x80) === 0) return out
      mul *= 128
    }
    let big = BigInt(out)
    let shift = 49n
    for (let i = 7; i < 10; i++) {
      const x = this.byte()
      big |= BigInt(x & 0x7f) << shift
      if ((x & 0x80) === 0) return big <= 0x1fffffffffffffn ? Number(big) : big
      shift += 7n
    }
    throw new ThriftError(`varint longer than 10 bytes at byte ${this.pos}`)
  }

  /** Small non-negative varints (lengths, sizes): plain numbers. */
  size(): number {
    const v = this.varint()
    if (typeof v === 'bigint' || v > this.b.length) {
      throw new ThriftError(`size ${v} exceeds the data at byte ${this.pos}`)
    }
    return v
  }

  /** A zigzag-coded 16/32-bit integer. */
  int(): number {
    const v = this.varint()
    if (typeof v === 'bigint') throw new ThriftError(`integer too large at byte ${this.pos}`)
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2
  }

  /** A zigzag-coded 64-bit integer. */
  long(): bigint {
    const v = this.varint()
    if (typeof v === 'number') return BigInt(v % 2 === 0 ? v / 2 : -(v + 1) / 2)
    return BigInt.asIntN(64, (v >> 1n) ^ -(v & 1n))
  }

  value(type: number, depth: number): TValue {
    if (depth > MAX_DEPTH) throw new ThriftError('nesting too deep')
    switch (type) {
      case BOOL_TRUE:
      case BOOL_FALSE:
        // Inside containers a bool is a whole byte (1 = true); as a field it lives in the type.
        return { t: 'bool', v: this.byte() === BOOL_TRUE }
      case I8: {
        const x = this.byte()
        return { t: 'i8', v: x > 127 ? x - 256 : x }
      }
      case I16:
        return { t: 'i16', v: this.int() }
      case I32:
        return { t: 'i32', v: this.int() }
      case I64:
        return { t: 'i64', v: this.long() }
      case DOUBLE: {
        if (this.pos + 8 > this.b.length)
          throw new ThriftError('unexpected end of data in a double')
        const v = new DataView(this.b.buffer, this.b.byteOffset + this.pos, 8).getFloat64(0, true)
        this.pos += 8
        return { t: 'double', v }
      }
      case BINARY: {
        const n = this.size()
        if (this.pos + n > this.b.length)
          throw new ThriftError('unexpected end of data in a binary')
        const v = this.b.subarray(this.pos, this.pos + n)
        this.pos += n
        return { t: 'binary', v }
      }
      case LIST:
      case SET: {
        const h = this.byte()
        const elem = h & 0x0f
        const n = h >> 4 === 15 ? this.size() : h >> 4
        const items: TValue[] = []
        for (let i = 0; i < n; i++) items.push(this.value(elem, depth + 1))
        return { t: type === LIST ? 'list' : 'set', elem, items }
      }
      case MAP: {
        const n = this.size()
        if (n === 0) return { t: 'map', key: 0, val: 0, entries: [] }
        const kv = this.byte()
        const key = kv >> 4
        const val = kv & 0x0f
        const entries: [TValue, TValue][] = []
        for (let i = 0; i < n; i++)
          entries.push([this.value(key, depth + 1), this.value(val, depth + 1)])
        return { t: 'map', key, val, entries }
      }
      case STRUCT:
        return this.struct(depth + 1)
      default:
        throw new ThriftError(`unknown type ${type} at byte ${this.pos}`)
    }
  }

  struct(depth = 0): TStruct {
    const fields: TField[] = []
    let last = 0
    for (;;) {
      const h = this.byte()
      if (h === 0) return { t: 'struct', fields }
      const type = h & 0x0f
      const delta = h >> 4
      const id = delta === 0 ? this.int() : last + delta
      last = id
      const value =
        type === BOOL_TRUE || type === BOOL_FALSE
          ? ({ t: 'bool', v: type === BOOL_TRUE } as const)
          : this.value(type, depth)
      fields.push({ id, value })
    }
  }
}

/** Decodes one struct from `bytes` starting at `offset`; returns it and the bytes consumed. */
export function decodeStruct(bytes: Uint8Array, offset = 0): { value: TStruct; length: number } {
  const r = new CompactReader(bytes)
  r.pos = offset
  const value = r.struct()
  return { value, length: r.pos - offset }
}

/** Low-level compact-protocol output; `struct()`/`value()` write trees, the rest stream. */
export class CompactWriter extends ByteBuffer {
  varint(v: bigint): void {
    this.uleb(v)
  }

  zigzag(v: bigint): void {
    this.zigzag64(v)
  }

  value(v: TValue): void {
    switch (v.t) {
      case 'bool':
        this.byte(v.v ? BOOL_TRUE : BOOL_FALSE)
        break
      case 'i8':
        this.byte(v.v)
        break
      case 'i16':
      case 'i32':
        this.zigzag(BigInt(v.v))
        break
      case 'i64':
        this.zigzag(v.v)
        break
      case 'double': {
        const b = new Uint8Array(8)
        new DataView(b.buffer).setFloat64(0, v.v, true)
        this.bytes(b)
        break
      }
      case 'binary':
        this.varint(BigInt(v.v.length))
        this.bytes(v.v)
        break
      case 'list':
      case 'set':
        if (v.items.length < 15) this.byte((v.items.length << 4) | v.elem)
        else {
          this.byte(0xf0 | v.elem)
          this.varint(BigInt(v.items.length))
        }
        for (const x of v.items) this.value(x)
        break
      case 'map':
        this.varint(BigInt(v.entries.length))
        if (v.entries.length > 0) this.byte((v.key << 4) | v.val)
        for (const [k, x] of v.entries) {
          this.value(k)
          this.value(x)
        }
        break
      case 'struct':
        this.struct(v)
        break
    }
  }

  struct(s: TStruct): void {
    this.fields(s.fields, 0)
    this.byte(0)
  }

  fields(fields: readonly TField[], afterId: number): void {
    let last = afterId
    for (const f of fields) {
      const type = typeCode(f.value)
      const delta = f.id - last
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type)
      else {
        this.byte(type)
        this.zigzag(BigInt(f.id))
      }
      last = f.id
      if (f.value.t !== 'bool') this.value(f.value)
    }
  }

  /** A field header; `last` is the id of the field written before it in the same struct. */
  fieldHeader(id: number, type: number, last: number): void {
    const delta = id - last
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type)
    else {
      this.byte(type)
      this.zigzag(BigInt(id))
    }
  }

  listHeader(elem: number, size: number): void {
    if (size < 15) this.byte((size << 4) | elem)
    else {
      this.byte(0xf0 | elem)
      this.varint(BigInt(size))
    }
  }

  long(v: bigint): void {
    this.zigzag(v)
  }
}

function typeCode(v: TValue): number {
  switch (v.t) {
    case 'bool':
      return v.v ? BOOL_TRUE : BOOL_FALSE
    case 'i8':
      return I8
    case 'i16':
      return I16
    case 'i32':
      return I32
    case 'i64':
      return I64
    case 'double':
      return DOUBLE
    case 'binary':
      return BINARY
    case 'list':
      return LIST
    case 'set':
      return SET
    case 'map':
      return MAP
    case 'struct':
      return STRUCT
  }
}

export function encodeStruct(s: TStruct): Uint8Array {
  const w = new CompactWriter()
  w.struct(s)
  return w.result()
}

/**
 * Encodes some fields of a struct as a fragment: field ids are delta-coded from `afterId` (the id
 * of the field written just before), and the stop byte is added only when `stop`. Concatenated
 * fragments with consistent ids form one struct, so fixed parts can be encoded once.
 */
export function encodeFields(
  fields: readonly TField[],
  afterId: number,
  stop: boolean
): Uint8Array {
  const w = new CompactWriter()
  w.fields(fields, afterId)
  if (stop) w.byte(0)
  return w.result()
}

// Typed access to decoded structs (field ids from parquet.thrift).

export function field(s: TStruct, id: number): TValue | undefined {
  return s.fields.find((f) => f.id === id)?.value
}

export function intField(s: TStruct, id: number): number | undefined {
  const v = field(s, id)
  if (v?.t === 'i64') return Number(v.v)
  return v?.t === 'i32' || v?.t === 'i16' || v?.t === 'i8' ? v.v : undefined
}

export function stringField(s: TStruct, id: number): string | undefined {
  const v = field(s, id)
  return v?.t === 'binary' ? new TextDecoder().decode(v.v) : undefined
}

export function structList(s: TStruct, id: number): TStruct[] {
  const v = field(s, id)
  if (v?.t !== 'list') return []
  return v.items.filter((x): x is TStruct => x.t === 'struct')
}

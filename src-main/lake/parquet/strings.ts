// String columns of a decoded batch, read in place through the Arrow C Data Interface: the side
// column ('buy' / 'sell' to 1 / 0) and the partition columns a saved lakeapi frame carries (each
// row must hold the path's value). Plain and large strings, and dictionaries (pandas
// categoricals) whose few values are classified once and then looked up by index.
import type { FfiArray, FfiField } from './ffi'
import { view } from './ffi'
import { int64ToFloat64 } from './int64'

const BUY = [0x62, 0x75, 0x79] // 'buy'
const SELL = [0x73, 0x65, 0x6c, 0x6c] // 'sell'

/** Per string of a (large_)string array: 1 for 'buy', 0 for 'sell', 2 for anything else. */
function classifyStrings(mem: ArrayBuffer, a: FfiArray, format: string, n: number): Uint8Array {
  const offsets = new Float64Array(n + 1)
  if (format === 'U') {
    // large_string: int64 offsets (a file written from pandas with large strings).
    int64ToFloat64(view(mem, a, 1, BigInt64Array, n + 1), offsets)
  } else {
    offsets.set(view(mem, a, 1, Int32Array, n + 1))
  }
  const data = new Uint8Array(mem, a.buffers[2] ?? 0)
  const codes = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const s = offsets[i] ?? 0
    const len = (offsets[i + 1] ?? 0) - s
    if (len === 3 && data[s] === BUY[0] && data[s + 1] === BUY[1] && data[s + 2] === BUY[2]) {
      codes[i] = 1
    } else if (
      len === 4 &&
      data[s] === SELL[0] &&
      data[s + 1] === SELL[1] &&
      data[s + 2] === SELL[2] &&
      data[s + 3] === SELL[3]
    ) {
      codes[i] = 0
    } else {
      codes[i] = 2
    }
  }
  return codes
}

/** The first row whose (dictionary) string is not `expected` (nulls included), or null. */
export function firstOther(
  mem: ArrayBuffer,
  a: FfiArray,
  field: FfiField,
  n: number,
  expected: string
): { row: number; value: string } | null {
  const want = new TextEncoder().encode(expected)
  const valid = (i: number): boolean => {
    if (a.nullCount === 0) return true
    const bits = new Uint8Array(mem, a.buffers[0] ?? 0)
    const j = i + a.offset
    return (((bits[j >> 3] ?? 0) >> (j & 7)) & 1) === 1
  }
  const dict = a.dictionary
  if (dict === null || field.dictionaryFormat === null) {
    const same = equalStrings(mem, a, field.format, n, want)
    for (let i = 0; i < n; i++)
      if (!valid(i) || same[i] !== 1)
        return { row: i, value: valid(i) ? stringAt(mem, a, field.format, i) : 'null' }
    return null
  }
  const same = equalStrings(mem, dict, field.dictionaryFormat, dict.length, want)
  const index = dictionaryIndices(mem, a, field.format, n)
  for (let i = 0; i < n; i++) {
    const k = index(i)
    if (!valid(i)) return { row: i, value: 'null' }
    if (same[k] !== 1)
      return {
        row: i,
        value: k < dict.length ? stringAt(mem, dict, field.dictionaryFormat, k) : `<index ${k}>`
      }
  }
  return null
}

/** Per string of a (large_)string array: 1 when its bytes equal `want`. */
function equalStrings(
  mem: ArrayBuffer,
  a: FfiArray,
  format: string,
  n: number,
  want: Uint8Array
): Uint8Array {
  const offsets = new Float64Array(n + 1)
  if (format === 'U') int64ToFloat64(view(mem, a, 1, BigInt64Array, n + 1), offsets)
  else offsets.set(view(mem, a, 1, Int32Array, n + 1))
  const data = new Uint8Array(mem, a.buffers[2] ?? 0)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const s = offsets[i] ?? 0
    if ((offsets[i + 1] ?? 0) - s !== want.length) continue
    let k = 0
    while (k < want.length && data[s + k] === want[k]) k++
    out[i] = k === want.length ? 1 : 0
  }
  return out
}

function stringAt(mem: ArrayBuffer, a: FfiArray, format: string, i: number): string {
  const offsets =
    format === 'U'
      ? Array.from(view(mem, a, 1, BigInt64Array, i + 2).subarray(i), Number)
      : Array.from(view(mem, a, 1, Int32Array, i + 2).subarray(i))
  const s = offsets[0] ?? 0
  const e = offsets[1] ?? 0
  return new TextDecoder().decode(new Uint8Array(mem, (a.buffers[2] ?? 0) + s, Math.max(0, e - s)))
}

/** Fills dst with 1 (buy) / 0 (sell); returns the first row holding anything else, or null. */
export function decodeSide(
  mem: ArrayBuffer,
  a: FfiArray,
  field: FfiField,
  n: number,
  dst: Uint8Array
): { row: number; value: string } | null {
  const dict = a.dictionary
  if (dict === null || field.dictionaryFormat === null) {
    const codes = classifyStrings(mem, a, field.format, n)
    for (let i = 0; i < n; i++) {
      const c = codes[i] ?? 2
      if (c === 2) return { row: i, value: stringAt(mem, a, field.format, i) }
      dst[i] = c
    }
    return null
  }
  // Dictionary (a pandas categorical): classify the few dictionary values, then map the indices.
  const codes = classifyStrings(mem, dict, field.dictionaryFormat, dict.length)
  const index = dictionaryIndices(mem, a, field.format, n)
  for (let i = 0; i < n; i++) {
    const k = index(i)
    const c = codes[k] ?? 2
    if (c === 2) {
      const value =
        k < dict.length ? stringAt(mem, dict, field.dictionaryFormat, k) : `<index ${k}>`
      return { row: i, value }
    }
    dst[i] = c
  }
  return null
}

function dictionaryIndices(
  mem: ArrayBuffer,
  a: FfiArray,
  format: string,
  n: number
): (i: number) => number {
  switch (format) {
    case 'c':
      return (
        (v) => (i: number) =>
          v[i] ?? 0
      )(view(mem, a, 1, Int8Array, n))
    case 'C':
      return (
        (v) => (i: number) =>
          v[i] ?? 0
      )(view(mem, a, 1, Uint8Array, n))
    case 's':
      return (
        (v) => (i: number) =>
          v[i] ?? 0
      )(view(mem, a, 1, Int16Array, n))
    case 'S':
      return (
        (v) => (i: number) =>
          v[i] ?? 0
      )(view(mem, a, 1, Uint16Array, n))
    case 'i':
      return (
        (v) => (i: number) =>
          v[i] ?? 0
      )(view(mem, a, 1, Int32Array, n))
    case 'I':
      return (
        (v) => (i: number) =>
          v[i] ?? 0
      )(view(mem, a, 1, Uint32Array, n))
    case 'l':
      return (
        (v) => (i: number) =>
          Number(v[i] ?? 0n)
      )(view(mem, a, 1, BigInt64Array, n))
    default:
      return (
        (v) => (i: number) =>
          Number(v[i] ?? 0n)
      )(view(mem, a, 1, BigUint64Array, n))
  }
}

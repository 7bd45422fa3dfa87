// Reads columns of the export's own part files (events, book, …; schema.ts) back as Float64
// columns, one row group at a time: the same decoding path as the Lake reader
// (lake/parquet/reader.ts: a row group cut out as a standalone file, decoded by parquet-wasm's
// synchronous readParquet, viewed through the Arrow C Data Interface). Every exported column is
// fixed-width and never null; int64 and timestamp[us] values are converted exactly (|v| < 2^53).
import { readParquet } from 'parquet-wasm'
import { CancelledError, InputError, errorMessage } from '../util/errors'
import { readBatchArrays, readSchemaFields, view, wasmBuffer } from '../lake/parquet/ffi'
import { openParquet } from '../lake/parquet/footer'
import { int64ToFloat64 } from '../lake/parquet/int64'
import { rowGroupCutter } from '../lake/parquet/rowGroupFile'

export interface PartBatch {
  readonly rows: number
  /** Times in µs since the epoch; every other column as its number. */
  readonly columns: Readonly<Record<string, Float64Array>>
}

/** Converts one decoded column (Arrow C format `format`) to Float64, or says why it cannot. */
function toFloat64(
  mem: ArrayBuffer,
  a: Parameters<typeof view>[1],
  format: string,
  n: number
): Float64Array | string {
  switch (format) {
    case 'g':
      return view(mem, a, 1, Float64Array, n).slice()
    case 'c':
      return Float64Array.from(view(mem, a, 1, Int8Array, n))
    case 's':
      return Float64Array.from(view(mem, a, 1, Int16Array, n))
    case 'i':
      return Float64Array.from(view(mem, a, 1, Int32Array, n))
    default: {
      // int64, or timestamp[us] (the export writes µs; tz 'UTC' or '+00:00').
      if (format !== 'l' && !/^tsu:/.test(format)) return `unsupported type ${format}`
      const dst = new Float64Array(n)
      const bad = int64ToFloat64(view(mem, a, 1, BigInt64Array, n), dst)
      return bad >= 0 ? `row ${bad} is outside ±2^53` : dst
    }
  }
}

/** Streams the named columns of one exported part file, a row group per batch. */
export async function* readPartColumns(
  path: string,
  columns: readonly string[],
  signal?: AbortSignal
): AsyncGenerator<PartBatch, void, undefined> {
  const pq = openParquet(path)
  try {
    const cut = rowGroupCutter(pq.model)
    for (const span of pq.model.rowGroups) {
      if (signal?.aborted) throw new CancelledError()
      // Give the event loop a turn per row group (a cancel message must get through).
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (span.rows === 0) continue
      const file = cut(span, (body) => {
        pq.readInto(span.start, body)
      })
      let ffi
      try {
        ffi = readParquet(file, { batchSize: span.rows, columns: [...columns] }).intoFFI()
      } catch (e) {
        throw new InputError(`cannot decode row group ${span.index}: ${errorMessage(e)}`, path)
      }
      const batches: PartBatch[] = []
      try {
        for (let k = 0; k < ffi.numArrays(); k++) {
          const mem = wasmBuffer()
          const fields = readSchemaFields(mem, ffi.schemaAddr())
          const { length: n, columns: arrays } = readBatchArrays(mem, ffi.arrayAddr(k))
          const out: Record<string, Float64Array> = {}
          for (const name of columns) {
            const i = fields.findIndex((f) => f.name === name)
            const a = arrays[i]
            const f = fields[i]
            if (a === undefined || f === undefined)
              throw new InputError(`has no column "${name}"`, path)
            if (a.nullCount !== 0)
              throw new InputError(`column "${name}" has ${a.nullCount} null values`, path)
            const v = toFloat64(mem, a, f.format, n)
            if (typeof v === 'string') throw new InputError(`column "${name}": ${v}`, path)
            out[name] = v
          }
          batches.push({ rows: n, columns: out })
        }
      } finally {
        ffi.free()
      }
      yield* batches
    }
  } finally {
    pq.close()
  }
}

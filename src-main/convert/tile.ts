// Builds long inputs for benchmarks and memory tests by tiling Crypto Lake-format data converted
// from the REAL captures forward in time, sequence number and trade id: copy k is the original
// shifted by k × (its span) — LABELLED "tiled real data" wherever it is used. Each copy starts with
// the capture's own snapshot burst, so the book resets at every tile as after a reconnect.
import type { LakeTable, WriteColumns } from '../lake/parquet/schemas'
import { BOOK_LEVEL_COLUMNS } from '../lake/parquet/schemas'
import { readLakeTable } from '../lake/parquet/reader'
import { LakeParquetWriter, type WriteSummary } from '../lake/parquet/writer'
import { dayOfUs, partitionDir, VENDOR_FILE_NAME } from '../lake/layout'
import { resolveSelection } from '../engine/source/lakeSources'
import { join } from 'node:path'

export interface TileOptions {
  readonly exchange: string
  readonly symbol: string
  /** Stop once at least this many book_delta_v2 rows are written. */
  readonly deltaRows: number
  /** The first copy starts at 00:00:00 UTC of this day (default: the source's own start). */
  readonly startDay?: string | undefined
}

interface Loaded {
  readonly cols: Record<string, Float64Array | Uint8Array>
  readonly rows: number
}

async function loadTable(files: readonly { path: string }[], table: LakeTable): Promise<Loaded> {
  const parts: Record<string, (Float64Array | Uint8Array)[]> = {}
  let rows = 0
  for (const f of files) {
    for await (const b of readLakeTable(f.path, table)) {
      for (const [k, v] of Object.entries(
        b.columns as unknown as Record<string, Float64Array | Uint8Array>
      )) {
        ;(parts[k] ??= []).push(v)
      }
      rows += b.rows
    }
  }
  const cols: Record<string, Float64Array | Uint8Array> = {}
  for (const [k, list] of Object.entries(parts)) {
    const out = list[0] instanceof Uint8Array ? new Uint8Array(rows) : new Float64Array(rows)
    let at = 0
    for (const p of list) {
      out.set(p, at)
      at += p.length
    }
    cols[k] = out
  }
  return { cols, rows }
}

const f64 = (c: Float64Array | Uint8Array | undefined): Float64Array =>
  c instanceof Float64Array ? c : new Float64Array(0)

export async function tileLake(
  srcRoot: string,
  outBase: string,
  o: TileOptions
): Promise<{ files: WriteSummary[]; copies: number; deltaRows: number }> {
  const sel = resolveSelection({ root: srcRoot, exchange: o.exchange, symbol: o.symbol })
  const deltas = await loadTable(sel.files.book_delta_v2, 'book_delta_v2')
  const trades = await loadTable(sel.files.trades, 'trades')
  const book = await loadTable(sel.files.book, 'book')
  const recv = f64(deltas.cols['received_time'])
  const seq = f64(deltas.cols['sequence_number'])
  const t0 = Math.min(
    recv[0] ?? 0,
    f64(trades.cols['received_time'])[0] ?? Infinity,
    f64(book.cols['received_time'])[0] ?? Infinity
  )
  const t1 = Math.max(
    recv[deltas.rows - 1] ?? 0,
    f64(trades.cols['received_time'])[trades.rows - 1] ?? 0
  )
  const spanUs = t1 - t0 + 100_000
  const seqSpan = (seq[deltas.rows - 1] ?? 0) - (seq[0] ?? 0) + 1
  const ids = f64(trades.cols['trade_id'])
  const idSpan = trades.rows > 0 ? (ids[trades.rows - 1] ?? 0) - (ids[0] ?? 0) + 1 : 0
  const startShift =
    o.startDay === undefined ? 0 : Date.parse(`${o.startDay}T00:00:00Z`) * 1000 - t0

  const writers = new Map<string, LakeParquetWriter<LakeTable>>()
  const writerFor = (table: LakeTable, day: string): LakeParquetWriter<LakeTable> => {
    const key = `${table}/${day}`
    let w = writers.get(key)
    if (!w) {
      w = LakeParquetWriter.open(
        join(partitionDir(outBase, table, o.exchange, o.symbol, day), VENDOR_FILE_NAME),
        table,
        {
          date: day,
          containsGaps: false,
          symbol: o.symbol,
          exchange: o.exchange
        }
      )
      writers.set(key, w)
    }
    return w
  }

  /** Writes one shifted copy of a table, split at UTC day boundaries. */
  const writeCopy = async (
    table: LakeTable,
    src: Loaded,
    dt: number,
    ds: number,
    di: number
  ): Promise<void> => {
    const r = f64(src.cols['received_time'])
    let start = 0
    while (start < src.rows) {
      const day = dayOfUs((r[start] ?? 0) + dt)
      let end = start
      while (end < src.rows && dayOfUs((r[end] ?? 0) + dt) === day) end++
      await writerFor(table, day).append(shifted(table, src, start, end, dt, ds, di))
      start = end
    }
  }

  let copies = 0
  let written = 0
  try {
    while (written < o.deltaRows) {
      const dt = startShift + copies * spanUs
      await writeCopy('book_delta_v2', deltas, dt, copies * seqSpan, 0)
      await writeCopy('trades', trades, dt, 0, copies * idSpan)
      await writeCopy('book', book, dt, copies * seqSpan, 0)
      written += deltas.rows
      copies++
    }
    const files: WriteSummary[] = []
    for (const w of writers.values()) files.push(await w.close())
    return { files, copies, deltaRows: written }
  } catch (e) {
    for (const w of writers.values()) await w.abort(e)
    throw e
  }
}

/** Rows [a, b) of a loaded table as writer columns, shifted; times back to ns from µs. */
function shifted(
  table: LakeTable,
  src: Loaded,
  a: number,
  b: number,
  dt: number,
  ds: number,
  di: number
): WriteColumns[LakeTable] {
  const n = b - a
  const time = (name: string, zeroStays = false): Float64Array => {
    const s = f64(src.cols[name])
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const v = s[a + i] ?? 0
      out[i] = zeroStays && v === 0 ? 0 : (v + dt) * 1000
    }
    return out
  }
  const plus = (name: string, d: number): Float64Array => {
    const s = f64(src.cols[name])
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) out[i] = (s[a + i] ?? 0) + d
    return out
  }
  const slice = (name: string): Float64Array => f64(src.cols[name]).slice(a, b)
  if (table === 'book_delta_v2') {
    return {
      timestamp: time('origin_time', true),
      receipt_timestamp: time('received_time'),
      sequence_number: plus('sequence_number', ds),
      side_is_bid: (src.cols['side_is_bid'] as Uint8Array).slice(a, b),
      price: slice('price'),
      size: slice('size')
    }
  }
  if (table === 'trades') {
    const buy = src.cols['side_is_buy'] as Uint8Array
    return {
      side: Array.from(buy.subarray(a, b), (v) => (v === 1 ? 'buy' : 'sell')),
      amount: slice('quantity'),
      price: slice('price'),
      id: plus('trade_id', di),
      timestamp: time('origin_time'),
      receipt_timestamp: time('received_time')
    }
  }
  const out: Record<string, Float64Array> = {
    // The book row taken right after a spot snapshot has origin time 0: it stays 0.
    timestamp: time('origin_time', true),
    receipt_timestamp: time('received_time'),
    sequence_number: plus('sequence_number', ds)
  }
  for (const c of BOOK_LEVEL_COLUMNS) out[c] = slice(c)
  return out as unknown as WriteColumns['book']
}

// The rows Crypto Lake's capture writer (cryptofeed's Parquet backend, research notes §3.1 and §6)
// would have written for a Binance capture — the one place that decides them; the converter
// (captureToLake.ts) writes them to Parquet, tests and benchmarks keep them in memory
// (lake/parquet/fromCapture.ts). Every choice and every known difference: docs/crypto-lake-format.md.
//   book_delta_v2 — one row per level, bids then asks; sequence_number = the diff's final id u;
//     timestamp = int(E_ms / 1000.0 * 1e9) and receipt_timestamp = int(receive_s * 1e9), the vendor's
//     float conversions; the REST snapshot as an unflagged burst (spot timestamp 0, sequence =
//     lastUpdateId); diffs the sync drops are not written.
//   book — the locally maintained top 20 after an update, at the chosen era's cadence (bookCadence.ts),
//     NaN for missing levels.
//   trades — the capture's trade stream (the vendor's are aggregate trades).
// Rows are split by the receive-time UTC day (the vendor's dt is the capture host's date).
import type { OrderBook } from '../engine/book/orderBook'
import type { PriceGrid } from '../../src-shared/units'
import { BOOK_LEVEL_COLUMNS, type LakeTable, type WriteColumns } from '../lake/parquet/schemas'
import { dayOfUs, lakeNames } from '../lake/layout'
import { replayCapture, type CaptureReplaySummary } from '../engine/captureReplay'
import type { Market } from '../engine/book/binanceDepthSync'
import type { Where } from '../engine/source/captureMessages'
import type { DepthMsg, Levels, SnapshotMsg, TradeMsg } from '../engine/source/captureMessages'
import { GrowableF64 } from '../util/growable'
import type { BookCadence } from '../../src-shared/jobs'
import { BookThrottle, DEFAULT_BOOK_CADENCE, type BookCadenceCounts } from './bookCadence'

/** The vendor's float conversion of an exchange time in ms to int64 ns (a double, so exact here). */
export const vendorNsFromMs = (ms: number): number => (ms / 1000) * 1e9
/** The vendor's float conversion of a receive time (µs here) to int64 ns. */
export const vendorNsFromUs = (us: number): number => (us / 1e6) * 1e9

export interface RowContext {
  readonly exchange: string
  readonly symbol: string
  /** Days where a sequence gap or a resync was seen so far. */
  readonly gapDays: ReadonlySet<string>
}

/** Receives the rows in order, table by table and day by day, in chunks (awaited: backpressure). */
export type RowSink = <T extends LakeTable>(
  table: T,
  day: string,
  columns: WriteColumns[T],
  ctx: RowContext
) => Promise<void>

export interface CaptureRowsOptions {
  readonly market?: Market | undefined
  readonly tick?: string | undefined
  /** Which era's `book` cadence to write (default '2022-11'). */
  readonly bookCadence?: BookCadence | undefined
  /** Stop after this many capture lines (tests take a small real slice). */
  readonly maxLines?: number | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((doneBytes: number, totalBytes: number) => void) | undefined
}

export interface CaptureRowsSummary {
  readonly exchange: string
  readonly symbol: string
  readonly days: string[]
  readonly rows: Record<LakeTable, number>
  readonly snapshotBursts: number
  /** Rows of the first snapshot burst. */
  readonly snapshotRows: number
  /**
   * Days with a sequence gap or a resync. A Parquet file says contains_gaps=Yes when the gap came
   * before its day's first rows were flushed (the flag is fixed when a file is opened, as in the
   * vendor's writer); this list is complete either way.
   */
  readonly gapDays: string[]
  /** The `book` cadence written and what it did with the book updates. */
  readonly book: BookCadenceCounts
  /** The replay the rows came from: its gaps, resyncs and input issues apply to the rows. */
  readonly replay: CaptureReplaySummary
}

/** Rows of one table for one day, buffered as columns until the next flush. */
class TableRows {
  readonly cols = new Map<string, GrowableF64>()
  readonly sides: string[] = []
  rows = 0

  constructor(
    readonly table: LakeTable,
    names: readonly string[]
  ) {
    for (const n of names) this.cols.set(n, new GrowableF64(4096))
  }

  col(name: string): GrowableF64 {
    const c = this.cols.get(name)
    if (!c) throw new Error(`no column ${name}`)
    return c
  }

  take(): WriteColumns[LakeTable] {
    const out: Record<string, unknown> = {}
    for (const [name, c] of this.cols) {
      const a = c.toArray()
      out[name] = name === 'side_is_bid' ? Uint8Array.from(a) : a
      c.length = 0
    }
    if (this.table === 'trades') out['side'] = this.sides.splice(0)
    this.rows = 0
    return out as unknown as WriteColumns[LakeTable]
  }
}

const COLUMNS: Record<LakeTable, readonly string[]> = {
  book_delta_v2: [
    'timestamp',
    'receipt_timestamp',
    'sequence_number',
    'side_is_bid',
    'price',
    'size'
  ],
  trades: ['amount', 'price', 'id', 'timestamp', 'receipt_timestamp'],
  book: ['timestamp', 'receipt_timestamp', 'sequence_number', ...BOOK_LEVEL_COLUMNS]
}

export async function captureLakeRows(
  files: readonly string[],
  sink: RowSink,
  opts: CaptureRowsOptions = {}
): Promise<CaptureRowsSummary> {
  const throttle = new BookThrottle(opts.bookCadence ?? DEFAULT_BOOK_CADENCE)
  let names = { exchange: '', symbol: '' }
  let grid: PriceGrid | null = null
  const outputs = new Map<string, TableRows>()
  const days = new Set<string>()
  const gapDays = new Set<string>()
  const rows: Record<LakeTable, number> = { book_delta_v2: 0, trades: 0, book: 0 }
  let snapshotBursts = 0
  let snapshotRows = 0
  let snapshotUs = -Infinity
  const scratchTicks = new Float64Array(20)
  const scratchLots = new Float64Array(20)

  const out = (table: LakeTable, day: string): TableRows => {
    const key = `${table}/${day}`
    let o = outputs.get(key)
    if (!o) {
      o = new TableRows(table, COLUMNS[table])
      outputs.set(key, o)
      days.add(day)
    }
    return o
  }

  const deltaRows = (
    levels: Levels,
    isBid: boolean,
    o: TableRows,
    ts: number,
    rts: number,
    seq: number
  ): void => {
    for (const [px, qty] of levels) {
      o.col('timestamp').push(ts)
      o.col('receipt_timestamp').push(rts)
      o.col('sequence_number').push(seq)
      o.col('side_is_bid').push(isBid ? 1 : 0)
      o.col('price').push(Number.parseFloat(px))
      o.col('size').push(Number.parseFloat(qty))
      o.rows++
    }
    rows.book_delta_v2 += levels.length
  }

  const bookRow = (book: OrderBook, recvUs: number, ts: number, seq: number): void => {
    if (!grid || !throttle.keep(vendorNsFromUs(recvUs))) return
    const o = out('book', dayOfUs(recvUs))
    o.col('timestamp').push(ts)
    o.col('receipt_timestamp').push(vendorNsFromUs(recvUs))
    o.col('sequence_number').push(seq)
    for (const isBid of [true, false]) {
      const n = (isBid ? book.bids : book.asks).top(20, scratchTicks, scratchLots)
      const side = isBid ? 'bid' : 'ask'
      for (let k = 0; k < 20; k++) {
        o.col(`${side}_${k}_price`).push(k < n ? grid.toNumber(scratchTicks[k] ?? NaN) : NaN)
        o.col(`${side}_${k}_size`).push(k < n ? (scratchLots[k] ?? 0) / 1e8 : NaN)
      }
    }
    o.rows++
    rows.book++
  }

  const flush = async (): Promise<void> => {
    const ctx = { ...names, gapDays }
    for (const [key, o] of outputs) {
      if (o.rows === 0) continue
      const day = key.slice(key.indexOf('/') + 1)
      await sink(o.table, day, o.take(), ctx)
    }
  }

  const replay = await replayCapture(files, {
    market: opts.market,
    tick: opts.tick,
    signal: opts.signal,
    maxLines: opts.maxLines,
    onProgress: opts.onProgress,
    drain: flush,
    observer: {
      start(info) {
        grid = info.grid
        names = lakeNames(info.market, info.symbol)
      },
      snapshot(s: SnapshotMsg, at: Where, book: OrderBook) {
        snapshotBursts++
        if (snapshotBursts === 1) snapshotRows = s.bids.length + s.asks.length
        snapshotUs = at.localUs
        const o = out('book_delta_v2', dayOfUs(at.localUs))
        // Spot REST depth carries no event time: the vendor writes 0 there.
        const ts = s.E === null ? 0 : vendorNsFromMs(s.E)
        const rts = vendorNsFromUs(at.localUs)
        deltaRows(s.bids, true, o, ts, rts, s.lastUpdateId)
        deltaRows(s.asks, false, o, ts, rts, s.lastUpdateId)
        if (snapshotBursts > 1) gapDays.add(dayOfUs(at.localUs))
        bookRow(book, at.localUs, ts, s.lastUpdateId)
      },
      diff(d: DepthMsg, at: Where, book: OrderBook) {
        // Diffs buffered while the snapshot was fetched are handled after it, as cryptofeed does.
        const recvUs = Math.max(at.localUs, snapshotUs)
        const o = out('book_delta_v2', dayOfUs(recvUs))
        const ts = vendorNsFromMs(d.E)
        const rts = vendorNsFromUs(recvUs)
        deltaRows(d.bids, true, o, ts, rts, d.u)
        deltaRows(d.asks, false, o, ts, rts, d.u)
        bookRow(book, recvUs, ts, d.u)
      },
      gap(at: Where) {
        gapDays.add(dayOfUs(at.localUs))
      },
      trade(t: TradeMsg, at: Where) {
        const o = out('trades', dayOfUs(at.localUs))
        o.sides.push(t.buyerMaker ? 'sell' : 'buy')
        o.col('amount').push(Number.parseFloat(t.qty))
        o.col('price').push(Number.parseFloat(t.price))
        o.col('id').push(t.id)
        o.col('timestamp').push(vendorNsFromMs(t.T))
        o.col('receipt_timestamp').push(vendorNsFromUs(at.localUs))
        o.rows++
        rows.trades++
      }
    }
  })
  await flush()
  return {
    exchange: names.exchange,
    symbol: names.symbol,
    days: [...days].sort(),
    rows,
    snapshotBursts,
    snapshotRows,
    gapDays: [...gapDays].sort(),
    book: throttle.counts(),
    replay
  }
}

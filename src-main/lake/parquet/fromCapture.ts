// Derives Crypto Lake rows (book_delta_v2, trades, book) from a recorded Binance spot capture the
// way the vendor's capture writer would have written them (research notes §3.1 and §6), so tests
// and benchmarks run on real market data in the vendor's exact layout:
// - times go through the vendor's float conversions: timestamp = int(E_ms / 1000.0 * 1e9),
//   receipt_timestamp = int(receive_s * 1e9). Both are doubles, hence exact in a Float64Array;
// - the REST snapshot becomes a burst of rows with timestamp 0 (spot REST depth has no E) and
//   sequence_number = lastUpdateId; diffs before it, and diffs with u ≤ lastUpdateId, are dropped
//   as the writer's sync logic drops them; every later diff gives one row per level, bids then
//   asks, sequence_number = u;
// - trades come from the capture's `trade` stream (the vendor records `aggTrade`; these captures
//   have none), so `id` is Binance's trade id, side = 'sell' when the buyer was the maker;
// - book rows are the top 20 levels of the book replayed from the snapshot, NaN for missing
//   levels, written after a diff when ≥ 100 ms of receive time passed since the previous row (a
//   simplification of the vendor's 100 ms throttle).
// The receive time comes from readCaptureLines, already truncated to µs; the vendor's float
// seconds hold only ~240 ns of precision at today's epoch, so nothing the vendor keeps is lost.
import { readCaptureLines } from '../../sources/binance/captureReader'
import { parseCaptureJson, type Levels } from '../../sources/binance/messages'
import { IssueLog } from '../../replay/issues'
import {
  BOOK_LEVELS,
  BOOK_LEVEL_COLUMNS,
  type BookInput,
  type BookDeltaInput,
  type TradeInput
} from './schemas'

/** The vendor's float conversion of an exchange time in ms to int64 ns (a double, exact). */
export const vendorNsFromMs = (ms: number): number => (ms / 1000) * 1e9
/** The vendor's float conversion of a receive time (here in µs) to int64 ns. */
export const vendorNsFromUs = (us: number): number => (us / 1e6) * 1e9

export interface CaptureTable<C> {
  readonly rows: number
  readonly columns: C
  /** Per row: the exchange time E or T in ms (NaN for snapshot rows), to re-time tiled copies. */
  readonly eventMs: Float64Array
  /** Per row: the receive time in µs. */
  readonly receiveUs: Float64Array
}

export interface CaptureLakeRows {
  readonly bookDelta: CaptureTable<BookDeltaInput>
  readonly trades: CaptureTable<TradeInput>
  readonly book: CaptureTable<BookInput>
  /** Rows of the REST snapshot burst at the start of bookDelta. */
  readonly snapshotRows: number
  readonly firstSequence: number
  readonly lastSequence: number
  readonly lines: number
  readonly issues: IssueLog
}

export interface FromCaptureOptions {
  /** Stop after this many capture lines (all files together). */
  readonly maxLines?: number
  /** Minimum receive-time spacing of book rows, ms (default 100). */
  readonly bookIntervalMs?: number
}

class Col {
  buf: Float64Array
  n = 0
  constructor(cap = 1 << 14) {
    this.buf = new Float64Array(cap)
  }
  push(v: number): void {
    if (this.n === this.buf.length) {
      const b = new Float64Array(this.buf.length * 2)
      b.set(this.buf)
      this.buf = b
    }
    this.buf[this.n++] = v
  }
  done(): Float64Array {
    return this.buf.slice(0, this.n)
  }
}

/** One side of the replayed book: prices ascending plus a size per price. */
class Side {
  readonly prices: number[] = []
  readonly sizes = new Map<number, number>()
  set(price: number, size: number): void {
    const p = this.prices
    let lo = 0
    let hi = p.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((p[mid] ?? 0) < price) lo = mid + 1
      else hi = mid
    }
    const present = p[lo] === price
    if (size === 0) {
      if (present) p.splice(lo, 1)
      this.sizes.delete(price)
    } else {
      if (!present) p.splice(lo, 0, price)
      this.sizes.set(price, size)
    }
  }
  clear(): void {
    this.prices.length = 0
    this.sizes.clear()
  }
}

export async function lakeRowsFromCapture(
  files: readonly string[],
  opts: FromCaptureOptions = {}
): Promise<CaptureLakeRows> {
  const issues = new IssueLog()
  const maxLines = opts.maxLines ?? Infinity
  const bookIntervalUs = (opts.bookIntervalMs ?? 100) * 1000

  const d = {
    ts: new Col(),
    rts: new Col(),
    seq: new Col(),
    bid: new Col(),
    px: new Col(),
    sz: new Col(),
    e: new Col(),
    r: new Col()
  }
  const t = {
    buy: [] as string[],
    amt: new Col(),
    px: new Col(),
    id: new Col(),
    ts: new Col(),
    rts: new Col(),
    e: new Col(),
    r: new Col()
  }
  const b = {
    ts: new Col(),
    rts: new Col(),
    seq: new Col(),
    e: new Col(),
    r: new Col(),
    levels: BOOK_LEVEL_COLUMNS.map(() => new Col())
  }
  const bids = new Side()
  const asks = new Side()
  let snapshotId = -1
  let snapshotRows = 0
  let lastEmitUs = -Infinity
  let lines = 0
  let firstSeq = NaN
  let lastSeq = NaN

  const pushLevels = (
    levels: Levels,
    isBid: boolean,
    ts: number,
    rts: number,
    seq: number,
    e: number,
    r: number
  ): void => {
    for (const [p, q] of levels) {
      d.ts.push(ts)
      d.rts.push(rts)
      d.seq.push(seq)
      d.bid.push(isBid ? 1 : 0)
      d.px.push(Number(p))
      d.sz.push(Number(q))
      d.e.push(e)
      d.r.push(r)
      ;(isBid ? bids : asks).set(Number(p), Number(q))
    }
  }

  const emitBook = (ts: number, rts: number, seq: number, e: number, r: number): void => {
    if (r - lastEmitUs < bookIntervalUs) return
    lastEmitUs = r
    b.ts.push(ts)
    b.rts.push(rts)
    b.seq.push(seq)
    b.e.push(e)
    b.r.push(r)
    // Column order: bid_0_price, bid_0_size, … bid_19_size, ask_0_price, … (BOOK_LEVEL_COLUMNS).
    let k = 0
    for (let i = 0; i < BOOK_LEVELS; i++) {
      const price = bids.prices[bids.prices.length - 1 - i]
      b.levels[k++]?.push(price ?? NaN)
      b.levels[k++]?.push(price === undefined ? NaN : (bids.sizes.get(price) ?? NaN))
    }
    for (let i = 0; i < BOOK_LEVELS; i++) {
      const price = asks.prices[i]
      b.levels[k++]?.push(price ?? NaN)
      b.levels[k++]?.push(price === undefined ? NaN : (asks.sizes.get(price) ?? NaN))
    }
  }

  outer: for (const file of files) {
    for await (const line of readCaptureLines(file, issues)) {
      if (lines >= maxLines) break outer
      lines++
      let msg
      try {
        msg = parseCaptureJson(line.json)
      } catch {
        issues.add('malformed-line', file, line.line, 'not JSON')
        continue
      }
      const r = line.localUs
      const rts = vendorNsFromUs(r)
      if (msg.kind === 'snapshot') {
        bids.clear()
        asks.clear()
        snapshotId = msg.lastUpdateId
        const before = d.ts.n
        pushLevels(msg.bids, true, 0, rts, snapshotId, NaN, r)
        pushLevels(msg.asks, false, 0, rts, snapshotId, NaN, r)
        snapshotRows += d.ts.n - before
        if (Number.isNaN(firstSeq)) firstSeq = snapshotId
        lastSeq = snapshotId
        emitBook(0, rts, snapshotId, NaN, r)
      } else if (msg.kind === 'depth') {
        if (snapshotId < 0 || msg.u <= snapshotId) continue
        const ts = vendorNsFromMs(msg.E)
        pushLevels(msg.bids, true, ts, rts, msg.u, msg.E, r)
        pushLevels(msg.asks, false, ts, rts, msg.u, msg.E, r)
        lastSeq = msg.u
        emitBook(ts, rts, msg.u, msg.E, r)
      } else if (msg.kind === 'trade') {
        t.buy.push(msg.buyerMaker ? 'sell' : 'buy')
        t.amt.push(Number(msg.qty))
        t.px.push(Number(msg.price))
        t.id.push(msg.id)
        t.ts.push(vendorNsFromMs(msg.T))
        t.rts.push(rts)
        t.e.push(msg.T)
        t.r.push(r)
      }
    }
  }

  const bookCols = {
    timestamp: b.ts.done(),
    receipt_timestamp: b.rts.done(),
    sequence_number: b.seq.done()
  } as Record<string, Float64Array>
  BOOK_LEVEL_COLUMNS.forEach((name, i) => {
    bookCols[name] = b.levels[i]?.done() ?? new Float64Array(0)
  })

  return {
    bookDelta: {
      rows: d.ts.n,
      columns: {
        timestamp: d.ts.done(),
        receipt_timestamp: d.rts.done(),
        sequence_number: d.seq.done(),
        side_is_bid: Uint8Array.from(d.bid.done()),
        price: d.px.done(),
        size: d.sz.done()
      },
      eventMs: d.e.done(),
      receiveUs: d.r.done()
    },
    trades: {
      rows: t.amt.n,
      columns: {
        side: t.buy,
        amount: t.amt.done(),
        price: t.px.done(),
        id: t.id.done(),
        timestamp: t.ts.done(),
        receipt_timestamp: t.rts.done()
      },
      eventMs: t.e.done(),
      receiveUs: t.r.done()
    },
    book: {
      rows: b.ts.n,
      columns: bookCols as BookInput,
      eventMs: b.e.done(),
      receiveUs: b.r.done()
    },
    snapshotRows,
    firstSequence: firstSeq,
    lastSequence: lastSeq,
    lines,
    issues
  }
}

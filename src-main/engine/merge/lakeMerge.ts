// The one k-way merge of a Lake replay: trades, book_delta_v2 and book rows ordered by (receive
// time, kind priority, then file and row order within a stream). Delta rows come out as whole
// messages (consecutive rows with one receive time and sequence number), which may span batches.
// Synchronous between batch ends: the caller awaits refill() only when a stream's batch is spent.
import type { BookBatch, DeltaBatch, LakeSources, TradeBatch } from '../source/batches'
import { Cursor, type SourceOffsets } from '../source/cursor'

/** One delta message as row ranges of one or more batches (reused: valid until the next message). */
export class DeltaMessage {
  recvUs = 0
  seq = 0
  /** Exchange time of the message's first row (0 when the exchange gave none). */
  exchUs = 0
  day = ''
  rows = 0
  readonly batches: DeltaBatch[] = []
  readonly starts: number[] = []
  readonly ends: number[] = []

  reset(batch: DeltaBatch, i: number): void {
    this.recvUs = batch.recvUs[i] ?? 0
    this.seq = batch.seq[i] ?? 0
    this.exchUs = batch.exchUs[i] ?? 0
    this.day = batch.day
    this.rows = 0
    this.batches.length = 0
    this.starts.length = 0
    this.ends.length = 0
  }

  add(batch: DeltaBatch, start: number, end: number): void {
    this.batches.push(batch)
    this.starts.push(start)
    this.ends.push(end)
    this.rows += end - start
  }
}

export const DELTA = 0
export const TRADE = 1
export const BOOK = 2
export const END = 3
export type MergeKind = typeof DELTA | typeof TRADE | typeof BOOK | typeof END

export class LakeMerge {
  readonly deltas: Cursor<DeltaBatch>
  readonly trades: Cursor<TradeBatch>
  readonly books: Cursor<BookBatch>
  readonly message = new DeltaMessage()

  constructor(sources: LakeSources) {
    this.deltas = new Cursor(sources.deltas)
    this.trades = new Cursor(sources.trades)
    this.books = new Cursor(sources.books)
  }

  async open(): Promise<void> {
    await Promise.all([this.deltas.ready(), this.trades.ready(), this.books.ready()])
  }

  /** Receive time of the next event, +Infinity when every stream has ended. */
  head(): number {
    const hd = this.deltas.head()
    const ht = this.trades.head()
    const hb = this.books.head()
    return hd < ht ? (hd < hb ? hd : hb) : ht < hb ? ht : hb
  }

  /** Which stream holds the next event. Ties: delta before trade before book (KIND_PRIORITY). */
  next(): MergeKind {
    const hd = this.deltas.head()
    const ht = this.trades.head()
    const hb = this.books.head()
    if (hd === Infinity && ht === Infinity && hb === Infinity) return END
    if (hd <= ht && hd <= hb) return DELTA
    return ht <= hb ? TRADE : BOOK
  }

  /**
   * Starts `message` at the delta head and takes its rows from the head batch. True when the
   * batch ended inside the message: then await extendMessage() until it returns false.
   */
  takeMessage(): boolean {
    const d = this.deltas
    const batch = d.batch
    if (batch === null) return false
    this.message.reset(batch, d.i)
    return this.takeRows()
  }

  /** Loads the next delta batch and continues the message into it; false when the message is whole. */
  async extendMessage(): Promise<boolean> {
    const d = this.deltas
    const m = this.message
    if (!(await d.ready())) return false
    if (d.head() !== m.recvUs || d.batch?.seq[d.i] !== m.seq) return false
    return this.takeRows()
  }

  private takeRows(): boolean {
    const d = this.deltas
    const cur = d.batch
    if (cur === null) return false
    const m = this.message
    let i = d.i
    const n = cur.length
    const rv = cur.recvUs
    const sq = cur.seq
    while (i < n && rv[i] === m.recvUs && sq[i] === m.seq) i++
    m.add(cur, d.i, i)
    d.i = i
    return i >= n
  }

  /** Loads the next batch of every spent stream (call after consuming rows). */
  async refill(): Promise<void> {
    if (this.deltas.spent) await this.deltas.ready()
    if (this.trades.spent) await this.trades.ready()
    if (this.books.spent) await this.books.ready()
  }

  get spent(): boolean {
    return this.deltas.spent || this.trades.spent || this.books.spent
  }

  offsets(): SourceOffsets {
    return {
      deltas: this.deltas.offset(),
      trades: this.trades.offset(),
      books: this.books.offset()
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.deltas.close(), this.trades.close(), this.books.close()])
  }
}

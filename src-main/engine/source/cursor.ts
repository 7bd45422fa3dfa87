// A read position in one stream of columnar batches: the batch at the head and the next row in it.
// The replay awaits only when a batch is used up (an await per row would cost more than the row).
import type { BatchSource } from './batches'

/** Where a source stream stands: the file and row of its next unread row; file null = ended. */
export interface SourceOffset {
  readonly file: string | null
  readonly row: number
}

export interface SourceOffsets {
  readonly deltas: SourceOffset
  readonly trades: SourceOffset
  readonly books: SourceOffset
}

export class Cursor<B extends BatchSource & { length: number; recvUs: Float64Array }> {
  batch: B | null = null
  i = 0
  done = false
  private readonly it: AsyncIterator<B>

  constructor(source: AsyncIterable<B>) {
    this.it = source[Symbol.asyncIterator]()
  }

  /** Makes sure a row is available (loading the next non-empty batch); false at the end. */
  async ready(): Promise<boolean> {
    while (!this.done && (this.batch === null || this.i >= this.batch.length)) {
      const r = await this.it.next()
      if (r.done === true) {
        this.done = true
        this.batch = null
      } else {
        this.batch = r.value
        this.i = 0
      }
    }
    return !this.done
  }

  /** True when the head batch is used up and ready() must run before the next row. */
  get spent(): boolean {
    return !this.done && (this.batch === null || this.i >= this.batch.length)
  }

  /** Receive time at the head, +Infinity at the end (call ready first). */
  head(): number {
    return this.batch === null ? Infinity : (this.batch.recvUs[this.i] ?? Infinity)
  }

  /** The next unread row (call ready first); file null once the stream has ended. */
  offset(): SourceOffset {
    const b = this.batch
    return b === null || this.done
      ? { file: null, row: 0 }
      : { file: b.file, row: b.firstRow + this.i }
  }

  async close(): Promise<void> {
    await this.it.return?.()
  }
}

// A level of detail of the trades: volume and count per time bucket, price and side, so a view of
// hours reads thousands of rows instead of millions of prints (and still adds up every lot). One
// bucket is summed at a time and written when the next one starts.
import type { ChunkedStream } from './chunkedStream'

export class TradeLod {
  private bucket = NaN
  /** (ticks × 2 + side) → row in the pending arrays. */
  private readonly slot = new Map<number, number>()
  private readonly ticks: number[] = []
  private readonly buy: number[] = []
  private readonly lots: number[] = []
  private readonly count: number[] = []

  constructor(
    readonly bucketMs: number,
    readonly stream: ChunkedStream
  ) {}

  add(timeMs: number, ticks: number, lots: number, buy: boolean): void {
    if (!(timeMs > 0) || Number.isNaN(ticks)) return
    const b = Math.floor(timeMs / this.bucketMs)
    if (b !== this.bucket) {
      this.flush()
      this.bucket = b
    }
    const key = ticks * 2 + (buy ? 1 : 0)
    const at = this.slot.get(key)
    if (at === undefined) {
      this.slot.set(key, this.ticks.length)
      this.ticks.push(ticks)
      this.buy.push(buy ? 1 : 0)
      this.lots.push(lots)
      this.count.push(1)
    } else {
      this.lots[at] = (this.lots[at] ?? 0) + lots
      this.count[at] = (this.count[at] ?? 0) + 1
    }
  }

  /** Writes the pending bucket's rows (price order) to the stream. */
  flush(): void {
    if (this.ticks.length === 0) return
    const t = this.bucket * this.bucketMs
    const order = this.ticks
      .map((_, i) => i)
      .sort((a, b) => (this.ticks[a] ?? 0) - (this.ticks[b] ?? 0))
    const c = this.stream.cols
    for (const i of order) {
      c[0]?.push(t)
      c[1]?.push(this.ticks[i] ?? NaN)
      c[2]?.push(this.lots[i] ?? 0)
      c[3]?.push(this.buy[i] ?? 0)
      c[4]?.push(this.count[i] ?? 0)
      this.stream.commit(t)
    }
    this.slot.clear()
    this.ticks.length = 0
    this.buy.length = 0
    this.lots.length = 0
    this.count.length = 0
  }
}

// A running capture's book as a timeline the Book page reads while it grows: every applied diff of
// the live (bridged) book as a frame, every trade, and a mark for each break (gap, disconnect,
// stall, restart) and each resync, streamed into <lake>/replays/<jobId> by the same recorder the
// replays use (chunks and an incomplete meta every 2 s; complete when the capture stops). The
// session's files stay the record of truth; this is a view of them, rebuilt by a replay if lost.
import { toLots, type PriceGrid } from '../../src-shared/units'
import { TOP_N, type OrderBook } from '../engine/book/orderBook'
import { TimelineRecorder } from '../engine/sink/timeline'
import { FRAME_CROSSED, FRAME_UNKNOWN_DEPTH } from '../engine/sink/timelineFormat'

export class LiveTimeline {
  private readonly recorder: TimelineRecorder
  private grid: PriceGrid | null = null
  private lastMs = NaN
  /** Trades whose price or size the grid could not hold (the session's files keep them). */
  skippedTrades = 0

  constructor(
    readonly dir: string,
    private readonly symbol: string,
    flushEveryMs?: number
  ) {
    this.recorder = new TimelineRecorder(0, { dir, flushEveryMs })
  }

  private describe(): {
    symbol: string
    tick: string
    priceScale: number
    tickStep: number
    lotScale: number
  } | null {
    const g = this.grid
    return g
      ? { symbol: this.symbol, tick: g.tick, priceScale: g.scale, tickStep: g.step, lotScale: 8 }
      : null
  }

  /** The price grid is known (the first snapshot): from now on the timeline can be described. */
  setGrid(grid: PriceGrid): void {
    if (this.grid) return
    this.grid = grid
    const d = this.describe()
    if (d) this.recorder.describe(d)
  }

  /** The live book after a diff with event time `E` and final update id `u`. */
  book(book: OrderBook, E: number, u: number): void {
    book.readTop(TOP_N)
    let flags = 0
    if (book.crossState() === 'crossed') flags |= FRAME_CROSSED
    if (book.reachesUnknownDepth(TOP_N)) flags |= FRAME_UNKNOWN_DEPTH
    this.recorder.frame(book, E, u, flags)
    this.lastMs = E
  }

  trade(T: number, price: string, qty: string, buyerMaker: boolean): void {
    if (!this.grid) return
    const ticks = this.grid.toTicks(price)
    const lots = toLots(qty)
    if (Number.isNaN(ticks) || Number.isNaN(lots)) {
      this.skippedTrades++
      return
    }
    this.recorder.trade(T, ticks, lots, !buyerMaker)
  }

  /** A break in the recording (the book's last time before it), or a resync (the bridging diff). */
  mark(kind: 'gap' | 'resync', atMs: number = this.lastMs): void {
    if (Number.isNaN(atMs)) return
    this.recorder.mark({ kind, fromMs: atMs, toMs: atMs })
  }

  /** The capture stopped: the last chunks and a complete meta. */
  finish(): void {
    const d = this.describe()
    if (d) this.recorder.write(this.dir, d)
  }
}

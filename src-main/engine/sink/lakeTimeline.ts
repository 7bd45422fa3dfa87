// A Lake replay drawn into a TimelineRecorder on exchange time, like the trades it shows (a
// recorder's clock may run seconds off the exchange's): receive time orders the replay, exchange
// time stamps what is seen. Things that carry no exchange time (origin-time-0 bursts, markers) are
// put on the exchange clock by the receive − exchange offset of the last message that had one;
// NaN before any did.
import type { CrossEpisode } from '../observe/crossing'
import type { DriftSample } from '../observe/drift'
import type { DriftAlert } from '../observe/referenceDrift'
import type { CrossState, OrderBook } from '../book/orderBook'
import type { BookBatch, TradeBatch } from '../source/batches'
import { FRAME_CROSSED, FRAME_UNKNOWN_DEPTH, type TimelineRecorder } from './timeline'

export class LakeTimeline {
  private offsetUs = NaN
  private frameMs = NaN

  constructor(private readonly rec: TimelineRecorder) {}

  private exchMs(recvMs: number): number {
    return recvMs - this.offsetUs / 1000
  }

  /**
   * The book has taken a message or seed received at `recvUs` with exchange time `exchUs` (0 when
   * none): true when a frame is due, so the caller reads the top 20 before frame().
   */
  due(recvUs: number, exchUs: number): boolean {
    if (exchUs > 0) this.offsetUs = recvUs - exchUs
    // Whole ms: Crypto Lake times carry float artefacts (…108.999 for …109).
    this.frameMs = exchUs > 0 ? Math.round(exchUs / 1000) : this.exchMs(recvUs / 1000)
    return this.rec.wants(this.frameMs)
  }

  /** The frame due() announced (book.readTop done). */
  frame(book: OrderBook, seq: number, unknown: boolean, state: CrossState): void {
    let flags = 0
    if (unknown) flags |= FRAME_UNKNOWN_DEPTH
    if (state === 'crossed') flags |= FRAME_CROSSED
    this.rec.frame(book, this.frameMs, seq, flags)
  }

  mark(kind: 'reseed' | 'burst', recvUs: number): void {
    const at = this.exchMs(recvUs / 1000)
    this.rec.mark({ kind, fromMs: at, toMs: at })
  }

  crossing(ended: CrossEpisode): void {
    if (ended.kind !== 'crossed') return
    this.rec.mark({
      kind: 'crossed',
      fromMs: this.exchMs(ended.fromMs),
      toMs: this.exchMs(ended.toMs)
    })
  }

  trade(batch: TradeBatch, i: number): void {
    this.rec.trade(
      Math.round((batch.exchUs[i] ?? 0) / 1000),
      batch.ticks[i] ?? NaN,
      batch.lots[i] ?? 0,
      batch.buy[i] === 1
    )
  }

  drift(batch: BookBatch, i: number, d: DriftSample): void {
    const exchUs = batch.exchUs[i] ?? 0
    const ms = exchUs > 0 ? exchUs / 1000 : this.exchMs((batch.recvUs[i] ?? 0) / 1000)
    this.rec.drift(ms, d.jaccard, d.sizeL1)
  }

  /**
   * Drift alerts are kept in receive time (the summary's clock); the timeline shows them on
   * exchange time by the last offset (it drifts by milliseconds over a day, not seconds).
   */
  alerts(alerts: readonly DriftAlert[]): void {
    for (const a of alerts)
      this.rec.mark({ kind: 'drift', fromMs: this.exchMs(a.fromMs), toMs: this.exchMs(a.toMs) })
  }
}

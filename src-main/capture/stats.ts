// The capture's counters (saved in session.json) and the live rates derived from them.
import type { CaptureCounts } from '../../src-shared/capture'
import type { Mutable } from './options'
import { zeroCounts } from './session'

/** The span the live message rate is measured over. */
const RATE_SPAN_MS = 5000

export class CaptureStats {
  counts: Mutable<CaptureCounts> = zeroCounts()
  /** Receive time minus the exchange's event time of the latest diff. */
  lastLagMs: number | null = null
  /** Capture-clock ms of the last usable message per stream kind (the stale-stream rule). */
  readonly lastByKind = new Map<'depth' | 'trade' | 'bookTicker', number>()
  private readonly rateWindow: { atMs: number; messages: number }[] = []

  /** Messages per second over about the last 5 s; every call adds a sample. */
  messageRate(nowMs: number): number {
    const messages = this.counts.messages
    this.rateWindow.push({ atMs: nowMs, messages })
    while (this.rateWindow.length > 2 && (this.rateWindow[0]?.atMs ?? nowMs) < nowMs - RATE_SPAN_MS)
      this.rateWindow.shift()
    const first = this.rateWindow[0]
    return first && nowMs > first.atMs
      ? ((messages - first.messages) * 1000) / (nowMs - first.atMs)
      : 0
  }
}

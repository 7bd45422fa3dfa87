// The Capture page's view of a running capture (CaptureLive): counters, the live top 20 of the
// newest bridged segment's book, regime labels. Also the regime view the `until` condition reads.
import type {
  CaptureLive,
  CoverableRegime,
  RegimeLabel,
  RegimeThresholds
} from '../../src-shared/capture'
import { COVERABLE_REGIMES } from '../../src-shared/capture'
import { TOP_N } from '../engine/book/orderBook'
import { unitsToDecimal } from '../../src-shared/units'
import { LIVE_REGIMES, type CaptureSetup, type CaptureStatus } from './options'
import type { SessionRecord } from './record'
import { classify, thresholdsFrom } from './regimes'
import type { DepthSegments } from './segments'
import type { CaptureStats } from './stats'

export interface RegimeView {
  readonly labels: { startMs: number; label: RegimeLabel }[]
  readonly covered: CoverableRegime[]
  readonly ready: boolean
}

export class LiveView {
  private thresholdCache: { windows: number; t: RegimeThresholds | null } | null = null

  constructor(
    private readonly setup: CaptureSetup,
    private readonly status: CaptureStatus,
    private readonly record: SessionRecord,
    private readonly segments: DepthSegments,
    private readonly stats: CaptureStats,
    private readonly startedMs: number
  ) {}

  /** The own windows' labels against the reference thresholds (null until there are enough). */
  regimeView(): RegimeView {
    const own = this.record.windows
    const opts = this.setup.opts
    // Thresholds change only when a window closes; the live view asks ten times a second.
    if (this.thresholdCache?.windows !== own.length) {
      const ref = [...(opts.referenceWindows ?? []), ...own]
      const complete = ref.filter((w) => w.coverage >= 0.8).length
      const min = opts.minReferenceWindows ?? 12
      this.thresholdCache = { windows: own.length, t: complete >= min ? thresholdsFrom(ref) : null }
    }
    const t = this.thresholdCache.t
    const labels = own.map((w) => ({ startMs: w.startMs, label: classify(w, t) }))
    const covered = t ? COVERABLE_REGIMES.filter((r) => labels.some((l) => l.label === r)) : []
    return { labels, covered, ready: t !== null }
  }

  /** Per subscribed stream, how long since its last message (since the start when none came). */
  private streamSilence(now: number): { stream: string; silentMs: number }[] {
    const s = this.setup.streams
    const kinds = [
      ['depth', s.depth],
      ['trade', s.trade],
      ['bookTicker', s.bookTicker]
    ] as const
    return kinds.map(([kind, stream]) => ({
      stream,
      silentMs: Math.max(0, now - (this.stats.lastByKind.get(kind) ?? this.startedMs))
    }))
  }

  /** The Capture page's view: counters, the live top 20, regime labels. */
  build(): CaptureLive {
    const now = this.setup.clock.ms()
    const { stats, record, segments } = this
    const rate = stats.messageRate(now)
    const seg = segments.liveSeg
    let top: CaptureLive['top'] = null
    if (seg && segments.grid) {
      const grid = segments.grid
      seg.book.readTop(TOP_N)
      const side = (ticks: Float64Array, lots: Float64Array, n: number): [string, string][] => {
        const out: [string, string][] = []
        for (let i = 0; i < n; i++) {
          out.push([grid.toDecimal(ticks[i] ?? 0), unitsToDecimal(lots[i] ?? 0, 8)])
        }
        return out
      }
      top = {
        u: seg.sync.lastUpdateId,
        outOfSync: seg !== segments.cur || seg.sync.outOfSync,
        bids: side(seg.book.topBidTicks, seg.book.topBidLots, seg.book.topBidCount),
        asks: side(seg.book.topAskTicks, seg.book.topAskLots, seg.book.topAskCount)
      }
    }
    const rv = this.regimeView()
    return {
      sessionId: this.setup.id,
      symbol: this.setup.symbol,
      market: this.setup.market,
      phase: this.status.phase,
      elapsedMs: now - this.startedMs,
      counts: { ...stats.counts, writtenBytes: record.writtenBytes },
      messagesPerSec: Math.round(rate),
      gaps: record.gaps.length,
      openGap: record.openGap !== null,
      lastReceiveNs: record.lastNs === null ? null : String(record.lastNs),
      exchangeLagMs: stats.lastLagMs,
      segment: segments.cur?.index ?? 0,
      currentFile: record.currentFile,
      top,
      regimes: rv.labels.slice(-LIVE_REGIMES),
      regimesReady: rv.ready,
      covered: rv.covered,
      streams: this.streamSilence(now)
    }
  }
}

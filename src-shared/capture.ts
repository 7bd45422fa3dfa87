// Live capture of Binance golden samples (docs/capture.md): the job parameters (zod), what a
// session records (files, segments, gaps, counts, regime windows), what the Capture page shows
// live, and the small parsers for `--duration` and `--until`. Shared by every process: no Node.
import { z } from 'zod'
import type { InputIssue } from './replay'

export type CaptureMarket = 'spot' | 'usdm'

/** `30s`, `15m`, `24h`, `2d` or plain milliseconds → ms; NaN when it is none of these. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  if (!m) return NaN
  const v = Number(m[1])
  const unit = m[2] ?? 'ms'
  const scale: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }
  return Math.round(v * (scale[unit] ?? NaN))
}

/** The regimes a window can be labelled with; `partial` windows are not classified. */
export const REGIME_LABELS = ['high-volume', 'low-volume', 'event', 'normal'] as const
export type RegimeLabel = (typeof REGIME_LABELS)[number] | 'partial'

/** The labels `--until "3 regimes covered"` waits for (normal does not count). */
export const COVERABLE_REGIMES = ['high-volume', 'low-volume', 'event'] as const
export type CoverableRegime = (typeof COVERABLE_REGIMES)[number]

export interface UntilSpec {
  /** Stop once windows with this many distinct labels of `among` have been seen. */
  readonly regimes: number
  readonly among: readonly CoverableRegime[]
}

/**
 * `--until` grammar: "3 regimes covered", "2 regimes covered", or a list of regimes
 * "high-volume,event covered". Returns null when the text is not understood.
 */
export function parseUntil(text: string): UntilSpec | null {
  const t = text.trim().toLowerCase()
  const count = /^(\d)\s+regimes?\s+covered$/.exec(t)
  if (count) {
    const n = Number(count[1])
    if (n < 1 || n > COVERABLE_REGIMES.length) return null
    return { regimes: n, among: COVERABLE_REGIMES }
  }
  const list = /^([a-z-]+(?:\s*,\s*[a-z-]+)*)\s+covered$/.exec(t)
  if (list) {
    const names = (list[1] ?? '').split(',').map((s) => s.trim())
    const among = names.filter((n): n is CoverableRegime =>
      (COVERABLE_REGIMES as readonly string[]).includes(n)
    )
    if (among.length !== names.length || among.length === 0) return null
    return { regimes: new Set(among).size, among: [...new Set(among)] }
  }
  return null
}

const symbol = z.string().regex(/^[A-Za-z0-9]{2,30}$/, 'expected a Binance symbol such as BTCUSDT')

export const captureParams = z.object({
  symbol,
  market: z.enum(['spot', 'usdm']),
  /** Stop after this long (default 24 h). */
  durationMs: z
    .number()
    .int()
    .min(1000)
    .max(31 * 86_400_000)
    .optional(),
  /** Stop earlier once this is true, e.g. "3 regimes covered" (see parseUntil). */
  until: z
    .string()
    .refine((s) => parseUntil(s) !== null, 'expected e.g. "3 regimes covered"')
    .optional(),
  /** Lake root to write into (default: the job's lake). */
  lakeRoot: z.string().min(1).optional(),
  /** Depth stream suffix (default depth@100ms). */
  depthStream: z
    .string()
    .regex(/^depth(@\d+ms)?$/)
    .optional(),
  /** Trade stream (default trade on spot, aggTrade on USD-M, the documented one there). */
  tradeStream: z.enum(['trade', 'aggTrade']).optional(),
  /** REST snapshot depth (default 1000). */
  snapshotLimit: z
    .union([
      z.literal(5),
      z.literal(10),
      z.literal(20),
      z.literal(50),
      z.literal(100),
      z.literal(500),
      z.literal(1000),
      z.literal(5000)
    ])
    .optional(),
  /** Base URLs (defaults: Binance's real endpoints for the market). */
  wsBase: z
    .string()
    .regex(/^wss?:\/\/[^\s]+$/)
    .optional(),
  restBase: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/)
    .optional(),
  /** Regime window (default 5 min). */
  windowMs: z.number().int().min(10_000).max(86_400_000).optional(),
  /** Continue this session (new part files; the interruption is recorded as a gap). */
  resume: z.string().min(1).max(200).optional(),
  /** Sessions whose windows set the regime thresholds (default: earlier sessions of the symbol). */
  reference: z.array(z.string().min(1)).max(200).optional()
})
export type CaptureParams = z.infer<typeof captureParams>

export const captureRegimesParams = z.object({
  /** A session id, or capture files of one recording. */
  inputs: z.array(z.string().min(1)).min(1).max(1000),
  windowMs: z.number().int().min(10_000).max(86_400_000).optional(),
  /** Sessions or files whose windows set the thresholds (default: the inputs themselves). */
  reference: z.array(z.string().min(1)).max(1000).optional()
})
export type CaptureRegimesParams = z.infer<typeof captureRegimesParams>

export type CaptureGapKind =
  'sequence' | 'disconnect' | 'stale' | 'pong-timeout' | 'malformed' | 'restart' | 'buffer-overflow'

/**
 * A stretch where the reconstructed book is not exact. Data before and after stays recorded; the
 * raw messages that did arrive inside it are recorded too (they were applied to the old book).
 */
export interface CaptureGap {
  readonly seq: number
  readonly kind: CaptureGapKind
  readonly detail: string
  /** Receive time (ns, decimal) of the last message before the break. */
  readonly startNs: string
  /** Receive time of the diff that bridged the new snapshot; null while (or if it stayed) open. */
  readonly endNs: string | null
  /** Final update id (u) of the last diff in sequence before the break. */
  readonly lastU: number | null
  /** First update id (U) of the first diff after the break. */
  readonly nextU: number | null
  /** lastUpdateId of the snapshot that closed the gap. */
  readonly snapshotUpdateId: number | null
  /** Last trade id before the break and first one after it (a hole when next > last + 1). */
  readonly lastTradeId: number | null
  readonly nextTradeId: number | null
  /** The segment that starts at this gap. */
  readonly segment: number
}

export interface CaptureFileInfo {
  /** File name inside the session folder. */
  readonly name: string
  readonly segment: number
  /** UTC day of the receive times in it, YYYY-MM-DD. */
  readonly day: string
  readonly firstNs: string | null
  readonly lastNs: string | null
  readonly lines: number
  /** Complete gzip members written (one per flush). */
  readonly members: number
  /** Compressed bytes on disk and raw line bytes. */
  readonly bytes: number
  readonly rawBytes: number
}

export interface CaptureSegmentInfo {
  readonly index: number
  /** Why it starts: the session start, a sequence gap, a reconnect, a restart of the recorder. */
  readonly reason: 'start' | CaptureGapKind
  readonly startNs: string | null
  /** The accepted snapshot of this segment and when the first diff bridged it. */
  readonly snapshotNs: string | null
  readonly snapshotUpdateId: number | null
  readonly syncedNs: string | null
}

export interface CaptureCounts {
  readonly messages: number
  readonly depthUpdates: number
  readonly trades: number
  readonly bookTickers: number
  /** Snapshot lines written (accepted), snapshots fetched but refused (too old, unparsable). */
  readonly snapshots: number
  readonly rejectedSnapshots: number
  readonly snapshotRequests: number
  readonly snapshotWeight: number
  /** Messages that were not JSON, not a known stream, or not storable as one line (quarantined). */
  readonly malformed: number
  readonly connections: number
  readonly reconnects: number
  readonly plannedReconnects: number
  /** Messages a new connection repeated after a planned hand-over (not written twice). */
  readonly duplicatesDropped: number
  /**
   * Levels of depth messages and snapshots the live book could not hold (off-tick price or bad
   * quantity): the written lines keep them; the live top 20 is then not exact.
   */
  readonly offTickLevels?: number
  readonly rawBytes: number
  readonly writtenBytes: number
}

/** Activity of one regime window (receive time, UTC-aligned). */
export interface RegimeWindow {
  readonly startMs: number
  readonly endMs: number
  /** Share of the window the recording covered without a gap (0…1). */
  readonly coverage: number
  readonly trades: number
  /** Traded base quantity and quote notional. */
  readonly volume: number
  readonly notional: number
  /** Realized volatility of 1-s mid log returns over the window, bps. */
  readonly rvBps: number
  /** Largest absolute 1-s mid return, bps. */
  readonly maxAbsReturnBps: number
  /** Time-weighted mean bid/ask spread, bps of the mid. */
  readonly spreadBps: number
  /** Mid return over the window, bps. */
  readonly returnBps: number
}

export interface RegimeThresholds {
  /** Reference windows the quantiles came from. */
  readonly referenceWindows: number
  readonly lowNotional: number
  readonly highNotional: number
  readonly eventRvBps: number
  readonly eventMaxAbsReturnBps: number
  readonly eventSpreadBps: number
  readonly medianRvBps: number
}

export interface LabelledWindow extends RegimeWindow {
  readonly label: RegimeLabel
}

export interface RegimeSummary {
  readonly windowMs: number
  readonly thresholds: RegimeThresholds | null
  readonly windows: readonly LabelledWindow[]
  readonly counts: Readonly<Record<RegimeLabel, number>>
  readonly covered: readonly CoverableRegime[]
}

/** The capture-regimes job's result: the summary of the measured windows and what it was measured on. */
export interface RegimesResult extends RegimeSummary {
  readonly inputs: readonly string[]
  readonly lines: number
  readonly referenceSource: 'inputs' | 'reference'
  readonly issueCounts: Readonly<Partial<Record<InputIssue['kind'], number>>>
}

export type CaptureState = 'running' | 'done' | 'cancelled' | 'failed' | 'interrupted'

export interface CaptureRun {
  readonly startedAt: string
  readonly endedAt: string | null
  readonly pid: number
  readonly jobId: string | null
}

/** What `session.json` holds and the manifest mirrors. */
export interface CaptureSessionInfo {
  readonly version: 1
  readonly id: string
  readonly symbol: string
  readonly market: CaptureMarket
  readonly streams: readonly string[]
  readonly state: CaptureState
  readonly startedAt: string
  readonly endedAt: string | null
  /** First and last recorded receive time (ns, decimal). */
  readonly startNs: string | null
  readonly endNs: string | null
  readonly runs: readonly CaptureRun[]
  readonly files: readonly CaptureFileInfo[]
  readonly segments: readonly CaptureSegmentInfo[]
  readonly gaps: readonly CaptureGap[]
  readonly counts: CaptureCounts
  readonly windowMs: number
  readonly windows: readonly RegimeWindow[]
  readonly regimes: RegimeSummary | null
  readonly config: {
    readonly wsBase: string
    readonly restBase: string
    readonly snapshotLimit: number
  }
}

export type CaptureStopReason = 'duration' | 'until' | 'cancelled' | 'failed'

export interface CaptureResult {
  readonly session: CaptureSessionInfo
  readonly dir: string
  readonly stoppedBy: CaptureStopReason
}

export type CapturePhase =
  'connecting' | 'buffering' | 'synced' | 'resyncing' | 'reconnecting' | 'stopping' | 'stopped'

/** What the Capture page shows while a capture runs (pushed at most ~10 times a second). */
export interface CaptureLive {
  readonly sessionId: string
  readonly symbol: string
  readonly market: CaptureMarket
  readonly phase: CapturePhase
  readonly elapsedMs: number
  readonly counts: CaptureCounts
  readonly messagesPerSec: number
  readonly gaps: number
  readonly openGap: boolean
  readonly lastReceiveNs: string | null
  /** Receive time minus exchange time of the last depth diff, ms (clock offset + latency). */
  readonly exchangeLagMs: number | null
  readonly segment: number
  readonly currentFile: string | null
  /** The live top 20 (decimal strings, best first) and the update id it reflects. */
  readonly top: {
    readonly u: number
    readonly outOfSync: boolean
    readonly bids: readonly (readonly [string, string])[]
    readonly asks: readonly (readonly [string, string])[]
  } | null
  /** Labels of the windows closed so far (the last 288 = 24 h of 5-min windows). */
  readonly regimes: readonly { readonly startMs: number; readonly label: RegimeLabel }[]
  /** False until enough complete reference windows exist to set thresholds (labels are then `normal`/`partial`). */
  readonly regimesReady: boolean
  readonly covered: readonly CoverableRegime[]
  /**
   * Per subscribed stream, ms since its last message on the capture's clock (the stale-stream
   * alert: one stream may stop while the others keep the connection alive).
   */
  readonly streams?: readonly { readonly stream: string; readonly silentMs: number }[] | undefined
}

/** A recorded session as the Capture page lists it. */
export interface CaptureSessionView {
  readonly id: string
  readonly symbol: string
  readonly market: CaptureMarket
  readonly state: CaptureState
  readonly dir: string
  readonly startedAt: string
  readonly endedAt: string | null
  readonly files: number
  readonly messages: number
  readonly gaps: number
  readonly writtenBytes: number
  readonly regimes: Readonly<Partial<Record<RegimeLabel, number>>> | null
}

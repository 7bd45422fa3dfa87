// The capture's options and timing: what runCapture / CaptureEngine take (engine.ts).
import type {
  CaptureLive,
  CaptureMarket,
  CapturePhase,
  CaptureSessionInfo,
  CaptureStopReason,
  RegimeWindow,
  UntilSpec
} from '../../src-shared/capture'
import { captureClock, type CaptureClock, type NsClock } from './clock'
import type { ConnectionTiming } from './connection'
import { DEFAULT_ENDPOINTS, streamNames, type Endpoints, type StreamNames } from './endpoints'
import { DEFAULT_WINDOW_MS } from './regimes'
import { newSessionId, sessionDir } from './session'

export interface CaptureTiming extends ConnectionTiming {
  /** Planned reconnect (hand-over) after this connection age; Binance cuts at 24 h. */
  readonly maxConnectionMs: number
  /** A hand-over that cannot find its switch point within this long switches anyway. */
  readonly handoverTimeoutMs: number
  readonly reconnectBaseMs: number
  readonly reconnectMaxMs: number
  readonly snapshotTimeoutMs: number
  /** Minimum spacing of snapshot requests. */
  readonly snapshotMinIntervalMs: number
  readonly flushIntervalMs: number
  readonly saveIntervalMs: number
  readonly tickMs: number
  readonly liveIntervalMs: number
}

export const DEFAULT_TIMING: CaptureTiming = {
  connectTimeoutMs: 10_000,
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  // Thin markets pause: NEXOUSDT's longest silence between diffs in the shared set is 43.5 s.
  staleMs: 90_000,
  maxConnectionMs: 23.5 * 3600_000,
  handoverTimeoutMs: 60_000,
  reconnectBaseMs: 1000,
  reconnectMaxMs: 60_000,
  snapshotTimeoutMs: 30_000,
  snapshotMinIntervalMs: 2000,
  flushIntervalMs: 1000,
  saveIntervalMs: 5000,
  tickMs: 200,
  liveIntervalMs: 100
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Diffs a segment may buffer before its snapshot; beyond this a new segment starts. */
export const MAX_SEGMENT_BUFFER = 10_000
/** Regime labels the live view carries. */
export const LIVE_REGIMES = 288

export interface CaptureEngineOptions {
  readonly lakeRoot: string
  readonly symbol: string
  readonly market: CaptureMarket
  readonly depthStream?: string | undefined
  readonly tradeStream?: 'trade' | 'aggTrade' | undefined
  readonly snapshotLimit?: number | undefined
  readonly endpoints?: Partial<Endpoints> | undefined
  /** Real time to capture for (default 24 h). */
  readonly durationMs?: number | undefined
  readonly until?: UntilSpec | null | undefined
  readonly windowMs?: number | undefined
  /** Continue this session id (new part files, a `restart` gap). */
  readonly resume?: string | undefined
  /** Windows of earlier recordings that set the regime thresholds together with this one's. */
  readonly referenceWindows?: readonly RegimeWindow[] | undefined
  /** Complete windows (reference + own) needed before `until` can judge regimes. */
  readonly minReferenceWindows?: number | undefined
  /** Share of the exchange's per-IP weight limit snapshots may use per minute (default 0.1). */
  readonly snapshotWeightShare?: number | undefined
  readonly fsync?: boolean | undefined
  readonly signal?: AbortSignal | undefined
  /** Receive stamps only (timers keep wall time), or the whole clock (clock.ts). */
  readonly clock?: NsClock | CaptureClock | undefined
  readonly timing?: Partial<CaptureTiming> | undefined
  readonly jobId?: string | undefined
  readonly onLive?: ((live: CaptureLive) => void) | undefined
  readonly onLog?: ((level: 'info' | 'warn' | 'error', message: string) => void) | undefined
  /** After every save of session.json (the manifest mirror hooks in here). */
  readonly onSession?: ((info: CaptureSessionInfo, dir: string) => void) | undefined
}

export type LogFn = (level: 'info' | 'warn' | 'error', message: string) => void

/** What every part of one capture reads: its options resolved, its clock, its session. */
export interface CaptureSetup {
  readonly opts: CaptureEngineOptions
  readonly clock: CaptureClock
  readonly timing: CaptureTiming
  readonly symbol: string
  readonly market: CaptureMarket
  readonly streams: StreamNames
  readonly endpoints: Endpoints
  readonly snapshotLimit: number
  readonly windowMs: number
  readonly id: string
  readonly dir: string
  readonly log: LogFn
}

/** The capture's phase for the live view, and why it is stopping (null while it runs). */
export interface CaptureStatus {
  phase: CapturePhase
  stopping: CaptureStopReason | null
}

export function captureSetup(opts: CaptureEngineOptions): CaptureSetup {
  const clock = captureClock(opts.clock)
  const symbol = opts.symbol.toUpperCase()
  const market = opts.market
  const defaults = DEFAULT_ENDPOINTS[market]
  const id = opts.resume ?? newSessionId(market, symbol, new Date(clock.ms()))
  return {
    opts,
    clock,
    timing: { ...DEFAULT_TIMING, ...opts.timing },
    symbol,
    market,
    streams: streamNames(symbol, market, opts.depthStream, opts.tradeStream),
    endpoints: {
      wsBase: opts.endpoints?.wsBase ?? defaults.wsBase,
      restBase: opts.endpoints?.restBase ?? defaults.restBase
    },
    snapshotLimit: opts.snapshotLimit ?? 1000,
    windowMs: opts.windowMs ?? DEFAULT_WINDOW_MS,
    id,
    dir: sessionDir(opts.lakeRoot, id),
    log: (level, message) => {
      opts.onLog?.(level, message)
    }
  }
}

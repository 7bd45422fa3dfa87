// The live capture: one combined-stream connection (depth, trades, bookTicker) plus REST depth
// snapshots, following Binance's documented local-book procedure step by step — buffer the diffs,
// fetch a snapshot, refetch while it is older than the first buffered diff, discard what it holds,
// bridge — and recording every message's raw bytes with its receive time (writer.ts).
//
// Segments. A segment is a stretch that replayCapture can replay exactly from its own files: it
// starts buffering, holds one accepted snapshot, and continues without a break. A sequence gap, a
// disconnect, a stalled stream or a restart starts a new segment (new part file) and opens a gap
// record; the old book keeps taking every diff (flagged out of sync, cryptofeed #606) until the
// new segment's snapshot is bridged, which closes the gap. Nothing received is dropped: the diffs
// after the break go to the new segment's file, where its replay buffers them as the live sync did.
// Why not one stream of files: replayCapture's keep-applying policy buffers diffs only before its
// FIRST snapshot, so a resync snapshot that arrives after its bridging diff (the usual case —
// Binance's REST snapshot lags the stream, see the shared captures) cannot be bridged in a
// single pass. Per segment it can (docs/capture.md, "Replaying a session").
//
// Connections: ping/pong and stale-stream detection; reconnect with exponential backoff; a planned
// hand-over before Binance's 24 h connection limit opens the new connection first and switches
// once it is behind the old one on every stream, dropping what it repeats — no gap.
import type {
  CaptureCounts,
  CaptureGap,
  CaptureGapKind,
  CaptureLive,
  CaptureMarket,
  CapturePhase,
  CaptureResult,
  CaptureSegmentInfo,
  CaptureSessionInfo,
  CaptureState,
  CaptureStopReason,
  CoverableRegime,
  RegimeLabel,
  RegimeThresholds,
  RegimeWindow,
  UntilSpec
} from '../../src-shared/capture'
import { COVERABLE_REGIMES } from '../../src-shared/capture'
import { OrderBook, TOP_N } from '../engine/book/orderBook'
import { detectTick, PriceGrid, unitsToDecimal } from '../../src-shared/units'
import { BinanceDepthSync, type Where } from '../engine/book/binanceDepthSync'
import { knownTick } from '../lake/instruments'
import { parseCaptureJson, type DepthMsg, type SnapshotMsg } from '../engine/source/captureMessages'
import { systemClock, type NsClock } from './clock'
import { StreamConnection, type ConnectionTiming } from './connection'
import {
  combinedUrl,
  DEFAULT_ENDPOINTS,
  IP_WEIGHT_PER_MINUTE,
  streamNames,
  type Endpoints,
  type StreamNames
} from './endpoints'
import { Backoff, WeightBudget } from './rateLimit'
import {
  classify,
  DEFAULT_WINDOW_MS,
  summarize,
  thresholdsFrom,
  WindowAccumulator
} from './regimes'
import {
  newSessionId,
  quarantine,
  repairSession,
  saveSession,
  sessionDir,
  zeroCounts
} from './session'
import { RestError, SnapshotClient, type SnapshotBody } from './snapshotClient'
import { CaptureWriter, partNumber } from './writer'
import { makeDir } from '../util/makeDir'
import { applyLevels, applySnapshot, type BadLevel } from '../engine/book/decimalLevels'

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

/** Diffs a segment may buffer before its snapshot; beyond this a new segment starts. */
const MAX_SEGMENT_BUFFER = 10_000
const LIVE_REGIMES = 288

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
  readonly clock?: NsClock | undefined
  readonly timing?: Partial<CaptureTiming> | undefined
  readonly jobId?: string | undefined
  readonly onLive?: ((live: CaptureLive) => void) | undefined
  readonly onLog?: ((level: 'info' | 'warn' | 'error', message: string) => void) | undefined
  /** After every save of session.json (the manifest mirror hooks in here). */
  readonly onSession?: ((info: CaptureSessionInfo, dir: string) => void) | undefined
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

interface Segment {
  readonly index: number
  readonly sync: BinanceDepthSync
  readonly book: OrderBook
  info: Mutable<CaptureSegmentInfo>
  firstU: number | null
  lastBufferedU: number | null
  buffered: number
  /** A snapshot was accepted: the sync is bridging or synced. */
  snapshotAccepted: boolean
  bridged: boolean
  /** lastUpdateId of the accepted snapshot. */
  L: number
  fetching: boolean
  nextFetchAtMs: number
  /** The sync found a break while this segment was current (set by its sink). */
  broke: boolean
}

interface StandbyMsg {
  readonly kind: 'depth' | 'trade' | 'bookTicker' | 'other'
  readonly id: number
}

interface ConnState {
  readonly conn: StreamConnection
  role: 'primary' | 'standby'
  messages: number
  lastDepthU: number | null
  firstDepthU: number | null
  lastTradeId: number | null
  lastTickerU: number | null
  openedAtMs: number
  /** After a hand-over: ids up to these were recorded from the old connection. */
  dedupe: { depthU: number | null; tradeId: number | null; tickerU: number | null } | null
  /** What ended it (set before terminate). */
  endKind: CaptureGapKind | null
}

type MutableGap = Mutable<CaptureGap>

/** Runs one capture until the duration, the `until` condition or the signal ends it. */
export function runCapture(opts: CaptureEngineOptions): Promise<CaptureResult> {
  return new CaptureEngine(opts).run()
}

export class CaptureEngine {
  private readonly clock: NsClock
  private readonly timing: CaptureTiming
  private readonly streams: StreamNames
  private readonly endpoints: Endpoints
  private readonly symbol: string
  private readonly market: CaptureMarket
  private readonly snapshotLimit: number
  private readonly windowMs: number
  private readonly dir: string
  private readonly id: string
  private writer!: CaptureWriter
  private readonly snapshots: SnapshotClient
  private readonly backoff: Backoff

  private info!: Mutable<CaptureSessionInfo>
  private counts: Mutable<CaptureCounts> = zeroCounts()
  private readonly gaps: MutableGap[] = []
  private readonly segments: Segment[] = []
  private openGap: MutableGap | null = null
  private cur: Segment | null = null
  /** The newest segment whose snapshot was bridged: the live book. */
  private liveSeg: Segment | null = null
  private grid: PriceGrid | null = null
  private primary: ConnState | null = null
  private standby: ConnState | null = null
  private needSegment: CaptureGapKind | 'start' | null = 'start'
  private pendingMalformed: { ns: bigint; prevNs: bigint } | null = null
  private lastNs: bigint | null = null
  private lastDepthU: number | null = null
  private lastTradeId: number | null = null
  private lastTickerU: number | null = null
  private lastLagMs: number | null = null
  private readonly windows: RegimeWindow[] = []
  private readonly acc: WindowAccumulator
  private phase: CapturePhase = 'connecting'
  private stopping: CaptureStopReason | null = null
  private readonly startedMs = Date.now()
  private lastSaveMs = 0
  private lastLiveMs = 0
  private reconnectAtMs: number | null = 0
  private nextHandoverAtMs = 0
  private lastTickMs = Date.now()
  private thresholdCache: { windows: number; t: RegimeThresholds | null } | null = null
  private rateWindow: { atMs: number; messages: number }[] = []
  private timer: NodeJS.Timeout | null = null
  private readonly fetchAbort = new AbortController()
  private resolveDone: (r: CaptureResult) => void = () => undefined
  private rejectDone: (e: Error) => void = () => undefined
  private failure: Error | null = null
  private onAbort: (() => void) | null = null

  constructor(private readonly opts: CaptureEngineOptions) {
    this.clock = opts.clock ?? systemClock()
    this.timing = { ...DEFAULT_TIMING, ...opts.timing }
    this.symbol = opts.symbol.toUpperCase()
    this.market = opts.market
    this.snapshotLimit = opts.snapshotLimit ?? 1000
    this.windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS
    this.streams = streamNames(this.symbol, this.market, opts.depthStream, opts.tradeStream)
    const defaults = DEFAULT_ENDPOINTS[this.market]
    this.endpoints = {
      wsBase: opts.endpoints?.wsBase ?? defaults.wsBase,
      restBase: opts.endpoints?.restBase ?? defaults.restBase
    }
    this.id = opts.resume ?? newSessionId(this.market, this.symbol)
    this.dir = sessionDir(opts.lakeRoot, this.id)
    const limit = IP_WEIGHT_PER_MINUTE[this.market]
    const budget = new WeightBudget({
      perMinute: Math.max(1, Math.floor(limit * (opts.snapshotWeightShare ?? 0.1))),
      exchangeLimit: limit,
      minIntervalMs: this.timing.snapshotMinIntervalMs
    })
    this.snapshots = new SnapshotClient({
      restBase: this.endpoints.restBase,
      market: this.market,
      symbol: this.symbol,
      limit: this.snapshotLimit,
      budget,
      clock: this.clock,
      timeoutMs: this.timing.snapshotTimeoutMs
    })
    this.backoff = new Backoff(this.timing.reconnectBaseMs, this.timing.reconnectMaxMs)
    this.acc = new WindowAccumulator(this.windowMs, (w) => {
      this.windows.push(w)
      this.checkUntil()
    })
  }

  get sessionId(): string {
    return this.id
  }

  get sessionDir(): string {
    return this.dir
  }

  async run(): Promise<CaptureResult> {
    await this.open()
    const done = new Promise<CaptureResult>((resolve, reject) => {
      this.resolveDone = resolve
      this.rejectDone = reject
    })
    const signal = this.opts.signal
    if (signal) {
      if (signal.aborted) void this.stop('cancelled')
      this.onAbort = () => void this.stop('cancelled')
      signal.addEventListener('abort', this.onAbort, { once: true })
    }
    this.timer = setInterval(() => {
      this.tick()
    }, this.timing.tickMs)
    this.tick()
    return done
  }

  // ---- session files ---------------------------------------------------------------------

  private async open(): Promise<void> {
    const now = new Date().toISOString()
    const run = { startedAt: now, endedAt: null, pid: process.pid, jobId: this.opts.jobId ?? null }
    let firstPart = 0
    if (this.opts.resume !== undefined) {
      const repaired = await repairSession(this.dir)
      const prev = repaired.info
      if (prev.symbol !== this.symbol || prev.market !== this.market) {
        throw new Error(
          `session ${this.id} records ${prev.market} ${prev.symbol}, not this capture`
        )
      }
      // The dead run ended with its last recorded line.
      const runs = prev.runs.map((r) =>
        r.endedAt === null && prev.endNs !== null
          ? { ...r, endedAt: new Date(Number(BigInt(prev.endNs) / 1_000_000n)).toISOString() }
          : r
      )
      this.info = { ...prev, state: 'running', endedAt: null, runs: [...runs, run] }
      this.counts = { ...prev.counts }
      this.gaps.push(...prev.gaps.map((g) => ({ ...g })))
      this.windows.push(...prev.windows)
      for (const s of prev.segments) {
        // Earlier segments are history: placeholders keep indices stable.
        this.segments.push(this.placeholderSegment(s))
      }
      firstPart = prev.files.reduce((m, f) => Math.max(m, partNumber(f.name) + 1), 0)
      this.lastDepthU = repaired.lastDepthU
      this.lastTradeId = repaired.lastTradeId
      this.lastNs = prev.endNs === null ? null : BigInt(prev.endNs)
      // Still-open gaps of the dead run stay open: the restart gap continues them.
      this.openGap = null
      for (const g of this.gaps) if (g.endNs === null) g.detail += '; recorder stopped'
      this.needSegment = 'restart'
    } else {
      makeDir(this.dir)
      this.info = {
        version: 1,
        id: this.id,
        symbol: this.symbol,
        market: this.market,
        streams: [this.streams.depth, this.streams.trade, this.streams.bookTicker],
        state: 'running',
        startedAt: now,
        endedAt: null,
        startNs: null,
        endNs: null,
        runs: [run],
        files: [],
        segments: [],
        gaps: [],
        counts: zeroCounts(),
        windowMs: this.windowMs,
        windows: [],
        regimes: null,
        config: {
          wsBase: this.endpoints.wsBase,
          restBase: this.endpoints.restBase,
          snapshotLimit: this.snapshotLimit
        }
      }
    }
    this.writer = new CaptureWriter({
      dir: this.dir,
      prefix: this.symbol.toLowerCase(),
      firstPart,
      flushIntervalMs: this.timing.flushIntervalMs,
      fsync: this.opts.fsync ?? true,
      onError: (e) => {
        this.fail(e)
      }
    })
    this.save()
    // Node loads its fetch implementation on first use (~100 ms or more on a busy loop); do it now
    // rather than while the first diffs wait for their snapshot.
    await fetch('data:,').then(
      (r) => r.arrayBuffer(),
      () => undefined
    )
    this.log('info', `capture ${this.id}: ${this.info.streams.join(', ')} → ${this.dir}`)
  }

  private placeholderSegment(s: CaptureSegmentInfo): Segment {
    return {
      index: s.index,
      sync: new BinanceDepthSync(this.market, {
        snapshot: () => undefined,
        diff: () => undefined,
        gap: () => undefined,
        drop: () => undefined
      }),
      book: new OrderBook(16),
      info: { ...s },
      firstU: null,
      lastBufferedU: null,
      buffered: 0,
      snapshotAccepted: true,
      bridged: true,
      L: 0,
      fetching: false,
      nextFetchAtMs: Infinity,
      broke: false
    }
  }

  private snapshotInfo(state: CaptureState): CaptureSessionInfo {
    const files = this.writer.files()
    const prevFiles = this.info.files.filter((f) => !files.some((g) => g.name === f.name))
    const allFiles = [...prevFiles, ...files]
    const firstNs = allFiles.reduce<string | null>(
      (a, f) =>
        f.firstNs !== null && (a === null || BigInt(f.firstNs) < BigInt(a)) ? f.firstNs : a,
      null
    )
    return {
      ...this.info,
      state,
      startNs: firstNs,
      endNs: this.lastNs === null ? this.info.endNs : String(this.lastNs),
      files: allFiles,
      segments: this.segments.map((s) => ({ ...s.info })),
      gaps: this.gaps.map((g) => ({ ...g })),
      counts: { ...this.counts, writtenBytes: allFiles.reduce((s, f) => s + f.bytes, 0) },
      windows: [...this.windows]
    }
  }

  private save(state: CaptureState = 'running'): void {
    const info = this.snapshotInfo(state)
    this.info = { ...info }
    this.lastSaveMs = Date.now()
    try {
      saveSession(this.dir, info)
      this.opts.onSession?.(info, this.dir)
    } catch (e) {
      this.log('error', `cannot save the session: ${String(e)}`)
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.opts.onLog?.(level, message)
  }

  // ---- connections -----------------------------------------------------------------------

  private connect(role: 'primary' | 'standby'): void {
    const url = combinedUrl(this.endpoints.wsBase, this.streams)
    this.counts.connections++
    const conn = new StreamConnection(
      url,
      this.clock,
      {
        onOpen: (c) => {
          this.log('info', `connection ${c.id} open (${role})`)
        },
        onMessage: (c, raw, ns, isBinary) => {
          this.onMessage(c, raw, ns, isBinary)
        },
        onClose: (c, reason) => {
          this.onClose(c, reason)
        }
      },
      this.timing
    )
    const st: ConnState = {
      conn,
      role,
      messages: 0,
      lastDepthU: null,
      firstDepthU: null,
      lastTradeId: null,
      lastTickerU: null,
      openedAtMs: Date.now(),
      dedupe: null,
      endKind: null
    }
    if (role === 'primary') {
      this.primary = st
      this.phase = this.phase === 'reconnecting' ? 'reconnecting' : 'connecting'
    } else this.standby = st
  }

  private stateOf(c: StreamConnection): ConnState | null {
    if (this.primary?.conn === c) return this.primary
    if (this.standby?.conn === c) return this.standby
    return null
  }

  private onClose(c: StreamConnection, reason: string): void {
    const st = this.stateOf(c)
    if (!st || this.stopping) return
    if (st.role === 'standby') {
      this.log('warn', `hand-over connection ${c.id} ended: ${reason}`)
      this.standby = null
      return
    }
    this.primary = null
    const kind = st.endKind ?? 'disconnect'
    this.log('warn', `connection ${c.id} ended: ${reason}`)
    const sb = this.standby
    if (sb?.conn.open && sb.messages > 0) {
      // The old connection died during a hand-over: the new one already streams.
      this.promote(sb)
      return
    }
    if (sb) {
      sb.conn.close('superseded')
      this.standby = null
    }
    const wait = this.backoff.next()
    this.reconnectAtMs = Date.now() + wait
    // A connection that never delivered anything (refused, failed handshake) adds no new break.
    if (st.messages > 0 || (this.segments.length > 0 && this.openGap === null)) {
      this.openBreak(kind, reason, null)
      this.needSegment = kind
      this.counts.reconnects++
    }
    if (this.segments.length > 0) this.phase = 'reconnecting'
    this.log('info', `reconnecting in ${wait} ms`)
  }

  private promote(sb: ConnState): void {
    const old = this.primary
    sb.role = 'primary'
    sb.dedupe = { depthU: this.lastDepthU, tradeId: this.lastTradeId, tickerU: this.lastTickerU }
    this.primary = sb
    this.standby = null
    if (old) old.conn.close('replaced by the hand-over connection')
    this.counts.plannedReconnects++
    this.log('info', `hand-over to connection ${sb.conn.id} done`)
  }

  /** Called after each primary message during a hand-over: switch once the new one is behind. */
  private maybeSwitch(): void {
    const sb = this.standby
    const p = this.primary
    if (!sb || !p || sb.lastDepthU === null) return
    // Behind (or level with) the old connection on every stream: from its next message on, it
    // delivers exactly what the old one has not, and what it repeats is dropped by id.
    const behind =
      p.lastDepthU !== null &&
      sb.lastDepthU <= p.lastDepthU &&
      (sb.lastTradeId === null || (p.lastTradeId !== null && sb.lastTradeId <= p.lastTradeId)) &&
      (sb.lastTickerU === null || (p.lastTickerU !== null && sb.lastTickerU <= p.lastTickerU))
    if (behind) {
      this.promote(sb)
      return
    }
    if (Date.now() - sb.openedAtMs > this.timing.handoverTimeoutMs) {
      // Never level with the old one (it lags, or the streams interleave badly): switching now
      // would drop what only the new one delivered. Try again with a fresh connection; if the
      // exchange cuts the old one first, the new one takes over with a recorded gap.
      this.log('warn', 'hand-over found no clean switch point; retrying with a new connection')
      sb.conn.close('hand-over retried')
      this.standby = null
      this.nextHandoverAtMs = Date.now() + this.backoff.next()
    }
  }

  // ---- messages --------------------------------------------------------------------------

  private onMessage(c: StreamConnection, raw: Buffer, ns: bigint, isBinary: boolean): void {
    const st = this.stateOf(c)
    if (!st || this.stopping) return
    st.messages++
    if (st.role === 'standby') {
      // Not recorded: only its ids matter for the switch point.
      const m = this.peek(raw, isBinary)
      this.note(st, m)
      return
    }
    this.backoff.reset()
    this.handle(st, raw, ns, isBinary)
    if (this.standby) this.maybeSwitch()
  }

  private peek(raw: Buffer, isBinary: boolean): StandbyMsg {
    if (isBinary) return { kind: 'other', id: 0 }
    try {
      const m = parseCaptureJson(raw.toString('utf8'))
      if (m.kind === 'depth') return { kind: 'depth', id: m.u }
      if (m.kind === 'trade') return { kind: 'trade', id: m.id }
      if (m.kind === 'bookTicker') return { kind: 'bookTicker', id: m.u }
    } catch {
      // Malformed on the standby: nothing to note.
    }
    return { kind: 'other', id: 0 }
  }

  private note(st: ConnState, m: StandbyMsg): void {
    if (m.kind === 'depth') {
      st.firstDepthU ??= m.id
      st.lastDepthU = m.id
    } else if (m.kind === 'trade') st.lastTradeId = m.id
    else if (m.kind === 'bookTicker') st.lastTickerU = m.id
  }

  private handle(st: ConnState, raw: Buffer, ns: bigint, isBinary: boolean): void {
    this.counts.messages++
    this.counts.rawBytes += raw.length
    const text = isBinary ? '' : raw.toString('utf8')
    let m
    let reason: string | null = null
    if (isBinary) reason = 'binary frame'
    else if (text.includes('\n') || text.includes('\r')) reason = 'contains a line break'
    else {
      try {
        m = parseCaptureJson(text)
        if (m.kind === 'unknown') reason = m.reason
        else if (m.kind === 'snapshot') reason = 'snapshot on the stream'
        else if (m.symbol.toUpperCase() !== this.symbol) reason = `symbol ${m.symbol}`
      } catch (e) {
        reason = `not JSON: ${e instanceof Error ? e.message : String(e)}`
      }
    }
    if (reason !== null || m === undefined || m.kind === 'unknown' || m.kind === 'snapshot') {
      this.counts.malformed++
      quarantine(this.dir, ns, reason ?? 'unusable', raw)
      this.log('warn', `quarantined a message (${reason ?? 'unusable'})`)
      this.pendingMalformed ??= { ns, prevNs: this.lastNs ?? ns }
      return
    }
    // After a hand-over the new connection repeats what the old one recorded.
    const d = st.dedupe
    if (d) {
      const id = m.kind === 'depth' ? m.u : m.kind === 'trade' ? m.id : m.u
      const limit = m.kind === 'depth' ? d.depthU : m.kind === 'trade' ? d.tradeId : d.tickerU
      if (limit !== null && id <= limit) {
        this.counts.duplicatesDropped++
        return
      }
      if (m.kind === 'depth') d.depthU = null
      else if (m.kind === 'trade') d.tradeId = null
      else d.tickerU = null
      if (d.depthU === null && d.tradeId === null && d.tickerU === null) st.dedupe = null
    }
    this.note(st, {
      kind: m.kind,
      id: m.kind === 'depth' ? m.u : m.kind === 'trade' ? m.id : m.u
    })

    if (this.needSegment !== null) {
      const why = this.needSegment
      this.needSegment = null
      if (why === 'restart') this.openBreak('restart', 'the recorder was restarted', null)
      this.startSegment(why)
    }
    const ms = Number(ns / 1_000_000n)
    if (m.kind === 'depth') {
      this.counts.depthUpdates++
      this.lastLagMs = ms - m.E
      this.onDepth(m, raw, ns)
      this.acc.advance(ms)
    } else {
      this.write(raw, ns)
      if (m.kind === 'trade') {
        this.counts.trades++
        if (this.openGap && this.openGap.nextTradeId === null) this.openGap.nextTradeId = m.id
        this.lastTradeId = m.id
        this.acc.trade(ms, Number(m.price), Number(m.qty))
      } else {
        this.counts.bookTickers++
        this.lastTickerU = m.u
        this.acc.quote(ms, Number(m.bid), Number(m.ask))
      }
    }
  }

  private write(raw: Buffer, ns: bigint): Where {
    const at = this.writer.append(ns, raw)
    this.lastNs = ns
    return { file: at.file, line: at.line, localUs: Number(ns / 1000n) }
  }

  /** Would this diff break the current segment's sequence (before it is fed to the sync)? */
  private breaks(seg: Segment, d: DepthMsg): boolean {
    const spot = this.market === 'spot'
    if (!seg.snapshotAccepted) {
      const last = seg.lastBufferedU
      if (last === null) return false
      if (spot) return !(d.U === last + 1 || (d.U <= last && d.u > last))
      return d.pu !== last
    }
    const L = seg.sync.lastUpdateId
    if (!seg.bridged) {
      if (spot ? d.u <= L : d.u < L) return false
      return !(spot ? d.U <= L + 1 && d.u >= L + 1 : d.U <= L && d.u >= L)
    }
    if (spot ? d.U === L + 1 : d.pu === L) return false
    if (d.u <= L) return false
    return !(spot && d.U <= L)
  }

  private onDepth(d: DepthMsg, raw: Buffer, ns: bigint): void {
    let seg = this.cur
    if (!seg) return
    const malformed = this.pendingMalformed
    if (seg.broke || this.breaks(seg, d)) {
      const kind: CaptureGapKind = malformed ? 'malformed' : 'sequence'
      const detail = seg.broke
        ? 'the snapshot did not bridge the buffered diffs'
        : this.market === 'spot'
          ? `U ${d.U} does not follow u ${seg.snapshotAccepted ? seg.sync.lastUpdateId : seg.lastBufferedU}`
          : `pu ${d.pu} is not the previous u ${seg.snapshotAccepted ? seg.sync.lastUpdateId : seg.lastBufferedU}`
      this.openBreak(kind, detail, malformed ? malformed.prevNs : null)
      this.startSegment(kind)
      seg = this.cur
      if (!seg) return
    } else if (malformed) {
      // The sequence continued: the lost message was not a diff; record it on its own.
      this.recordMalformedOnly(malformed)
    }
    this.pendingMalformed = null
    if (seg.buffered >= MAX_SEGMENT_BUFFER && !seg.snapshotAccepted) {
      this.openBreak('buffer-overflow', `no snapshot for ${MAX_SEGMENT_BUFFER} diffs`, null)
      this.startSegment('buffer-overflow')
      seg = this.cur
      if (!seg) return
    }
    if (this.openGap && this.openGap.nextU === null) this.openGap.nextU = d.U
    const where = this.write(raw, ns)
    this.lastDepthU = d.u
    // Keep applying to the old book until the new snapshot is bridged.
    const live = this.liveSeg
    if (live && live !== seg) live.sync.onDiff(d, where)
    if (!seg.snapshotAccepted) {
      seg.firstU ??= d.U
      seg.lastBufferedU = d.u
      seg.buffered++
      if (seg.info.startNs === null) seg.info.startNs = String(ns)
    }
    seg.sync.onDiff(d, where)
  }

  private recordMalformedOnly(m: { ns: bigint; prevNs: bigint }): void {
    this.gaps.push({
      seq: this.gaps.length,
      kind: 'malformed',
      detail: 'a message that was not a depth diff could not be stored (quarantined)',
      startNs: String(m.prevNs),
      endNs: String(m.ns),
      lastU: this.lastDepthU,
      nextU: null,
      snapshotUpdateId: null,
      lastTradeId: this.lastTradeId,
      nextTradeId: null,
      segment: this.cur?.index ?? 0
    })
    this.save()
  }

  // ---- segments and gaps -----------------------------------------------------------------

  private openBreak(kind: CaptureGapKind, detail: string, startNs: bigint | null): void {
    const start = startNs ?? this.lastNs
    if (this.openGap) {
      this.openGap.detail += `; then ${kind}: ${detail}`
      return
    }
    const g: MutableGap = {
      seq: this.gaps.length,
      kind,
      detail,
      startNs: start === null ? String(this.clock()) : String(start),
      endNs: null,
      lastU: this.lastDepthU,
      nextU: null,
      snapshotUpdateId: null,
      lastTradeId: this.lastTradeId,
      nextTradeId: null,
      segment: this.segments.length
    }
    this.gaps.push(g)
    this.openGap = g
    this.acc.openGap(Number(BigInt(g.startNs) / 1_000_000n))
    this.log('warn', `gap (${kind}): ${detail}`)
    this.save()
  }

  private startSegment(reason: CaptureSegmentInfo['reason']): void {
    const index = this.segments.length
    const sync = new BinanceDepthSync(
      this.market,
      {
        snapshot: (s) => {
          this.applySnapshot(seg, s)
        },
        diff: (d, where) => {
          if (this.grid) {
            applyLevels(seg.book, this.grid, true, d.bids, this.badLevel)
            applyLevels(seg.book, this.grid, false, d.asks, this.badLevel)
          }
          // The first diff applied in sequence after the snapshot bridges it.
          if (!seg.bridged && !seg.sync.outOfSync) this.onBridged(seg, d, where)
        },
        gap: () => {
          if (seg === this.cur) seg.broke = true
        },
        drop: () => undefined
      },
      'keep-applying',
      MAX_SEGMENT_BUFFER + 1
    )
    const seg: Segment = {
      index,
      book: new OrderBook(),
      sync,
      info: {
        index,
        reason,
        startNs: null,
        snapshotNs: null,
        snapshotUpdateId: null,
        syncedNs: null
      },
      firstU: null,
      lastBufferedU: null,
      buffered: 0,
      snapshotAccepted: false,
      bridged: false,
      L: 0,
      fetching: false,
      nextFetchAtMs: 0,
      broke: false
    }
    if (this.openGap) this.openGap.segment = index
    this.segments.push(seg)
    this.cur = seg
    this.writer.startSegment(index)
    this.phase = this.liveSeg ? 'resyncing' : 'buffering'
    this.save()
  }

  private onBridged(seg: Segment, d: DepthMsg, where: Where): void {
    seg.bridged = true
    const ns = BigInt(where.localUs) * 1000n
    seg.info.syncedNs = String(this.lastNs ?? ns)
    if (seg !== this.cur) return
    this.liveSeg = seg
    this.phase = 'synced'
    // Older segments are history now; their books can go.
    for (const s of this.segments) if (s !== seg && s.index < seg.index) s.book.clear()
    const g = this.openGap
    if (g) {
      g.endNs = seg.info.syncedNs
      g.snapshotUpdateId = seg.L
      if (g.nextU === null) g.nextU = d.U
      this.openGap = null
      this.acc.openGap(null)
      this.acc.uncovered(
        Number(BigInt(g.startNs) / 1_000_000n),
        Number(BigInt(g.endNs) / 1_000_000n)
      )
      this.log('info', `gap ${g.seq} closed: book exact again from u ${d.u}`)
    }
    this.save()
  }

  /** A level the live book cannot hold: counted, never dropped in silence (the line is written as received). */
  private readonly badLevel: BadLevel = (px, qty) => {
    const n = (this.counts.offTickLevels ?? 0) + 1
    this.counts.offTickLevels = n
    if (n === 1)
      this.log(
        'warn',
        `a level the live book cannot hold: ${px} x ${qty} (off the ${this.grid?.tick ?? ''} tick or not a size); counted as off-tick levels`
      )
  }

  private applySnapshot(seg: Segment, s: SnapshotMsg): void {
    if (!this.grid) {
      const tick =
        knownTick(this.market, this.symbol) ?? detectTick([...s.bids, ...s.asks].map((l) => l[0]))
      this.grid = new PriceGrid(tick)
    }
    applySnapshot(seg.book, this.grid, s, 'full', this.badLevel)
  }

  // ---- snapshots -------------------------------------------------------------------------

  private maybeFetchSnapshot(): void {
    const seg = this.cur
    if (!seg || seg.snapshotAccepted || seg.fetching || seg.firstU === null) return
    if (Date.now() < seg.nextFetchAtMs || this.stopping) return
    const wait = this.snapshots.delay()
    if (wait > 0) {
      seg.nextFetchAtMs = Date.now() + wait
      return
    }
    seg.fetching = true
    this.counts.snapshotRequests++
    this.counts.snapshotWeight += this.snapshots.weight
    this.snapshots.fetch(this.fetchAbort.signal).then(
      (body) => {
        seg.fetching = false
        this.onSnapshotBody(seg, body)
      },
      (e: unknown) => {
        seg.fetching = false
        if (this.stopping) return
        const retry = e instanceof RestError && e.retryAfterMs !== null ? e.retryAfterMs : 0
        seg.nextFetchAtMs = Date.now() + Math.max(retry, this.timing.snapshotMinIntervalMs)
        this.log('warn', `snapshot request failed: ${e instanceof Error ? e.message : String(e)}`)
      }
    )
  }

  private onSnapshotBody(seg: Segment, body: SnapshotBody): void {
    if (this.stopping) return
    // Stamped when handed to the capture, so it never precedes a line already written.
    const ns = this.clock()
    const text = body.raw.toString('utf8')
    let s: SnapshotMsg | null = null
    let reason: string | null = null
    if (text.includes('\n') || text.includes('\r')) reason = 'snapshot contains a line break'
    else {
      try {
        const m = parseCaptureJson(text)
        if (m.kind === 'snapshot') s = m
        else reason = `not a depth snapshot (${m.kind})`
      } catch (e) {
        reason = `snapshot is not JSON: ${e instanceof Error ? e.message : String(e)}`
      }
    }
    if (s && seg !== this.cur) reason = 'arrived after its segment was superseded'
    const firstU = seg.firstU ?? Infinity
    // Step 4 of the procedure: a snapshot older than the first buffered diff is refetched.
    if (s && !(this.market === 'spot' ? s.lastUpdateId + 1 >= firstU : s.lastUpdateId >= firstU)) {
      reason = `too old: lastUpdateId ${s.lastUpdateId} < first buffered U ${firstU}`
    }
    if (reason !== null || !s) {
      this.counts.rejectedSnapshots++
      quarantine(this.dir, ns, `snapshot: ${reason ?? 'unusable'}`, body.raw)
      this.log('warn', `snapshot refused: ${reason ?? 'unusable'}`)
      seg.nextFetchAtMs = Date.now() + this.timing.snapshotMinIntervalMs
      return
    }
    this.counts.snapshots++
    this.write(body.raw, ns)
    seg.snapshotAccepted = true
    seg.L = s.lastUpdateId
    seg.info.snapshotNs = String(ns)
    seg.info.snapshotUpdateId = s.lastUpdateId
    seg.sync.onSnapshot(s)
    this.save()
  }

  // ---- regimes, timers, stop ---------------------------------------------------------------

  private regimeView(): {
    labels: { startMs: number; label: RegimeLabel }[]
    covered: CoverableRegime[]
    ready: boolean
  } {
    const own = this.windows
    // Thresholds change only when a window closes; the live view asks ten times a second.
    if (this.thresholdCache?.windows !== own.length) {
      const ref = [...(this.opts.referenceWindows ?? []), ...own]
      const complete = ref.filter((w) => w.coverage >= 0.8).length
      const min = this.opts.minReferenceWindows ?? 12
      this.thresholdCache = { windows: own.length, t: complete >= min ? thresholdsFrom(ref) : null }
    }
    const t = this.thresholdCache.t
    const labels = own.map((w) => ({ startMs: w.startMs, label: classify(w, t) }))
    const covered = t ? COVERABLE_REGIMES.filter((r) => labels.some((l) => l.label === r)) : []
    return { labels, covered, ready: t !== null }
  }

  private checkUntil(): void {
    const until = this.opts.until
    if (!until || this.stopping) return
    const { covered } = this.regimeView()
    const hit = until.among.filter((r) => covered.includes(r)).length
    if (hit >= until.regimes) {
      this.log('info', `until reached: ${covered.join(', ')} covered`)
      void this.stop('until')
    }
  }

  private tick(): void {
    if (this.stopping) return
    const now = Date.now()
    // A tick that comes late means this process was busy (GC, disk, a backlog): silence seen
    // across such a pause says nothing about the stream, so liveness is judged next time.
    const late = now - this.lastTickMs > Math.max(4 * this.timing.tickMs, 250)
    this.lastTickMs = now
    if (this.failure) {
      void this.stop('failed')
      return
    }
    if (now - this.startedMs >= (this.opts.durationMs ?? 86_400_000)) {
      void this.stop('duration')
      return
    }
    if (!this.primary && this.reconnectAtMs !== null && now >= this.reconnectAtMs) {
      this.reconnectAtMs = null
      this.connect('primary')
    }
    const p = this.primary
    if (p && late) p.conn.excuse(now)
    if (p) {
      const live = p.conn.check(now)
      if (live !== 'ok') {
        p.endKind = live
        p.conn.terminate(
          live === 'stale'
            ? `stale: no message for ${this.timing.staleMs} ms`
            : `no pong within ${this.timing.pongTimeoutMs} ms`
        )
      } else if (
        p.conn.open &&
        p.conn.ageMs >= this.timing.maxConnectionMs &&
        !this.standby &&
        now >= this.nextHandoverAtMs
      ) {
        this.log('info', `connection ${p.conn.id} is ${p.conn.ageMs} ms old: planned hand-over`)
        this.connect('standby')
      }
    }
    const sb = this.standby
    if (sb && late) sb.conn.excuse(now)
    if (sb && sb.conn.check(now) !== 'ok') {
      sb.conn.terminate('hand-over connection not alive')
      this.standby = null
      this.nextHandoverAtMs = now + this.backoff.next()
    } else if (sb && now - sb.openedAtMs > this.timing.handoverTimeoutMs && this.primary) {
      if (sb.lastDepthU === null) {
        // It never streamed depth: drop it and try again later.
        sb.conn.close('hand-over connection delivered no depth')
        this.standby = null
        this.nextHandoverAtMs = now + this.backoff.next()
      } else this.maybeSwitch()
    }
    this.maybeFetchSnapshot()
    // Quiet markets still close their windows.
    if (this.lastNs !== null) this.acc.advance(Number(this.clock() / 1_000_000n))
    if (now - this.lastSaveMs >= this.timing.saveIntervalMs) this.save()
    if (now - this.lastLiveMs >= this.timing.liveIntervalMs) this.pushLive()
  }

  private fail(e: Error): void {
    if (this.failure) return
    this.failure = e
    this.log('error', `capture failed: ${e.message}`)
    void this.stop('failed')
  }

  private async stop(reason: CaptureStopReason): Promise<void> {
    if (this.stopping) return
    this.stopping = reason
    this.phase = 'stopping'
    if (this.timer) clearInterval(this.timer)
    if (this.onAbort) this.opts.signal?.removeEventListener('abort', this.onAbort)
    this.fetchAbort.abort()
    this.primary?.conn.close('capture stopped')
    this.standby?.conn.close('capture stopped')
    if (this.pendingMalformed) this.recordMalformedOnly(this.pendingMalformed)
    this.pendingMalformed = null
    let error: Error | null = this.failure
    try {
      await this.writer.close()
    } catch (e) {
      error ??= e instanceof Error ? e : new Error(String(e))
    }
    // The recording covered up to now (a quiet market is still a covered market).
    if (this.lastNs !== null) this.acc.finish(Number(this.clock() / 1_000_000n))
    const state: CaptureState = error ? 'failed' : reason === 'cancelled' ? 'cancelled' : 'done'
    const runs = this.info.runs.map((r, i) =>
      i === this.info.runs.length - 1 ? { ...r, endedAt: new Date().toISOString() } : r
    )
    this.info = { ...this.info, runs, endedAt: new Date().toISOString() }
    const own = this.windows
    const t = thresholdsFrom([...(this.opts.referenceWindows ?? []), ...own])
    this.info.regimes = summarize(own, t, this.windowMs)
    this.save(state)
    this.phase = 'stopped'
    this.pushLive()
    this.log(
      'info',
      `capture ${this.id} ${state}: ${this.counts.messages} messages, ${this.gaps.length} gap(s)`
    )
    if (error) this.rejectDone(error)
    else this.resolveDone({ session: this.snapshotInfo(state), dir: this.dir, stoppedBy: reason })
  }

  // ---- live view -------------------------------------------------------------------------

  private pushLive(): void {
    this.lastLiveMs = Date.now()
    const cb = this.opts.onLive
    if (!cb) return
    cb(this.live())
  }

  /** The Capture page's view: counters, the live top 20, regime labels. */
  live(): CaptureLive {
    const now = Date.now()
    this.rateWindow.push({ atMs: now, messages: this.counts.messages })
    while (this.rateWindow.length > 2 && (this.rateWindow[0]?.atMs ?? now) < now - 5000)
      this.rateWindow.shift()
    const first = this.rateWindow[0]
    const rate =
      first && now > first.atMs
        ? ((this.counts.messages - first.messages) * 1000) / (now - first.atMs)
        : 0
    const seg = this.liveSeg
    let top: CaptureLive['top'] = null
    if (seg && this.grid) {
      const grid = this.grid
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
        outOfSync: seg !== this.cur || seg.sync.outOfSync,
        bids: side(seg.book.topBidTicks, seg.book.topBidLots, seg.book.topBidCount),
        asks: side(seg.book.topAskTicks, seg.book.topAskLots, seg.book.topAskCount)
      }
    }
    const rv = this.regimeView()
    return {
      sessionId: this.id,
      symbol: this.symbol,
      market: this.market,
      phase: this.phase,
      elapsedMs: now - this.startedMs,
      counts: { ...this.counts, writtenBytes: this.writer.writtenBytes },
      messagesPerSec: Math.round(rate),
      gaps: this.gaps.length,
      openGap: this.openGap !== null,
      lastReceiveNs: this.lastNs === null ? null : String(this.lastNs),
      exchangeLagMs: this.lastLagMs,
      segment: this.cur?.index ?? 0,
      currentFile: this.writer.currentFile,
      top,
      regimes: rv.labels.slice(-LIVE_REGIMES),
      regimesReady: rv.ready,
      covered: rv.covered
    }
  }
}

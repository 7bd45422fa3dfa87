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
  CaptureLive,
  CaptureResult,
  CaptureState,
  CaptureStopReason
} from '../../src-shared/capture'
import { parseCaptureJson } from '../engine/source/captureMessages'
import { StreamConnections, type ConnState } from './connections'
import { lakePaths } from '../lake/paths'
import { LiveTimeline } from './liveTimeline'
import { LiveView } from './liveView'
import {
  captureSetup,
  type CaptureEngineOptions,
  type CaptureSetup,
  type CaptureStatus
} from './options'
import { SessionRecord } from './record'
import { DepthSegments } from './segments'
import { quarantine } from './session'
import { SnapshotFetcher } from './snapshots'
import { CaptureStats } from './stats'

export { DEFAULT_TIMING, type CaptureEngineOptions, type CaptureTiming } from './options'

/** Runs one capture until the duration, the `until` condition or the signal ends it. */
export function runCapture(opts: CaptureEngineOptions): Promise<CaptureResult> {
  return new CaptureEngine(opts).run()
}

/**
 * One capture: the session record (record.ts), the depth segments (segments.ts) and their
 * snapshots (snapshots.ts), the stream connections (connections.ts), counters (stats.ts) and the
 * live view (liveView.ts), driven by one timer. Every time read goes through the setup's clock.
 */
export class CaptureEngine {
  private readonly setup: CaptureSetup
  private readonly status: CaptureStatus = { phase: 'connecting', stopping: null }
  private readonly stats = new CaptureStats()
  private readonly record: SessionRecord
  private readonly segments: DepthSegments
  private readonly snapshots: SnapshotFetcher
  private readonly connections: StreamConnections
  private readonly liveView: LiveView
  /** The live book for the Book page, kept when the capture runs as a job (it has an id to open). */
  private readonly timeline: LiveTimeline | null
  private readonly startedMs: number
  private lastTickMs: number
  private lastLiveMs = 0
  private timer: NodeJS.Timeout | null = null
  private resolveDone: (r: CaptureResult) => void = () => undefined
  private rejectDone: (e: Error) => void = () => undefined
  private failure: Error | null = null
  private onAbort: (() => void) | null = null

  constructor(private readonly opts: CaptureEngineOptions) {
    const setup = captureSetup(opts)
    this.setup = setup
    this.startedMs = setup.clock.ms()
    this.lastTickMs = this.startedMs
    const { status, stats } = this
    this.record = new SessionRecord(setup, stats, () => {
      this.checkUntil()
    })
    this.segments = new DepthSegments(setup, status, this.record, stats)
    this.timeline =
      opts.jobId === undefined
        ? null
        : new LiveTimeline(lakePaths.replay(opts.lakeRoot, opts.jobId), setup.symbol, 1000)
    this.segments.timeline = this.timeline
    this.snapshots = new SnapshotFetcher(setup, status, this.record, this.segments, stats)
    this.connections = new StreamConnections(setup, status, this.record, stats, {
      message: (st, raw, ns, isBinary) => {
        this.handle(st, raw, ns, isBinary)
      },
      lost: (kind, reason, delivered) => {
        // A connection that never delivered anything (refused, failed handshake) adds no new break.
        const record = this.record
        if (delivered || (record.segments.length > 0 && record.openGap === null)) {
          record.openBreak(kind, reason, null)
          this.timeline?.mark('gap')
          this.segments.needSegment = kind
          this.stats.counts.reconnects++
        }
        if (record.segments.length > 0) this.status.phase = 'reconnecting'
      }
    })
    this.liveView = new LiveView(setup, status, this.record, this.segments, stats, this.startedMs)
  }

  get sessionId(): string {
    return this.setup.id
  }

  get sessionDir(): string {
    return this.setup.dir
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
    }, this.setup.timing.tickMs)
    this.tick()
    return done
  }

  private async open(): Promise<void> {
    const resumed = await this.record.open((e) => {
      this.fail(e)
    })
    if (resumed) this.segments.needSegment = 'restart'
    // Node loads its fetch implementation on first use (~100 ms or more on a busy loop); do it now
    // rather than while the first diffs wait for their snapshot.
    await fetch('data:,').then(
      (r) => r.arrayBuffer(),
      () => undefined
    )
    const { id, dir } = this.setup
    this.setup.log('info', `capture ${id}: ${this.record.info.streams.join(', ')} → ${dir}`)
  }

  // ---- messages --------------------------------------------------------------------------

  /** One primary message: quarantined if unusable, dropped if a hand-over repeat, else recorded. */
  private handle(st: ConnState, raw: Buffer, ns: bigint, isBinary: boolean): void {
    const { counts } = this.stats
    const record = this.record
    counts.messages++
    counts.rawBytes += raw.length
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
        else if (m.symbol.toUpperCase() !== this.setup.symbol) reason = `symbol ${m.symbol}`
      } catch (e) {
        reason = `not JSON: ${e instanceof Error ? e.message : String(e)}`
      }
    }
    if (reason !== null || m === undefined || m.kind === 'unknown' || m.kind === 'snapshot') {
      counts.malformed++
      quarantine(this.setup.dir, ns, reason ?? 'unusable', raw)
      this.setup.log('warn', `quarantined a message (${reason ?? 'unusable'})`)
      this.segments.malformed(ns)
      return
    }
    const id = m.kind === 'depth' ? m.u : m.kind === 'trade' ? m.id : m.u
    // A repeat (hand-over) still shows its stream is flowing.
    this.stats.lastByKind.set(m.kind, this.setup.clock.ms())
    if (this.connections.isRepeat(st, m.kind, id)) {
      counts.duplicatesDropped++
      return
    }
    this.connections.note(st, { kind: m.kind, id })

    this.segments.ensureSegment()
    const ms = Number(ns / 1_000_000n)
    if (m.kind === 'depth') {
      counts.depthUpdates++
      this.stats.lastLagMs = ms - m.E
      this.segments.onDepth(m, raw, ns)
      record.acc.advance(ms)
    } else {
      record.write(raw, ns)
      if (m.kind === 'trade') {
        counts.trades++
        if (record.openGap && record.openGap.nextTradeId === null) record.openGap.nextTradeId = m.id
        record.lastTradeId = m.id
        this.timeline?.trade(m.T, m.price, m.qty, m.buyerMaker)
        record.acc.trade(ms, Number(m.price), Number(m.qty))
      } else {
        counts.bookTickers++
        record.lastTickerU = m.u
        record.acc.quote(ms, Number(m.bid), Number(m.ask))
      }
    }
  }

  // ---- timer, until, stop ------------------------------------------------------------------

  private checkUntil(): void {
    const until = this.opts.until
    if (!until || this.status.stopping) return
    const { covered } = this.liveView.regimeView()
    const hit = until.among.filter((r) => covered.includes(r)).length
    if (hit >= until.regimes) {
      this.setup.log('info', `until reached: ${covered.join(', ')} covered`)
      void this.stop('until')
    }
  }

  private tick(): void {
    if (this.status.stopping) return
    const { clock, timing } = this.setup
    const now = clock.ms()
    // A tick that comes late means this process was busy (GC, disk, a backlog): silence seen
    // across such a pause says nothing about the stream, so liveness is judged next time.
    const late = now - this.lastTickMs > Math.max(4 * timing.tickMs, 250)
    this.lastTickMs = now
    if (this.failure) {
      void this.stop('failed')
      return
    }
    if (now - this.startedMs >= (this.opts.durationMs ?? 86_400_000)) {
      void this.stop('duration')
      return
    }
    this.connections.tick(now, late)
    this.snapshots.maybeFetch()
    // Quiet markets still close their windows.
    if (this.record.lastNs !== null) this.record.acc.advance(Number(clock.ns() / 1_000_000n))
    if (now - this.record.lastSaveMs >= timing.saveIntervalMs) this.record.save()
    if (now - this.lastLiveMs >= timing.liveIntervalMs) this.pushLive()
  }

  private fail(e: Error): void {
    if (this.failure) return
    this.failure = e
    this.setup.log('error', `capture failed: ${e.message}`)
    void this.stop('failed')
  }

  private async stop(reason: CaptureStopReason): Promise<void> {
    if (this.status.stopping) return
    this.status.stopping = reason
    this.status.phase = 'stopping'
    if (this.timer) clearInterval(this.timer)
    if (this.onAbort) this.opts.signal?.removeEventListener('abort', this.onAbort)
    this.snapshots.cancel()
    this.connections.closeAll('capture stopped')
    this.segments.settleMalformed()
    let error: Error | null = this.failure
    try {
      await this.record.closeFiles()
    } catch (e) {
      error ??= e instanceof Error ? e : new Error(String(e))
    }
    try {
      this.timeline?.finish()
    } catch (e) {
      // The Book's view of the capture only: the session's own files are closed and complete.
      this.setup.log('warn', `the live timeline could not be completed: ${String(e)}`)
    }
    const state: CaptureState = error ? 'failed' : reason === 'cancelled' ? 'cancelled' : 'done'
    this.record.finish(state)
    this.status.phase = 'stopped'
    this.pushLive()
    this.setup.log(
      'info',
      `capture ${this.setup.id} ${state}: ${this.stats.counts.messages} messages, ${this.record.gaps.length} gap(s)`
    )
    if (error) this.rejectDone(error)
    else {
      const session = this.record.snapshotInfo(state)
      this.resolveDone({ session, dir: this.setup.dir, stoppedBy: reason })
    }
  }

  // ---- live view -------------------------------------------------------------------------

  private pushLive(): void {
    this.lastLiveMs = this.setup.clock.ms()
    const cb = this.opts.onLive
    if (!cb) return
    cb(this.live())
  }

  /** The Capture page's view: counters, the live top 20, regime labels. */
  live(): CaptureLive {
    return this.liveView.build()
  }
}

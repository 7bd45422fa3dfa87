// The session being recorded: its part files (writer.ts), session.json, its gaps and segments,
// the regime windows, and the last ids and receive time recorded. A resumed session continues
// its own record: counters, gaps and windows carry on, new part files follow its highest.
import type {
  CaptureGap,
  CaptureGapKind,
  CaptureSegmentInfo,
  CaptureSessionInfo,
  CaptureState,
  RegimeWindow
} from '../../src-shared/capture'
import type { Where } from '../engine/source/captureMessages'
import { makeDir } from '../util/makeDir'
import type { CaptureSetup, Mutable } from './options'
import { summarize, thresholdsFrom, WindowAccumulator } from './regimes'
import { repairSession, saveSession, zeroCounts } from './session'
import type { CaptureStats } from './stats'
import { CaptureWriter, partNumber } from './writer'

export type MutableGap = Mutable<CaptureGap>

const nsToMs = (ns: string): number => Number(BigInt(ns) / 1_000_000n)

export class SessionRecord {
  info!: Mutable<CaptureSessionInfo>
  readonly gaps: MutableGap[] = []
  /** Every segment's info, the resumed session's earlier ones first (indices stay stable). */
  readonly segments: Mutable<CaptureSegmentInfo>[] = []
  readonly windows: RegimeWindow[] = []
  readonly acc: WindowAccumulator
  openGap: MutableGap | null = null
  lastNs: bigint | null = null
  lastDepthU: number | null = null
  lastTradeId: number | null = null
  lastTickerU: number | null = null
  lastSaveMs = 0
  private writer!: CaptureWriter

  constructor(
    private readonly setup: CaptureSetup,
    private readonly stats: CaptureStats,
    onWindow: () => void
  ) {
    this.acc = new WindowAccumulator(setup.windowMs, (w) => {
      this.windows.push(w)
      onWindow()
    })
  }

  /** Creates or repairs the session; true when it resumes one (its first segment is a restart). */
  async open(onWriteError: (e: Error) => void): Promise<boolean> {
    const { opts, clock, id, dir, symbol, market } = this.setup
    const now = new Date(clock.ms()).toISOString()
    const run = { startedAt: now, endedAt: null, pid: process.pid, jobId: opts.jobId ?? null }
    let firstPart = 0
    const resumed = opts.resume !== undefined
    if (resumed) {
      const repaired = await repairSession(dir)
      const prev = repaired.info
      if (prev.symbol !== symbol || prev.market !== market) {
        throw new Error(`session ${id} records ${prev.market} ${prev.symbol}, not this capture`)
      }
      // The dead run ended with its last recorded line.
      const runs = prev.runs.map((r) =>
        r.endedAt === null && prev.endNs !== null
          ? { ...r, endedAt: new Date(nsToMs(prev.endNs)).toISOString() }
          : r
      )
      this.info = { ...prev, state: 'running', endedAt: null, runs: [...runs, run] }
      this.stats.counts = { ...prev.counts }
      this.gaps.push(...prev.gaps.map((g) => ({ ...g })))
      this.windows.push(...prev.windows)
      // Earlier segments are history: their infos keep the indices stable.
      this.segments.push(...prev.segments.map((s) => ({ ...s })))
      firstPart = prev.files.reduce((m, f) => Math.max(m, partNumber(f.name) + 1), 0)
      this.lastDepthU = repaired.lastDepthU
      this.lastTradeId = repaired.lastTradeId
      this.lastNs = prev.endNs === null ? null : BigInt(prev.endNs)
      // Still-open gaps of the dead run stay open: the restart gap continues them.
      this.openGap = null
      for (const g of this.gaps) if (g.endNs === null) g.detail += '; recorder stopped'
    } else {
      makeDir(dir)
      const { streams, endpoints } = this.setup
      this.info = {
        version: 1,
        id,
        symbol,
        market,
        streams: [streams.depth, streams.trade, streams.bookTicker],
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
        windowMs: this.setup.windowMs,
        windows: [],
        regimes: null,
        config: {
          wsBase: endpoints.wsBase,
          restBase: endpoints.restBase,
          snapshotLimit: this.setup.snapshotLimit
        }
      }
    }
    this.writer = new CaptureWriter({
      dir,
      prefix: symbol.toLowerCase(),
      firstPart,
      flushIntervalMs: this.setup.timing.flushIntervalMs,
      fsync: opts.fsync ?? true,
      nowMs: clock.ms,
      onError: onWriteError
    })
    this.save()
    return resumed
  }

  get writtenBytes(): number {
    return this.writer.writtenBytes
  }

  get currentFile(): string | null {
    return this.writer.currentFile
  }

  /** Appends one line (raw bytes as received) to the current part file. */
  write(raw: Buffer, ns: bigint): Where {
    const at = this.writer.append(ns, raw)
    this.lastNs = ns
    return { file: at.file, line: at.line, localUs: Number(ns / 1000n) }
  }

  /** A new segment: its own part file; an open gap is now bridged by it. */
  addSegment(info: Mutable<CaptureSegmentInfo>): void {
    if (this.openGap) this.openGap.segment = info.index
    this.segments.push(info)
    this.writer.startSegment(info.index)
  }

  /** Opens a gap (or extends the open one) from `startNs`, else from the last recorded line. */
  openBreak(kind: CaptureGapKind, detail: string, startNs: bigint | null): void {
    const start = startNs ?? this.lastNs
    if (this.openGap) {
      this.openGap.detail += `; then ${kind}: ${detail}`
      return
    }
    const g: MutableGap = {
      seq: this.gaps.length,
      kind,
      detail,
      startNs: start === null ? String(this.setup.clock.ns()) : String(start),
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
    this.acc.openGap(nsToMs(g.startNs))
    this.setup.log('warn', `gap (${kind}): ${detail}`)
    this.save()
  }

  /** The open gap ends: the book is exact again from diff `U`..`u` after snapshot `L`. */
  closeGap(endNs: string, L: number, U: number, u: number): void {
    const g = this.openGap
    if (!g) return
    g.endNs = endNs
    g.snapshotUpdateId = L
    if (g.nextU === null) g.nextU = U
    this.openGap = null
    this.acc.openGap(null)
    this.acc.uncovered(nsToMs(g.startNs), nsToMs(g.endNs))
    this.setup.log('info', `gap ${g.seq} closed: book exact again from u ${u}`)
  }

  /** A quarantined message that did not break the depth sequence: a closed gap of its own. */
  recordMalformedOnly(m: { ns: bigint; prevNs: bigint }, segment: number): void {
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
      segment
    })
    this.save()
  }

  snapshotInfo(state: CaptureState): CaptureSessionInfo {
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
      segments: this.segments.map((s) => ({ ...s })),
      gaps: this.gaps.map((g) => ({ ...g })),
      counts: { ...this.stats.counts, writtenBytes: allFiles.reduce((s, f) => s + f.bytes, 0) },
      windows: [...this.windows]
    }
  }

  save(state: CaptureState = 'running'): void {
    const info = this.snapshotInfo(state)
    this.info = { ...info }
    this.lastSaveMs = this.setup.clock.ms()
    try {
      saveSession(this.setup.dir, info)
      this.setup.opts.onSession?.(info, this.setup.dir)
    } catch (e) {
      this.setup.log('error', `cannot save the session: ${String(e)}`)
    }
  }

  /** Closes the part files (throws what the writer failed with). */
  closeFiles(): Promise<void> {
    return this.writer.close()
  }

  /** After the files are closed: the run's end, the regime summary, the final session.json. */
  finish(state: CaptureState): void {
    // The recording covered up to now (a quiet market is still a covered market).
    if (this.lastNs !== null) this.acc.finish(Number(this.setup.clock.ns() / 1_000_000n))
    const ended = new Date(this.setup.clock.ms()).toISOString()
    const runs = this.info.runs.map((r, i) =>
      i === this.info.runs.length - 1 ? { ...r, endedAt: ended } : r
    )
    this.info = { ...this.info, runs, endedAt: ended }
    const own = this.windows
    const t = thresholdsFrom([...(this.setup.opts.referenceWindows ?? []), ...own])
    this.info.regimes = summarize(own, t, this.setup.windowMs)
    this.save(state)
  }
}

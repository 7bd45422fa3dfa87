// Market regimes of a recording: every window (default 5 min of receive time, aligned to UTC) is
// measured — trade count, traded volume and notional, realized volatility of 1-s mid returns,
// largest 1-s move, time-weighted spread — and labelled against thresholds taken from a
// reference set of windows (quantiles, so they adapt to the instrument):
//   event        rv ≥ max(q95 rv, 1.5 × median rv) AND (largest 1-s move ≥ its q95 OR
//                spread ≥ its q95): a volatility outlier with a jump or a spread blow-out;
//   high-volume  notional ≥ q75;   low-volume  notional ≤ q25;   normal otherwise.
// Windows covering < 80% of their span (session edges, gaps) are `partial`: neither labelled nor
// used as reference. Receive time, not exchange time, because it is what a live capture has for
// every stream (spot bookTicker carries no event time); the 2024 recorders' ~1.3 s lag is small
// against a window. Results on the four real shared sets: docs/capture.md.
import type {
  CoverableRegime,
  LabelledWindow,
  RegimeLabel,
  RegimeSummary,
  RegimeThresholds,
  RegimeWindow
} from '../../src-shared/capture'
import { COVERABLE_REGIMES } from '../../src-shared/capture'
import { quantileSorted } from '../fidelity/stats/quantile'
import { IssueLog } from '../util/issueLog'
import { parseCaptureJson } from '../engine/source/captureMessages'
import { readCapturePart } from './partReader'

export const DEFAULT_WINDOW_MS = 5 * 60_000
/** A window counts as complete (classified, usable as reference) from this coverage on. */
export const MIN_COVERAGE = 0.8
/** Fewer complete reference windows than this: no thresholds, nothing labelled. */
export const MIN_REFERENCE_WINDOWS = 4

export const RULES = {
  lowNotionalQ: 0.25,
  highNotionalQ: 0.75,
  eventQ: 0.99,
  eventRvOverMedian: 1.5
} as const

interface Acc {
  startMs: number
  trades: number
  volume: number
  notional: number
  r2: number
  maxAbs: number
  spreadSum: number
  spreadMs: number
  firstMid: number
  lastMid: number
}

const emptyAcc = (startMs: number): Acc => ({
  startMs,
  trades: 0,
  volume: 0,
  notional: 0,
  r2: 0,
  maxAbs: 0,
  spreadSum: 0,
  spreadMs: 0,
  firstMid: NaN,
  lastMid: NaN
})

/**
 * Streams trades and quotes (in receive order) into window features. Windows close when time
 * passes their end — by a message or by advance() from a timer, so a quiet market still closes
 * (empty) windows.
 */
export class WindowAccumulator {
  private cur: Acc | null = null
  private firstMs = NaN
  private mid = NaN
  private spreadBps = NaN
  private spreadFromMs = NaN
  private sec = -1
  private sampleMid = NaN
  private readonly gaps: { from: number; to: number }[] = []
  private openGapFrom: number | null = null

  constructor(
    readonly windowMs: number,
    private readonly onWindow: (w: RegimeWindow) => void
  ) {}

  /** A stretch that was not recorded (or not in sync): it lowers its windows' coverage. */
  uncovered(fromMs: number, toMs: number): void {
    if (toMs > fromMs) this.gaps.push({ from: fromMs, to: toMs })
  }

  openGap(fromMs: number | null): void {
    this.openGapFrom = fromMs
  }

  trade(ms: number, price: number, qty: number): void {
    this.advance(ms)
    const c = this.cur
    if (!c || !Number.isFinite(price) || !Number.isFinite(qty)) return
    c.trades++
    c.volume += qty
    c.notional += price * qty
  }

  quote(ms: number, bid: number, ask: number): void {
    this.advance(ms)
    const c = this.cur
    if (!c || !(bid > 0) || !(ask > 0)) return
    const m = (bid + ask) / 2
    this.mid = m
    this.spreadBps = ((ask - bid) / m) * 1e4
    this.spreadFromMs = ms
    if (Number.isNaN(c.firstMid)) c.firstMid = m
    c.lastMid = m
  }

  /** Moves time forward: finishes the last second's mid sample and closes passed windows. */
  advance(ms: number): void {
    if (Number.isNaN(this.firstMs)) {
      this.firstMs = ms
      this.cur = emptyAcc(Math.floor(ms / this.windowMs) * this.windowMs)
      this.sec = Math.floor(ms / 1000)
    }
    const s = Math.floor(ms / 1000)
    if (s > this.sec) {
      this.sampleSecond()
      this.sec = s
    }
    let c = this.cur
    while (c && ms >= c.startMs + this.windowMs) {
      const end = c.startMs + this.windowMs
      this.carrySpread(c, end)
      this.emit(c, end)
      c = emptyAcc(end)
      // A window without quotes still has the mid and spread that prevailed.
      if (!Number.isNaN(this.mid)) {
        c.firstMid = this.mid
        c.lastMid = this.mid
      }
      this.cur = c
    }
    if (c) this.carrySpread(c, ms)
  }

  /** Closes the last window at the end of the recording. */
  finish(endMs: number): void {
    this.advance(endMs)
    this.sampleSecond()
    const c = this.cur
    if (c && endMs > c.startMs) {
      this.carrySpread(c, endMs)
      this.emit(c, endMs)
    }
    this.cur = null
  }

  private sampleSecond(): void {
    // The mid at the end of the second just passed, against the previous sample.
    const m = this.mid
    if (Number.isNaN(m)) return
    const c = this.cur
    if (c && !Number.isNaN(this.sampleMid) && m !== this.sampleMid) {
      const r = Math.log(m / this.sampleMid)
      c.r2 += r * r
      const abs = Math.abs(r) * 1e4
      if (abs > c.maxAbs) c.maxAbs = abs
    }
    this.sampleMid = m
  }

  private carrySpread(c: Acc, toMs: number): void {
    if (Number.isNaN(this.spreadBps) || Number.isNaN(this.spreadFromMs)) return
    const from = Math.max(this.spreadFromMs, c.startMs)
    if (toMs > from) {
      c.spreadSum += this.spreadBps * (toMs - from)
      c.spreadMs += toMs - from
    }
    this.spreadFromMs = Math.max(this.spreadFromMs, toMs)
  }

  private emit(c: Acc, endMs: number): void {
    const start = c.startMs
    const fullEnd = start + this.windowMs
    let covered = Math.min(endMs, fullEnd) - Math.max(start, this.firstMs)
    const gaps =
      this.openGapFrom === null ? this.gaps : [...this.gaps, { from: this.openGapFrom, to: endMs }]
    for (const g of gaps) {
      covered -= Math.max(0, Math.min(g.to, fullEnd, endMs) - Math.max(g.from, start))
    }
    this.onWindow({
      startMs: start,
      endMs: fullEnd,
      coverage: Math.max(0, Math.min(1, covered / this.windowMs)),
      trades: c.trades,
      volume: c.volume,
      notional: c.notional,
      rvBps: Math.sqrt(c.r2) * 1e4,
      maxAbsReturnBps: c.maxAbs,
      spreadBps: c.spreadMs > 0 ? c.spreadSum / c.spreadMs : NaN,
      returnBps: c.firstMid > 0 && c.lastMid > 0 ? Math.log(c.lastMid / c.firstMid) * 1e4 : 0
    })
  }
}

function sortedOf(values: number[]): Float64Array {
  return Float64Array.from(values.filter((v) => Number.isFinite(v))).sort()
}

export function isComplete(w: RegimeWindow): boolean {
  return w.coverage >= MIN_COVERAGE
}

/** Thresholds from reference windows (complete ones only); null when there are too few. */
export function thresholdsFrom(
  reference: readonly RegimeWindow[],
  minWindows = MIN_REFERENCE_WINDOWS
): RegimeThresholds | null {
  const ref = reference.filter(isComplete)
  if (ref.length < minWindows) return null
  const notional = sortedOf(ref.map((w) => w.notional))
  const rv = sortedOf(ref.map((w) => w.rvBps))
  const jump = sortedOf(ref.map((w) => w.maxAbsReturnBps))
  const spread = sortedOf(ref.map((w) => w.spreadBps))
  if (notional.length === 0 || rv.length === 0) return null
  const q = (a: Float64Array, p: number): number =>
    a.length === 0 ? Infinity : quantileSorted(a, p)
  const medianRv = q(rv, 0.5)
  return {
    referenceWindows: ref.length,
    lowNotional: q(notional, RULES.lowNotionalQ),
    highNotional: q(notional, RULES.highNotionalQ),
    eventRvBps: Math.max(q(rv, RULES.eventQ), RULES.eventRvOverMedian * medianRv),
    eventMaxAbsReturnBps: q(jump, RULES.eventQ),
    eventSpreadBps: q(spread, RULES.eventQ),
    medianRvBps: medianRv
  }
}

export function classify(w: RegimeWindow, t: RegimeThresholds | null): RegimeLabel {
  if (!isComplete(w)) return 'partial'
  if (!t) return 'normal'
  const volatile = w.rvBps > 0 && w.rvBps >= t.eventRvBps
  const shock =
    (w.maxAbsReturnBps > 0 && w.maxAbsReturnBps >= t.eventMaxAbsReturnBps) ||
    (Number.isFinite(w.spreadBps) && w.spreadBps >= t.eventSpreadBps)
  if (volatile && shock) return 'event'
  if (w.notional >= t.highNotional) return 'high-volume'
  if (w.notional <= t.lowNotional) return 'low-volume'
  return 'normal'
}

export function summarize(
  windows: readonly RegimeWindow[],
  thresholds: RegimeThresholds | null,
  windowMs: number
): RegimeSummary {
  const labelled: LabelledWindow[] = windows.map((w) => ({ ...w, label: classify(w, thresholds) }))
  const counts: Record<RegimeLabel, number> = {
    'high-volume': 0,
    'low-volume': 0,
    event: 0,
    normal: 0,
    partial: 0
  }
  for (const w of labelled) counts[w.label]++
  const covered: CoverableRegime[] = COVERABLE_REGIMES.filter((r) => counts[r] > 0)
  return { windowMs, thresholds, windows: labelled, counts, covered }
}

export interface FilesWindowsResult {
  readonly windows: RegimeWindow[]
  readonly lines: number
  readonly issues: IssueLog
}

/** Window features of capture files (one recording, any order: they are read by first time). */
export async function windowsFromFiles(
  files: readonly string[],
  windowMs = DEFAULT_WINDOW_MS,
  gaps: readonly { fromMs: number; toMs: number }[] = [],
  signal?: AbortSignal
): Promise<FilesWindowsResult> {
  const issues = new IssueLog()
  const firsts: { file: string; first: number }[] = []
  for (const f of files) {
    let first = Infinity
    for await (const l of readCapturePart(f, new IssueLog())) {
      first = l.localUs
      break
    }
    firsts.push({ file: f, first })
  }
  firsts.sort((a, b) => a.first - b.first)
  const windows: RegimeWindow[] = []
  const acc = new WindowAccumulator(windowMs, (w) => windows.push(w))
  for (const g of gaps) acc.uncovered(g.fromMs, g.toMs)
  let lines = 0
  let lastMs = NaN
  for (const { file } of firsts) {
    for await (const l of readCapturePart(file, issues)) {
      if (signal?.aborted) break
      lines++
      const ms = l.localUs / 1000
      lastMs = ms
      let m
      try {
        m = parseCaptureJson(l.json)
      } catch {
        continue
      }
      if (m.kind === 'trade') acc.trade(ms, Number(m.price), Number(m.qty))
      else if (m.kind === 'bookTicker') acc.quote(ms, Number(m.bid), Number(m.ask))
      else acc.advance(ms)
    }
  }
  if (!Number.isNaN(lastMs)) acc.finish(lastMs)
  return { windows, lines, issues }
}

// Capture lines → the messages a replay may use, with every line it may not counted by name:
// receive time going back, lines that are not JSON, unknown or malformed messages, streams of
// another symbol, and exchange times nobody could have sent (ClockCheck). Reads the files in the
// order given, awaiting `drain` every 1,024 lines so a consumer can flush with backpressure.
// LineChecks holds the per-line checks, shared with the scanner's fallback.
import type { Where } from './captureMessages'
import type { IssueLog } from '../../util/issueLog'
import { ClockCheck } from './clockCheck'
import { readCaptureLines, type ReadProgress } from './captureReader'
import {
  parseCaptureJson,
  type BookTickerMsg,
  type DepthMsg,
  type SnapshotMsg,
  type TradeMsg
} from './captureMessages'

export interface CaptureCounts {
  /** Lines that parsed as JSON. */
  messages: number
  /** Depth diffs and trades of the replayed symbol (before the clock check). */
  depthUpdates: number
  trades: number
  bookTickers: number
  snapshots: number
}

/** The current message and its line; one object, overwritten by the next message. */
export interface CaptureEvent {
  msg: DepthMsg | TradeMsg | BookTickerMsg | SnapshotMsg
  at: Where
}

export interface CaptureEventOptions {
  readonly signal?: AbortSignal | undefined
  /** Stop after this many lines (all files together). */
  readonly maxLines?: number | undefined
  readonly drain?: (() => Promise<void>) | undefined
  readonly onProgress?: ((doneBytes: number) => void) | undefined
  /** The scanner path only: where gzip is inflated (captureByteReader.ts); default a worker. */
  readonly inflate?: 'worker' | 'thread' | undefined
}

/**
 * The per-line checks both capture paths share (the JSON reference path below and the scanner's
 * fallback in captureScanLoop.ts): receive order, then a line's JSON → a message or a counted issue.
 */
export class LineChecks {
  readonly clock: ClockCheck
  private lastLocal = -Infinity

  constructor(
    private readonly symbol: string,
    private readonly issues: IssueLog,
    readonly counts: CaptureCounts
  ) {
    this.clock = new ClockCheck(issues)
  }

  /** Counts a receive time that goes back; every line with a timestamp passes here first. */
  order(file: string, line: number, localUs: number): void {
    if (localUs < this.lastLocal) {
      this.issues.add(
        'time-backwards',
        file,
        line,
        `receive time goes back by ${this.lastLocal - localUs} µs`
      )
    }
    this.lastLocal = localUs
  }

  /** The message a replay may use, or null when the line was counted as an issue instead. */
  classify(json: string, file: string, line: number, localUs: number): CaptureEvent['msg'] | null {
    const { issues, counts, symbol } = this
    let m
    try {
      m = parseCaptureJson(json)
    } catch (e) {
      issues.add(
        'malformed-line',
        file,
        line,
        `not JSON: ${e instanceof Error ? e.message : String(e)}`
      )
      return null
    }
    counts.messages++
    if (m.kind === 'unknown') {
      issues.add(m.malformed ? 'malformed-line' : 'unknown-stream', file, line, m.reason)
      return null
    }
    if ((m.kind === 'depth' || m.kind === 'trade') && m.symbol !== symbol) {
      issues.add(
        'unknown-stream',
        file,
        line,
        `${m.kind} for ${m.symbol}, replaying ${symbol}; skipped`
      )
      return null
    }
    if (m.kind === 'depth') {
      counts.depthUpdates++
      if (!this.clock.ok(m.E, localUs, file, line)) return null
    } else if (m.kind === 'trade') {
      counts.trades++
      if (!this.clock.ok(m.T, localUs, file, line)) return null
    } else if (m.kind === 'snapshot') counts.snapshots++
    else counts.bookTickers++
    return m
  }
}

export async function* captureEvents(
  files: readonly string[],
  symbol: string,
  issues: IssueLog,
  counts: CaptureCounts,
  opts: CaptureEventOptions = {}
): AsyncGenerator<CaptureEvent> {
  const { signal } = opts
  const checks = new LineChecks(symbol, issues, counts)
  const maxLines = opts.maxLines ?? Infinity
  const ev = { at: { file: '', line: 0, localUs: 0 } } as CaptureEvent
  let doneBytes = 0
  let linesRead = 0
  for (const file of files) {
    if (linesRead >= maxLines) break
    const progress: ReadProgress = { bytes: 0 }
    let n = 0
    for await (const l of readCaptureLines(file, issues, progress, signal)) {
      if (++linesRead > maxLines) break
      if ((++n & 1023) === 0) {
        if (signal?.aborted) break
        opts.onProgress?.(doneBytes + progress.bytes)
        if (opts.drain) await opts.drain()
      }
      const at: Where = { file: l.file, line: l.line, localUs: l.localUs }
      checks.order(l.file, l.line, l.localUs)
      const m = checks.classify(l.json, l.file, l.line, l.localUs)
      if (m === null) continue
      ev.msg = m
      ev.at = at
      yield ev
    }
    doneBytes += progress.bytes
    opts.onProgress?.(doneBytes)
    if (signal?.aborted) break
  }
}

// Capture lines → the messages a replay may use, with every line it may not counted by name:
// receive time going back, lines that are not JSON, unknown or malformed messages, streams of
// another symbol, and exchange times nobody could have sent (ClockCheck). Reads the files in the
// order given, awaiting `drain` every 1,024 lines so a consumer can flush with backpressure.
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
}

export async function* captureEvents(
  files: readonly string[],
  symbol: string,
  issues: IssueLog,
  counts: CaptureCounts,
  opts: CaptureEventOptions = {}
): AsyncGenerator<CaptureEvent> {
  const { signal } = opts
  const clock = new ClockCheck(issues)
  const maxLines = opts.maxLines ?? Infinity
  const ev = { at: { file: '', line: 0, localUs: 0 } } as CaptureEvent
  let doneBytes = 0
  let lastLocal = -Infinity
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
      if (l.localUs < lastLocal) {
        issues.add(
          'time-backwards',
          l.file,
          l.line,
          `receive time goes back by ${lastLocal - l.localUs} µs`
        )
      }
      lastLocal = l.localUs
      let m
      try {
        m = parseCaptureJson(l.json)
      } catch (e) {
        issues.add(
          'malformed-line',
          l.file,
          l.line,
          `not JSON: ${e instanceof Error ? e.message : String(e)}`
        )
        continue
      }
      counts.messages++
      if (m.kind === 'unknown') {
        issues.add(m.malformed ? 'malformed-line' : 'unknown-stream', l.file, l.line, m.reason)
        continue
      }
      if ((m.kind === 'depth' || m.kind === 'trade') && m.symbol !== symbol) {
        issues.add(
          'unknown-stream',
          l.file,
          l.line,
          `${m.kind} for ${m.symbol}, replaying ${symbol}; skipped`
        )
        continue
      }
      if (m.kind === 'depth') {
        counts.depthUpdates++
        if (!clock.ok(m.E, l.localUs, l.file, l.line)) continue
      } else if (m.kind === 'trade') {
        counts.trades++
        if (!clock.ok(m.T, l.localUs, l.file, l.line)) continue
      } else if (m.kind === 'snapshot') counts.snapshots++
      else counts.bookTickers++
      ev.msg = m
      ev.at = at
      yield ev
    }
    doneBytes += progress.bytes
    opts.onProgress?.(doneBytes)
    if (signal?.aborted) break
  }
}

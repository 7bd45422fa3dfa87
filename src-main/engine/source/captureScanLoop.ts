// The capture replay's scanner path: the same lines, checks and counts as captureEvents (the
// JSON.parse reference path), but a chunk of lines at a time with no promise, object or string
// per line. A line the scanner recognises goes to the numeric handlers; any other line takes
// LineChecks.classify (JSON.parse), exactly as on the reference path, and reaches `msg`.
import type { PriceGrid } from '../../../src-shared/units'
import type { IssueLog } from '../../util/issueLog'
import type { Where } from './captureMessages'
import { splitLine, type ReadProgress } from './captureReader'
import { readCaptureByteBatches } from './captureByteReader'
import {
  LineChecks,
  type CaptureCounts,
  type CaptureEvent,
  type CaptureEventOptions
} from './captureEvents'
import { CaptureScanner, SCAN_DEPTH, SCAN_NONE, SCAN_TRADE } from './captureScanner'

/** The current line; one object, overwritten by the next line (copy it to keep it). */
export interface ScanWhere {
  file: string
  line: number
  localUs: number
}

export interface ScanHandlers {
  /** A recognised depth diff / trade / bookTicker of the replayed symbol, counted and clock-checked. */
  depth(sc: CaptureScanner, at: ScanWhere): void
  trade(sc: CaptureScanner, at: ScanWhere): void
  bookTicker(sc: CaptureScanner, at: ScanWhere): void
  /** Any other message, from JSON.parse (`at` is its own object). */
  msg(m: CaptureEvent['msg'], at: Where): void
  /**
   * After each chunk of lines: their bytes are reused from the next chunk on, so anything that
   * kept a reference to the scanner's text must copy what it still needs.
   */
  chunkEnd(): void
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER

export async function scanCaptureFiles(
  files: readonly string[],
  symbol: string,
  grid: PriceGrid,
  issues: IssueLog,
  counts: CaptureCounts,
  h: ScanHandlers,
  opts: CaptureEventOptions = {}
): Promise<void> {
  const { signal } = opts
  const checks = new LineChecks(symbol, issues, counts)
  const clock = checks.clock
  const sc = new CaptureScanner(symbol, grid)
  const maxLines = opts.maxLines ?? Infinity
  const at: ScanWhere = { file: '', line: 0, localUs: 0 }
  let doneBytes = 0
  let linesRead = 0
  for (const file of files) {
    if (linesRead >= maxLines) break
    const progress: ReadProgress = { bytes: 0 }
    let n = 0
    at.file = file
    read: for await (const b of readCaptureByteBatches(
      file,
      issues,
      progress,
      signal,
      undefined,
      undefined,
      opts.inflate
    )) {
      for (let k = 0; k < b.count; k++) {
        const bytes = b.bytes[k] ?? null
        const start = b.start[k] ?? 0
        const end = b.end[k] ?? 0
        const line = b.firstLine + k
        // The receive time: 19 (ns, first 16 digits kept), 16 (µs) or 13 (ms) digits then a
        // space, as parseLocalTs reads it; any other line goes through splitLine itself.
        let i = start
        let localUs = NaN
        if (bytes) {
          let v = 0
          let c = bytes[i] ?? 0
          // The first 16 digits make the value, later ones are only counted: two loops, so no
          // digit pays a test of its position.
          const keep = start + 16
          while (c >= 48 && c <= 57 && i < keep) {
            v = v * 10 + (c - 48)
            c = bytes[++i] ?? 0
          }
          while (c >= 48 && c <= 57) c = bytes[++i] ?? 0
          const digits = i - start
          if (c === 32 && v <= MAX_SAFE) {
            if (digits === 19 || digits === 16) localUs = v
            else if (digits === 13) localUs = v * 1000
          }
        }
        let slowJson: string | null = null
        if (Number.isNaN(localUs)) {
          const body = bytes
            ? bytes.toString('latin1', start, end)
            : (b.text[k] ?? '').slice(start, end)
          const l = splitLine(file, line, body, issues)
          if (!l) continue
          localUs = l.localUs
          slowJson = l.json
        }
        if (++linesRead > maxLines) break read
        if ((++n & 1023) === 0) {
          if (signal?.aborted) break read
          opts.onProgress?.(doneBytes + progress.bytes)
          if (opts.drain) await opts.drain()
        }
        at.line = line
        at.localUs = localUs
        checks.order(file, line, localUs)
        const kind = bytes && slowJson === null ? sc.scan(bytes, i + 1, end) : SCAN_NONE
        if (kind === SCAN_NONE) {
          // ASCII bytes: latin1 is their UTF-8 text.
          const json = slowJson ?? (bytes ? bytes.toString('latin1', i + 1, end) : '')
          const m = checks.classify(json, file, line, localUs)
          if (m !== null) h.msg(m, { file, line, localUs })
          continue
        }
        counts.messages++
        if (kind === SCAN_DEPTH) {
          counts.depthUpdates++
          if (clock.ok(sc.E, localUs, file, line)) h.depth(sc, at)
        } else if (kind === SCAN_TRADE) {
          counts.trades++
          if (clock.ok(sc.T, localUs, file, line)) h.trade(sc, at)
        } else {
          counts.bookTickers++
          h.bookTicker(sc, at)
        }
      }
      h.chunkEnd()
    }
    doneBytes += progress.bytes
    opts.onProgress?.(doneBytes)
    if (signal?.aborted) break
  }
}

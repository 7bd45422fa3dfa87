// Append-safe capture storage: lines `<receive ns> <raw message bytes>\n` (the shared captures'
// format, so readCaptureLines and replayCapture read it), gzip, one file per segment and UTC day.
//
// Guarantees (docs/capture.md, tested in test/engine/capture/storage.test.ts):
// - Never overwrites: every file is created with O_EXCL under a fresh part number; a restart, a
//   new segment or the UTC-midnight roll opens a new file; nothing is ever truncated or rewritten.
// - A crash loses at most the last flush interval (≤ 1 s): pending lines become one complete gzip
//   member (gzipMember.ts) at least every `flushIntervalMs` and are appended with one write()
//   right there, synchronously — at live rates a second of BTCUSDT compresses in about a
//   millisecond, and an asynchronous pipeline would let a busy event loop (a backlog of messages)
//   hold written-looking data in memory for seconds. With `fsync` every member is also
//   fdatasync'ed (in the background: it matters for power loss, not for a process crash).
// - A member cut by a crash is the file's tail; readCaptureLines counts it as `truncated-file`
//   after yielding every complete line, the tolerant partReader also continues past damage.
// - The raw bytes are written as received: never decoded and re-encoded.
import { closeSync, fdatasync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { CaptureFileInfo } from '../../src-shared/capture'
import { dayOfNs, wallMs } from './clock'
import { gzipMemberSync } from './gzipMember'
const NL = Buffer.from('\n')
const SP = Buffer.from(' ')

export interface WriterOptions {
  readonly dir: string
  /** File name prefix, the lower-case symbol: `btcusdt_20240808.0003.gz`. */
  readonly prefix: string
  /** First part number (a resumed session continues after its highest). */
  readonly firstPart: number
  /** At most this long between a line's arrival and its member reaching the file (≤ 1000). */
  readonly flushIntervalMs?: number
  /** fdatasync after every member (default true): survives power loss, not only a crash. */
  readonly fsync?: boolean
  /** Flush early when this many raw bytes are pending (default 8 MiB). */
  readonly maxPendingBytes?: number
  readonly onError?: (e: Error) => void
  /** Timer time, ms (the capture's clock; default the wall clock). */
  readonly nowMs?: () => number
}

interface OpenFile {
  info: {
    name: string
    segment: number
    day: string
    firstNs: bigint | null
    lastNs: bigint | null
    lines: number
    members: number
    bytes: number
    rawBytes: number
  }
  fd: number
  /** fdatasync calls still running (the fd closes after them). */
  syncing: Promise<void>[]
  pending: Buffer[]
  pendingBytes: number
  pendingLines: number
  closed: boolean
}

export interface AppendResult {
  readonly file: string
  /** 1-based line number in the decompressed file (what readers report). */
  readonly line: number
}

export function partName(prefix: string, day: string, part: number): string {
  return `${prefix}_${day.replaceAll('-', '')}.${String(part).padStart(4, '0')}.gz`
}

/** The part number of a file name written by partName, or -1. */
export function partNumber(name: string): number {
  const m = /\.(\d{4,})\.gz$/.exec(name)
  return m ? Number(m[1]) : -1
}

export class CaptureWriter {
  private readonly all: OpenFile[] = []
  private current: OpenFile | null = null
  private segment = 0
  private nextPart: number
  private closing: Promise<void>[] = []
  private readonly timer: NodeJS.Timeout
  private failed: Error | null = null
  private lastNs = 0n
  private dayStartNs = 0n
  private dayEndNs = -1n
  private readonly nowMs: () => number
  private lastFlushMs: number
  readonly flushIntervalMs: number

  constructor(private readonly opts: WriterOptions) {
    this.nowMs = opts.nowMs ?? wallMs
    this.lastFlushMs = this.nowMs()
    this.nextPart = opts.firstPart
    this.flushIntervalMs = Math.min(opts.flushIntervalMs ?? 1000, 1000)
    this.timer = setInterval(() => {
      this.flushAll()
    }, this.flushIntervalMs)
  }

  get error(): Error | null {
    return this.failed
  }

  get currentFile(): string | null {
    return this.current?.info.name ?? null
  }

  /** Every file written so far with its counts (lines and bytes include pending ones). */
  files(): CaptureFileInfo[] {
    return this.all.map((f) => ({
      name: f.info.name,
      segment: f.info.segment,
      day: f.info.day,
      firstNs: f.info.firstNs === null ? null : String(f.info.firstNs),
      lastNs: f.info.lastNs === null ? null : String(f.info.lastNs),
      lines: f.info.lines,
      members: f.info.members,
      bytes: f.info.bytes,
      rawBytes: f.info.rawBytes
    }))
  }

  get writtenBytes(): number {
    let b = 0
    for (const f of this.all) b += f.info.bytes
    return b
  }

  /** Lines appended from now on go to a new file of this segment. */
  startSegment(index: number): void {
    this.segment = index
    if (this.current) this.retire(this.current)
    this.current = null
  }

  /** Queues one line; it reaches the file within the flush interval. */
  append(ns: bigint, raw: Buffer): AppendResult {
    if (this.failed) throw this.failed
    // Receive order is file order; a clock step backwards must not reorder lines.
    if (ns < this.lastNs) ns = this.lastNs
    this.lastNs = ns
    let f = this.current
    if (!f || ns >= this.dayEndNs || ns < this.dayStartNs) {
      // UTC midnight passed (or a new segment): the next lines go to a new file.
      const day = dayOfNs(ns)
      this.dayStartNs = BigInt(Date.parse(`${day}T00:00:00Z`)) * 1_000_000n
      this.dayEndNs = this.dayStartNs + 86_400_000_000_000n
      if (f?.info.day !== day) {
        if (f) this.retire(f)
        f = this.openFile(day)
        this.current = f
      }
    }
    const ts = Buffer.from(String(ns))
    f.pending.push(ts, SP, raw, NL)
    const n = ts.length + raw.length + 2
    f.pendingBytes += n
    f.pendingLines++
    f.info.lines++
    f.info.rawBytes += n
    f.info.firstNs ??= ns
    f.info.lastNs = ns
    if (f.pendingBytes >= (this.opts.maxPendingBytes ?? 8 << 20)) this.flushFile(f)
    // Also checked here, not only by the timer: a process busy draining a backlog of messages
    // may run its timers late, and the flush interval is a durability promise.
    else if (this.nowMs() - this.lastFlushMs >= this.flushIntervalMs) this.flushAll()
    return { file: f.info.name, line: f.info.lines }
  }

  /** Writes everything pending as members and waits until it is on disk. */
  async flush(): Promise<void> {
    this.flushAll()
    await Promise.all(this.all.flatMap((f) => f.syncing))
    if (this.failed) throw this.failed
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    if (this.current) this.retire(this.current)
    this.current = null
    this.flushAll()
    await Promise.all(this.closing)
    if (this.failed) throw this.failed
  }

  private openFile(day: string): OpenFile {
    const name = partName(this.opts.prefix, day, this.nextPart++)
    // 'wx' = O_CREAT|O_EXCL: an existing file is never opened for writing, let alone truncated.
    const fd = openSync(join(this.opts.dir, name), 'wx')
    const f: OpenFile = {
      info: {
        name,
        segment: this.segment,
        day,
        firstNs: null,
        lastNs: null,
        lines: 0,
        members: 0,
        bytes: 0,
        rawBytes: 0
      },
      fd,
      syncing: [],
      pending: [],
      pendingBytes: 0,
      pendingLines: 0,
      closed: false
    }
    this.all.push(f)
    return f
  }

  /** Flushes a file for the last time and closes it once its writes are done. */
  private retire(f: OpenFile): void {
    this.flushFile(f)
    if (f.closed) return
    f.closed = true
    this.closing.push(
      Promise.all(f.syncing).then(() => {
        closeSync(f.fd)
      })
    )
  }

  private flushAll(): void {
    this.lastFlushMs = this.nowMs()
    for (const f of this.all) if (!f.closed && f.pendingLines > 0) this.flushFile(f)
  }

  private flushFile(f: OpenFile): void {
    if (f.pendingLines === 0 || this.failed) return
    const raw = Buffer.concat(f.pending, f.pendingBytes)
    f.pending = []
    f.pendingBytes = 0
    f.pendingLines = 0
    try {
      const bytes = gzipMemberSync(raw)
      let off = 0
      while (off < bytes.length) off += writeSync(f.fd, bytes, off, bytes.length - off)
      f.info.members++
      f.info.bytes += bytes.length
      if (this.opts.fsync ?? true) {
        const done = new Promise<void>((resolve) => {
          fdatasync(f.fd, (e) => {
            if (e) this.fail(e)
            resolve()
          })
        })
        f.syncing.push(done)
        void done.then(() => {
          void f.syncing.splice(f.syncing.indexOf(done), 1)
        })
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)))
    }
  }

  private fail(e: Error): void {
    if (this.failed) return
    this.failed = e
    this.opts.onError?.(e)
  }
}

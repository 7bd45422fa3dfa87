// A capture file gunzipped in a worker thread, for the capture scanner (captureByteReader.ts).
//
// Why: gunzip on the replay's thread was ~25% of a scanned BTCUSDT replay (zlib's stream did not
// overlap with the scanner: measured wall = scan + inflate), and a 2-core machine had its second
// core idle. The worker reads and inflates the file with the same stream settings as
// openCaptureStream, so the chunks, their bytes and their order are the same, and posts each
// chunk as a transferred ArrayBuffer, at most CREDIT chunks ahead of the replay (bounded memory).
//
// The replay's results cannot depend on the worker: a read or inflate error reaches the reader as
// an error with the same code and text as zlib's own (so it is counted as the same truncated- or
// corrupt-file issue after the same lines), and if the worker itself fails (crashes, is killed,
// cannot start) the rest of the file is inflated on the replay's thread, skipping the bytes the
// worker had already delivered, so the lines are the same.
//
// The worker is plain JavaScript evaluated from a string (Node builtins only): it then needs no
// worker file of its own in the app's build, in the CLI or under tsx/vitest. One idle worker is
// kept for the process (unref'd, so it never holds the process open) and reused by the next
// file: starting one costs ~25 ms on this machine, a sixth of a replay of a 28 MB capture.
import { Worker } from 'node:worker_threads'
import type { Gunzip } from 'node:zlib'
import { GUNZIP_CHUNK, READ_BYTES, openCaptureStream } from './captureReader'

/**
 * Buffers of GUNZIP_CHUNK bytes per file (openCaptureStream's settings, so the chunks are the
 * same either way): the worker copies each chunk into a free one and posts it; the reader gives
 * them back once read, RETURN_BATCH at a time. So at most CREDIT chunks (8 MiB)
 * are ahead of the reader, the replay's thread allocates no chunk memory (zlib's fresh chunks
 * were part of its GC), and it posts one message per RETURN_BATCH chunks (each post wakes the
 * worker: per chunk, that was ~7% of the replay's thread in a profile on this 2-core machine).
 */
const CREDIT = 32
const RETURN_BATCH = 8

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createReadStream } = require('node:fs')
const { createGunzip } = require('node:zlib')
const streams = new Map()
function wake(s) { const w = s.wake; s.wake = null; if (w) w() }
parentPort.on('message', (m) => {
  if (m.type === 'open') { void run(m); return }
  const s = streams.get(m.id)
  if (!s) return
  if (m.type === 'free') for (const b of m.bufs) s.free.push(b)
  else if (m.type === 'close') { s.closed = true; s.gz.destroy(); s.raw.destroy() }
  wake(s)
})
async function run(m) {
  const raw = createReadStream(m.file, { highWaterMark: m.readBytes })
  const gz = raw.pipe(createGunzip({ chunkSize: m.chunk }))
  raw.on('error', (e) => gz.destroy(e))
  const s = { free: [], made: 0, wake: null, raw, gz, closed: false }
  streams.set(m.id, s)
  try {
    for await (const c of gz) {
      while (s.free.length === 0 && s.made >= m.credit && !s.closed) {
        await new Promise((r) => { s.wake = r })
      }
      if (s.closed) break
      let buf = s.free.pop()
      if (buf === undefined) { buf = new ArrayBuffer(m.chunk); s.made++ }
      // A copy: zlib's output chunks can share one buffer, which a transfer would detach.
      new Uint8Array(buf).set(c)
      parentPort.postMessage(
        { type: 'chunk', id: m.id, buf, len: c.length, read: raw.bytesRead, written: gz.bytesWritten },
        [buf]
      )
    }
    if (!s.closed) parentPort.postMessage({ type: 'end', id: m.id, read: raw.bytesRead })
  } catch (e) {
    if (!s.closed) {
      const err = e instanceof Error ? e : null
      parentPort.postMessage({ type: 'error', id: m.id, read: raw.bytesRead, text: String(e),
        message: err ? err.message : String(e), code: err ? err.code : undefined })
    }
  } finally {
    streams.delete(m.id)
    raw.destroy()
  }
}
`

type FromWorker =
  | { type: 'chunk'; id: number; buf: ArrayBuffer; len: number; read: number; written: number }
  | { type: 'end'; id: number; read: number }
  | { type: 'error'; id: number; read: number; text: string; message: string; code?: string }

/** A read or inflate error from the worker: the code and String() of zlib's or fs's own error. */
export class InflateError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    private readonly text: string
  ) {
    super(message)
  }

  override toString(): string {
    return this.text
  }
}

let idle: Worker | null = null
let nextId = 1

function acquire(): Worker {
  let w = idle
  idle = null
  if (w === null) {
    const fresh = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] })
    // An idle worker that ends (killed, crashed) is not handed out again.
    fresh.on('exit', () => {
      if (idle === fresh) idle = null
    })
    w = fresh
  }
  w.ref()
  return w
}

function release(w: Worker, healthy: boolean): void {
  if (healthy && idle === null) {
    w.unref()
    idle = w
  } else void w.terminate()
}

/**
 * A gzip file's decompressed bytes as openCaptureStream's gunzip gives them, inflated in a worker.
 * bytesRead / bytesWritten are those of the worker's file stream and gunzip when it posted the
 * chunk last yielded (the reader's progress and expansion checks read them).
 */
export class WorkerInflate implements AsyncIterable<Buffer> {
  bytesRead = 0
  bytesWritten = 0
  private readonly id = nextId++
  private worker: Worker | null
  private readonly queue: FromWorker[] = []
  private failure: Error | null = null
  private wake: (() => void) | null = null
  private delivered = 0
  /** Buffers read, to give back; the last one yielded is still the reader's. */
  private readonly used: ArrayBuffer[] = []
  private lent: ArrayBuffer | null = null
  private done = false
  private readonly onMessage = (m: FromWorker): void => {
    if (m.id !== this.id) return
    this.queue.push(m)
    this.notify()
  }
  private readonly onFailure = (e: unknown): void => {
    this.failure =
      e instanceof Error ? e : new Error(`the inflate worker exited with code ${String(e)}`)
    this.detach(false)
    this.notify()
  }

  constructor(readonly file: string) {
    this.worker = acquire()
    this.worker.on('message', this.onMessage)
    this.worker.on('error', this.onFailure)
    this.worker.on('exit', this.onFailure)
    this.worker.postMessage({
      type: 'open',
      id: this.id,
      file,
      credit: CREDIT,
      readBytes: READ_BYTES,
      chunk: GUNZIP_CHUNK
    })
  }

  /** The worker serving this file (null once it is done or failed); tests kill it through this. */
  get thread(): Worker | null {
    return this.worker
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        // The reader asks for the next chunk: it is done with the last one (ByteBatch contract).
        if (this.lent !== null) {
          this.used.push(this.lent)
          this.lent = null
          if (this.used.length >= RETURN_BATCH) {
            this.worker?.postMessage({ type: 'free', id: this.id, bufs: this.used }, this.used)
            this.used.length = 0
          }
        }
        const m = this.queue.shift()
        if (m === undefined) {
          if (this.failure !== null) {
            yield* this.onThisThread()
            return
          }
          await new Promise<void>((r) => (this.wake = r))
          continue
        }
        this.bytesRead = m.read
        if (m.type === 'end') return
        if (m.type === 'error') throw new InflateError(m.message, m.code, m.text)
        this.bytesWritten = m.written
        this.delivered += m.len
        this.lent = m.buf
        yield Buffer.from(m.buf, 0, m.len)
      }
    } finally {
      this.destroy()
    }
  }

  /** Stops the worker's stream (an early end, an error) and frees the worker. */
  destroy(): void {
    if (this.done) return
    this.done = true
    this.worker?.postMessage({ type: 'close', id: this.id })
    this.detach(true)
  }

  private detach(healthy: boolean): void {
    const w = this.worker
    if (w === null) return
    this.worker = null
    w.off('message', this.onMessage)
    w.off('error', this.onFailure)
    w.off('exit', this.onFailure)
    release(w, healthy)
  }

  private notify(): void {
    const w = this.wake
    this.wake = null
    w?.()
  }

  /**
   * After a worker failure: the file inflated here, as openCaptureStream does, from its start,
   * without the bytes the worker had already delivered.
   */
  private async *onThisThread(): AsyncGenerator<Buffer> {
    const { raw, source } = openCaptureStream(this.file)
    const gz = source as Gunzip
    let skip = this.delivered
    try {
      for await (const c of gz as AsyncIterable<Buffer>) {
        this.bytesRead = raw.bytesRead
        this.bytesWritten = gz.bytesWritten
        if (skip >= c.length) {
          skip -= c.length
          continue
        }
        const out = skip > 0 ? c.subarray(skip) : c
        skip = 0
        yield out
      }
      this.bytesRead = raw.bytesRead
    } finally {
      raw.destroy()
    }
  }
}

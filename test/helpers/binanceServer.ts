// A local Binance-like market-data server for the capture tests (127.0.0.1 only): a combined-stream
// WebSocket endpoint (/stream?streams=a/b/c) and the REST depth endpoint (/api/v3/depth spot,
// /fapi/v1/depth USD-M). It replays a REAL shared capture with its original timing, accelerated:
// line i is sent at start + (ts_i − ts_0) / speed, the same bytes the capture holds. The REST
// endpoint returns the capture's own snapshot line at its moment (a request that comes earlier
// waits for it); later requests get a snapshot built from the capture's book as replayed so far
// (its snapshot plus every diff since, cut at `limit` levels). One timeline for all connections,
// as on the exchange: a client that is not connected misses what is sent meanwhile.
//
// Faults (at a source time): drop N depth diffs (sequence gap), drop every connection, stall the
// current connections (nothing more is sent, pings still answered), freeze them (no pongs
// either), send the next depth diff truncated (malformed), delay the next snapshot response,
// mute one stream for a while (its lines are not sent; counted per stream in `muted`).
// Everything sent is logged per connection, so a test can compare a recording byte for byte.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { scaledClock, type NsClock } from '../../src-main/capture/clock'
import { IssueLog } from '../../src-main/util/issueLog'
import { readCaptureLines } from '../../src-main/engine/source/captureReader'

export type LineKind = 'depth' | 'trade' | 'bookTicker' | 'snapshot' | 'other'

export interface SourceLine {
  readonly index: number
  /** Receive time in the source capture, µs. */
  readonly us: number
  readonly json: string
  readonly kind: LineKind
  readonly stream: string
  readonly U: number
  readonly u: number
  readonly pu: number | null
  readonly E: number
  readonly T: number
}

export async function loadCapture(files: readonly string[]): Promise<SourceLine[]> {
  const out: SourceLine[] = []
  const issues = new IssueLog()
  for (const f of files) {
    for await (const l of readCaptureLines(f, issues)) {
      const j = JSON.parse(l.json) as {
        stream?: string
        data?: { U?: number; u?: number; pu?: number; E?: number; T?: number }
        lastUpdateId?: number
      }
      const stream = j.stream ?? ''
      const kind: LineKind =
        j.lastUpdateId !== undefined
          ? 'snapshot'
          : stream.includes('@depth')
            ? 'depth'
            : stream.endsWith('@trade') || stream.endsWith('@aggTrade')
              ? 'trade'
              : stream.endsWith('@bookTicker')
                ? 'bookTicker'
                : 'other'
      out.push({
        index: out.length,
        us: l.localUs,
        json: l.json,
        kind,
        stream,
        U: j.data?.U ?? 0,
        u: kind === 'snapshot' ? (j.lastUpdateId ?? 0) : (j.data?.u ?? 0),
        pu: j.data?.pu ?? null,
        E: j.data?.E ?? 0,
        T: j.data?.T ?? 0
      })
    }
  }
  if (issues.total > 0)
    throw new Error(`source capture has issues: ${JSON.stringify(issues.counts)}`)
  return out
}

export type Fault =
  | { readonly atUs: number; readonly kind: 'gap'; readonly diffs: number }
  | { readonly atUs: number; readonly kind: 'drop' }
  | { readonly atUs: number; readonly kind: 'stall' }
  | { readonly atUs: number; readonly kind: 'freeze' }
  | { readonly atUs: number; readonly kind: 'malformed' }
  | { readonly atUs: number; readonly kind: 'slow-snapshot'; readonly delayMs: number }
  /** One stream stops sending until a source time (the others go on: the connection stays up). */
  | {
      readonly atUs: number
      readonly kind: 'mute'
      readonly stream: string
      readonly untilUs: number
    }

export interface ServerOptions {
  readonly lines: readonly SourceLine[]
  readonly market: 'spot' | 'usdm'
  readonly speed: number
  /** Only send lines in [fromUs, toUs) (earlier ones still build the book). */
  readonly fromUs?: number
  readonly toUs?: number
  readonly faults?: readonly Fault[]
  /** REST weight the server allows per minute before answering 429. */
  readonly weightPerMinute?: number
}

export interface SentRecord {
  readonly index: number
  /** The exact text sent (the source line, or its truncation for a malformed fault). */
  readonly text: string
  readonly malformed: boolean
  readonly atMs: number
}

export interface ConnRecord {
  readonly id: number
  readonly streams: readonly string[]
  readonly openedAtMs: number
  closedAtMs: number | null
  stalled: boolean
  readonly sent: SentRecord[]
}

export interface SnapshotRecord {
  readonly raw: string
  readonly lastUpdateId: number
  readonly original: boolean
  readonly requestedAtMs: number
  respondedAtMs: number
  readonly delayedMs: number
}

/** The book the server keeps from the capture, to answer snapshot requests after the first. */
class ModelBook {
  readonly bids = new Map<string, string>()
  readonly asks = new Map<string, string>()
  lastU = 0
  lastE = 0
  lastT = 0
  synced = false
  private readonly pending: { json: string; u: number }[] = []

  constructor(private readonly market: 'spot' | 'usdm') {}

  snapshot(json: string): void {
    const s = JSON.parse(json) as { lastUpdateId: number; bids: string[][]; asks: string[][] }
    this.bids.clear()
    this.asks.clear()
    for (const [p, q] of s.bids) if (p !== undefined && q !== undefined) this.bids.set(p, q)
    for (const [p, q] of s.asks) if (p !== undefined && q !== undefined) this.asks.set(p, q)
    this.lastU = s.lastUpdateId
    this.synced = true
    const L = s.lastUpdateId
    for (const d of this.pending.splice(0)) {
      if (this.market === 'spot' ? d.u > L : d.u >= L) this.apply(d.json)
    }
  }

  diff(line: SourceLine): void {
    if (!this.synced) {
      this.pending.push({ json: line.json, u: line.u })
      return
    }
    this.apply(line.json)
  }

  private apply(json: string): void {
    const d = (
      JSON.parse(json) as {
        data: { u: number; E: number; T?: number; b: string[][]; a: string[][] }
      }
    ).data
    for (const [p, q] of d.b) if (p !== undefined && q !== undefined) set(this.bids, p, q)
    for (const [p, q] of d.a) if (p !== undefined && q !== undefined) set(this.asks, p, q)
    this.lastU = d.u
    this.lastE = d.E
    this.lastT = d.T ?? d.E
  }

  render(limit: number): string {
    const side = (m: Map<string, string>, desc: boolean): string[][] =>
      [...m.entries()]
        .sort((a, b) => (desc ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])))
        .slice(0, limit)
    const bids = side(this.bids, true)
    const asks = side(this.asks, false)
    return this.market === 'spot'
      ? JSON.stringify({ lastUpdateId: this.lastU, bids, asks })
      : JSON.stringify({ lastUpdateId: this.lastU, E: this.lastE, T: this.lastT, bids, asks })
  }
}

function set(m: Map<string, string>, p: string, q: string): void {
  if (Number(q) === 0) m.delete(p)
  else m.set(p, q)
}

interface LiveConn {
  readonly ws: WebSocket
  readonly rec: ConnRecord
}

export class BinanceTestServer {
  readonly conns: ConnRecord[] = []
  readonly snapshots: SnapshotRecord[] = []
  /** Depth lines never sent to anyone (gap faults). */
  readonly droppedDiffs: number[] = []
  readonly restRequests: { atMs: number; status: number }[] = []
  /** Lines not sent per stream (mute faults). */
  readonly muted = new Map<string, number>()
  private readonly muteUntil = new Map<string, number>()
  wsBase = ''
  restBase = ''
  /** Virtual time of the first line and the wall time (epoch ms) it maps to. */
  virtualStartNs = 0n
  realStartMs = 0
  private readonly http = createServer((req, res) => {
    this.onRest(req, res)
  })
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly live: LiveConn[] = []
  private readonly model: ModelBook
  private next = 0
  private end: number
  private timer: NodeJS.Timeout | null = null
  private faultAt = 0
  private readonly faults: Fault[]
  private dropDiffs = 0
  private malformedNext = false
  private slowNextMs = 0
  private originalSent = false
  private originalIdx: number
  private readonly waiting: (() => void)[] = []
  private finished = false
  private anchored = false
  private startOnConnect: number | null = null
  private doneResolve: () => void = () => undefined
  readonly done = new Promise<void>((r) => (this.doneResolve = r))

  constructor(private readonly opts: ServerOptions) {
    this.model = new ModelBook(opts.market)
    this.faults = [...(opts.faults ?? [])].sort((a, b) => a.atUs - b.atUs)
    const lines = opts.lines
    const from = opts.fromUs ?? -Infinity
    this.end =
      opts.toUs === undefined ? lines.length : lines.findIndex((l) => l.us >= (opts.toUs ?? 0))
    if (this.end < 0) this.end = lines.length
    // Fast-forward the book through lines before the window.
    while (this.next < lines.length && (lines[this.next]?.us ?? 0) < from) {
      this.feedModel(lines[this.next] as SourceLine)
      this.next++
    }
    const orig = lines.findIndex((l, i) => i >= this.next && l.kind === 'snapshot')
    this.originalIdx = orig
    if (this.next > 0) {
      // The window starts after the capture's snapshot: every snapshot is built from the book.
      this.originalSent = true
    }
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname !== '/stream') {
        socket.destroy()
        return
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.onConnection(ws, (url.searchParams.get('streams') ?? '').split('/'))
      })
    })
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', r))
    const port = (this.http.address() as AddressInfo).port
    this.wsBase = `ws://127.0.0.1:${port}`
    this.restBase = `http://127.0.0.1:${port}`
  }

  /**
   * Starts the timeline: the first line goes out `leadInMs` from now — or, with
   * `onFirstConnection`, that long after the first client connects (nothing is missed).
   */
  start(leadInMs = 100, onFirstConnection = false): void {
    const first = this.opts.lines[this.next]
    this.virtualStartNs = BigInt(Math.round((first?.us ?? 0) * 1000))
    if (onFirstConnection) {
      this.startOnConnect = leadInMs
      return
    }
    this.realStartMs = performance.timeOrigin + performance.now() + leadInMs
    this.anchored = true
    this.pump()
  }

  /** The receive clock a capture under test should use: the source timeline, accelerated. */
  clock(): NsClock {
    let scaled: NsClock | null = null
    return () => {
      if (!this.anchored) return this.virtualStartNs
      scaled ??= scaledClock(this.virtualStartNs, this.realStartMs, this.opts.speed)
      return scaled()
    }
  }

  /** Source time (µs) at wall time now. */
  nowUs(): number {
    const startUs = Number(this.virtualStartNs / 1000n)
    const realMs = performance.timeOrigin + performance.now() - this.realStartMs
    return startUs + realMs * 1000 * this.opts.speed
  }

  get finishedTimeline(): boolean {
    return this.finished
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    for (const c of this.live) c.ws.terminate()
    for (const w of this.waiting.splice(0)) w()
    this.wss.close()
    await new Promise<void>((r) => {
      this.http.close(() => {
        r()
      })
    })
    this.http.closeAllConnections()
  }

  /** Terminates every open connection now (besides scheduled faults). */
  dropAll(): void {
    for (const c of this.live.splice(0)) {
      c.rec.closedAtMs = Date.now()
      c.ws.terminate()
    }
  }

  private feedModel(l: SourceLine): void {
    if (l.kind === 'snapshot') this.model.snapshot(l.json)
    else if (l.kind === 'depth') this.model.diff(l)
  }

  private onConnection(ws: WebSocket, streams: string[]): void {
    const rec: ConnRecord = {
      id: this.conns.length,
      streams,
      openedAtMs: Date.now(),
      closedAtMs: null,
      stalled: false,
      sent: []
    }
    this.conns.push(rec)
    const lc = { ws, rec }
    this.live.push(lc)
    if (this.startOnConnect !== null && !this.anchored) {
      this.realStartMs = performance.timeOrigin + performance.now() + this.startOnConnect
      this.anchored = true
      this.pump()
    }
    ws.on('close', () => {
      rec.closedAtMs ??= Date.now()
      const i = this.live.indexOf(lc)
      if (i >= 0) this.live.splice(i, 1)
    })
    ws.on('error', () => undefined)
  }

  private applyFaults(us: number): void {
    while (
      this.faultAt < this.faults.length &&
      (this.faults[this.faultAt]?.atUs ?? Infinity) <= us
    ) {
      const f = this.faults[this.faultAt++] as Fault
      switch (f.kind) {
        case 'gap':
          this.dropDiffs += f.diffs
          break
        case 'drop':
          this.dropAll()
          break
        case 'stall':
        case 'freeze':
          for (const c of this.live) {
            c.rec.stalled = true
            if (f.kind === 'freeze') c.ws.pause()
          }
          break
        case 'malformed':
          this.malformedNext = true
          break
        case 'slow-snapshot':
          this.slowNextMs = f.delayMs
          break
        case 'mute':
          this.muteUntil.set(f.stream, f.untilUs)
          break
      }
    }
  }

  private pump(): void {
    this.timer = null
    const nowMs = performance.timeOrigin + performance.now()
    const lines = this.opts.lines
    const startUs = Number(this.virtualStartNs / 1000n)
    // Yield every few ms: the capture under test often shares this event loop.
    const budgetEnd = performance.now() + 10
    while (this.next < this.end) {
      if (performance.now() > budgetEnd) {
        this.timer = setTimeout(() => {
          this.pump()
        }, 0)
        return
      }
      const l = lines[this.next] as SourceLine
      const due = this.realStartMs + (l.us - startUs) / 1000 / this.opts.speed
      if (due > nowMs) {
        this.timer = setTimeout(
          () => {
            this.pump()
          },
          Math.max(0, Math.min(50, due - nowMs))
        )
        return
      }
      this.applyFaults(l.us)
      this.next++
      this.feedModel(l)
      if (l.kind === 'snapshot') {
        if (l.index === this.originalIdx) for (const w of this.waiting.splice(0)) w()
        continue
      }
      let text = l.json
      let malformed = false
      if (l.kind === 'depth') {
        if (this.dropDiffs > 0) {
          this.dropDiffs--
          this.droppedDiffs.push(l.index)
          continue
        }
        if (this.malformedNext) {
          this.malformedNext = false
          malformed = true
          text = l.json.slice(0, Math.floor(l.json.length / 2))
        }
      }
      if (l.us < (this.muteUntil.get(l.stream) ?? -Infinity)) {
        this.muted.set(l.stream, (this.muted.get(l.stream) ?? 0) + 1)
        continue
      }
      const at = Date.now()
      for (const c of this.live) {
        if (c.rec.stalled || !c.rec.streams.includes(l.stream)) continue
        c.ws.send(text)
        c.rec.sent.push({ index: l.index, text, malformed, atMs: at })
      }
    }
    this.finished = true
    this.applyFaults(Infinity)
    this.doneResolve()
  }

  private onRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x')
    const path = this.opts.market === 'spot' ? '/api/v3/depth' : '/fapi/v1/depth'
    if (url.pathname !== path) {
      res.writeHead(404).end()
      return
    }
    const limit = Number(url.searchParams.get('limit') ?? '100')
    const weight = this.opts.market === 'spot' ? (limit <= 1000 ? 50 : 250) : limit <= 500 ? 10 : 20
    const now = Date.now()
    const recent = this.restRequests.filter((r) => r.atMs > now - 60_000 && r.status === 200)
    const used = recent.length * weight + weight
    if (used > (this.opts.weightPerMinute ?? 6000)) {
      this.restRequests.push({ atMs: now, status: 429 })
      res.writeHead(429, { 'retry-after': '1', 'x-mbx-used-weight-1m': String(used) }).end()
      return
    }
    this.restRequests.push({ atMs: now, status: 200 })
    const delay = this.slowNextMs
    this.slowNextMs = 0
    const respond = (raw: string, L: number, original: boolean): void => {
      const rec: SnapshotRecord = {
        raw,
        lastUpdateId: L,
        original,
        requestedAtMs: now,
        respondedAtMs: 0,
        delayedMs: delay
      }
      this.snapshots.push(rec)
      const send = (): void => {
        rec.respondedAtMs = Date.now()
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-mbx-used-weight-1m': String(used)
        })
        res.end(raw)
      }
      if (delay > 0) setTimeout(send, delay)
      else send()
    }
    if (!this.originalSent && this.originalIdx >= 0) {
      // The capture's own snapshot, at its moment.
      this.originalSent = true
      const orig = this.opts.lines[this.originalIdx] as SourceLine
      const go = (): void => {
        respond(orig.json, orig.u, true)
      }
      if (this.next > this.originalIdx) go()
      else this.waiting.push(go)
      return
    }
    // Taken now; a slow response lets the stream run ahead of it, as on the exchange.
    respond(this.model.render(limit), this.model.lastU, false)
  }
}

export async function startBinanceServer(opts: ServerOptions): Promise<BinanceTestServer> {
  const s = new BinanceTestServer(opts)
  await s.listen()
  return s
}

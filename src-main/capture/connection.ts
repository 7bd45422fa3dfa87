// One combined-stream WebSocket connection (ws 8): the receive timestamp is taken first thing
// when a message arrives and the payload is handed on as the raw bytes received. Liveness is
// watched two ways: our pings must be answered (a dead TCP path) and some message must arrive
// within `staleMs` (a stream that stalled while the socket still answers). Binance's own pings
// are answered by ws automatically.
import WebSocket from 'ws'
import type { CaptureClock } from './clock'

export interface ConnectionHandlers {
  onOpen(conn: StreamConnection): void
  onMessage(conn: StreamConnection, raw: Buffer, ns: bigint, isBinary: boolean): void
  /** Called exactly once, whatever ended the connection. */
  onClose(conn: StreamConnection, reason: string): void
}

export interface ConnectionTiming {
  readonly connectTimeoutMs: number
  readonly pingIntervalMs: number
  readonly pongTimeoutMs: number
  readonly staleMs: number
}

const TICK_SLACK_MS = 0

export type Liveness = 'ok' | 'stale' | 'pong-timeout'

let nextId = 1

export class StreamConnection {
  readonly id = nextId++
  readonly openedAtMs: number
  connectedAtMs: number | null = null
  lastMessageAtMs: number
  private lastPingAtMs = 0
  private awaitingPongSinceMs: number | null = null
  private ended = false
  private readonly ws: WebSocket

  constructor(
    readonly url: string,
    private readonly clock: CaptureClock,
    private readonly handlers: ConnectionHandlers,
    private readonly timing: ConnectionTiming
  ) {
    this.openedAtMs = this.clock.ms()
    this.lastMessageAtMs = this.openedAtMs
    this.ws = new WebSocket(url, { handshakeTimeout: timing.connectTimeoutMs })
    this.ws.on('open', () => {
      this.connectedAtMs = this.clock.ms()
      this.lastMessageAtMs = this.connectedAtMs
      this.lastPingAtMs = this.connectedAtMs
      handlers.onOpen(this)
    })
    this.ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const ns = this.clock.ns()
      if (this.ended) return
      this.lastMessageAtMs = this.clock.ms()
      const raw = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data)
      handlers.onMessage(this, raw, ns, isBinary)
    })
    this.ws.on('pong', () => {
      this.awaitingPongSinceMs = null
    })
    this.ws.on('error', (e: Error) => {
      this.end(`error: ${e.message}`)
    })
    this.ws.on('close', (code: number, reason: Buffer) => {
      this.end(`closed by the server (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`)
    })
  }

  get open(): boolean {
    return !this.ended && this.ws.readyState === WebSocket.OPEN
  }

  get ageMs(): number {
    return this.connectedAtMs === null ? 0 : this.clock.ms() - this.connectedAtMs
  }

  /** Sends a ping when one is due and reports whether the connection still looks alive. */
  check(nowMs = this.clock.ms()): Liveness {
    if (!this.open) return 'ok'
    if (this.awaitingPongSinceMs !== null) {
      if (nowMs - this.awaitingPongSinceMs > this.timing.pongTimeoutMs) return 'pong-timeout'
    } else if (nowMs - this.lastPingAtMs >= this.timing.pingIntervalMs) {
      this.lastPingAtMs = nowMs
      this.awaitingPongSinceMs = nowMs
      this.ws.ping()
    }
    if (nowMs - this.lastMessageAtMs > this.timing.staleMs) return 'stale'
    return 'ok'
  }

  /**
   * The process itself was stalled until now: restart the silence and pong clocks, so a pause
   * of this recorder is not taken for a dead or stalled stream.
   */
  excuse(nowMs: number): void {
    this.lastMessageAtMs = Math.max(this.lastMessageAtMs, nowMs - TICK_SLACK_MS)
    if (this.awaitingPongSinceMs !== null) this.awaitingPongSinceMs = nowMs
  }

  /** Orderly close (planned hand-over, stop). */
  close(reason = 'closed by the capture'): void {
    if (this.ended) return
    try {
      this.ws.close(1000)
    } catch {
      // Not open yet: terminate below ends it.
    }
    this.ws.terminate()
    this.end(reason)
  }

  /** Drops the socket at once (stale or dead connection). */
  terminate(reason: string): void {
    if (this.ended) return
    this.ws.terminate()
    this.end(reason)
  }

  private end(reason: string): void {
    if (this.ended) return
    this.ended = true
    this.handlers.onClose(this, reason)
  }
}

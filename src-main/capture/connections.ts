// The capture's stream connections (one StreamConnection each, connection.ts): the primary, whose
// messages are recorded, and during a planned hand-over a standby whose ids are only noted. The
// standby takes over once it is behind the old one on every stream, and what it repeats is then
// dropped by id — no gap. A primary that dies is reconnected after an exponential backoff.
import type { CaptureGapKind } from '../../src-shared/capture'
import { Backoff } from '../util/backoff'
import { StreamConnection } from './connection'
import { combinedUrl } from './endpoints'
import type { CaptureSetup, CaptureStatus } from './options'
import type { SessionRecord } from './record'
import { parseCaptureJson } from '../engine/source/captureMessages'
import type { CaptureStats } from './stats'

export type StreamKind = 'depth' | 'trade' | 'bookTicker'

interface StandbyMsg {
  readonly kind: StreamKind | 'other'
  readonly id: number
}

export interface ConnState {
  readonly conn: StreamConnection
  role: 'primary' | 'standby'
  messages: number
  lastDepthU: number | null
  firstDepthU: number | null
  lastTradeId: number | null
  lastTickerU: number | null
  openedAtMs: number
  /** After a hand-over: ids up to these were recorded from the old connection. */
  dedupe: { depthU: number | null; tradeId: number | null; tickerU: number | null } | null
  /** What ended it (set before terminate). */
  endKind: CaptureGapKind | null
}

export interface ConnectionHooks {
  /** A primary message, to record. */
  message(st: ConnState, raw: Buffer, ns: bigint, isBinary: boolean): void
  /** The primary ended with no hand-over to take over; `delivered`: it had streamed. */
  lost(kind: CaptureGapKind, reason: string, delivered: boolean): void
}

export class StreamConnections {
  private primary: ConnState | null = null
  private standby: ConnState | null = null
  private readonly backoff: Backoff
  private reconnectAtMs: number | null = 0
  private nextHandoverAtMs = 0

  constructor(
    private readonly setup: CaptureSetup,
    private readonly status: CaptureStatus,
    private readonly record: SessionRecord,
    private readonly stats: CaptureStats,
    private readonly hooks: ConnectionHooks
  ) {
    // Reconnect waits: the exponential step jittered into [½, 1] of it.
    this.backoff = new Backoff(setup.timing.reconnectBaseMs, setup.timing.reconnectMaxMs)
  }

  /** The timer's part: reconnect when due, liveness of both connections, the hand-over. */
  tick(now: number, late: boolean): void {
    const timing = this.setup.timing
    if (!this.primary && this.reconnectAtMs !== null && now >= this.reconnectAtMs) {
      this.reconnectAtMs = null
      this.connect('primary')
    }
    const p = this.primary
    if (p && late) p.conn.excuse(now)
    if (p) {
      const live = p.conn.check(now)
      if (live !== 'ok') {
        p.endKind = live
        p.conn.terminate(
          live === 'stale'
            ? `stale: no message for ${timing.staleMs} ms`
            : `no pong within ${timing.pongTimeoutMs} ms`
        )
      } else if (
        p.conn.open &&
        p.conn.ageMs >= timing.maxConnectionMs &&
        !this.standby &&
        now >= this.nextHandoverAtMs
      ) {
        this.setup.log(
          'info',
          `connection ${p.conn.id} is ${p.conn.ageMs} ms old: planned hand-over`
        )
        this.connect('standby')
      }
    }
    const sb = this.standby
    if (sb && late) sb.conn.excuse(now)
    if (sb && sb.conn.check(now) !== 'ok') {
      sb.conn.terminate('hand-over connection not alive')
      this.standby = null
      this.nextHandoverAtMs = now + this.backoff.next()
    } else if (sb && now - sb.openedAtMs > timing.handoverTimeoutMs && this.primary) {
      if (sb.lastDepthU === null) {
        // It never streamed depth: drop it and try again later.
        sb.conn.close('hand-over connection delivered no depth')
        this.standby = null
        this.nextHandoverAtMs = now + this.backoff.next()
      } else this.maybeSwitch()
    }
  }

  closeAll(reason: string): void {
    this.primary?.conn.close(reason)
    this.standby?.conn.close(reason)
  }

  /**
   * After a hand-over the new connection repeats what the old one recorded: true for such a
   * repeat (to drop). Every stream's first new id ends its check.
   */
  isRepeat(st: ConnState, kind: StreamKind, id: number): boolean {
    const d = st.dedupe
    if (!d) return false
    const limit = kind === 'depth' ? d.depthU : kind === 'trade' ? d.tradeId : d.tickerU
    if (limit !== null && id <= limit) return true
    if (kind === 'depth') d.depthU = null
    else if (kind === 'trade') d.tradeId = null
    else d.tickerU = null
    if (d.depthU === null && d.tradeId === null && d.tickerU === null) st.dedupe = null
    return false
  }

  /** The newest id a connection delivered on each stream. */
  note(st: ConnState, m: StandbyMsg): void {
    if (m.kind === 'depth') {
      st.firstDepthU ??= m.id
      st.lastDepthU = m.id
    } else if (m.kind === 'trade') st.lastTradeId = m.id
    else if (m.kind === 'bookTicker') st.lastTickerU = m.id
  }

  private connect(role: 'primary' | 'standby'): void {
    const url = combinedUrl(this.setup.endpoints.wsBase, this.setup.streams)
    this.stats.counts.connections++
    const conn = new StreamConnection(
      url,
      this.setup.clock,
      {
        onOpen: (c) => {
          this.setup.log('info', `connection ${c.id} open (${role})`)
        },
        onMessage: (c, raw, ns, isBinary) => {
          this.onMessage(c, raw, ns, isBinary)
        },
        onClose: (c, reason) => {
          this.onClose(c, reason)
        }
      },
      this.setup.timing
    )
    const st: ConnState = {
      conn,
      role,
      messages: 0,
      lastDepthU: null,
      firstDepthU: null,
      lastTradeId: null,
      lastTickerU: null,
      openedAtMs: this.setup.clock.ms(),
      dedupe: null,
      endKind: null
    }
    if (role === 'primary') {
      this.primary = st
      this.status.phase = this.status.phase === 'reconnecting' ? 'reconnecting' : 'connecting'
    } else this.standby = st
  }

  private stateOf(c: StreamConnection): ConnState | null {
    if (this.primary?.conn === c) return this.primary
    if (this.standby?.conn === c) return this.standby
    return null
  }

  private onClose(c: StreamConnection, reason: string): void {
    const st = this.stateOf(c)
    if (!st || this.status.stopping) return
    const log = this.setup.log
    if (st.role === 'standby') {
      log('warn', `hand-over connection ${c.id} ended: ${reason}`)
      this.standby = null
      return
    }
    this.primary = null
    const kind = st.endKind ?? 'disconnect'
    log('warn', `connection ${c.id} ended: ${reason}`)
    const sb = this.standby
    if (sb?.conn.open && sb.messages > 0) {
      // The old connection died during a hand-over: the new one already streams.
      this.promote(sb)
      return
    }
    if (sb) {
      sb.conn.close('superseded')
      this.standby = null
    }
    const wait = this.backoff.next()
    this.reconnectAtMs = this.setup.clock.ms() + wait
    this.hooks.lost(kind, reason, st.messages > 0)
    log('info', `reconnecting in ${wait} ms`)
  }

  private promote(sb: ConnState): void {
    const old = this.primary
    const r = this.record
    sb.role = 'primary'
    sb.dedupe = { depthU: r.lastDepthU, tradeId: r.lastTradeId, tickerU: r.lastTickerU }
    this.primary = sb
    this.standby = null
    if (old) old.conn.close('replaced by the hand-over connection')
    this.stats.counts.plannedReconnects++
    this.setup.log('info', `hand-over to connection ${sb.conn.id} done`)
  }

  /** Called after each primary message during a hand-over: switch once the new one is behind. */
  private maybeSwitch(): void {
    const sb = this.standby
    const p = this.primary
    if (!sb || !p || sb.lastDepthU === null) return
    // Behind (or level with) the old connection on every stream: from its next message on, it
    // delivers exactly what the old one has not, and what it repeats is dropped by id.
    const behind =
      p.lastDepthU !== null &&
      sb.lastDepthU <= p.lastDepthU &&
      (sb.lastTradeId === null || (p.lastTradeId !== null && sb.lastTradeId <= p.lastTradeId)) &&
      (sb.lastTickerU === null || (p.lastTickerU !== null && sb.lastTickerU <= p.lastTickerU))
    if (behind) {
      this.promote(sb)
      return
    }
    const now = this.setup.clock.ms()
    if (now - sb.openedAtMs > this.setup.timing.handoverTimeoutMs) {
      // Never level with the old one (it lags, or the streams interleave badly): switching now
      // would drop what only the new one delivered. Try again with a fresh connection; if the
      // exchange cuts the old one first, the new one takes over with a recorded gap.
      this.setup.log(
        'warn',
        'hand-over found no clean switch point; retrying with a new connection'
      )
      sb.conn.close('hand-over retried')
      this.standby = null
      this.nextHandoverAtMs = now + this.backoff.next()
    }
  }

  private onMessage(c: StreamConnection, raw: Buffer, ns: bigint, isBinary: boolean): void {
    const st = this.stateOf(c)
    if (!st || this.status.stopping) return
    st.messages++
    if (st.role === 'standby') {
      // Not recorded: only its ids matter for the switch point.
      this.note(st, peek(raw, isBinary))
      return
    }
    this.backoff.reset()
    this.hooks.message(st, raw, ns, isBinary)
    if (this.standby) this.maybeSwitch()
  }
}

function peek(raw: Buffer, isBinary: boolean): StandbyMsg {
  if (isBinary) return { kind: 'other', id: 0 }
  try {
    const m = parseCaptureJson(raw.toString('utf8'))
    if (m.kind === 'depth') return { kind: 'depth', id: m.u }
    if (m.kind === 'trade') return { kind: 'trade', id: m.id }
    if (m.kind === 'bookTicker') return { kind: 'bookTicker', id: m.u }
  } catch {
    // Malformed on the standby: nothing to note.
  }
  return { kind: 'other', id: 0 }
}

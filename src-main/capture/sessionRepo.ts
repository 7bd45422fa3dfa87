// capture_sessions / capture_gaps (lake/migrations.ts) over the open manifest handle: upsert a session as
// the recorder saves it, list and read sessions, and import sessions found on disk (recorded
// before the tables existed, or by another lake). Rows are a mirror of session.json.
import type {
  CaptureFileInfo,
  CaptureGap,
  CaptureSegmentInfo,
  CaptureSessionInfo,
  RegimeSummary
} from '../../src-shared/capture'
import type { Db } from '../lake/manifest'
import { wallMs } from './clock'
import { listSessionsOnDisk, loadSession } from './session'

interface SessionRow {
  id: string
  symbol: string
  market: 'spot' | 'usdm'
  state: CaptureSessionInfo['state']
  dir: string
  started_at: string
  ended_at: string | null
  start_ns: string | null
  end_ns: string | null
  streams: string
  files: string
  segments: string
  messages: number
  depth_updates: number
  trades: number
  book_tickers: number
  snapshots: number
  malformed: number
  reconnects: number
  gap_count: number
  raw_bytes: number
  written_bytes: number
  window_ms: number
  regimes: string | null
  job_id: string | null
}

interface GapRow {
  seq: number
  kind: CaptureGap['kind']
  detail: string
  start_ns: string
  end_ns: string | null
  last_u: number | null
  next_u: number | null
  snapshot_update_id: number | null
  last_trade_id: number | null
  next_trade_id: number | null
  segment: number
}

/** A listed session: the row without the per-file detail. */
export interface CaptureSessionSummary {
  readonly id: string
  readonly symbol: string
  readonly market: 'spot' | 'usdm'
  readonly state: CaptureSessionInfo['state']
  readonly dir: string
  readonly startedAt: string
  readonly endedAt: string | null
  readonly startNs: string | null
  readonly endNs: string | null
  readonly files: number
  readonly messages: number
  readonly gaps: number
  readonly writtenBytes: number
  readonly regimes: RegimeSummary['counts'] | null
}

const isoOfNs = (ns: string | null): string | null =>
  ns === null ? null : new Date(Number(BigInt(ns) / 1_000_000n)).toISOString()

export class CaptureSessionRepo {
  constructor(
    private readonly db: Db,
    /** The clock of the rows' updated_at, ms. */
    private readonly nowMs: () => number = wallMs
  ) {}

  /**
   * A running capture's per-stream silence at wall time `atMs` (a manifest made before migration
   * 11, e.g. a test's bare tables, has no column: then nothing is kept and false is returned).
   */
  liveStreams(
    id: string,
    streams: readonly { stream: string; silentMs: number }[],
    atMs: number
  ): boolean {
    if (this.hasStreamsLive === null)
      this.hasStreamsLive = (
        this.db.prepare('PRAGMA table_info(capture_sessions)').all() as { name: string }[]
      ).some((c) => c.name === 'streams_live')
    if (!this.hasStreamsLive) return false
    this.db
      .prepare('UPDATE capture_sessions SET streams_live = ? WHERE id = ?')
      .run(JSON.stringify({ at: new Date(atMs).toISOString(), streams }), id)
    return true
  }

  private hasStreamsLive: boolean | null = null

  upsert(info: CaptureSessionInfo, dir: string, jobId: string | null = null): void {
    const c = info.counts
    const tx = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO capture_sessions (id, symbol, market, state, dir, started_at, ended_at,
             start_ns, end_ns, first_receive_at, last_receive_at, streams, files, segments,
             file_count, messages, depth_updates, trades, book_tickers, snapshots, malformed,
             reconnects, gap_count, raw_bytes, written_bytes, window_ms, regimes, job_id, updated_at)
           VALUES (@id, @symbol, @market, @state, @dir, @started_at, @ended_at, @start_ns, @end_ns,
             @first_receive_at, @last_receive_at, @streams, @files, @segments, @file_count,
             @messages, @depth_updates, @trades, @book_tickers, @snapshots, @malformed,
             @reconnects, @gap_count, @raw_bytes, @written_bytes, @window_ms, @regimes, @job_id,
             @updated_at)
           ON CONFLICT (id) DO UPDATE SET state = excluded.state, dir = excluded.dir,
             ended_at = excluded.ended_at, start_ns = excluded.start_ns, end_ns = excluded.end_ns,
             first_receive_at = excluded.first_receive_at, last_receive_at = excluded.last_receive_at,
             files = excluded.files, segments = excluded.segments, file_count = excluded.file_count,
             messages = excluded.messages, depth_updates = excluded.depth_updates,
             trades = excluded.trades, book_tickers = excluded.book_tickers,
             snapshots = excluded.snapshots, malformed = excluded.malformed,
             reconnects = excluded.reconnects, gap_count = excluded.gap_count,
             raw_bytes = excluded.raw_bytes, written_bytes = excluded.written_bytes,
             regimes = excluded.regimes, job_id = COALESCE(excluded.job_id, job_id),
             updated_at = excluded.updated_at`
        )
        .run({
          id: info.id,
          symbol: info.symbol,
          market: info.market,
          state: info.state,
          dir,
          started_at: info.startedAt,
          ended_at: info.endedAt,
          start_ns: info.startNs,
          end_ns: info.endNs,
          first_receive_at: isoOfNs(info.startNs),
          last_receive_at: isoOfNs(info.endNs),
          streams: JSON.stringify(info.streams),
          files: JSON.stringify(info.files),
          segments: JSON.stringify(info.segments),
          file_count: info.files.length,
          messages: c.messages,
          depth_updates: c.depthUpdates,
          trades: c.trades,
          book_tickers: c.bookTickers,
          snapshots: c.snapshots,
          malformed: c.malformed,
          reconnects: c.reconnects,
          gap_count: info.gaps.length,
          raw_bytes: c.rawBytes,
          written_bytes: c.writtenBytes,
          window_ms: info.windowMs,
          regimes: info.regimes === null ? null : JSON.stringify(info.regimes),
          job_id: jobId,
          updated_at: new Date(this.nowMs()).toISOString()
        })
      this.db.prepare('DELETE FROM capture_gaps WHERE session_id = ?').run(info.id)
      const ins = this.db.prepare(
        `INSERT INTO capture_gaps (session_id, seq, kind, detail, start_ns, end_ns, start_at, end_at,
           last_u, next_u, snapshot_update_id, last_trade_id, next_trade_id, segment)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      for (const g of info.gaps) {
        ins.run(
          info.id,
          g.seq,
          g.kind,
          g.detail,
          g.startNs,
          g.endNs,
          isoOfNs(g.startNs),
          isoOfNs(g.endNs),
          g.lastU,
          g.nextU,
          g.snapshotUpdateId,
          g.lastTradeId,
          g.nextTradeId,
          g.segment
        )
      }
    })
    tx()
  }

  list(
    filter: { symbol?: string; market?: 'spot' | 'usdm'; limit?: number } = {}
  ): CaptureSessionSummary[] {
    const where: string[] = []
    const args: unknown[] = []
    if (filter.symbol !== undefined) {
      where.push('symbol = ?')
      args.push(filter.symbol.toUpperCase())
    }
    if (filter.market !== undefined) {
      where.push('market = ?')
      args.push(filter.market)
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM capture_sessions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY started_at DESC LIMIT ?`
      )
      .all(...args, filter.limit ?? 1000) as SessionRow[]
    return rows.map((r) => ({
      id: r.id,
      symbol: r.symbol,
      market: r.market,
      state: r.state,
      dir: r.dir,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      startNs: r.start_ns,
      endNs: r.end_ns,
      files: (JSON.parse(r.files) as unknown[]).length,
      messages: r.messages,
      gaps: r.gap_count,
      writtenBytes: r.written_bytes,
      regimes: r.regimes === null ? null : (JSON.parse(r.regimes) as RegimeSummary).counts
    }))
  }

  gaps(sessionId: string): CaptureGap[] {
    const rows = this.db
      .prepare('SELECT * FROM capture_gaps WHERE session_id = ? ORDER BY seq')
      .all(sessionId) as GapRow[]
    return rows.map((g) => ({
      seq: g.seq,
      kind: g.kind,
      detail: g.detail,
      startNs: g.start_ns,
      endNs: g.end_ns,
      lastU: g.last_u,
      nextU: g.next_u,
      snapshotUpdateId: g.snapshot_update_id,
      lastTradeId: g.last_trade_id,
      nextTradeId: g.next_trade_id,
      segment: g.segment
    }))
  }

  /** The full session: from its session.json when the folder exists, else rebuilt from rows. */
  get(id: string): { info: CaptureSessionInfo; dir: string } | null {
    const r = this.db.prepare('SELECT * FROM capture_sessions WHERE id = ?').get(id) as
      SessionRow | undefined
    if (!r) return null
    try {
      return { info: loadSession(r.dir), dir: r.dir }
    } catch {
      return {
        dir: r.dir,
        info: {
          version: 1,
          id: r.id,
          symbol: r.symbol,
          market: r.market,
          streams: JSON.parse(r.streams) as string[],
          state: r.state,
          startedAt: r.started_at,
          endedAt: r.ended_at,
          startNs: r.start_ns,
          endNs: r.end_ns,
          runs: [],
          files: JSON.parse(r.files) as CaptureFileInfo[],
          segments: JSON.parse(r.segments) as CaptureSegmentInfo[],
          gaps: this.gaps(r.id),
          counts: {
            messages: r.messages,
            depthUpdates: r.depth_updates,
            trades: r.trades,
            bookTickers: r.book_tickers,
            snapshots: r.snapshots,
            rejectedSnapshots: 0,
            snapshotRequests: 0,
            snapshotWeight: 0,
            malformed: r.malformed,
            connections: 0,
            reconnects: r.reconnects,
            plannedReconnects: 0,
            duplicatesDropped: 0,
            rawBytes: r.raw_bytes,
            writtenBytes: r.written_bytes
          },
          windowMs: r.window_ms,
          windows: [],
          regimes: r.regimes === null ? null : (JSON.parse(r.regimes) as RegimeSummary),
          config: { wsBase: '', restBase: '', snapshotLimit: 0 }
        }
      }
    }
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM capture_sessions WHERE id = ?').run(id)
  }

  /** Mirrors every session folder of the lake into the tables (state corrected for dead recorders). */
  importFromDisk(lakeRoot: string): number {
    let n = 0
    for (const { dir, info } of listSessionsOnDisk(lakeRoot)) {
      this.upsert(info, dir)
      n++
    }
    return n
  }
}

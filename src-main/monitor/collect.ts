// One snapshot of the lake for the alert rules, read from the manifest (jobs, their results,
// capture sessions, this month's downloads) and the file system (free disk at the lake root).
// Live views (a running capture's streams and lag) are added by the process that holds them.
import { statfsSync } from 'node:fs'
import { z } from 'zod'
import type { TrustConfig } from '../../src-shared/gates'
import { hasTable, type Db } from '../lake/manifest'
import { quotaMonthStart } from '../sources/cryptolake/plan'
import type { MonitorSnapshot } from './rules'

const DAY_MS = 86_400_000
const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso))

interface JobRow {
  id: string
  kind: string
  state: string
  started_at: string | null
  ended_at: string | null
  progress_at: string | null
  result: string | null
  error: string | null
}

/** The fields of a replay result the rules use (a result read back from the manifest's JSON). */
const replayFields = z.object({
  drift: z.object({ aligned: z.number(), meanJaccard: z.number() }).partial().optional(),
  crossedMs: z.number().optional(),
  firstReceiveTime: z.string().nullable().optional(),
  lastReceiveTime: z.string().nullable().optional(),
  firstExchangeTime: z.string().nullable().optional(),
  lastExchangeTime: z.string().nullable().optional()
})

/** What a finished replay or export measured: its drift and crossed share, when it has them. */
function replayFigures(kind: string, result: unknown): MonitorSnapshot['replays'][number] | null {
  if (kind !== 'replay-lake' && kind !== 'replay-capture') return null
  const parsed = replayFields.safeParse(result)
  if (!parsed.success) return null
  const r = parsed.data
  const from = ms(r.firstReceiveTime ?? r.firstExchangeTime ?? null)
  const to = ms(r.lastReceiveTime ?? r.lastExchangeTime ?? null)
  const span = from !== null && to !== null ? to - from : 0
  return {
    jobId: '',
    meanJaccard: (r.drift?.aligned ?? 0) > 0 ? (r.drift?.meanJaccard ?? null) : null,
    crossedShare: span > 0 && typeof r.crossedMs === 'number' ? r.crossedMs / span : null
  }
}

function columnExists(db: Db, table: string, column: string): boolean {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some(
    (c) => c.name === column
  )
}

const streamsLive = z.object({
  at: z.string(),
  streams: z.array(z.object({ stream: z.string(), silentMs: z.number() }))
})

/**
 * A running capture's streams as it last wrote them, aged to `atMs`: a capture whose process is
 * gone stops writing, so its streams grow silent here too.
 */
function streamSilence(
  json: string | null,
  atMs: number
): MonitorSnapshot['captures'][number]['streams'] {
  if (json === null) return []
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return []
  }
  const r = streamsLive.safeParse(raw)
  if (!r.success) return []
  const age = Math.max(0, atMs - Date.parse(r.data.at))
  return r.data.streams.map((s) => ({ stream: s.stream, silentS: (s.silentMs + age) / 1000 }))
}

export function collectSnapshot(
  db: Db,
  lakeRoot: string,
  trust: TrustConfig,
  atMs: number
): MonitorSnapshot {
  const since = new Date(atMs - DAY_MS).toISOString()
  const rows = db
    .prepare(
      "SELECT id, kind, state, started_at, ended_at, progress_at, result, error FROM jobs WHERE state = 'running' OR ended_at >= ? ORDER BY created_at"
    )
    .all(since) as JobRow[]
  const jobs: MonitorSnapshot['jobs'][number][] = []
  const replays: MonitorSnapshot['replays'][number][] = []
  for (const j of rows) {
    let error: string | null = null
    if (j.error !== null) {
      const e = JSON.parse(j.error) as { message?: unknown }
      error = typeof e.message === 'string' ? e.message : null
    }
    jobs.push({
      id: j.id,
      kind: j.kind,
      state: j.state,
      startedAtMs: ms(j.started_at),
      progressAtMs: ms(j.progress_at),
      endedAtMs: ms(j.ended_at),
      error
    })
    if (j.state === 'done' && j.result !== null) {
      const f = replayFigures(j.kind, JSON.parse(j.result))
      if (f) replays.push({ ...f, jobId: j.id })
    }
  }
  const live = columnExists(db, 'capture_sessions', 'streams_live')
  const captures = (
    db
      .prepare(
        `SELECT id, started_at, gap_count${live ? ', streams_live' : ''} FROM capture_sessions WHERE state = 'running'`
      )
      .all() as {
      id: string
      started_at: string
      gap_count: number
      streams_live?: string | null
    }[]
  ).map((c) => {
    const hours = (atMs - Date.parse(c.started_at)) / 3.6e6
    return {
      sessionId: c.id,
      lagMs: null,
      // Below a quarter of an hour one gap would read as a rate of four or more an hour.
      gapsPerHour: hours >= 0.25 ? c.gap_count / hours : null,
      streams: streamSilence(c.streams_live ?? null, atMs)
    }
  })
  let disk: MonitorSnapshot['disk'] = null
  try {
    const s = statfsSync(lakeRoot)
    disk = { path: lakeRoot, freeBytes: s.bavail * s.bsize }
  } catch {
    disk = null
  }
  let quota: MonitorSnapshot['quota'] = null
  if (hasTable(db, 'acquisition_transfers')) {
    const r = db
      .prepare('SELECT COALESCE(SUM(bytes), 0) AS n FROM acquisition_transfers WHERE at >= ?')
      .get(quotaMonthStart(new Date(atMs))) as { n: number }
    quota = { usedBytes: r.n, limitBytes: trust.plan.quotaGbPerMonth * 1e9 }
  }
  return { atMs, jobs, replays, captures, disk, quota }
}

// The backfill queue in the manifest: one row per backfill (a dataset over a day range) and one
// per day job with its state — queued, running, done, or failed with the reason — attempts,
// times and measured sizes, so a backfill survives restarts and the app's queue view can show
// progress and an ETA. its tables are migration 5 of lake/migrations.ts;
// the store works over any handle with better-sqlite3's prepare/transaction (structurally typed,
// so this module never imports the driver).
import type { BackfillDaySummary } from '../../src-shared/daySummary'
import type { BackfillDayState, BackfillDayView } from '../../src-shared/export'
import { InputError } from '../util/errors'

/** The part of better-sqlite3's Database the store uses. */
export interface BackfillDb {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number }
    get(...params: unknown[]): unknown
    all(...params: unknown[]): unknown[]
  }
  transaction<T>(fn: () => T): () => T
}

export interface BackfillRecord {
  readonly id: string
  readonly dataset: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string
  readonly to: string
  /** The plan's parameters (JSON), what every day job runs with. */
  readonly params: unknown
  readonly createdAt: string
  /** Day jobs at once in the latest run (for the ETA). */
  readonly parallel: number
  readonly certificate: string | null
}

interface BackfillRow {
  id: string
  dataset: string
  exchange: string
  symbol: string
  from_day: string
  to_day: string
  params: string
  created_at: string
  parallel: number
  certificate: string | null
}

interface DayRow {
  day: string
  state: string
  attempts: number
  reason: string | null
  owner_pid: number | null
  started_at: string | null
  ended_at: string | null
  input_rows: number | null
  input_bytes: number | null
  events: number | null
  output_bytes: number | null
  seconds: number | null
  summary: string | null
}

const toRecord = (r: BackfillRow): BackfillRecord => ({
  id: r.id,
  dataset: r.dataset,
  exchange: r.exchange,
  symbol: r.symbol,
  from: r.from_day,
  to: r.to_day,
  params: JSON.parse(r.params) as unknown,
  createdAt: r.created_at,
  parallel: r.parallel,
  certificate: r.certificate
})

const toDay = (r: DayRow): BackfillDayView & { ownerPid: number | null } => ({
  day: r.day,
  state: r.state as BackfillDayState,
  attempts: r.attempts,
  reason: r.reason,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  inputRows: r.input_rows,
  inputBytes: r.input_bytes,
  events: r.events,
  outputBytes: r.output_bytes,
  seconds: r.seconds,
  summary: r.summary === null ? null : (JSON.parse(r.summary) as BackfillDaySummary),
  ownerPid: r.owner_pid
})

export class BackfillStore {
  constructor(private readonly db: BackfillDb) {}

  /** Records a backfill and queues its days; an existing backfill with this id is kept as is. */
  create(
    b: Omit<BackfillRecord, 'certificate' | 'parallel'>,
    days: readonly { day: string; inputRows: number; inputBytes: number }[]
  ): boolean {
    return this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM export_backfills WHERE id = ?').get(b.id)
      if (exists !== undefined) return false
      this.db
        .prepare(
          `INSERT INTO export_backfills (id, dataset, exchange, symbol, from_day, to_day, params, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          b.id,
          b.dataset,
          b.exchange,
          b.symbol,
          b.from,
          b.to,
          JSON.stringify(b.params),
          b.createdAt
        )
      const ins = this.db.prepare(
        `INSERT INTO export_backfill_days (backfill_id, day, state, input_rows, input_bytes)
         VALUES (?, ?, 'queued', ?, ?)`
      )
      for (const d of days) ins.run(b.id, d.day, d.inputRows, d.inputBytes)
      return true
    })()
  }

  get(id: string): BackfillRecord {
    const r = this.db.prepare('SELECT * FROM export_backfills WHERE id = ?').get(id) as
      BackfillRow | undefined
    if (!r) throw new InputError(`no backfill ${id}`)
    return toRecord(r)
  }

  /** The most recently created backfill, or null. */
  latest(): BackfillRecord | null {
    const r = this.db
      .prepare('SELECT * FROM export_backfills ORDER BY created_at DESC, id DESC LIMIT 1')
      .get() as BackfillRow | undefined
    return r ? toRecord(r) : null
  }

  list(): BackfillRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM export_backfills ORDER BY created_at DESC')
        .all() as BackfillRow[]
    ).map(toRecord)
  }

  days(id: string): (BackfillDayView & { ownerPid: number | null })[] {
    return (
      this.db
        .prepare('SELECT * FROM export_backfill_days WHERE backfill_id = ? ORDER BY day')
        .all(id) as DayRow[]
    ).map(toDay)
  }

  /**
   * Days left `running` by a process that is gone go back to `queued` (their day job resumes
   * from its checkpoint); with retryFailed, failed days are queued again too.
   */
  requeue(id: string, alive: (pid: number) => boolean, retryFailed: boolean): number {
    return this.db.transaction(() => {
      let n = 0
      for (const d of this.days(id)) {
        const stale = d.state === 'running' && (d.ownerPid === null || !alive(d.ownerPid))
        if (stale || (retryFailed && d.state === 'failed')) {
          this.db
            .prepare(
              `UPDATE export_backfill_days SET state = 'queued', owner_pid = NULL,
                 reason = ? WHERE backfill_id = ? AND day = ?`
            )
            .run(stale ? 'interrupted; resumes from its checkpoint' : d.reason, id, d.day)
          n++
        }
      }
      return n
    })()
  }

  /** Takes the earliest queued day for this process, or null when none is left. */
  claim(id: string, pid: number, now: string): string | null {
    return this.db.transaction(() => {
      const r = this.db
        .prepare(
          "SELECT day FROM export_backfill_days WHERE backfill_id = ? AND state = 'queued' ORDER BY day LIMIT 1"
        )
        .get(id) as { day: string } | undefined
      if (!r) return null
      this.db
        .prepare(
          `UPDATE export_backfill_days SET state = 'running', owner_pid = ?, started_at = ?,
             ended_at = NULL, attempts = attempts + 1 WHERE backfill_id = ? AND day = ?`
        )
        .run(pid, now, id, r.day)
      return r.day
    })()
  }

  done(
    id: string,
    day: string,
    r: {
      endedAt: string
      events: number
      outputBytes: number
      seconds: number
      summary?: BackfillDaySummary | null | undefined
    }
  ): void {
    this.db
      .prepare(
        `UPDATE export_backfill_days SET state = 'done', reason = NULL, owner_pid = NULL,
           ended_at = ?, events = ?, output_bytes = ?, seconds = ?, summary = ?
         WHERE backfill_id = ? AND day = ?`
      )
      .run(
        r.endedAt,
        r.events,
        r.outputBytes,
        r.seconds,
        r.summary ? JSON.stringify(r.summary) : null,
        id,
        day
      )
  }

  failed(id: string, day: string, reason: string, endedAt: string): void {
    this.db
      .prepare(
        `UPDATE export_backfill_days SET state = 'failed', reason = ?, owner_pid = NULL,
           ended_at = ? WHERE backfill_id = ? AND day = ?`
      )
      .run(reason, endedAt, id, day)
  }

  /** A day job that was stopped (cancel): back to the queue, its checkpoint kept. */
  release(id: string, day: string): void {
    this.db
      .prepare(
        `UPDATE export_backfill_days SET state = 'queued', owner_pid = NULL,
           reason = 'cancelled; resumes from its checkpoint' WHERE backfill_id = ? AND day = ?`
      )
      .run(id, day)
  }

  setParallel(id: string, parallel: number): void {
    this.db.prepare('UPDATE export_backfills SET parallel = ? WHERE id = ?').run(parallel, id)
  }

  setCertificate(id: string, path: string): void {
    this.db.prepare('UPDATE export_backfills SET certificate = ? WHERE id = ?').run(path, id)
  }

  /** Rows/s, output bytes per input byte: measured over every done day of every backfill. */
  measuredRates(): { rowsPerSecond: number | null; outputRatio: number | null; days: number } {
    const r = this.db
      .prepare(
        `SELECT COUNT(*) AS n, SUM(input_rows) AS rows, SUM(seconds) AS secs,
                SUM(input_bytes) AS inb, SUM(output_bytes) AS outb
           FROM export_backfill_days WHERE state = 'done' AND seconds > 0`
      )
      .get() as {
      n: number
      rows: number | null
      secs: number | null
      inb: number | null
      outb: number | null
    }
    return {
      days: r.n,
      rowsPerSecond: r.n > 0 && r.secs ? (r.rows ?? 0) / r.secs : null,
      outputRatio: r.n > 0 && r.inb ? (r.outb ?? 0) / r.inb : null
    }
  }
}

// Jobs in the manifest, so history survives restarts and the CLI and the app see the same list.
import type { DoneJobOf, JobError, JobKind, JobRecord, JobState } from '../../src-shared/jobs'
import { isDoneJobOf } from '../../src-shared/jobs'
import { clipStrings } from '../util/clip'
import type { Db } from './manifest'

interface Row {
  id: string
  kind: string
  state: string
  params: string
  created_at: string
  started_at: string | null
  ended_at: string | null
  result: string | null
  error: string | null
}

// The one place a job's result is given its type: the row was written by finish() below with what
// the kind's runner returned (typed by JobKinds in the registry), so a done row holds its kind's
// result. The manifest is this process's own file, not input; no schema is kept for results.
function toRecord(r: Row): JobRecord {
  const record = {
    id: r.id,
    kind: r.kind as JobKind,
    state: r.state as JobState,
    params: JSON.parse(r.params) as unknown,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    error: r.error === null ? null : (JSON.parse(r.error) as JobError)
  }
  return record as JobRecord
}

export class JobsTable {
  constructor(private readonly db: Db) {}

  insert(job: { id: string; kind: JobKind; params: unknown; createdAt: string }): JobRecord {
    this.db
      .prepare(
        'INSERT INTO jobs (id, kind, state, params, created_at, owner_pid) VALUES (?, ?, ?, ?, ?, ?)'
      )
      .run(job.id, job.kind, 'queued', JSON.stringify(job.params), job.createdAt, process.pid)
    return this.get(job.id)
  }

  /** The time of a running job's latest progress report (the stalled-job alert reads it). */
  progressAt(id: string, at: string): void {
    this.db.prepare('UPDATE jobs SET progress_at = ? WHERE id = ?').run(at, id)
  }

  markRunning(id: string, at: string): JobRecord {
    this.db.prepare("UPDATE jobs SET state = 'running', started_at = ? WHERE id = ?").run(at, id)
    return this.get(id)
  }

  finish(
    id: string,
    state: JobState,
    at: string,
    result: unknown,
    error: JobError | null
  ): JobRecord {
    this.db
      .prepare('UPDATE jobs SET state = ?, ended_at = ?, result = ?, error = ? WHERE id = ?')
      .run(
        state,
        at,
        // Whoever finished the job, the row stays small (long strings clipped, length stated).
        result === undefined || result === null ? null : JSON.stringify(clipStrings(result)),
        error === null ? null : JSON.stringify(clipStrings(error)),
        id
      )
    return this.get(id)
  }

  /**
   * Jobs left queued or running by a process that is gone are not running any more: say so.
   * Jobs of a live process (the CLI beside the app) are left alone.
   */
  markInterrupted(at: string, isAlive: (pid: number) => boolean = pidAlive): number {
    const rows = this.db
      .prepare("SELECT id, owner_pid FROM jobs WHERE state IN ('queued', 'running')")
      .all() as { id: string; owner_pid: number | null }[]
    const dead = rows.filter((r) => r.owner_pid === null || !isAlive(r.owner_pid))
    const error: JobError = {
      kind: 'internal',
      message: 'the process running this job stopped before it finished'
    }
    const stmt = this.db.prepare(
      "UPDATE jobs SET state = 'interrupted', ended_at = ?, error = ? WHERE id = ?"
    )
    for (const r of dead) stmt.run(at, JSON.stringify(error), r.id)
    return dead.length
  }

  get(id: string): JobRecord {
    const job = this.find(id)
    if (job === null) throw new Error(`no job ${id}`)
    return job
  }

  find(id: string): JobRecord | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined
    return row ? toRecord(row) : null
  }

  /** The most recent finished ('done') jobs of a kind, newest first. */
  done<K extends JobKind>(kind: K, limit = 20): DoneJobOf<K>[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM jobs WHERE kind = ? AND state = 'done' ORDER BY ended_at DESC, id DESC LIMIT ?"
      )
      .all(kind, limit) as Row[]
    return rows.map(toRecord).filter((j): j is DoneJobOf<K> => isDoneJobOf(j, kind))
  }

  list(limit = 200): JobRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?')
      .all(limit) as Row[]
    return rows.map(toRecord)
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM'
  }
}

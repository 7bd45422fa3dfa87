// What the gates keep in the manifest: recorded decisions (overrides of a failing gate, the
// budget's approval), checks that are not jobs (the access check), and the saved data requirement. Its tables are migration 6 of lake/migrations.ts; the store works
// over any handle with better-sqlite3's prepare (structurally typed, so it never imports the driver).
import { randomUUID } from 'node:crypto'
import { userInfo } from 'node:os'
import type { Decision, GateVerdict } from '../../src-shared/gates'

export interface GatesDb {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number }
    get(...params: unknown[]): unknown
    all(...params: unknown[]): unknown[]
  }
}

interface DecisionRow {
  id: string
  gate: string
  subject: string
  who: string
  at: string
  why: string
  overrode: GateVerdict
}

export function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env['USER'] ?? 'unknown'
  }
}

export class GateStore {
  constructor(private readonly db: GatesDb) {}

  record(d: Omit<Decision, 'id' | 'at' | 'who'> & { who?: string; at?: string }): Decision {
    const decision: Decision = {
      id: randomUUID(),
      gate: d.gate,
      subject: d.subject,
      who: d.who ?? currentUser(),
      at: d.at ?? new Date().toISOString(),
      why: d.why.trim(),
      overrode: d.overrode
    }
    this.db
      .prepare(
        'INSERT INTO gate_decisions (id, gate, subject, who, at, why, overrode) VALUES (?, ?, ?, ?, ?, ?, ?)'
      )
      .run(
        decision.id,
        decision.gate,
        decision.subject,
        decision.who,
        decision.at,
        decision.why,
        decision.overrode
      )
    return decision
  }

  /** The latest decision on this gate for exactly this subject (evidence), or null. */
  latest(gate: string, subject: string): Decision | null {
    const row = this.db
      .prepare(
        'SELECT * FROM gate_decisions WHERE gate = ? AND subject = ? ORDER BY at DESC, rowid DESC LIMIT 1'
      )
      .get(gate, subject) as DecisionRow | undefined
    return row ?? null
  }

  list(limit = 200): Decision[] {
    return this.db
      .prepare('SELECT * FROM gate_decisions ORDER BY at DESC, rowid DESC LIMIT ?')
      .all(limit) as DecisionRow[]
  }

  /** A check that is not a job (e.g. verify-access): its verdict and what it found. */
  recordCheck(
    gate: string,
    verdict: GateVerdict,
    summary: unknown,
    at = new Date().toISOString()
  ): void {
    this.db
      .prepare('INSERT INTO gate_checks (gate, at, verdict, summary_json) VALUES (?, ?, ?, ?)')
      .run(gate, at, verdict, JSON.stringify(summary))
  }

  latestCheck(gate: string): { at: string; verdict: GateVerdict; summary: unknown } | null {
    const row = this.db
      .prepare(
        'SELECT at, verdict, summary_json FROM gate_checks WHERE gate = ? ORDER BY at DESC, rowid DESC LIMIT 1'
      )
      .get(gate) as { at: string; verdict: GateVerdict; summary_json: string } | undefined
    return row
      ? { at: row.at, verdict: row.verdict, summary: JSON.parse(row.summary_json) as unknown }
      : null
  }

  saveRequirement(json: unknown, at = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO data_requirements (id, requirement_json, saved_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET requirement_json = excluded.requirement_json, saved_at = excluded.saved_at`
      )
      .run(JSON.stringify(json), at)
  }

  requirement(): { value: unknown; savedAt: string } | null {
    const row = this.db
      .prepare('SELECT requirement_json, saved_at FROM data_requirements WHERE id = 1')
      .get() as { requirement_json: string; saved_at: string } | undefined
    return row
      ? { value: JSON.parse(row.requirement_json) as unknown, savedAt: row.saved_at }
      : null
  }
}

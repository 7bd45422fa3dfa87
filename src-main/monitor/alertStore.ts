// Alerts in the manifest. An evaluation's conditions are folded in: a (rule, key) not firing yet
// is raised (a new row), one already firing is seen again (count, last time, message), and a
// firing row whose condition is gone is cleared. Only raised and cleared alerts reach the
// channels, so a condition that lasts an hour notifies twice, not 240 times.
import {
  runbookOf,
  type AlertCondition,
  type AlertRecord,
  type AlertRule,
  type AlertSeverity
} from '../../src-shared/monitor'
import type { Db } from '../lake/manifest'

interface Row {
  id: number
  rule: string
  key: string
  severity: string
  message: string
  state: string
  first_at: string
  last_at: string
  count: number
  cleared_at: string | null
  ack_at: string | null
}

function toRecord(r: Row): AlertRecord {
  const rule = r.rule as AlertRule
  return {
    id: r.id,
    rule,
    key: r.key,
    severity: r.severity as AlertSeverity,
    message: r.message,
    state: r.state === 'cleared' ? 'cleared' : 'firing',
    firstAt: r.first_at,
    lastAt: r.last_at,
    count: r.count,
    clearedAt: r.cleared_at,
    ackAt: r.ack_at,
    runbook: runbookOf(rule)
  }
}

export interface AlertChanges {
  readonly raised: readonly AlertRecord[]
  readonly cleared: readonly AlertRecord[]
}

export class AlertStore {
  constructor(private readonly db: Db) {}

  /** Folds one evaluation (every condition firing at `at`) into the table. */
  apply(conditions: readonly AlertCondition[], at: string): AlertChanges {
    const raised: AlertRecord[] = []
    const cleared: AlertRecord[] = []
    const tx = this.db.transaction(() => {
      const open = new Map(this.firing().map((a) => [`${a.rule}\u0000${a.key}`, a]))
      for (const c of conditions) {
        const k = `${c.rule}\u0000${c.key}`
        const was = open.get(k)
        if (was) {
          open.delete(k)
          this.db
            .prepare(
              'UPDATE alerts SET last_at = ?, count = count + 1, message = ?, severity = ? WHERE id = ?'
            )
            .run(at, c.message, c.severity, was.id)
          continue
        }
        const r = this.db
          .prepare(
            "INSERT INTO alerts (rule, key, severity, message, state, first_at, last_at, count) VALUES (?, ?, ?, ?, 'firing', ?, ?, 1)"
          )
          .run(c.rule, c.key, c.severity, c.message, at, at)
        raised.push(this.get(Number(r.lastInsertRowid)))
      }
      for (const a of open.values()) {
        this.db
          .prepare("UPDATE alerts SET state = 'cleared', cleared_at = ? WHERE id = ?")
          .run(at, a.id)
        cleared.push(this.get(a.id))
      }
    })
    tx()
    return { raised, cleared }
  }

  firing(): AlertRecord[] {
    return (
      this.db.prepare("SELECT * FROM alerts WHERE state = 'firing' ORDER BY id").all() as Row[]
    ).map(toRecord)
  }

  /** The newest alerts first (firing and cleared). */
  history(limit = 200): AlertRecord[] {
    return (
      this.db.prepare('SELECT * FROM alerts ORDER BY id DESC LIMIT ?').all(limit) as Row[]
    ).map(toRecord)
  }

  get(id: number): AlertRecord {
    const r = this.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as Row | undefined
    if (!r) throw new Error(`no alert ${id}`)
    return toRecord(r)
  }

  /** Acknowledges an alert (it stays firing until its condition is gone); false when unknown. */
  ack(id: number, at: string): boolean {
    return this.db.prepare('UPDATE alerts SET ack_at = ? WHERE id = ?').run(at, id).changes > 0
  }
}

// The data gate's repository over the open manifest (tables of schema.ts): records runs, file
// results and every rule finding, keeps the per-zone state of each file (gate_files), and answers
// "which sha256 did the manifest record for this file" from the gate's own records or, for
// downloads, the acquisition ledger's acquired_files (when that table exists).
import type { DayReport, FileReport, RuleResult, RuleStatus } from '../../src-shared/validate'
import type { Db } from '../lake/manifest'
import type { GateFile, Zone } from './partition'

export interface RunRecord {
  readonly id: string
  readonly kind: 'validate' | 'certify'
  readonly createdAt: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string | null
  readonly to: string | null
  readonly params: unknown
  readonly summary: unknown
}

export interface GateFileRow {
  readonly table: string
  readonly exchange: string
  readonly symbol: string
  readonly day: string
  readonly filename: string
  readonly zone: Zone
  readonly path: string
  readonly source: string
  readonly sha256: string
  readonly bytes: number
  readonly status: 'staged' | 'pass' | 'warn' | 'fail'
  readonly reasons: readonly string[]
  readonly enteredAt: string
  readonly validatedAt: string | null
  readonly lastRunId: string | null
}

export interface FindingRow {
  readonly runId: string
  readonly scope: string
  readonly rule: string
  readonly status: RuleStatus
  readonly measured: string
  readonly count: number
  readonly firstRow: number | null
}

type Key = Pick<GateFile, 'table' | 'exchange' | 'symbol' | 'day' | 'filename'>

interface GateRow {
  table_name: string
  exchange: string
  symbol: string
  dt: string
  filename: string
  zone: string
  path: string
  source: string
  sha256: string
  bytes: number
  status: string
  reasons_json: string
  entered_at: string
  validated_at: string | null
  last_run_id: string | null
}

const KEY_WHERE = 'table_name = ? AND exchange = ? AND symbol = ? AND dt = ? AND filename = ?'
const keyArgs = (k: Key): string[] => [k.table, k.exchange, k.symbol, k.day, k.filename]

export class ValidationStore {
  constructor(private readonly db: Db) {}

  recordRun(r: RunRecord): void {
    this.db
      .prepare(
        `INSERT INTO validation_runs (id, kind, created_at, exchange, symbol, day_from, day_to,
           params_json, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET summary_json = excluded.summary_json`
      )
      .run(
        r.id,
        r.kind,
        r.createdAt,
        r.exchange,
        r.symbol,
        r.from,
        r.to,
        JSON.stringify(r.params),
        JSON.stringify(r.summary)
      )
  }

  /** A file's result and its rule findings; `finalPath`/`zone` say where it is after the run. */
  recordFile(runId: string, f: FileReport, finalPath: string, zone: Zone | 'other'): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO validation_files (run_id, path, final_path, zone, table_name,
           exchange, symbol, dt, filename, bytes, sha256, rows, footer_rows, row_groups,
           first_receive, last_receive, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        runId,
        f.path,
        finalPath,
        zone,
        f.table,
        f.exchange,
        f.symbol,
        f.day,
        f.filename,
        f.bytes,
        f.sha256,
        f.rows,
        f.footerRows,
        f.rowGroups,
        f.firstReceive,
        f.lastReceive,
        f.status
      )
    this.recordFindings(runId, f.path, f.rules)
  }

  recordDay(runId: string, d: DayReport): void {
    this.recordFindings(runId, `day:${d.table}/${d.day}`, d.rules)
  }

  recordFindings(runId: string, scope: string, rules: readonly RuleResult[]): void {
    const stmt = this.db.prepare(
      `INSERT OR REPLACE INTO validation_findings (run_id, scope, rule, category, status,
         threshold, measured, count, first_row, examples_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    for (const r of rules) {
      stmt.run(
        runId,
        scope,
        r.rule,
        r.category,
        r.status,
        r.threshold,
        r.measured,
        r.count,
        r.examples[0]?.row ?? null,
        JSON.stringify(r.examples)
      )
    }
  }

  /** Findings of a run (optionally one scope), failing and warning first. */
  findings(runId: string, scope?: string): FindingRow[] {
    const rows = this.db
      .prepare(
        `SELECT run_id, scope, rule, status, measured, count, first_row FROM validation_findings
         WHERE run_id = ? ${scope === undefined ? '' : 'AND scope = ?'}
         ORDER BY CASE status WHEN 'fail' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END, scope, rule`
      )
      .all(...(scope === undefined ? [runId] : [runId, scope])) as {
      run_id: string
      scope: string
      rule: string
      status: RuleStatus
      measured: string
      count: number
      first_row: number | null
    }[]
    return rows.map((r) => ({
      runId: r.run_id,
      scope: r.scope,
      rule: r.rule,
      status: r.status,
      measured: r.measured,
      count: r.count,
      firstRow: r.first_row
    }))
  }

  gateFile(k: Key, zone: Zone): GateFileRow | undefined {
    const row = this.db
      .prepare(`SELECT * FROM gate_files WHERE ${KEY_WHERE} AND zone = ?`)
      .get(...keyArgs(k), zone) as GateRow | undefined
    return row === undefined ? undefined : toGateFile(row)
  }

  /** Gate files of one exchange/symbol (optionally one zone) with dt in [from, to]. */
  gateFiles(sel: {
    exchange: string
    symbol: string
    from: string
    to: string
    zone?: Zone
  }): GateFileRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM gate_files WHERE exchange = ? AND symbol = ? AND dt >= ? AND dt <= ?
         ${sel.zone === undefined ? '' : 'AND zone = ?'}
         ORDER BY table_name, dt, filename, zone`
      )
      .all(
        ...[sel.exchange, sel.symbol, sel.from, sel.to, ...(sel.zone ? [sel.zone] : [])]
      ) as GateRow[]
    return rows.map(toGateFile)
  }

  /** A file entered a zone (import, download seen by the gate, promotion): its sha256 is fixed here. */
  enter(
    row: Omit<GateFileRow, 'validatedAt' | 'lastRunId' | 'reasons'> & {
      reasons?: readonly string[]
    }
  ): void {
    this.db
      .prepare(
        `INSERT INTO gate_files (table_name, exchange, symbol, dt, filename, zone, path, source,
           sha256, bytes, status, reasons_json, entered_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (table_name, exchange, symbol, dt, filename, zone) DO UPDATE SET
           path = excluded.path, source = excluded.source, sha256 = excluded.sha256,
           bytes = excluded.bytes, status = excluded.status, reasons_json = excluded.reasons_json,
           entered_at = excluded.entered_at, validated_at = NULL, last_run_id = NULL`
      )
      .run(
        row.table,
        row.exchange,
        row.symbol,
        row.day,
        row.filename,
        row.zone,
        row.path,
        row.source,
        row.sha256,
        row.bytes,
        row.status,
        JSON.stringify(row.reasons ?? []),
        row.enteredAt
      )
  }

  /** A validation's outcome for a file that stays where it is (the recorded sha256 is kept). */
  validated(
    k: Key,
    zone: Zone,
    v: {
      path: string
      /** The sha256 to fix if the gate has no record yet: the recorded one, else the file's. */
      entrySha256: string
      bytes: number
      status: FileReport['status']
      reasons: readonly string[]
      at: string
      runId: string
    }
  ): void {
    const existing = this.gateFile(k, zone)
    if (existing === undefined) {
      this.enter({
        ...k,
        zone,
        path: v.path,
        source: 'download',
        sha256: v.entrySha256,
        bytes: v.bytes,
        status: v.status,
        enteredAt: v.at,
        reasons: v.reasons
      })
    }
    this.db
      .prepare(
        `UPDATE gate_files SET status = ?, reasons_json = ?, validated_at = ?, last_run_id = ?,
           path = ? WHERE ${KEY_WHERE} AND zone = ?`
      )
      .run(v.status, JSON.stringify(v.reasons), v.at, v.runId, v.path, ...keyArgs(k), zone)
  }

  remove(k: Key, zone: Zone): void {
    this.db
      .prepare(`DELETE FROM gate_files WHERE ${KEY_WHERE} AND zone = ?`)
      .run(...keyArgs(k), zone)
  }

  /**
   * A downloaded file moved (staging → ready): the acquisition ledger follows it, so a later
   * download run finds it verified where it now is instead of fetching it again.
   */
  fileMoved(fromRel: string, toRel: string): void {
    this.db.prepare('UPDATE acquired_files SET path = ? WHERE path = ?').run(toRel, fromRel)
  }

  /**
   * The sha256 the manifest recorded for a file: for ready/, the one fixed at promotion; for
   * staging/, the latest of the gate's entry (import) and the acquisition ledger's verified
   * download of the same partition file.
   */
  expectedSha(f: GateFile): { sha256: string; source: string } | null {
    if (f.zone === 'other') return null
    const gate = this.gateFile(f, f.zone)
    if (f.zone === 'ready')
      return gate === undefined ? null : { sha256: gate.sha256, source: 'promotion record' }
    let best =
      gate === undefined
        ? null
        : { sha256: gate.sha256, source: `${gate.source} record`, at: gate.enteredAt }
    {
      const row = this.db
        .prepare(
          `SELECT sha256, recorded_at FROM acquired_files WHERE ${KEY_WHERE}
             AND status = 'verified' AND sha256 IS NOT NULL ORDER BY recorded_at DESC LIMIT 1`
        )
        .get(...keyArgs(f)) as { sha256: string; recorded_at: string } | undefined
      if (row !== undefined && (best === null || row.recorded_at > best.at))
        best = { sha256: row.sha256, source: 'download record', at: row.recorded_at }
    }
    return best === null ? null : { sha256: best.sha256, source: best.source }
  }
}

function toGateFile(r: GateRow): GateFileRow {
  return {
    table: r.table_name,
    exchange: r.exchange,
    symbol: r.symbol,
    day: r.dt,
    filename: r.filename,
    zone: r.zone as Zone,
    path: r.path,
    source: r.source,
    sha256: r.sha256,
    bytes: r.bytes,
    status: r.status as GateFileRow['status'],
    reasons: JSON.parse(r.reasons_json) as string[],
    enteredAt: r.entered_at,
    validatedAt: r.validated_at,
    lastRunId: r.last_run_id
  }
}

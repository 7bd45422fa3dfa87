// Day- and range-level coverage rules, from the per-file results: writer restarts found in the
// rows (the vendor's contains_gaps=Yes is only a hint: every real file carries it, research notes
// "Corrections"; a flagged day whose data shows no restart passes), how much of the
// UTC day the rows span, several files in one partition (fine when they follow each other, a
// defect when their receive times overlap: a replay would apply the same period twice), and days
// of the requested range where a table has no file at all (reported, never filled).
import type {
  DayReport,
  GateTable,
  RuleResult,
  ValidationThresholds
} from '../../src-shared/validate'
import { daysFromTo } from '../lake/layout'
import type { ValidatedFile } from './fileValidator'
import { isoUs } from './rowCheck'
import { restartText } from './restarts'
import { RuleTally, plural, result, worst } from './rules'

const DAY_US = 86_400_000_000

/**
 * The coverage rules of one partition. `files` are this run's results for it; `unvalidated` counts
 * files present in the partition that this run did not read (e.g. already in ready/).
 */
export function dayReport(
  table: GateTable,
  day: string,
  files: readonly ValidatedFile[],
  unvalidated: number,
  t: ValidationThresholds
): DayReport {
  const rel = files[0]?.report.path ?? `${table}/${day}`
  const tally = (): RuleTally => new RuleTally(rel, t.examples)
  const rules: RuleResult[] = []

  const restarts = tally()
  let flagged = 0
  let read = 0
  for (const f of files) {
    if (f.report.kv?.['contains_gaps'] === 'Yes') flagged++
    if (f.report.restarts !== undefined) read++
    for (const r of f.report.restarts ?? [])
      restarts.add(r.row, `${f.report.path}: writer restart at ${restartText(r)}`)
  }
  const flag =
    flagged > 0 ? `; ${plural(flagged, 'file')} flagged contains_gaps=Yes (the writer's hint)` : ''
  rules.push(
    result(
      'coverage.restarts',
      t,
      table,
      restarts.count > 0 ? 'warn' : read === 0 ? 'skip' : 'pass',
      read === 0
        ? 'no rows read'
        : restarts.count > 0
          ? `${plural(restarts.count, 'restart')} found in the data${flag}`
          : `no restart found in the data (no snapshot burst, receive-time gap or missing trade id)${flag}`,
      restarts
    )
  )

  const start = Date.parse(`${day}T00:00:00Z`) * 1000
  const spans = files
    .filter((f) => f.firstRecvUs === f.firstRecvUs)
    .map((f) => ({ f, a: f.firstRecvUs, b: f.lastRecvUs }))
    .sort((x, y) => x.a - y.a)
  if (spans.length === 0) {
    rules.push(result('coverage.day-span', t, table, 'skip', 'no rows read'))
  } else {
    const a = Math.max(start, Math.min(...spans.map((s) => s.a)))
    const b = Math.min(start + DAY_US, Math.max(...spans.map((s) => s.b)))
    const share = Math.max(0, b - a) / DAY_US
    const hours = (Math.max(0, b - a) / 3.6e9).toFixed(2)
    rules.push(
      result(
        'coverage.day-span',
        t,
        table,
        share < t.daySpanFailShare ? 'fail' : share < t.daySpanWarnShare ? 'warn' : 'pass',
        `rows span ${hours} h of 24 (${+(share * 100).toFixed(2)} %): ${isoUs(a)} … ${isoUs(b)}`
      )
    )
  }

  const many = tally()
  const n = files.length + unvalidated
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1]
    const cur = spans[i]
    if (prev && cur && cur.a <= prev.b)
      many.add(
        null,
        `${cur.f.report.path} (${isoUs(cur.a)} …) overlaps ${prev.f.report.path} (… ${isoUs(prev.b)})`
      )
  }
  rules.push(
    result(
      'coverage.multiple-files',
      t,
      table,
      many.count > 0 ? 'fail' : n > 1 ? 'warn' : 'pass',
      n > 1
        ? `${plural(n, 'file')} in the partition, ${plural(many.count, 'overlap')}`
        : 'one file',
      many
    )
  )

  const fileStatus = worst(files.map((f) => f.report.status))
  return {
    table,
    day,
    files: n,
    rows: files.reduce((s, f) => s + f.report.rows, 0),
    status: worst([fileStatus, ...rules.map((r) => r.status)]),
    rules
  }
}

/** coverage.missing-days over [from, to] for each table; `present` = days with a file per table. */
export function missingDaysRule(
  tables: readonly GateTable[],
  from: string,
  to: string,
  present: (table: GateTable) => ReadonlySet<string>,
  t: ValidationThresholds
): { rule: RuleResult; missing: Record<GateTable, string[]> } {
  const tally = new RuleTally('', t.examples)
  const missing = { book_delta_v2: [], trades: [], book: [] } as Record<GateTable, string[]>
  const days = daysFromTo(from, to)
  for (const table of tables) {
    const have = present(table)
    for (const d of days) {
      if (!have.has(d)) {
        missing[table].push(d)
        tally.add(null, `${table} has no file for ${d}`)
      }
    }
  }
  const first = tables[0] ?? 'book_delta_v2'
  return {
    missing,
    rule: result(
      'coverage.missing-days',
      t,
      first,
      tally.count > 0 ? 'fail' : 'pass',
      `${plural(tally.count, 'missing table-day')} over ${plural(days.length, 'day')} (${from} … ${to})`,
      tally
    )
  }
}

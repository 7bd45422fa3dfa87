// Day- and range-level coverage rules, from the per-file results: the vendor's contains_gaps
// metadata (Yes = the capture process restarted that day, research notes §1.4), how much of the
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

  const gaps = tally()
  let withMeta = 0
  for (const f of files) {
    const v = f.report.kv?.['contains_gaps']
    if (v !== undefined) withMeta++
    if (v === 'Yes') gaps.add(null, `${f.report.path}: contains_gaps=Yes (the capture restarted)`)
  }
  rules.push(
    result(
      'coverage.contains-gaps',
      t,
      table,
      gaps.count > 0 ? 'warn' : withMeta === 0 ? 'skip' : 'pass',
      withMeta === 0
        ? 'no file carries the metadata'
        : `${plural(gaps.count, 'file')} say contains_gaps=Yes`,
      gaps
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

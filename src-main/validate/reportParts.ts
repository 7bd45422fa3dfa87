// HTML pieces shared by the validation report and the certificate (built on src-main/report):
// a status badge, a rule-results table with the first offending rows, a file table, a day table,
// and a bar chart of how many files each rule failed or warned.
import type { DayReport, FileReport, RuleResult, RuleStatus } from '../../src-shared/validate'
import { esc, table, verdict, type Cell } from '../html/html'
import { barChart } from '../html/svg'

export function statusCell(s: RuleStatus | 'missing'): { html: string } {
  if (s === 'pass') return verdict(true, 'pass')
  if (s === 'fail' || s === 'missing') return verdict(false, s)
  if (s === 'warn') return verdict(null, 'warn')
  return { html: '<span>skip</span>' }
}

function examplesHtml(r: RuleResult): string {
  if (r.examples.length === 0) return ''
  const items = r.examples
    .map(
      (e) =>
        `<li><code>${esc(e.file)}${e.row === null ? '' : `:${e.row}`}</code> ${esc(e.message)}</li>`
    )
    .join('')
  const more = r.count > r.examples.length ? `<li>… ${r.count - r.examples.length} more</li>` : ''
  return `<ul style="margin:2px 0 2px 16px;padding:0">${items}${more}</ul>`
}

/** Rule results; `onlyProblems` keeps fail/warn rows. */
export function rulesTable(rules: readonly RuleResult[], onlyProblems = false): string {
  const shown = onlyProblems
    ? rules.filter((r) => r.status === 'fail' || r.status === 'warn')
    : rules
  if (shown.length === 0) return '<p>No failures or warnings.</p>'
  return table(
    ['rule', 'status', 'threshold', 'measured', 'count'],
    shown.map((r): Cell[] => [
      { html: `<code>${esc(r.rule)}</code>` },
      statusCell(r.status),
      r.threshold,
      { html: `${esc(r.measured)}${examplesHtml(r)}` },
      r.count
    ])
  )
}

export function filesTable(files: readonly FileReport[]): string {
  return table(
    ['file', 'rows', 'bytes', 'receive span', 'sha256', 'status', 'failed / warned rules'],
    files.map((f): Cell[] => [
      { html: `<code>${esc(f.path)}</code>` },
      f.rows,
      f.bytes,
      f.firstReceive === null ? '' : `${f.firstReceive} … ${f.lastReceive ?? ''}`,
      { html: `<code>${esc(f.sha256.slice(0, 16))}…</code>` },
      statusCell(f.status),
      f.rules
        .filter((r) => r.status === 'fail' || r.status === 'warn')
        .map((r) => `${r.rule} (${r.status})`)
        .join(', ')
    ])
  )
}

export function daysTable(days: readonly DayReport[]): string {
  return table(
    ['table', 'day', 'files', 'rows', 'status', 'day rules'],
    days.map((d): Cell[] => [
      d.table,
      d.day,
      d.files,
      d.rows,
      statusCell(d.status),
      { html: rulesInline(d.rules) }
    ])
  )
}

function rulesInline(rules: readonly RuleResult[]): string {
  return rules
    .map((r) => `<code>${esc(r.rule)}</code> ${statusCell(r.status).html} ${esc(r.measured)}`)
    .join('<br>')
}

/** Files failing or warning per rule, as a bar chart (nothing when every rule passed). */
export function ruleChart(files: readonly FileReport[], title: string): string {
  const counts = new Map<string, number>()
  for (const f of files)
    for (const r of f.rules)
      if (r.status === 'fail' || r.status === 'warn')
        counts.set(`${r.rule} (${r.status})`, (counts.get(`${r.rule} (${r.status})`) ?? 0) + 1)
  if (counts.size === 0) return ''
  const bars = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([label, value]) => ({ label, value }))
  return barChart(bars, { title, width: 720 })
}

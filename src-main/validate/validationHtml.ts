// The validation run as a self-contained HTML page (src-main/report): what was checked, every
// file with its status, what moved to ready/, what stays in staging and why, day and range rules,
// and each file's failing or warning rules with their first offending rows.
import type { ValidationRunResult } from '../../src-shared/validate'
import { esc, renderReport, table, type ReportSection } from '../html/html'
import { VERSION } from '../version'
import { daysTable, filesTable, ruleChart, rulesTable } from './reportParts'

export function renderValidationHtml(r: ValidationRunResult, generatedAt: string): string {
  const sections: ReportSection[] = [
    {
      heading: 'Summary',
      html:
        table(
          ['files', 'pass', 'warn', 'fail', 'moved to ready/', 'kept in staging/'],
          [
            [
              r.files.length,
              r.counts.pass,
              r.counts.warn,
              r.counts.fail,
              r.promoted.length,
              r.kept.length
            ]
          ]
        ) + ruleChart(r.files, 'files per failing or warning rule')
    },
    {
      heading: 'Files',
      html: r.files.length === 0 ? '<p>No files in the selection.</p>' : filesTable(r.files)
    },
    {
      heading: 'Kept in staging',
      html:
        r.kept.length === 0
          ? '<p>None.</p>'
          : table(
              ['file', 'reasons'],
              r.kept.map((k) => [
                { html: `<code>${esc(k.path)}</code>` },
                { html: k.reasons.map(esc).join('<br>') }
              ])
            )
    },
    { heading: 'Days', html: r.days.length === 0 ? '<p>None.</p>' : daysTable(r.days) },
    { heading: 'Range', html: rulesTable(r.rules) },
    ...r.files
      .filter((f) => f.status !== 'pass')
      .map((f) => ({ heading: `${f.path} — ${f.status}`, html: rulesTable(f.rules, true) }))
  ]
  return renderReport({
    title: `Validation ${r.exchange} ${r.symbol}`,
    subtitle: `${r.from ?? '…'} to ${r.to ?? '…'} · ${r.tables.join(', ')}`,
    provenance: [
      ['run', r.runId],
      ['tick', r.tick ?? 'unknown'],
      ['code version', VERSION],
      ['generated', generatedAt]
    ],
    sections
  })
}

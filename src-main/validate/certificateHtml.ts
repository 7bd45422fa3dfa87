// The certificate as a readable, self-contained HTML page: verdict and gates with their
// thresholds, coverage per table and day, every certified file with hash, size, rows and span,
// open issues, day rules, each file's failing or warning rules, and the thresholds used. The only
// line that changes between two runs on the same files is "generated".
import type { Certificate } from '../../src-shared/validate'
import { esc, renderReport, table, verdict, type Cell } from '../html/html'
import { daysTable, filesTable, ruleChart, rulesTable, statusCell } from './reportParts'

export function renderCertificateHtml(c: Certificate): string {
  const s = c.selection
  const coverageRows: Cell[][] = c.coverage.days.map((d) => [
    d,
    ...s.tables.map((tb): Cell => {
      const present = (c.coverage.tables[tb]?.present ?? []).includes(d)
      return verdict(present, present ? 'present' : 'missing')
    })
  ])
  const thresholds = Object.entries(c.thresholds).map(([k, v]): Cell[] => [
    { html: `<code>${esc(k)}</code>` },
    typeof v === 'object' ? JSON.stringify(v) : String(v)
  ])
  return renderReport({
    title: `Certificate ${s.exchange} ${s.symbol} ${s.from} … ${s.to}: ${c.verdict.toUpperCase()}`,
    subtitle: `${s.tables.join(', ')} · tick ${s.tick ?? 'unknown'} · ${c.totals.files} files, ${c.totals.rows.toLocaleString('en-US')} rows, ${c.totals.bytes.toLocaleString('en-US')} bytes`,
    provenance: [
      ['code version', c.codeVersion],
      ['content sha256', c.contentSha256],
      ['generated', c.generatedAt]
    ],
    sections: [
      {
        heading: 'Gates',
        html:
          table(
            ['gate', 'status', 'threshold', 'detail'],
            c.gates.map((g) => [g.gate, statusCell(g.status), g.threshold, g.detail])
          ) + ruleChart(c.files, 'files per failing or warning rule')
      },
      {
        heading: 'Coverage',
        html: table(['day', ...s.tables], coverageRows) + rulesTable(c.rangeRules)
      },
      {
        heading: 'Open issues',
        html:
          c.openIssues.length === 0
            ? '<p>None.</p>'
            : table(
                ['kind', 'table', 'day', 'file', 'message'],
                c.openIssues.map((i) => [i.kind, i.table, i.day, i.path ?? '', i.message])
              )
      },
      { heading: 'Files', html: c.files.length === 0 ? '<p>No files.</p>' : filesTable(c.files) },
      { heading: 'Days', html: c.days.length === 0 ? '<p>None.</p>' : daysTable(c.days) },
      ...c.files
        .filter((f) => f.status !== 'pass')
        .map((f) => ({ heading: `${f.path} — ${f.status}`, html: rulesTable(f.rules, true) })),
      { heading: 'Thresholds', html: table(['threshold', 'value'], thresholds) }
    ]
  })
}

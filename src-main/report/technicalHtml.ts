// The technical go/no-go report as one self-contained HTML page (src-main/report/html.ts).
import { fmtBytes, fmtDuration, fmtInt } from '../../src-shared/format'
import type { TargetCheck, TechnicalReport } from '../../src-shared/report'
import { esc, renderReport, table, verdict } from '../html/html'
import { barChart } from '../html/svg'

function amount(v: number, unit: string): string {
  if (unit === 'bytes') return fmtBytes(v)
  if (unit === 'bytes/s') return `${fmtBytes(v)}/s`
  return `${v.toLocaleString('en-US', { maximumFractionDigits: unit === 'hours' ? 1 : 0 })} ${unit}`
}

function targetRow(t: TargetCheck): (string | { html: string })[] {
  return [
    t.name,
    amount(t.measured, t.unit),
    `${t.direction === 'min' ? '≥' : '≤'} ${amount(t.target, t.unit)}`,
    verdict(t.pass, t.pass ? 'pass' : t.required ? 'fail' : 'missed'),
    t.required ? 'required' : 'goal',
    t.why
  ]
}

/** What `lakebook bench` measured, when, and the twelve months at its rates. */
function benchSection(r: TechnicalReport): { heading: string; html: string } {
  const b = r.bench
  const heading = 'Figures from lakebook bench'
  if (b === undefined || b === null)
    return {
      heading,
      html: `<p>No <code>lakebook bench</code> result in the lake's reports folder: every figure above is this report's own. Run <code>lakebook bench</code> for an estimate with validation on every core.</p>`
    }
  const rate = (x: number, unit: string): string => `${fmtInt(x)} ${unit}/s`
  return {
    heading,
    html:
      `<p>These figures come from <code>${esc(b.command)}</code>, run ${esc(b.createdAt)} on ${esc(b.machine)} (${esc(b.file)}), on ${esc(b.input)}.${b.quick ? ' It was a --quick run: a check that the bench works, not a measurement.' : ''} The verdict above is from this report's own measurements; this row recomputes the twelve months at the bench's rates.</p>` +
      table(
        ['figure', 'lakebook bench'],
        [
          [`validate, ${b.validateWorkers} threads`, rate(b.validateRowsPerSecond, 'rows')],
          ['validate, one thread', rate(b.validateSerialRowsPerSecond, 'rows')],
          ['Lake replay', rate(b.replayRowsPerSecond, 'rows')],
          ['export', rate(b.exportEventsPerSecond, 'events')],
          [
            'export --validate (one pass)',
            b.onePassEventsPerSecond === null
              ? 'not measured'
              : rate(b.onePassEventsPerSecond, 'events')
          ],
          [
            'capture replay',
            b.captureMessagesPerSecond === null
              ? 'not measured'
              : rate(b.captureMessagesPerSecond, 'messages')
          ],
          ['output per row', `${b.outputBytesPerRow.toFixed(1)} bytes`],
          ['peak RSS', `${b.peakRssMb} MB`],
          [`${b.year.label}, validate + export`, fmtDuration(b.year.seconds * 1000)],
          [`${b.year.label}, replay only`, fmtDuration(b.year.replaySeconds * 1000)],
          ...(b.yearOnePass === null
            ? []
            : [
                [
                  `${b.year.label}, validate + export in one pass`,
                  fmtDuration(b.yearOnePass.seconds * 1000)
                ]
              ])
        ]
      )
  }
}

export function technicalHtml(r: TechnicalReport): string {
  const s = r.sample
  const v = r.verdict
  return renderReport({
    title: `Technical go/no-go: ${v.toUpperCase()}`,
    subtitle: `${s.exchange} ${s.symbol}, ${s.hours.toFixed(2)} h of real data (${s.days.join(', ')})`,
    provenance: [
      ['command', 'lakebook report technical'],
      ['code version', r.codeVersion],
      ['created', r.createdAt],
      [
        'machine',
        `${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}`
      ],
      ['sample', `${s.root}: ${s.files} files, ${fmtBytes(s.bytes)}`]
    ],
    sections: [
      {
        heading: 'Verdict',
        html: `<p>${verdict(v === 'go' ? true : v === 'no-go' ? false : null, v).html} — required targets decide go/no-go; a missed goal adds a caveat.</p>${table(
          ['target', 'measured', 'target', 'result', 'kind', 'why'],
          r.targets.map(targetRow)
        )}`
      },
      {
        heading: 'Stages (measured on the sample, one after the other)',
        html:
          table(
            ['stage', 'what', 'units', 'seconds', 'per second', 'input rows/s'],
            r.stages.map((x) => [
              x.stage,
              x.what,
              `${x.units.toLocaleString('en-US')} ${x.unit}`,
              Math.round(x.seconds * 1000) / 1000,
              Math.round(x.perSecond),
              Math.round(x.rowsPerSecond)
            ])
          ) +
          barChart(
            r.stages.map((x) => ({ label: x.stage, value: x.rowsPerSecond })),
            { title: 'input rows per second', width: 520 }
          ) +
          `<p>Peak memory (whole process, all threads): ${r.peakRssMb} MB. Export output is ${r.exportOutputRatio.toFixed(2)}× the input bytes. Each stage runs twice and the second run is timed (JIT, page cache and thread start-up warmed), so the read stage measures the page cache when the sample fits in memory: for the disk's own rate, time a cold read of a sample larger than memory. Export start-up (threads, Parquet writers: about 1 s) is paid once per day job.</p>`
      },
      {
        heading: `Extrapolation at ${r.eventsPerHour.toLocaleString('en-US')} events/h`,
        html:
          table(
            [
              'range',
              'events',
              'input on disk',
              'dataset on disk',
              'validate + export',
              'replay only'
            ],
            r.extrapolations.map((e) => [
              `${e.label} (${e.days} days)`,
              e.events,
              fmtBytes(e.inputBytes),
              fmtBytes(e.outputBytes),
              fmtDuration(e.seconds * 1000),
              fmtDuration(e.replaySeconds * 1000)
            ])
          ) + `<p>Free on the lake's disk: ${esc(fmtBytes(r.diskFreeBytes))}.</p>`
      },
      benchSection(r),
      {
        heading: 'Pivots (each judged again from the same measurements)',
        html: table(
          ['pivot', 'twelve months, validate + export', 'year on disk', 'free', 'verdict', 'basis'],
          r.pivots.map((p) => [
            p.title,
            fmtDuration(p.yearHours * 3_600_000),
            fmtBytes(p.yearDiskBytes),
            fmtBytes(p.diskFreeBytes),
            verdict(p.verdict === 'go' ? true : p.verdict === 'no-go' ? false : null, p.verdict),
            p.basis
          ])
        )
      },
      {
        heading: 'Targets used (the lake’s config)',
        html: table(
          ['target', 'value'],
          Object.entries(r.targetConfig).map(([k, v]) => [k, v.toLocaleString('en-US')])
        )
      },
      { heading: 'Recommendation', html: `<p>${esc(r.recommendation)}</p>` }
    ]
  })
}

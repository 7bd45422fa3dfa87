// lakebook report technical: the go/no-go report — per-stage throughput on a real sample, peak
// memory, month and year extrapolated against the targets, a verdict (JSON + HTML).
import { resolve } from 'node:path'
import { type Command } from 'commander'
import { fmtBytes } from '../../../src-shared/format'
import { dayArg, EXIT, finish, runJob, type GlobalOpts } from '../run'
import { openManifest } from '../../lake/manifest'
import { resolveLakeRoot } from '../../lake/paths'
import { progressReport, writeProgressReport } from '../../report/progress'
import { writeScheduledReports } from '../../report/schedule'
import { technicalText } from '../../report/technicalText'
import { EmptySelectionError, InputError } from '../../util/errors'

export function register(program: Command): void {
  const report = program.command('report').description('reports about the pipeline itself')
  report
    .command('progress')
    .description(
      'what was downloaded, validated, replayed and exported, quota and cost, alerts and the gates, over a period (JSON + HTML in <lake>/reports)'
    )
    .option('--since <day>', 'first day of the period, YYYY-MM-DD (default: 7 days ago)', dayArg)
    .option(
      '--schedule',
      'write the daily (each ended UTC day) and weekly (each ended ISO week) reports not written yet, once each'
    )
    .action((o: { since?: string; schedule?: boolean }) => {
      const g = program.opts<GlobalOpts>()
      const lake = resolveLakeRoot(g.lake)
      if (o.schedule === true) {
        if (o.since !== undefined)
          throw new InputError('--schedule writes whole days and weeks: drop --since')
        const db = openManifest(lake)
        try {
          const r = writeScheduledReports(db, lake, Date.now())
          // Ran, but there was nothing to write: "nothing to do", exit 2, like an empty selection.
          if (r.nothingYet !== undefined) {
            if (g.json === true) process.stdout.write(`${JSON.stringify(r)}\n`)
            throw new EmptySelectionError(r.nothingYet)
          }
          process.stdout.write(
            g.json === true
              ? `${JSON.stringify(r)}\n`
              : [
                  `scheduled progress reports: ${r.written.length} written, ${r.skipped} already there`,
                  ...r.written.map((w) => `  ${w.kind} ${w.period}: ${w.html}`),
                  ''
                ].join('\n')
          )
        } finally {
          db.close()
        }
        return
      }
      const to = new Date()
      const from = o.since
        ? new Date(`${o.since}T00:00:00Z`)
        : new Date(to.getTime() - 7 * 86_400_000)
      if (from >= to) throw new InputError(`--since ${o.since ?? ''} is not in the past`)
      const db = openManifest(lake)
      try {
        const r = progressReport(db, lake, from, to)
        const paths = writeProgressReport(r, lake)
        if (g.json === true)
          process.stdout.write(`${JSON.stringify({ ...r, files: paths })}
`)
        else {
          const done = r.jobs.reduce((n, j) => n + j.done, 0)
          const failed = r.jobs.reduce((n, j) => n + j.failed, 0)
          process.stdout.write(
            [
              `progress ${r.from.slice(0, 10)} → ${r.to.slice(0, 10)}: ${r.downloaded.transfers} downloads (${fmtBytes(r.downloaded.bytes)}), ${r.validated.runs} validation runs (${r.validated.files.fail} files failed), ${done} jobs done, ${failed} failed, ${r.alerts.raised} alerts raised, ${r.alerts.firing} firing`,
              `quota: ${(100 * r.quota.share).toFixed(1)} % of this month's ${fmtBytes(r.quota.limitBytes)}`,
              ...r.gates.map((x) => `  ${x.status.padEnd(7)} ${x.id}: ${x.summary}`),
              `report: ${paths.html}`,
              ''
            ].join('\n')
          )
        }
      } finally {
        db.close()
      }
    })
  report
    .command('technical')
    .description(
      'go/no-go: per-stage throughput on a real sample, peak memory, a month and a year extrapolated against the targets'
    )
    .option(
      '--root <dir>',
      'a lake root or vendor-layout folder holding the sample (default: the lake)'
    )
    .option('--exchange <name>', 'e.g. BINANCE', 'BINANCE')
    .option('--symbol <name>', 'e.g. BTC-USDT', 'BTC-USDT')
    .option('--from <day>', 'first day of the sample, YYYY-MM-DD', dayArg)
    .option('--to <day>', 'last day of the sample, YYYY-MM-DD', dayArg)
    .option(
      '--events-per-hour <n>',
      'volume to extrapolate to (default 8,000,000)',
      Number.parseFloat
    )
    .option('--out <dir>', 'folder for the report (default <lake>/reports)')
    .action(
      async (o: {
        root?: string
        exchange: string
        symbol: string
        from?: string
        to?: string
        eventsPerHour?: number
        out?: string
      }) => {
        const g = program.opts<GlobalOpts>()
        const record = await runJob(
          {
            kind: 'report-technical',
            params: {
              exchange: o.exchange,
              symbol: o.symbol,
              ...(o.root ? { root: resolve(o.root) } : {}),
              ...(o.from ? { from: o.from } : {}),
              ...(o.to ? { to: o.to } : {}),
              ...(o.eventsPerHour ? { eventsPerHour: o.eventsPerHour } : {}),
              ...(o.out ? { out: resolve(o.out) } : {})
            }
          },
          g
        )
        finish(
          record,
          g,
          (r) => {
            process.stdout.write(`${technicalText(r)}\n`)
          },
          () => false
        )
        // A no-go is a failed check, not a data problem: exit 1.
        if (record.state === 'done' && record.result.verdict === 'no-go')
          process.exitCode = EXIT.failed
      }
    )
}

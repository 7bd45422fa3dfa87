// lakebook backfill plan|run|status: a long range (e.g. twelve months) exported as day jobs kept
// in the manifest. `plan` records the day jobs and estimates time, disk and download quota;
// `run` works through the queue with bounded parallelism (restart it any time: interrupted days
// resume from their checkpoints) and certifies the dataset when every day is done; `status` shows
// the queue. docs/scaling.md: the same day jobs on several machines.
import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import type {
  BackfillPlanParams,
  BackfillPlanView,
  BackfillRunParams,
  BackfillStatusView,
  ExportDayResult,
  ExportTableName
} from '../../../src-shared/export'
import { fmtBytes, fmtDuration, fmtInt } from '../../../src-shared/format'
import { backfillGateText, backfillIncomplete } from '../../../src-shared/export'
import type { JobSpec } from '../../../src-shared/jobs'
import { backfillPlanOf, backfillStatusOf } from '../../export/backfillJob'
import { rangeOrRequirement } from '../../gates/service'
import { resolveLakeRoot } from '../../lake/paths'
import { dayArg, EXIT, finish, runJob, type GlobalOpts } from '../run'
import { StderrProgress } from '../progress'
import workerPath from '../../worker/workerPath'
import { runPlanDay } from '../../export/backfillDayCli'
import { addLabelOptions, labelParams, tablesOption, type LabelCliOptions } from './export'

const int = (v: string): number => Number.parseInt(v, 10)

function backfillJob(spec: { kind: 'backfill-run'; params: BackfillRunParams }): JobSpec {
  return spec
}

function out(g: GlobalOpts, value: unknown, text: () => string): void {
  process.stdout.write(g.json === true ? `${JSON.stringify(value)}\n` : `${text()}\n`)
}

export function planText(p: BackfillPlanView): string {
  const e = p.estimate
  const lines = [
    `backfill ${p.id}${p.created ? ' (new: days queued)' : ' (already planned)'}`,
    `dataset ${p.dataset}`,
    p.validate
      ? 'reads staging/: every day job validates its files in its own read; settled, promoted and certified when every day is done'
      : 'reads ready/ (the readiness gate must cover the range)',
    `${p.from} → ${p.to}: ${p.days} days, ${p.daysWithData} with local data; input ${fmtInt(p.input.rows)} rows, ${fmtBytes(p.input.bytes)}`,
    `time ≈ ${fmtDuration(e.seconds * 1000)} at ${fmtInt(e.rowsPerSecond)} rows/s per day job × ${e.parallel} (${e.rateSource})`,
    `disk ≈ ${fmtBytes(e.outputBytes)} of output (×${e.outputRatio.toFixed(2)} the input), ${fmtBytes(e.diskFreeBytes)} free${e.diskOk ? '' : ' — NOT ENOUGH'}`
  ]
  if (p.daysMissingLocally.length > 0) {
    lines.push(
      `${p.daysMissingLocally.length} days not present locally (${p.daysMissingLocally.slice(0, 5).join(', ')}${p.daysMissingLocally.length > 5 ? ', …' : ''}): download ≈ ${fmtBytes(e.downloadBytes)}, ${(100 * e.quotaShare).toFixed(1)}% of the ${fmtBytes(e.quotaBytesPerMonth)} monthly quota (${fmtBytes(e.quotaUsedBytes)} used this month)${e.quotaOk ? '' : ' — OVER QUOTA this month'}`
    )
  }
  return lines.join('\n')
}

function dayText(r: ExportDayResult): string {
  return `${r.day}: ${fmtInt(r.events)} events, ${r.outputFiles} files, ${fmtBytes(r.outputBytes)}${r.resumedFromChunk ? ` (resumed from ${r.resumedFromChunk})` : ''}; day certificate ${r.certificate}`
}

export function statusText(s: BackfillStatusView): string {
  const c = s.counts
  const lines = [
    `backfill ${s.id}: ${s.exchange} ${s.symbol} ${s.from} → ${s.to}`,
    `${s.days} days: done ${c.done}, running ${c.running}, queued ${c.queued}, failed ${c.failed}; ${(100 * s.progress).toFixed(1)}% of the input rows` +
      (s.etaSeconds === null ? '' : `, ETA ${fmtDuration(s.etaSeconds * 1000)}`) +
      (s.rowsPerSecond === null ? '' : ` at ${fmtInt(s.rowsPerSecond)} rows/s`),
    `output ${fmtBytes(s.outputBytes)} in ${s.dataset}`
  ]
  for (const d of s.dayList.filter((x) => x.state === 'failed' || x.state === 'running'))
    lines.push(`  ${d.day} ${d.state}${d.reason ? `: ${d.reason}` : ''}`)
  if (s.gate !== null)
    lines.push(
      `gate in the day jobs' read: ${backfillGateText(s.gate)}`,
      ...s.gate.kept.map((k) => `  kept in staging: ${k.path}: ${k.reasons.join('; ')}`)
    )
  lines.push(
    s.certificate ? `certificate: ${s.certificate}` : 'not certified yet (every day must be done)'
  )
  return lines.join('\n')
}

export function register(program: Command): void {
  const backfill = program
    .command('backfill')
    .description('export a long range as day jobs kept in the manifest (plan, run, status)')

  addLabelOptions(backfill.command('plan'))
    .description('split a range into day jobs, queue them, estimate time, disk and quota')
    .option('--from <day>', 'first day, YYYY-MM-DD (default: the saved data requirement)', dayArg)
    .option('--to <day>', 'last day, YYYY-MM-DD (default: the saved data requirement)', dayArg)
    .option('--out <dir>', 'dataset folder (default: <lake>/exports/<backfill id>)')
    .option('--root <dir>', 'a lake root or vendor-layout folder (default: the lake)')
    .option('--exchange <name>', 'e.g. BINANCE', 'BINANCE')
    .option('--symbol <name>', 'e.g. BTC-USDT', 'BTC-USDT')
    .option('--grid <step>', 'grid of the book and features tables', '100ms')
    .option('--chunk <length>', 'part files and checkpoints every chunk', '1h')
    .option('--tables <list>', 'events,book,features,book_events', tablesOption)
    .option('--warmup-days <n>', 'days replayed before each day to carry the book into it', int, 1)
    .option('--parallel <n>', 'day jobs at once, for the estimate', int, 1)
    .option('--ungated', 'run without the readiness gate (the dataset is marked certified: false)')
    .option(
      '--validate',
      "validate the staged files in the day jobs' own read; settle and certify when every day is done"
    )
    .option(
      '--fidelity-reference <source>',
      'what the exported book is compared with (default: the Lake book table), or "off"'
    )
    .option('--quota-gb <n>', 'monthly download quota in GB', Number.parseFloat, 300)
    .option(
      '--used-gb <n>',
      'quota used this month in GB (default: the manifest)',
      Number.parseFloat
    )
    .action(
      (
        o: {
          from?: string
          to?: string
          ungated?: boolean
          validate?: boolean
          fidelityReference?: string
          out?: string
          root?: string
          exchange: string
          symbol: string
          grid: string
          chunk: string
          tables?: ExportTableName[]
          warmupDays: number
          parallel: number
          quotaGb: number
          usedGb?: number
        } & LabelCliOptions
      ) => {
        const g = program.opts<GlobalOpts>()
        const lakeRoot = resolveLakeRoot(g.lake)
        const params: BackfillPlanParams = {
          exchange: o.exchange,
          symbol: o.symbol,
          ...rangeOrRequirement(lakeRoot, o, 'backfill plan'),
          grid: o.grid,
          ...(o.ungated ? { ungated: true } : {}),
          ...(o.validate ? { validate: true } : {}),
          ...(o.fidelityReference ? { fidelityReference: o.fidelityReference } : {}),
          chunk: o.chunk,
          warmupDays: o.warmupDays,
          parallel: o.parallel,
          quotaGb: o.quotaGb,
          ...(o.tables ? { tables: o.tables } : {}),
          ...(o.root ? { root: resolve(o.root) } : {}),
          ...(o.out ? { out: resolve(o.out) } : {}),
          ...(o.usedGb !== undefined ? { usedGb: o.usedGb } : {}),
          ...labelParams(o)
        }
        try {
          const plan = backfillPlanOf(lakeRoot, params)
          out(g, plan, () => planText(plan))
          if (!plan.estimate.diskOk) process.exitCode = EXIT.failed
        } catch (e) {
          process.stderr.write(`lakebook: ${e instanceof Error ? e.message : String(e)}\n`)
          process.exitCode = EXIT.failed
        }
      }
    )

  backfill
    .command('run')
    .description('run the queued day jobs (resumes interrupted ones), then certify the dataset')
    .argument('[id]', 'the backfill (default: the most recent)')
    .option('--parallel <n>', 'day jobs at once (local engine)', int, 1)
    .option('--retry-failed', 'run failed days again')
    .option(
      '--accept-missing',
      'days without any local data count as done (gaps in the certificate)'
    )
    .addOption(
      new Option('--engine <engine>', 'where the day jobs run (ray: tasks on a Ray cluster)')
        .choices(['local', 'ray'])
        .default('local')
    )
    .option('--address <addr>', 'the Ray cluster (default: start a local one)')
    .option('--python <path>', 'the Python with Ray (default: LAKEBOOK_PYTHON, else python3)')
    .option('--retries <n>', "Ray's retries of a failed or killed day task", int, 3)
    .action(
      async (
        id: string | undefined,
        o: {
          parallel: number
          retryFailed?: boolean
          acceptMissing?: boolean
          engine: 'local' | 'ray'
          address?: string
          python?: string
          retries: number
        }
      ) => {
        const g = program.opts<GlobalOpts>()
        const ray = o.engine === 'ray'
        const record = await runJob(
          backfillJob({
            kind: 'backfill-run',
            params: {
              parallel: o.parallel,
              ...(id ? { id } : {}),
              ...(o.retryFailed ? { retryFailed: true } : {}),
              ...(o.acceptMissing ? { acceptMissing: true } : {}),
              ...(ray ? { engine: 'ray' as const, retries: o.retries } : {}),
              ...(ray && o.address !== undefined ? { address: o.address } : {}),
              ...(ray && o.python !== undefined ? { python: o.python } : {})
            }
          }),
          g
        )
        finish(
          record,
          g,
          (r) => {
            process.stdout.write(`${statusText(r as BackfillStatusView)}\n`)
          },
          (r) => backfillIncomplete(r as BackfillStatusView)
        )
      }
    )

  backfill
    .command('day')
    .description(
      'run one day job of a plan file (what a Ray task or another machine runs); no manifest needed'
    )
    .requiredOption(
      '--plan <file>',
      'the plan (written by backfill run --engine ray: <dataset>/_days/_plan.json)'
    )
    .requiredOption('--day <day>', 'the day, YYYY-MM-DD', dayArg)
    .action(async (o: { plan: string; day: string }) => {
      const g = program.opts<GlobalOpts>()
      const progress = new StderrProgress(process.stderr, g.quiet === true)
      const r = await runPlanDay(resolve(o.plan), o.day, workerPath, (p) => {
        progress.update(p)
      })
      progress.end()
      out(g, r, () => dayText(r))
    })

  backfill
    .command('status')
    .description('the queue: days done, running, queued and failed (with reasons), progress, ETA')
    .argument('[id]', 'the backfill (default: the most recent)')
    .action((id: string | undefined) => {
      const g = program.opts<GlobalOpts>()
      try {
        const s = backfillStatusOf(resolveLakeRoot(g.lake), id ? { id } : {})
        out(g, s, () => statusText(s))
      } catch (e) {
        process.stderr.write(`lakebook: ${e instanceof Error ? e.message : String(e)}\n`)
        process.exitCode = EXIT.failed
      }
    })
}

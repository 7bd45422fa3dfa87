// The `lakebook` command line: the same engine and job manager as the app, no UI. `--json` prints
// one JSON document on stdout; progress and logs go to stderr.
import { resolve } from 'node:path'
import { Command, Option } from 'commander'
import type { JobRecord, JobSpec } from '../../src-shared/jobs'
import type { LakeReplayResult } from '../../src-shared/lake'
import type { ReplayCaptureResult } from '../../src-shared/replay'
import { JobManager } from '../jobs/manager'
import workerPath from '../jobs/workerPath'
import { openManifest } from '../lake/manifest'
import { resolveLakeRoot } from '../lake/paths'
import { VERSION } from '../version'
import { StderrProgress } from './progress'
import {
  printConvertSummary,
  printLakeReplaySummary,
  printReplaySummary,
  type ConvertSummary
} from './summaries'

/** Exit codes: 0 ok, 1 failed, 2 usage, 3 finished but the input had counted problems, 130 cancelled. */
export const EXIT = { ok: 0, failed: 1, usage: 2, dataIssues: 3, cancelled: 130 } as const

interface GlobalOpts {
  lake?: string
  json?: boolean
  quiet?: boolean
}

const program = new Command('lakebook')
  .description('Crypto Lake / Binance order-book workbench: replay, certify, measure, export')
  .version(VERSION)
  .option('--lake <dir>', 'lake root (default: LAKEBOOK_LAKE or the user data folder)')
  .option('--json', 'print one JSON document on stdout')
  .option('-q, --quiet', 'no progress on stderr')
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage)
  })

/** Runs one job in a worker thread through the job manager, so it is recorded in the manifest. */
async function runJob(spec: JobSpec, g: GlobalOpts): Promise<JobRecord> {
  const lakeRoot = resolveLakeRoot(g.lake)
  const db = openManifest(lakeRoot)
  const jobs = new JobManager({ db, lakeRoot, workerPath, concurrency: 1 })
  const progress = new StderrProgress(process.stderr, g.quiet === true)
  jobs.subscribe({
    progress: (p) => {
      progress.update(p)
    },
    log: (l) => {
      if (l.level !== 'info' || g.json !== true) progress.log(`[${l.level}] ${l.message}`)
    }
  })
  const id = jobs.start(spec)
  const onSignal = (): void => {
    progress.log('cancelling…')
    jobs.cancel(id)
  }
  process.once('SIGINT', onSignal)
  const record = await jobs.wait(id)
  process.off('SIGINT', onSignal)
  progress.end()
  await jobs.shutdown()
  db.close()
  return record
}

function finish(
  record: JobRecord,
  g: GlobalOpts,
  human: (result: unknown) => void,
  incomplete: (result: unknown) => boolean
): void {
  if (record.state !== 'done') {
    const err = record.error ?? { kind: 'internal', message: record.state }
    if (g.json === true)
      process.stdout.write(
        `${JSON.stringify({ job: record.id, state: record.state, error: err })}\n`
      )
    process.stderr.write(`lakebook: ${record.state}: ${err.message}\n`)
    process.exitCode = record.state === 'cancelled' ? EXIT.cancelled : EXIT.failed
    return
  }
  if (g.json === true) process.stdout.write(`${JSON.stringify(record.result)}\n`)
  else human(record.result)
  if (incomplete(record.result)) process.exitCode = EXIT.dataIssues
}

program
  .command('replay-capture')
  .description(
    'replay Binance capture files (gzip lines "<receive ts> <json>") into the order book'
  )
  .argument('<files...>', 'capture files of one recording window')
  .addOption(
    new Option('--market <market>', 'Binance market (default: detected)').choices(['spot', 'usdm'])
  )
  .option('--tick <size>', 'price tick, e.g. 0.01 (default: known symbol table, else detected)')
  .addOption(
    new Option('--on-gap <policy>', 'after a sequence gap')
      .choices(['keep-applying', 'wait-snapshot'])
      .default('keep-applying')
  )
  .addOption(
    new Option('--snapshot-clear <mode>', 'what a snapshot clears')
      .choices(['full', 'range'])
      .default('full')
  )
  .option('--no-timeline', 'do not keep a scrubbable timeline in the lake')
  .action(
    async (
      files: string[],
      o: {
        market?: 'spot' | 'usdm'
        tick?: string
        onGap: 'keep-applying' | 'wait-snapshot'
        snapshotClear: 'full' | 'range'
        timeline: boolean
      }
    ) => {
      const g = program.opts<GlobalOpts>()
      const record = await runJob(
        {
          kind: 'replay-capture',
          params: {
            files,
            ...(o.market ? { market: o.market } : {}),
            ...(o.tick ? { tick: o.tick } : {}),
            onGap: o.onGap,
            snapshotClear: o.snapshotClear,
            timeline: o.timeline
          }
        },
        g
      )
      finish(
        record,
        g,
        (r) => {
          printReplaySummary(r as ReplayCaptureResult)
        },
        (r) => !(r as ReplayCaptureResult).complete
      )
    }
  )

const convert = program.command('convert').description('convert data between formats')

convert
  .command('capture-to-lake')
  .description('write Crypto Lake tables (book_delta_v2, book, trades) from Binance capture files')
  .argument('<files...>', 'capture files of one recording window')
  .requiredOption('--out <dir>', 'output folder (vendor layout: {table}/exchange=…/symbol=…/dt=…/)')
  .addOption(
    new Option('--market <market>', 'Binance market (default: detected)').choices(['spot', 'usdm'])
  )
  .option('--tick <size>', 'price tick (default: known symbol table, else detected)')
  .option('--force', 'replace partitions that already exist')
  .action(
    async (
      files: string[],
      o: { out: string; market?: 'spot' | 'usdm'; tick?: string; force?: boolean }
    ) => {
      const g = program.opts<GlobalOpts>()
      const record = await runJob(
        {
          kind: 'convert-capture',
          params: {
            files,
            out: resolve(o.out),
            ...(o.market ? { market: o.market } : {}),
            ...(o.tick ? { tick: o.tick } : {}),
            force: o.force === true
          }
        },
        g
      )
      finish(
        record,
        g,
        (r) => {
          printConvertSummary(r as ConvertSummary)
        },
        (r) => !(r as ConvertSummary).replay.complete
      )
    }
  )

program
  .command('replay')
  .description(
    'replay Crypto Lake trades, book and book_delta_v2 in chronological order into the book'
  )
  .argument('<root>', 'a lake root (reads its ready/ zone) or a folder in the vendor layout')
  .requiredOption('--exchange <name>', 'e.g. BINANCE or BINANCE_FUTURES')
  .requiredOption('--symbol <name>', 'e.g. BTC-USDT or BTC-USDT-PERP')
  .option('--from <day>', 'first day, YYYY-MM-DD (default: first present)')
  .option('--to <day>', 'last day, YYYY-MM-DD (default: last present)')
  .option('--tick <size>', 'price tick (default: known symbol table, else detected)')
  .addOption(
    new Option('--burst-clear <mode>', 'a snapshot burst clears').choices(['full', 'range'])
  )
  .option(
    '--reseed-after-crossed <ms>',
    'reseed from the next book row after this long crossed; "off" to never',
    (v) => (v === 'off' ? null : Number.parseInt(v, 10))
  )
  .option('--trade-impact', 'apply the trade impact model to the reported best bid/ask')
  .option(
    '--workers <n>',
    'Parquet decode workers (0 = in the replay thread)',
    (v) => Number.parseInt(v, 10),
    1
  )
  .option('--no-timeline', 'do not keep a scrubbable timeline in the lake')
  .action(
    async (
      root: string,
      o: {
        exchange: string
        symbol: string
        from?: string
        to?: string
        tick?: string
        burstClear?: 'full' | 'range'
        reseedAfterCrossed?: number | null
        tradeImpact?: boolean
        workers: number
        timeline: boolean
      }
    ) => {
      const g = program.opts<GlobalOpts>()
      const record = await runJob(
        {
          kind: 'replay-lake',
          params: {
            root: resolve(root),
            exchange: o.exchange,
            symbol: o.symbol,
            ...(o.from ? { from: o.from } : {}),
            ...(o.to ? { to: o.to } : {}),
            ...(o.tick ? { tick: o.tick } : {}),
            policy: {
              ...(o.burstClear ? { burstClear: o.burstClear } : {}),
              ...(o.reseedAfterCrossed !== undefined
                ? { reseedAfterCrossedMs: o.reseedAfterCrossed }
                : {})
            },
            tradeImpact: o.tradeImpact === true,
            workers: o.workers,
            timeline: o.timeline
          }
        },
        g
      )
      finish(
        record,
        g,
        (r) => {
          printLakeReplaySummary(r as LakeReplayResult)
        },
        (r) => !(r as LakeReplayResult).complete
      )
    }
  )

program
  .command('jobs')
  .description('list recent jobs from the manifest')
  .option('-n, --limit <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
  .action((o: { limit: number }) => {
    const g = program.opts<GlobalOpts>()
    const db = openManifest(resolveLakeRoot(g.lake))
    const list = new JobManager({ db, lakeRoot: resolveLakeRoot(g.lake), workerPath }).list(o.limit)
    db.close()
    if (g.json === true) {
      process.stdout.write(`${JSON.stringify(list)}\n`)
      return
    }
    for (const j of list) {
      process.stdout.write(
        `${j.id}  ${j.state.padEnd(11)} ${j.createdAt}  ${j.error ? j.error.message : ''}\n`
      )
    }
  })

await program.parseAsync()

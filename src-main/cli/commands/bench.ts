// lakebook bench: the user-facing benchmarks on this machine, on the shared real capture (tiled)
// or on the lake's own files; prints the figures and writes <lake>/reports/bench-<time>.json for
// `lakebook report technical`.
import { availableParallelism } from 'node:os'
import { InvalidArgumentError, type Command } from 'commander'
import { benchText } from '../../bench/benchText'
import { findCapturesDir, lakeInput, tiledCaptureInput } from '../../bench/benchInput'
import { runUserBench } from '../../bench/userBench'
import { DECODE_ROLE, EXPORT_WRITER_ROLE, VALIDATE_ROLE } from '../../jobs/roles'
import { resolveLakeRoot } from '../../lake/paths'
import { InputError } from '../../util/errors'
import workerPath from '../../worker/workerPath'
import { dayArg, EXIT, STOP_SIGNALS, type GlobalOpts } from '../run'
import { workersOption } from './validate'

/** Rows of tiled real data by default, and with --quick (one copy of the capture per day). */
const DEFAULT_ROWS = 6_000_000
const QUICK_ROWS = 1

function countOption(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('takes a whole number from 1.')
  return n
}

export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'measure validate, replay, export and capture replay on this machine (a few minutes) and feed the figures to `report technical`'
    )
    .option(
      '--source <where>',
      'captures: the shared real capture, converted and tiled; lake: the lake ready/ files',
      'captures'
    )
    .option(
      '--captures <dir>',
      'the shared binance-captures folder (default: found beside the app)'
    )
    .option('--rows <n>', `book_delta_v2 rows of tiled data (default ${DEFAULT_ROWS})`, countOption)
    .option('--runs <n>', 'timed runs per figure, the median is quoted (default 3)', countOption)
    .option(
      '--workers <n>',
      `validate threads (default: the cores, ${availableParallelism()})`,
      workersOption
    )
    .option('--exchange <name>', 'with --source lake', 'BINANCE')
    .option('--symbol <name>', 'with --source lake', 'BTC-USDT')
    .option('--from <day>', 'with --source lake: first day', dayArg)
    .option('--to <day>', 'with --source lake: last day', dayArg)
    .option('--quick', 'a tiny input and one run: checks that the bench works, measures nothing')
    .action(
      async (o: {
        source: string
        captures?: string
        rows?: number
        runs?: number
        workers?: number
        exchange: string
        symbol: string
        from?: string
        to?: string
        quick?: boolean
      }) => {
        const g = program.opts<GlobalOpts>()
        if (o.source !== 'captures' && o.source !== 'lake')
          throw new InputError(`--source is captures or lake, not ${o.source}`)
        const lakeRoot = resolveLakeRoot(g.lake)
        const quick = o.quick === true
        const capturesDir = findCapturesDir(o.captures)
        if (o.source === 'captures' && capturesDir === null)
          throw new InputError(
            'no shared capture files found: give --captures <dir> (the binance-captures folder) or bench the lake with --source lake'
          )
        const log = (m: string): void => {
          if (g.quiet !== true) process.stderr.write(`bench: ${m}\n`)
        }
        const controller = new AbortController()
        const onSignal = (s: NodeJS.Signals): void => {
          log(`${s}: stopping`)
          controller.abort()
        }
        for (const s of STOP_SIGNALS) process.once(s, onSignal)
        log(o.source === 'captures' ? 'preparing tiled real data' : 'reading the lake selection')
        const input =
          o.source === 'captures'
            ? tiledCaptureInput(
                capturesDir ?? '',
                quick ? QUICK_ROWS : (o.rows ?? DEFAULT_ROWS),
                process.argv[1] ?? ''
              )
            : lakeInput(lakeRoot, o, capturesDir)
        try {
          const role = (r: string): { path: string; workerData: { role: string } } => ({
            path: workerPath,
            workerData: { role: r }
          })
          const r = await runUserBench({
            lakeRoot,
            input,
            runs: quick ? 1 : (o.runs ?? 3),
            quick,
            workers: o.workers ?? availableParallelism(),
            command: `lakebook ${process.argv.slice(2).join(' ')}`,
            threads: {
              decode: role(DECODE_ROLE),
              writer: role(EXPORT_WRITER_ROLE),
              validate: role(VALIDATE_ROLE)
            },
            signal: controller.signal,
            log
          })
          process.stdout.write(`${g.json === true ? JSON.stringify(r) : benchText(r)}\n`)
        } catch (e) {
          if (controller.signal.aborted) {
            process.stderr.write('lakebook: cancelled\n')
            process.exitCode = EXIT.cancelled
            return
          }
          throw e
        } finally {
          for (const s of STOP_SIGNALS) process.off(s, onSignal)
          input.close()
        }
      }
    )
}

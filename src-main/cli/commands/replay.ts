// lakebook replay: the unified Crypto Lake replay.
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { addPolicyOptions, policyParams, type PolicyOptions } from '../policyOptions'
import { dayArg, finish, runJob, type GlobalOpts } from '../run'
import { printLakeReplaySummary } from '../summaries'
import { parseUtcTime } from '../../../src-shared/format'
import { DEFAULT_FRAME_INTERVAL_MS } from '../../replay/lakeJob'
import { InputError } from '../../util/errors'

function intArg(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new InputError(`not a whole number of ms: ${v}`)
  return n
}

/** A UTC time for --from-time / --to-time; a bare HH:MM… is on `day` (YYYY-MM-DD). */
function timeArg(
  text: string | undefined,
  day: string | undefined,
  flag: string
): number | undefined {
  if (text === undefined) return undefined
  const dayMs = day === undefined ? null : Date.parse(`${day}T00:00:00Z`)
  const withDay = /^\d{1,2}:/.test(text.trim()) && dayMs !== null ? `${day} ${text.trim()}` : text
  const ms = parseUtcTime(withDay, null)
  if (ms === null)
    throw new InputError(
      `${flag} ${text} is not a UTC time: write "2024-08-08 12:30:00" (or 12:30 with --from)`
    )
  return ms
}

export function register(program: Command): void {
  addPolicyOptions(program.command('replay'))
    .description(
      'replay Crypto Lake trades, book and book_delta_v2 in chronological order into the book'
    )
    .argument('<root>', 'a lake root (reads its ready/ zone) or a folder in the vendor layout')
    .option('--exchange <name>', 'e.g. BINANCE or BINANCE_FUTURES', 'BINANCE')
    .option('--symbol <name>', 'e.g. BTC-USDT or BTC-USDT-PERP', 'BTC-USDT')
    .option('--from <day>', 'first day, YYYY-MM-DD (default: first present)', dayArg)
    .option('--to <day>', 'last day, YYYY-MM-DD (default: last present)', dayArg)
    .option('--tick <size>', 'price tick (default: known symbol table, else detected)')
    .option('--trade-impact', 'apply the trade impact model to the reported best bid/ask')
    .option(
      '--workers <n>',
      'Parquet decode workers (0 = in the replay thread; default: the workers.replayDecode setting, 1)',
      (v) => Number.parseInt(v, 10)
    )
    .option('--no-timeline', 'do not keep a scrubbable timeline in the lake')
    .option(
      '--frame-interval <ms>',
      'timeline frames at most every <ms> of exchange time (0 = every book message)',
      intArg,
      DEFAULT_FRAME_INTERVAL_MS
    )
    .option(
      '--from-time <time>',
      'record from this UTC time: "YYYY-MM-DD HH:MM[:SS[.mmm]]", or HH:MM… on --from'
    )
    .option('--to-time <time>', 'stop after this UTC time (same forms as --from-time)')
    .action(
      async (
        root: string,
        o: PolicyOptions & {
          exchange: string
          symbol: string
          from?: string
          to?: string
          tick?: string
          tradeImpact?: boolean
          workers?: number
          timeline: boolean
          frameInterval: number
          fromTime?: string
          toTime?: string
        }
      ) => {
        const g = program.opts<GlobalOpts>()
        const fromMs = timeArg(o.fromTime, o.from, '--from-time')
        const toMs = timeArg(o.toTime, o.to ?? o.from, '--to-time')
        if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
          throw new InputError(
            `--to-time ${o.toTime ?? ''} is not after --from-time ${o.fromTime ?? ''}`
          )
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
              policy: policyParams(o),
              tradeImpact: o.tradeImpact === true,
              ...(o.workers !== undefined ? { workers: o.workers } : {}),
              timeline: o.timeline,
              frameIntervalMs: o.frameInterval,
              ...(fromMs !== undefined ? { fromMs } : {}),
              ...(toMs !== undefined ? { toMs } : {})
            }
          },
          g
        )
        finish(
          record,
          g,
          (r) => {
            printLakeReplaySummary(r)
          },
          (r) => !r.complete
        )
      }
    )
}

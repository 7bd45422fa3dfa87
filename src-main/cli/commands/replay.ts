// lakebook replay: the unified Crypto Lake replay.
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { addPolicyOptions, policyParams, type PolicyOptions } from '../policyOptions'
import { dayArg, finish, runJob, type GlobalOpts } from '../run'
import { printLakeReplaySummary } from '../summaries'

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
      'Parquet decode workers (0 = in the replay thread)',
      (v) => Number.parseInt(v, 10),
      1
    )
    .option('--no-timeline', 'do not keep a scrubbable timeline in the lake')
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
              policy: policyParams(o),
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
            printLakeReplaySummary(r)
          },
          (r) => !r.complete
        )
      }
    )
}

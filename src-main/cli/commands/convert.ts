// lakebook convert capture-to-lake: Crypto Lake tables from Binance captures.
import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { finish, runJob, type GlobalOpts } from '../run'
import { printConvertSummary, type ConvertSummary } from '../summaries'

export function register(program: Command): void {
  const convert = program.command('convert').description('convert data between formats')

  convert
    .command('capture-to-lake')
    .description(
      'write Crypto Lake tables (book_delta_v2, book, trades) from Binance capture files'
    )
    .argument('<files...>', 'capture files of one recording window')
    .requiredOption(
      '--out <dir>',
      'output folder (vendor layout: {table}/exchange=…/symbol=…/dt=…/)'
    )
    .addOption(
      new Option('--market <market>', 'Binance market (default: detected)').choices([
        'spot',
        'usdm'
      ])
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
}

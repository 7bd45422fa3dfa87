// lakebook convert capture-to-lake: Crypto Lake tables from Binance captures.
import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { dayArg, finish, runJob, type GlobalOpts } from '../run'
import { printConvertSummary, type ConvertSummary } from '../summaries'
import { tileLake } from '../../convert/tile'
import { BOOK_CADENCES, type BookCadence } from '../../../src-shared/jobs'

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
    .addOption(
      new Option(
        '--book-cadence <era>',
        "book rows: the vendor writer's throttle since 2022-11, or one per exchange update (earlier)"
      )
        .choices(BOOK_CADENCES)
        .default('2022-11')
    )
    .option('--force', 'replace partitions that already exist')
    .action(
      async (
        files: string[],
        o: {
          out: string
          market?: 'spot' | 'usdm'
          tick?: string
          bookCadence: BookCadence
          force?: boolean
        }
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
              bookCadence: o.bookCadence,
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

  convert
    .command('tile')
    .description(
      'build long benchmark inputs: repeat converted real data forward in time and sequence (labelled "tiled real data")'
    )
    .argument('<root>', 'folder with converted Lake tables')
    .requiredOption('--exchange <name>', 'e.g. BINANCE')
    .requiredOption('--symbol <name>', 'e.g. BTC-USDT')
    .requiredOption('--out <dir>', 'output folder (vendor layout)')
    .option('--rows <n>', 'book_delta_v2 rows to reach', (v) => Number.parseInt(v, 10), 35_000_000)
    .option('--start-day <day>', 'first copy starts at 00:00 UTC of this day', dayArg)
    .action(
      async (
        root: string,
        o: { exchange: string; symbol: string; out: string; rows: number; startDay?: string }
      ) => {
        const g = program.opts<GlobalOpts>()
        const r = await tileLake(resolve(root), resolve(o.out), {
          exchange: o.exchange,
          symbol: o.symbol,
          deltaRows: o.rows,
          startDay: o.startDay
        })
        const summary = {
          label: 'tiled real data',
          copies: r.copies,
          deltaRows: r.deltaRows,
          files: r.files
        }
        if (g.json === true) process.stdout.write(`${JSON.stringify(summary)}\n`)
        else {
          process.stdout.write(
            `tiled real data: ${r.copies} copies, ${r.deltaRows.toLocaleString('en-US')} delta rows\n`
          )
          for (const f of r.files)
            process.stdout.write(`  ${f.path}  ${f.rows.toLocaleString('en-US')} rows\n`)
        }
      }
    )
}

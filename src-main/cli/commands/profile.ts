// lakebook profile: per table and day rates, inter-event times, sizes, spreads, depth, feed lag,
// quiet periods, and the gap between book_delta_v2 and book (via the Lake replay).
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { GateTable } from '../../../src-shared/validate'
import { dayArg, finish, runJob, type GlobalOpts } from '../run'
import { tablesOption } from './validate'

export function register(program: Command): void {
  program
    .command('profile')
    .description('profile the data per table and day, and compare book_delta_v2 with book')
    .option(
      '--root <dir>',
      'a lake root (its ready/) or a vendor-layout folder (default: the lake)'
    )
    .option('--from <day>', 'first day, YYYY-MM-DD (default: first present)', dayArg)
    .option('--to <day>', 'last day, YYYY-MM-DD (default: last present)', dayArg)
    .option('--exchange <name>', 'e.g. BINANCE or BINANCE_FUTURES', 'BINANCE')
    .option('--symbol <name>', 'e.g. BTC-USDT or BTC-USDT-PERP', 'BTC-USDT')
    .option(
      '--tables <list>',
      'comma-separated: book_delta_v2,trades,book (default all)',
      tablesOption
    )
    .option('--tick <size>', 'price tick (default: known symbol table, else detected)')
    .option(
      '--quiet-s <seconds>',
      'a pause longer than this is a quiet period',
      Number.parseFloat,
      5
    )
    .option('--no-replay', 'skip the Lake replay (no format comparison)')
    .option('--report <file>', 'write the HTML report')
    .action(
      async (o: {
        root?: string
        from?: string
        to?: string
        exchange: string
        symbol: string
        tables?: GateTable[]
        tick?: string
        quietS: number
        replay: boolean
        report?: string
      }) => {
        const g = program.opts<GlobalOpts>()
        const record = await runJob(
          {
            kind: 'profile',
            params: {
              ...(o.root ? { root: resolve(o.root) } : {}),
              exchange: o.exchange,
              symbol: o.symbol,
              ...(o.from ? { from: o.from } : {}),
              ...(o.to ? { to: o.to } : {}),
              ...(o.tables ? { tables: o.tables } : {}),
              ...(o.tick ? { tick: o.tick } : {}),
              quietS: o.quietS,
              replay: o.replay,
              ...(o.report ? { report: resolve(o.report) } : {})
            }
          },
          g
        )
        finish(
          record,
          g,
          (r) => {
            const v = r
            const lines = [
              `${v.exchange} ${v.symbol} ${v.from ?? '…'} → ${v.to ?? '…'}, tick ${v.tick ?? 'unknown'}`
            ]
            for (const p of v.tables)
              lines.push(
                `  ${p.table.padEnd(13)} ${p.day}  rows ${p.rows.toLocaleString('en-US')}  events ${p.events.toLocaleString('en-US')}  ` +
                  `span ${p.spanSeconds} s  ${p.eventsPerMinute.mean}/min  gap p50 ${p.interEventMs?.p50 ?? '–'} ms  lag p50 ${p.feedLagMs?.p50 ?? '–'} ms`
              )
            lines.push('reconstruction requirements:')
            for (const q of v.formatGap.requirements) lines.push(`  - ${q}`)
            if (v.formatGap.replayError !== null)
              lines.push(`  (replay: ${v.formatGap.replayError})`)
            if (v.report !== null) lines.push(`report: ${v.report}`)
            process.stdout.write(`${lines.join('\n')}\n`)
          },
          (r) => r.tables.some((p) => p.unreadable.length > 0)
        )
      }
    )
}

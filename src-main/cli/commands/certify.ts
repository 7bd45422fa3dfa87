// lakebook certify: a reproducible certificate (JSON + HTML) for a day range of ready/ files.
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { GateTable } from '../../../src-shared/validate'
import { dayArg, finish, runJob, type GlobalOpts } from '../run'
import { tablesOption } from './validate'

export function register(program: Command): void {
  program
    .command('certify')
    .description('certify the ready/ files of a day range: every file, rule, gate and open issue')
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD', dayArg)
    .requiredOption('--to <day>', 'last day, YYYY-MM-DD', dayArg)
    .option('--exchange <name>', 'e.g. BINANCE or BINANCE_FUTURES', 'BINANCE')
    .option('--symbol <name>', 'e.g. BTC-USDT or BTC-USDT-PERP', 'BTC-USDT')
    .option(
      '--tables <list>',
      'comma-separated: book_delta_v2,trades,book (default all)',
      tablesOption
    )
    .option('--tick <size>', 'price tick (default: known symbol table, else detected)')
    .option('--out <dir>', 'folder for the certificate files (default <lake>/certificates)')
    .action(
      async (o: {
        from: string
        to: string
        exchange: string
        symbol: string
        tables?: GateTable[]
        tick?: string
        out?: string
      }) => {
        const g = program.opts<GlobalOpts>()
        const record = await runJob(
          {
            kind: 'certify',
            params: {
              from: o.from,
              to: o.to,
              exchange: o.exchange,
              symbol: o.symbol,
              ...(o.tables ? { tables: o.tables } : {}),
              ...(o.tick ? { tick: o.tick } : {}),
              ...(o.out ? { out: resolve(o.out) } : {})
            }
          },
          g
        )
        finish(
          record,
          g,
          (r) => {
            const v = r
            const c = v.certificate
            const lines = [
              `${c.selection.exchange} ${c.selection.symbol} ${c.selection.from} → ${c.selection.to}: ${v.verdict.toUpperCase()}`,
              ...c.gates.map((x) => `  ${x.status.padEnd(4)} ${x.gate}: ${x.detail}`),
              `files ${c.totals.files}, rows ${c.totals.rows.toLocaleString('en-US')}, open issues ${c.openIssues.length}`,
              ...c.openIssues.map((i) => `  ${i.kind} ${i.table} ${i.day}: ${i.message}`),
              `certificate: ${v.json}`,
              `            ${v.html}`,
              `content sha256: ${v.contentSha256}`
            ]
            process.stdout.write(`${lines.join('\n')}\n`)
          },
          (r) => r.verdict !== 'pass'
        )
      }
    )
}

// lakebook validate: the data gate — staged files are checked rule by rule, those that pass move
// to ready/, failures stay in staging with their reasons (docs/validation.md).
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { parseTables, type GateTable, type ValidationRunResult } from '../../../src-shared/validate'
import { dayArg, finish, runJob, type GlobalOpts } from '../run'

/** --workers n: a whole number of threads from 1, or a usage error in a sentence. */
export function workersOption(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new InvalidArgumentError('--workers takes a whole number of threads from 1 to 256.')
  return n
}

/** --tables a,b for commander: usage errors instead of exceptions. */
export function tablesOption(v: string): GateTable[] {
  try {
    return parseTables(v)
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e))
  }
}

function print(r: ValidationRunResult): void {
  const lines = [
    `${r.exchange} ${r.symbol} ${r.from ?? '…'} → ${r.to ?? '…'} (${r.tables.join(', ')}), tick ${r.tick ?? 'unknown'}`,
    `files ${r.files.length}: pass ${r.counts.pass}, warn ${r.counts.warn}, fail ${r.counts.fail}; moved to ready ${r.promoted.length}, kept in staging ${r.kept.length}`
  ]
  for (const f of r.files) {
    const problems = f.rules.filter((x) => x.status === 'fail' || x.status === 'warn')
    lines.push(`  ${f.status.toUpperCase().padEnd(4)} ${f.path} (${f.rows} rows)`)
    for (const p of problems) lines.push(`         ${p.status} ${p.rule}: ${p.measured}`)
  }
  for (const d of r.days)
    for (const x of d.rules.filter((y) => y.status === 'fail' || y.status === 'warn'))
      lines.push(`  day ${d.table} ${d.day}: ${x.status} ${x.rule}: ${x.measured}`)
  for (const x of r.rules) lines.push(`  range: ${x.status} ${x.rule}: ${x.measured}`)
  for (const k of r.kept) lines.push(`kept ${k.path}: ${k.reasons.join('; ')}`)
  if (r.report !== null) lines.push(`report: ${r.report}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

export function register(program: Command): void {
  program
    .command('validate')
    .description("check staged files against the gate's rules; move those that pass to ready/")
    .option('--from <day>', 'first day, YYYY-MM-DD (default: first day in staging)', dayArg)
    .option('--to <day>', 'last day, YYYY-MM-DD (default: last day in staging)', dayArg)
    .option('--exchange <name>', 'e.g. BINANCE or BINANCE_FUTURES', 'BINANCE')
    .option('--symbol <name>', 'e.g. BTC-USDT or BTC-USDT-PERP', 'BTC-USDT')
    .option(
      '--tables <list>',
      'comma-separated: book_delta_v2,trades,book (default all)',
      tablesOption
    )
    .option('--tick <size>', 'price tick (default: known symbol table, else detected)')
    .option('--no-promote', 'check only; move nothing to ready/')
    .option('--include-ready', 'also re-check the files already in ready/')
    .option('--report <file>', 'write an HTML report')
    .option(
      '--workers <n>',
      `files validated at once, one thread each (default: the core count, ${availableParallelism()} here; 1 = one after the other)`,
      workersOption
    )
    .action(
      async (o: {
        from?: string
        to?: string
        exchange: string
        symbol: string
        tables?: GateTable[]
        tick?: string
        promote: boolean
        includeReady?: boolean
        report?: string
        workers?: number
      }) => {
        const g = program.opts<GlobalOpts>()
        const record = await runJob(
          {
            kind: 'validate',
            params: {
              exchange: o.exchange,
              symbol: o.symbol,
              ...(o.from ? { from: o.from } : {}),
              ...(o.to ? { to: o.to } : {}),
              ...(o.tables ? { tables: o.tables } : {}),
              ...(o.tick ? { tick: o.tick } : {}),
              promote: o.promote,
              includeReady: o.includeReady === true,
              ...(o.report ? { report: resolve(o.report) } : {}),
              ...(o.workers !== undefined ? { workers: o.workers } : {})
            }
          },
          g
        )
        finish(
          record,
          g,
          (r) => {
            print(r)
          },
          (r) => {
            const v = r
            return v.counts.fail > 0 || v.rules.some((x) => x.status === 'fail')
          }
        )
      }
    )
}

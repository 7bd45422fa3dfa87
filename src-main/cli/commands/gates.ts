// lakebook gates: the roadmap's phase gates in order with their status, evidence, decisions and
// what is missing; `gates decide` records an override (a required sentence), `gates require`
// saves the data requirement and prints its budget, `gates approve-budget` approves it, and
// `gates config` prints the thresholds every gate judges with.
import type { Command } from 'commander'
import { fmtBytes } from '../../../src-shared/format'
import { decideParams, type GatesView, type PhaseGate } from '../../../src-shared/gates'
import { InputError } from '../../util/errors'
import { configPath, loadTrustConfig } from '../../lake/trustConfig'
import { decide, gatesView, requirementOf, saveRequirement } from '../../gates/service'
import { resolveLakeRoot } from '../../lake/paths'
import { EXIT, type GlobalOpts } from '../run'

const MARK: Readonly<Record<PhaseGate['status'], string>> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  missing: '----'
}

export function gatesText(v: GatesView): string {
  const lines = [`gates of ${v.lakeRoot}`]
  v.gates.forEach((g, i) => {
    lines.push(`${i + 1}. [${MARK[g.status]}] ${g.title}: ${g.summary}`)
    for (const e of g.evidence)
      if (e.path !== null) lines.push(`     evidence: ${e.kind} ${e.path}`)
    if (g.decision)
      lines.push(
        `     decision by ${g.decision.who} at ${g.decision.at}: "${g.decision.why}" (overrode ${g.decision.overrode})`
      )
    for (const m of g.missing) lines.push(`     missing: ${m}`)
  })
  return lines.join('\n')
}

function print(g: GlobalOpts, value: unknown, text: () => string): void {
  process.stdout.write(g.json === true ? `${JSON.stringify(value)}\n` : `${text()}\n`)
}

function list(v: string): string[] {
  return v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
}

export function register(program: Command): void {
  const gates = program
    .command('gates')
    .description("the roadmap's phase gates: status, evidence, decisions, what is missing")
    .action(() => {
      const g = program.opts<GlobalOpts>()
      const v = gatesView(resolveLakeRoot(g.lake))
      print(g, v, () => gatesText(v))
      if (v.gates.some((x) => x.status === 'fail')) process.exitCode = EXIT.dataIssues
    })

  gates
    .command('decide')
    .description('record a decision that overrides a failing gate (who, when, why)')
    .argument('<gate>', 'technical, readiness, budget, fidelity or replay')
    .requiredOption('--why <sentence>', 'why the gate may be passed, in a sentence')
    .option('--subject <id>', "the evidence it applies to (default: the gate's current evidence)")
    .option('--who <name>', 'who decides (default: the user name)')
    .action((gate: string, o: { why: string; subject?: string; who?: string }) => {
      const g = program.opts<GlobalOpts>()
      const p = decideParams.safeParse({ gate, ...o })
      if (!p.success) throw new InputError(p.error.issues[0]?.message ?? 'invalid decision')
      const d = decide(resolveLakeRoot(g.lake), p.data)
      print(
        g,
        d,
        () => `recorded: ${d.gate} decision ${d.id} by ${d.who} at ${d.at} on ${d.subject}`
      )
    })

  gates
    .command('require')
    .description('save the data requirement (plan, download, validate and backfill default to it)')
    .option('--exchange <name>', 'e.g. BINANCE', 'BINANCE')
    .option('--symbols <list>', 'comma-separated symbols', list, ['BTC-USDT'])
    .option('--tables <list>', 'comma-separated tables', list, ['book_delta_v2', 'trades', 'book'])
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <day>', 'last day, YYYY-MM-DD')
    .action(
      (o: { exchange: string; symbols: string[]; tables: string[]; from: string; to: string }) => {
        const g = program.opts<GlobalOpts>()
        const r = saveRequirement(resolveLakeRoot(g.lake), {
          exchange: o.exchange,
          symbols: o.symbols,
          tables: o.tables as ('book_delta_v2' | 'trades' | 'book')[],
          from: o.from,
          to: o.to
        })
        const b = r.budget
        print(g, r, () =>
          [
            `requirement saved: ${o.exchange} ${o.symbols.join(', ')} ${o.tables.join(', ')} ${o.from} … ${o.to}`,
            `budget: ${b.days} days, ≈${fmtBytes(b.bytes)} (${b.basis}); ${b.monthsNeeded} month(s) of a ${fmtBytes(b.quotaBytesPerMonth)}/month quota at $${b.pricePerMonthUsd}/month ≈ $${b.costUsd}`,
            'approve it: lakebook gates approve-budget --why "<who pays and why>"'
          ].join('\n')
        )
      }
    )

  gates
    .command('approve-budget')
    .description("approve the saved requirement's budget (the gate 'budget approved')")
    .requiredOption('--why <sentence>', 'the approval, in a sentence')
    .option('--who <name>', 'who approves (default: the user name)')
    .action((o: { why: string; who?: string }) => {
      const g = program.opts<GlobalOpts>()
      const lake = resolveLakeRoot(g.lake)
      if (requirementOf(lake) === null)
        throw new InputError(
          'there is no data requirement to approve: run lakebook gates require …'
        )
      const p = decideParams.safeParse({ gate: 'budget', ...o })
      if (!p.success) throw new InputError(p.error.issues[0]?.message ?? 'invalid approval')
      const d = decide(lake, p.data)
      print(g, d, () => `budget approved by ${d.who} at ${d.at}`)
    })

  gates
    .command('config')
    .description('the thresholds every gate judges with (defaults + <lake>/lakebook.config.json)')
    .action(() => {
      const g = program.opts<GlobalOpts>()
      const lake = resolveLakeRoot(g.lake)
      const c = loadTrustConfig(lake)
      print(g, c, () => `${JSON.stringify(c, null, 2)}\n(overrides: ${configPath(lake)} → "gates")`)
    })
}

// lakebook doctor: this machine's environment, one line per check with its fix; exit 1 when a
// required check fails.
import type { Command } from 'commander'
import type { DoctorReport } from '../../../src-shared/doctor'
import { runDoctor } from '../../doctor/doctor'
import { resolveLakeRoot } from '../../lake/paths'
import { EXIT, type GlobalOpts } from '../run'

export function formatDoctor(r: DoctorReport): string {
  const width = Math.max(...r.checks.map((c) => c.title.length))
  const lines = [`lakebook doctor: ${r.runtime}, lake ${r.lakeRoot}`]
  for (const c of r.checks) {
    lines.push(`  ${c.status.padEnd(4)}  ${c.title.padEnd(width)}  ${c.detail}`)
    if (c.fix !== null) lines.push(`        ${' '.repeat(width)}  fix: ${c.fix}`)
  }
  const n = (s: string) => r.checks.filter((c) => c.status === s).length
  lines.push(`${n('pass')} passed, ${n('warn')} warnings, ${n('fail')} failed`)
  return `${lines.join('\n')}\n`
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'check this machine: runtime, native modules, Chromium, disk, credentials, network'
    )
    .action(async () => {
      const g = program.opts<GlobalOpts>()
      const report = await runDoctor({ lakeRoot: resolveLakeRoot(g.lake) })
      process.stdout.write(g.json === true ? `${JSON.stringify(report)}\n` : formatDoctor(report))
      if (!report.ok) process.exitCode = EXIT.failed
    })
}

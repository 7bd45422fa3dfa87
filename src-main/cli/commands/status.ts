// lakebook status: the lake's state now — running and recent jobs, free disk, this month's
// downloads against the quota, and the alerts (each with its runbook) after one evaluation of the
// rules; raised and cleared alerts also go to the webhook when one is configured. Exit 1 while an
// error-level alert fires. lakebook alerts: the history, and --ack <id>.
import { fmtBytes } from '../../../src-shared/format'
import type { Command } from 'commander'
import type { AlertRecord } from '../../../src-shared/monitor'
import { openManifest } from '../../lake/manifest'
import { resolveLakeRoot } from '../../lake/paths'
import { Monitor, type TickResult } from '../../monitor/monitor'
import {
  forecastText,
  lakeDiskForecast,
  quotaForecast,
  quotaForecastText
} from '../../monitor/forecast'
import { backfillDaysText, latestBackfillDays } from '../../monitor/backfillDays'
import type { BackfillDaysView } from '../../../src-shared/backfillDays'
import type { DiskForecast } from '../../../src-shared/monitor'
import { InputError } from '../../util/errors'
import { EXIT, type GlobalOpts } from '../run'

const line = (a: AlertRecord): string =>
  `  ${a.severity === 'error' ? 'ERROR' : 'warn '} #${a.id} ${a.rule}: ${a.message} (since ${a.firstAt}${a.ackAt ? ', acknowledged' : ''}; runbook: ${a.runbook})`

function formatStatus(
  lake: string,
  t: TickResult,
  forecast: DiskForecast | null,
  backfill: BackfillDaysView | null
): string {
  const s = t.snapshot
  const out = [`lakebook status: lake ${lake} at ${new Date(s.atMs).toISOString()}`]
  const running = s.jobs.filter((j) => j.state === 'running')
  out.push(
    `jobs: ${running.length} running, ${s.jobs.length - running.length} ended in the last day`
  )
  for (const j of running) out.push(`  running ${j.kind} ${j.id}`)
  if (s.disk) out.push(`disk: ${fmtBytes(s.disk.freeBytes)} free at ${s.disk.path}`)
  out.push(forecastText(forecast))
  if (s.quota)
    out.push(
      `quota: ${(s.quota.usedBytes / 1e9).toFixed(1)} of ${(s.quota.limitBytes / 1e9).toFixed(0)} GB downloaded this month`
    )
  const q = quotaForecastText(quotaForecast(s.quota, s.atMs))
  if (q !== null) out.push(q)
  out.push(...backfillDaysText(backfill))
  out.push(t.firing.length === 0 ? 'alerts: none firing' : `alerts: ${t.firing.length} firing`)
  for (const a of t.firing) out.push(line(a))
  for (const a of t.cleared) out.push(`  cleared #${a.id} ${a.rule}: ${a.message}`)
  return `${out.join('\n')}\n`
}

export function register(program: Command): void {
  program
    .command('status')
    .description('the lake now: jobs, disk, quota and the alerts firing (with their runbooks)')
    .action(async () => {
      const g = program.opts<GlobalOpts>()
      const lake = resolveLakeRoot(g.lake)
      const db = openManifest(lake)
      try {
        const monitor = new Monitor(db, lake, [], undefined, (m) => {
          process.stderr.write(`${m}\n`)
        })
        const t = monitor.tick()
        const forecast = lakeDiskForecast(db)
        const backfill = latestBackfillDays(db)
        await monitor.webhook?.idle()
        process.stdout.write(
          g.json === true
            ? `${JSON.stringify({ snapshot: t.snapshot, firing: t.firing, raised: t.raised, cleared: t.cleared, diskForecast: forecast, quotaForecast: quotaForecast(t.snapshot.quota, t.snapshot.atMs), backfill })}\n`
            : formatStatus(lake, t, forecast, backfill)
        )
        for (const a of t.raised) process.stderr.write(`alert raised:${line(a)}\n`)
        if (t.firing.some((a) => a.severity === 'error')) process.exitCode = EXIT.failed
      } finally {
        db.close()
      }
    })
  program
    .command('alerts')
    .description('the alert history (newest first); --ack <id> acknowledges one')
    .option('--ack <id>', 'acknowledge this alert')
    .option('--limit <n>', 'how many to list', '50')
    .action((o: { ack?: string; limit: string }) => {
      const g = program.opts<GlobalOpts>()
      const lake = resolveLakeRoot(g.lake)
      const db = openManifest(lake)
      try {
        const m = new Monitor(db, lake)
        if (o.ack !== undefined) {
          const id = Number(o.ack)
          if (!Number.isInteger(id) || !m.store.ack(id, new Date().toISOString()))
            throw new InputError(`no alert ${o.ack} in this lake (lakebook alerts lists them)`)
        }
        const list = m.store.history(Number(o.limit))
        if (g.json === true) process.stdout.write(`${JSON.stringify(list)}\n`)
        else
          process.stdout.write(
            list.length === 0
              ? 'no alerts yet\n'
              : `${list.map((a) => `${line(a)}${a.state === 'cleared' ? ` cleared ${a.clearedAt ?? ''}` : ''}`).join('\n')}\n`
          )
      } finally {
        db.close()
      }
    })
}

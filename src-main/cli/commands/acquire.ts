// Crypto Lake acquisition from the command line: verify-access, inventory, plan (answered here,
// read-only) and download (a job: recorded, resumable, cancellable). Credentials: the standard AWS
// environment variables or a profile (--profile); --anonymous for the vendor's sample bucket.
import { Option, type Command } from 'commander'
import { fmtBytes, fmtDuration, fmtInt } from '../../../src-shared/format'
import type { DownloadPlanView, LakeSourceParams } from '../../../src-shared/acquire'
import { openManifest } from '../../lake/manifest'
import { resolveLakeRoot } from '../../lake/paths'
import { rangeOrRequirement, recordAccessCheck } from '../../gates/service'
import { verifyAccess } from '../../sources/cryptolake/access'
import { inventory, type Inventory } from '../../sources/cryptolake/inventory'
import { planAcquisition, quotaMonthStart } from '../../sources/cryptolake/plan'
import { clientFor } from '../../sources/cryptolake/session'
import { SqlAcquisitionLedger } from '../../sources/cryptolake/sqlLedger'
import { dayArg, endpointArg, EXIT, finish, runJob, type GlobalOpts } from '../run'

export interface SourceOpts {
  bucket: 'paid' | 'sample'
  endpoint?: string
  region?: string
  anonymous?: boolean
  profile?: string
  exchange: string
  symbol: string
}

const TABLES = ['trades', 'book', 'book_delta_v2'] as const
type Table = (typeof TABLES)[number]

export function sourceOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--bucket <which>', 'paid qnt.data or the free sample bucket')
        .choices(['paid', 'sample'])
        .default('paid')
    )
    .option(
      '--endpoint <url>',
      'an S3-compatible server instead of AWS (no keys inside)',
      endpointArg
    )
    .option('--region <region>', 'AWS region (default eu-west-1)')
    .option('--anonymous', 'unsigned requests (the sample bucket)')
    .option('--profile <name>', 'AWS profile for the default credential chain')
    .option('--exchange <name>', 'exchange partition', 'BINANCE')
    .option('--symbol <name>', 'symbol partition', 'BTC-USDT')
}

export function source(o: SourceOpts): LakeSourceParams {
  return {
    bucket: o.bucket,
    exchange: o.exchange,
    symbol: o.symbol,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.anonymous ? { anonymous: true } : {}),
    ...(o.profile ? { profile: o.profile } : {})
  }
}

export function parseTables(v: string): Table[] {
  const list = v.split(',').map((t) => t.trim())
  for (const t of list)
    if (!(TABLES as readonly string[]).includes(t)) throw new Error(`unknown table ${t}`)
  return list as Table[]
}

const out = (g: GlobalOpts, json: unknown, human: () => string): void => {
  process.stdout.write(g.json === true ? `${JSON.stringify(json)}\n` : `${human()}\n`)
}

function calendar(inv: Inventory): string {
  const c = inv.coverage
  if (!c) return 'no coverage (nothing found)'
  const lines = [
    `coverage ${c.from} → ${c.to} (${c.days.length} days; # present, . missing, ! listed but absent)`
  ]
  for (const row of c.rows) {
    const marks = row.cells
      .map((x) => (x.state === 'present' ? '#' : x.state === 'absent' ? '!' : '.'))
      .join('')
    lines.push(
      `  ${row.table.padEnd(14)} ${String(row.present).padStart(4)} present ${String(row.missing).padStart(4)} missing  ${marks}`
    )
  }
  return lines.join('\n')
}

function planText(p: DownloadPlanView): string {
  const lines = [
    `${fmtInt(p.files)} files, ${fmtBytes(p.bytes)} in ${p.from} → ${p.to}${p.unknownSizes ? ` (${p.unknownSizes} sizes unknown)` : ''}`,
    `already verified ${fmtInt(p.alreadyVerified.files)} (${fmtBytes(p.alreadyVerified.bytes)}); to download ${fmtInt(p.toDownload.files)} (${fmtBytes(p.toDownload.bytes)})`,
    `time at ${p.rateBytesPerSec ? `${fmtBytes(p.rateBytesPerSec)}/s` : 'an unmeasured rate'}: ${p.estimatedSeconds === null ? 'unknown' : fmtDuration(p.estimatedSeconds * 1000)}`,
    `quota: ${(100 * p.quota.shareOfMonthlyQuota).toFixed(1)}% of ${fmtBytes(p.quota.bytesPerMonth)}/month; used this month ${fmtBytes(p.quota.usedThisMonth)}, remaining ${fmtBytes(p.quota.remainingThisMonth)}; months needed ${p.quota.monthsNeeded}`,
    `disk: ${fmtBytes(p.disk.neededBytes)} needed, ${fmtBytes(p.disk.freeBytes)} free at ${p.disk.dir} (reserve ${fmtBytes(p.disk.reserveBytes)}): ${p.disk.ok ? 'ok' : 'NOT ENOUGH'}`,
    ...p.schedule.map((m) => `  schedule ${JSON.stringify(m)}`),
    `${p.decision.kind === 'ok' ? 'OK' : 'REFUSED'}: ${p.decision.message}`
  ]
  return lines.join('\n')
}

export function register(program: Command): void {
  sourceOptions(
    program
      .command('verify-access')
      .description('check that the credentials can list and read each table')
  )
    .option('--tables <list>', 'comma-separated tables', parseTables)
    .action(async (o: SourceOpts & { tables?: Table[] }) => {
      const g = program.opts<GlobalOpts>()
      const client = clientFor(source(o))
      try {
        const r = await verifyAccess(client, {
          exchange: o.exchange,
          symbol: o.symbol,
          ...(o.tables ? { tables: o.tables } : {})
        })
        out(g, r, () =>
          [
            `${r.target} ${r.exchange} ${r.symbol}`,
            ...r.tables.map((t) => `  ${t.table.padEnd(14)} ${t.status.padEnd(12)} ${t.message}`)
          ].join('\n')
        )
        recordAccessCheck(resolveLakeRoot(g.lake), r.ok, r)
        if (!r.ok) process.exitCode = EXIT.failed
      } finally {
        client.destroy()
      }
    })

  sourceOptions(
    program
      .command('inventory')
      .description('partitions per table and day, sizes and ETags, coverage calendar')
  )
    .option('--tables <list>', 'comma-separated tables', parseTables)
    .option('--from <day>', 'first day, YYYY-MM-DD', dayArg)
    .option('--to <day>', 'last day, YYYY-MM-DD', dayArg)
    .action(async (o: SourceOpts & { tables?: Table[]; from?: string; to?: string }) => {
      const g = program.opts<GlobalOpts>()
      const client = clientFor(source(o))
      try {
        const inv = await inventory(client, {
          exchange: o.exchange,
          symbol: o.symbol,
          ...(o.tables ? { tables: o.tables } : {}),
          ...(o.from ? { from: o.from } : {}),
          ...(o.to ? { to: o.to } : {})
        })
        out(g, inv, () =>
          [
            `${inv.target} ${inv.exchange} ${inv.symbol}`,
            ...inv.tables.map(
              (t) =>
                `  ${t.table.padEnd(14)} ${fmtInt(t.files)} files, ${fmtInt(t.days)} days, ${fmtBytes(t.bytes)} (${t.source})${t.error ? `  ERROR ${t.error.message}` : ''}${t.notes.length ? `  ${t.notes.join('; ')}` : ''}`
            ),
            calendar(inv)
          ].join('\n')
        )
        if (inv.tables.some((t) => t.error)) process.exitCode = EXIT.failed
      } finally {
        client.destroy()
      }
    })

  sourceOptions(
    program
      .command('plan')
      .description('files, bytes, time, quota share, disk and schedule for a download')
  )
    .option('--tables <list>', 'comma-separated tables', parseTables)
    .option('--from <day>', 'first day, YYYY-MM-DD (default: the saved data requirement)', dayArg)
    .option('--to <day>', 'last day, YYYY-MM-DD (default: the saved data requirement)', dayArg)
    .option('--quota-gb <n>', 'monthly download quota, GB', Number, 300)
    .option(
      '--used-gb <n>',
      'already used this quota month, GB (default: from the manifest)',
      Number
    )
    .option('--rate-mb <n>', 'download rate for the estimate, MB/s', Number)
    .addOption(
      new Option('--start <when>', 'now: this month or refuse; schedule: spread over months')
        .choices(['now', 'schedule'])
        .default('schedule')
    )
    .action(
      async (
        o: SourceOpts & {
          tables?: Table[]
          from?: string
          to?: string
          quotaGb: number
          usedGb?: number
          rateMb?: number
          start: 'now' | 'schedule'
        }
      ) => {
        const g = program.opts<GlobalOpts>()
        const lakeRoot = resolveLakeRoot(g.lake)
        const range = rangeOrRequirement(lakeRoot, o, 'plan')
        const client = clientFor(source(o))
        const db = openManifest(lakeRoot)
        try {
          const ledger = new SqlAcquisitionLedger(db)
          const inv = await inventory(client, {
            exchange: o.exchange,
            symbol: o.symbol,
            ...range,
            ...(o.tables ? { tables: o.tables } : {})
          })
          const failed = inv.tables.filter((t) => t.error)
          if (failed.length > 0) {
            // A listing that failed is not an empty listing: no plan on it.
            for (const t of failed)
              process.stderr.write(`lakebook: ${t.table}: ${t.error?.message ?? ''}\n`)
            process.stderr.write(
              'lakebook: REFUSED: the inventory is incomplete, so no plan can be made\n'
            )
            process.exitCode = EXIT.failed
            return
          }
          const { objects: _objects, ...plan } = planAcquisition(inv, {
            ...range,
            lakeRoot,
            ...(o.tables ? { tables: o.tables } : {}),
            quotaBytesPerMonth: o.quotaGb * 1e9,
            usedThisMonthBytes:
              o.usedGb !== undefined
                ? o.usedGb * 1e9
                : ledger.bytesTransferredSince(quotaMonthStart()),
            ...(o.rateMb !== undefined ? { rateBytesPerSec: o.rateMb * 1e6 } : {}),
            start: o.start,
            ledger
          })
          out(g, plan, () => planText(plan))
          if (plan.decision.kind === 'refuse') process.exitCode = EXIT.failed
        } finally {
          db.close()
          client.destroy()
        }
      }
    )

  sourceOptions(
    program
      .command('download')
      .description('verified, resumable download into the lake staging zone')
  )
    .option('--tables <list>', 'comma-separated tables', parseTables)
    .option('--from <day>', 'first day, YYYY-MM-DD (default: the saved data requirement)', dayArg)
    .option('--to <day>', 'last day, YYYY-MM-DD (default: the saved data requirement)', dayArg)
    .option(
      '--concurrency <n>',
      'files in flight (default: the workers.downloads setting, 4)',
      (v) => Number.parseInt(v, 10)
    )
    .option('--quota-gb <n>', 'monthly download quota, GB', Number, 300)
    .option(
      '--used-gb <n>',
      'already used this quota month, GB (default: from the manifest)',
      Number
    )
    .addOption(
      new Option('--start <when>', 'now: refuse beyond this month’s quota; schedule: allow')
        .choices(['now', 'schedule'])
        .default('now')
    )
    .option('--dry-run', 'plan only')
    .action(
      async (
        o: SourceOpts & {
          tables?: Table[]
          from?: string
          to?: string
          concurrency?: number
          quotaGb: number
          usedGb?: number
          start: 'now' | 'schedule'
          dryRun?: boolean
        }
      ) => {
        const g = program.opts<GlobalOpts>()
        const range = rangeOrRequirement(resolveLakeRoot(g.lake), o, 'download')
        const record = await runJob(
          {
            kind: 'download',
            params: {
              source: source(o),
              ...range,
              ...(o.tables ? { tables: o.tables } : {}),
              ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
              quotaGb: o.quotaGb,
              ...(o.usedGb !== undefined ? { usedGb: o.usedGb } : {}),
              start: o.start,
              dryRun: o.dryRun === true
            }
          },
          g
        )
        finish(
          record,
          g,
          (r) => {
            const d = r
            const lines = [planText(d.plan)]
            if (d.download) {
              const x = d.download
              lines.push(
                `verified ${fmtInt(x.verified)} (already ${fmtInt(x.alreadyVerified)}; ETag not verified ${fmtInt(x.etagUnverified)}), failed ${fmtInt(x.failed)}, denied ${fmtInt(x.denied)}, missing ${fmtInt(x.missing)}, not started ${fmtInt(x.notStarted)}`,
                `${fmtBytes(x.bytesTransferred)} in ${fmtDuration(x.elapsedMs)} (${fmtBytes(x.bytesPerSec)}/s)${x.stopped ? `; STOPPED: ${x.stopped}` : ''}`,
                ...x.failures.map(
                  (f) => `  ${f.status}: ${f.key}${f.reason ? `: ${f.reason}` : ''}`
                ),
                ...x.etagNotVerified.map(
                  (f) => `  ETag not verified: ${f.key} (ETag ${f.etag ?? 'none'}): ${f.reason}`
                )
              )
            }
            process.stdout.write(`${lines.join('\n')}\n`)
          },
          (r) => {
            const d = r.download
            return (
              d !== null &&
              (d.failed + d.denied + d.missing + d.notStarted + d.etagUnverified > 0 ||
                d.stopped !== null)
            )
          }
        )
      }
    )
}

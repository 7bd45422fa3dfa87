// The download job: inventory → plan (refuses what cannot fit, with the reason) → verified,
// resumable download into staging, every outcome in the manifest. Retries, failures and stalls are
// logged as warnings/errors so the app raises alerts and the CLI exits non-zero with a summary.
import type { DownloadParams } from '../../../src-shared/acquire'
import { InputError, CancelledError } from '../../util/errors'
import type { JobContext } from '../../jobs/context'
import { openManifest } from '../../lake/manifest'
import { downloadObjects, toJobProgress, type DownloadSummary } from './download'
import { inventory, type Inventory } from './inventory'
import { planAcquisition, quotaMonthStart, type AcquisitionPlan } from './plan'
import type { LogFn } from './redact'
import { clientFor } from './session'
import { SqlAcquisitionLedger } from './sqlLedger'

export interface DownloadJobResult {
  readonly target: string
  readonly inventory: Pick<Inventory, 'tables' | 'coverage'>
  readonly plan: Omit<AcquisitionPlan, 'objects'>
  readonly download:
    | (Omit<DownloadSummary, 'results'> & {
        readonly failures: readonly { key: string; status: string; reason: string | null }[]
        /** Verified files whose ETag could not be checked, with the reason. */
        readonly etagNotVerified: readonly { key: string; etag: string | null; reason: string }[]
      })
    | null
}

export async function runDownloadJob(
  params: DownloadParams,
  ctx: JobContext
): Promise<DownloadJobResult> {
  const client = clientFor(params.source, ctx.secrets)
  const db = openManifest(ctx.lakeRoot)
  const log: LogFn = (level, msg) => {
    // The job log has no debug level; everything else is redacted before it leaves.
    if (level !== 'debug') ctx.log(level, client.redactor.redact(msg))
  }
  try {
    const ledger = new SqlAcquisitionLedger(db)
    ctx.log('info', `inventory of ${client.describe()}`)
    ctx.progress({ done: 0, total: null, unit: 'files', message: 'listing' })
    const inv = await inventory(client, {
      exchange: params.source.exchange,
      symbol: params.source.symbol,
      from: params.from,
      to: params.to,
      ...(params.tables ? { tables: params.tables } : {}),
      signal: ctx.signal,
      log
    })
    const failedTables = inv.tables.filter((t) => t.error)
    for (const t of failedTables) ctx.log('error', `${t.table}: ${t.error?.message ?? ''}`)
    // A listing that failed is not an empty listing: never plan (or report "nothing to do") on it.
    if (failedTables.length > 0) {
      throw new InputError(
        `inventory failed for ${failedTables.map((t) => t.table).join(', ')}: ${failedTables[0]?.error?.message ?? ''}`
      )
    }
    const used =
      params.usedGb !== undefined
        ? params.usedGb * 1e9
        : ledger.bytesTransferredSince(quotaMonthStart())
    const plan = planAcquisition(inv, {
      from: params.from,
      to: params.to,
      lakeRoot: ctx.lakeRoot,
      ...(params.tables ? { tables: params.tables } : {}),
      ...(params.quotaGb !== undefined ? { quotaBytesPerMonth: params.quotaGb * 1e9 } : {}),
      usedThisMonthBytes: used,
      start: params.start ?? 'now',
      ledger
    })
    const { objects, ...planSummary } = plan
    ctx.log('info', plan.decision.message)
    if (plan.decision.kind === 'refuse') throw new InputError(`refused: ${plan.decision.message}`)
    if (params.dryRun === true)
      return {
        target: client.describe(),
        inventory: { tables: inv.tables, coverage: inv.coverage },
        plan: planSummary,
        download: null
      }
    const summary = await downloadObjects(client, objects, {
      lakeRoot: ctx.lakeRoot,
      ...(params.concurrency ? { concurrency: params.concurrency } : {}),
      signal: ctx.signal,
      ledger,
      log,
      onProgress: (p) => {
        ctx.progress(toJobProgress(p))
      }
    })
    if (summary.cancelled) throw new CancelledError()
    const { results, ...rest } = summary
    const failures = results
      .filter((r) => r.status !== 'verified')
      .map((r) => ({ key: r.key, status: r.status, reason: r.reason }))
    for (const f of failures)
      ctx.log('error', `${f.status}: ${f.key}${f.reason ? `: ${f.reason}` : ''}`)
    const etagNotVerified = results
      .filter((r) => r.status === 'verified' && !r.etagVerified)
      .map((r) => ({
        key: r.key,
        etag: r.etag,
        reason: r.etagNote ?? 'recorded without an ETag check'
      }))
    if (summary.stopped) ctx.log('error', `download stopped: ${summary.stopped}`)
    return {
      target: client.describe(),
      inventory: { tables: inv.tables, coverage: inv.coverage },
      plan: planSummary,
      download: { ...rest, failures, etagNotVerified }
    }
  } finally {
    db.close()
    client.destroy()
  }
}

// Backfill job runners for the registry and the CLI: plan (record the day jobs, estimate),
// run (day jobs with bounded parallelism until the queue is empty, then certify) and status
// (the queue view). They open the manifest themselves, like the download job does.
import type {
  ExportParams,
  BackfillPlanParams,
  BackfillPlanView,
  BackfillRunParams,
  BackfillStatusParams,
  BackfillStatusView
} from '../../src-shared/export'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError } from '../util/errors'
import type { JobContext } from '../jobs/context'
import { hasTable, openManifest, type Db } from '../lake/manifest'
import { quotaMonthStart } from '../sources/cryptolake/plan'
import { planBackfill } from './backfillPlan'
import { GateStore } from '../gates/store'
import { ValidationStore } from '../validate/store'
import { assertReady, type ExportGateOptions } from '../gates/exportGates'
import { technicalGate } from '../gates/technical'
import {
  backfillStatus,
  inThreadExecutor,
  planGates,
  runBackfill,
  workerExecutor
} from './backfillRun'
import { BackfillStore, type BackfillRecord } from './backfillStore'
import type { ExportWorkers } from './exportJob'
import { manifestLookup } from './inputs'
import { planFileOf, writePlanFile } from './backfillPlanFile'
import { rayRun, type RayRun } from './rayExecutor'
import type { WorkerSpec } from './writerStage'

/** Where day jobs run: worker threads speaking the job protocol, else this thread. */
export interface BackfillExecution {
  /** A job worker that runs export-day jobs (the built job worker in the app). */
  readonly dayWorker?: WorkerSpec | undefined
  /** Workers of a day job run in this thread. */
  readonly workers?: ExportWorkers | undefined
}

/** Bytes the acquisition ledger counted this quota month (0 when it has no record yet). */
function usedThisMonth(db: Db): number {
  if (!hasTable(db, 'acquisition_transfers')) return 0
  const r = db
    .prepare('SELECT COALESCE(SUM(bytes), 0) AS n FROM acquisition_transfers WHERE at >= ?')
    .get(quotaMonthStart()) as { n: number }
  return r.n
}

export function withStore<T>(lakeRoot: string, fn: (store: BackfillStore, db: Db) => T): T {
  const db = openManifest(lakeRoot)
  try {
    return fn(new BackfillStore(db), db)
  } finally {
    db.close()
  }
}

export async function withStoreAsync<T>(
  lakeRoot: string,
  fn: (store: BackfillStore, db: Db) => Promise<T>
): Promise<T> {
  const db = openManifest(lakeRoot)
  try {
    return await fn(new BackfillStore(db), db)
  } finally {
    db.close()
  }
}

/** Plans (or finds) a backfill in the lake's manifest, with this month's download quota use. */
export function backfillPlanOf(lakeRoot: string, params: BackfillPlanParams): BackfillPlanView {
  return withStore(lakeRoot, (store, db) =>
    planBackfill(params, { lakeRoot, store, usedThisMonthBytes: usedThisMonth(db) })
  )
}

export function runBackfillPlanJob(
  params: BackfillPlanParams,
  ctx: JobContext
): Promise<BackfillPlanView> {
  return Promise.resolve(backfillPlanOf(ctx.lakeRoot, params))
}

/** Days a Ray run hands to the cluster at once (the whole plan for any real range). */
const MAX_RAY_DAYS = 10_000

/**
 * The Ray driver for a backfill: the plan written beside the dataset, and the day tasks running
 * the built CLI (`backfill day`) next to this job's worker (out/main/cli.js) with this Node.
 */
function startRay(
  b: BackfillRecord,
  params: BackfillRunParams,
  ctx: JobContext,
  exec: BackfillExecution
): RayRun {
  const entry = exec.dayWorker?.path
  if (entry === undefined) throw new Error('a Ray backfill needs the built job worker')
  const file =
    typeof entry === 'string' && !entry.startsWith('file:') ? entry : fileURLToPath(entry)
  const main = resolve(dirname(file), '..')
  const planPath = writePlanFile(planFileOf(b, ctx.lakeRoot))
  return rayRun({
    python: params.python ?? process.env['LAKEBOOK_PYTHON'] ?? 'python3',
    driver: resolve(main, '..', '..', 'ray', 'driver.py'),
    planPath,
    node: process.execPath,
    cli: join(main, 'cli.js'),
    address: params.address,
    retries: params.retries ?? 3,
    log: (m) => {
      ctx.log('info', m)
    }
  })
}

function pickId(store: BackfillStore, id: string | undefined): string {
  const chosen = id ?? store.latest()?.id
  if (chosen === undefined)
    throw new InputError('no backfill planned yet: run `lakebook backfill plan` first')
  return chosen
}

export function runBackfillRunJob(
  params: BackfillRunParams,
  ctx: JobContext,
  exec: BackfillExecution = {}
): Promise<BackfillStatusView> {
  return withStoreAsync(ctx.lakeRoot, async (store, db) => {
    const id = pickId(store, params.id)
    const decisions = new GateStore(db)
    const validation = new ValidationStore(db)
    assertBackfillGates(store.get(id), { lakeRoot: ctx.lakeRoot, decisions })
    const ray = params.engine === 'ray' ? startRay(store.get(id), params, ctx, exec) : null
    const executor =
      ray?.executor ??
      (exec.dayWorker
        ? workerExecutor(exec.dayWorker, ctx.lakeRoot)
        : inThreadExecutor({
            lakeRoot: ctx.lakeRoot,
            workers: exec.workers ?? {},
            manifest: manifestLookup(db),
            validation
          }))
    // On Ray every queued day is handed over at once; the cluster schedules and retries them.
    const parallel = ray ? MAX_RAY_DAYS : (params.parallel ?? 1)
    ctx.log(
      'info',
      ray
        ? `backfill ${id}: day jobs on ${params.address ? `the Ray cluster at ${params.address}` : 'a local Ray cluster'}`
        : `backfill ${id}: up to ${parallel} day job(s) at once`
    )
    const status = await runBackfill(store, id, {
      gates: {
        lakeRoot: ctx.lakeRoot,
        decisions,
        validation,
        log: (level, message) => {
          ctx.log(level, message)
        }
      },
      parallel,
      executor,
      retryFailed: params.retryFailed,
      acceptMissing: params.acceptMissing,
      signal: ctx.signal,
      onProgress: (s) => {
        // In input rows (the status's share of them), so the rate and ETA read as rows.
        const rows = s.dayList.reduce((a, d) => a + (d.inputRows ?? 0), 0)
        ctx.progress({
          done: rows > 0 ? Math.round(s.progress * rows) : s.counts.done,
          total: rows > 0 ? rows : s.days,
          unit: rows > 0 ? 'rows' : 'days',
          message: `${s.counts.done}/${s.days} days done, ${s.counts.running} running, ${s.counts.failed} failed`,
          metrics: backfillMetrics(s)
        })
      }
    }).finally(() => ray?.close())
    for (const d of status.dayList)
      if (d.state === 'failed') ctx.log('warn', `${d.day} failed: ${d.reason ?? ''}`)
    return status
  })
}

/**
 * The backfill's metric series from its finished days' summaries: resyncs and crossings so far,
 * and the drift of the latest finished day that compared its book (a running day's figures land when it ends).
 */
export function backfillMetrics(s: BackfillStatusView): Record<string, number> {
  let resyncs = 0
  let crossings = 0
  let latest: BackfillStatusView['dayList'][number] | null = null
  for (const d of s.dayList) {
    if (d.summary === null) continue
    resyncs += d.summary.resyncs
    crossings += d.summary.crossings
    // The latest day that compared its book (a day without data has no drift).
    if (d.summary.drift.aligned === 0) continue
    if (latest === null || (d.endedAt ?? '') > (latest.endedAt ?? '')) latest = d
  }
  const out: Record<string, number> = { resyncs, crossings }
  const drift = latest?.summary?.drift
  if (drift?.meanAbsMidErrTicks != null) out['driftMidTicks'] = drift.meanAbsMidErrTicks
  if (drift?.meanJaccard != null) out['driftJaccard'] = drift.meanJaccard
  return out
}

/**
 * A backfill starts only when the machine passed its go/no-go (or a decision overrides the
 * NO-GO report) and, unless the plan is ungated, the readiness gate covers the plan's range.
 */
export function assertBackfillGates(
  b: BackfillRecord,
  g: Omit<ExportGateOptions, 'ungated' | 'fidelity'>
): void {
  const tech = technicalGate(g.lakeRoot, g.decisions)
  if (tech.verdict === 'fail')
    throw new InputError(`the technical gate blocks this backfill: ${tech.missing.join('; ')}`)
  const p = b.params as ExportParams
  // --validate: the range is validated and certified by the backfill itself (backfillGate.ts).
  if (p.validate === true) return
  assertReady(
    { root: p.root ?? g.lakeRoot, exchange: b.exchange, symbol: b.symbol, from: b.from, to: b.to },
    planGates(b, g)
  )
}

export function backfillStatusOf(
  lakeRoot: string,
  params: BackfillStatusParams
): BackfillStatusView {
  return withStore(lakeRoot, (store) => backfillStatus(store, pickId(store, params.id)))
}

export function runBackfillStatusJob(
  params: BackfillStatusParams,
  ctx: JobContext
): Promise<BackfillStatusView> {
  return Promise.resolve(backfillStatusOf(ctx.lakeRoot, params))
}

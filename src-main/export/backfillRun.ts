// Running a backfill: day jobs taken from the queue in day order, at most `parallel` at once,
// each marked done or failed (with the reason) as it ends. Days a dead process left running go
// back to the queue first, and their day jobs resume from their checkpoints, so stopping and
// restarting a backfill — or the machine — loses at most a chunk per running day. When every day
// is done the dataset's certificate.json is written from the day certificates.
//
// Where a day job runs is the executor's business: in this thread (tests, one day at a time) or
// in a worker thread speaking the job protocol (src-main/jobs/protocol.ts), so days replay in
// parallel. docs/scaling.md describes the same day jobs spread over machines.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type {
  BackfillGateSummary,
  BackfillStatusView,
  ExportDayParams,
  ExportDayResult,
  ExportParams
} from '../../src-shared/export'
import { CancelledError, errorMessage } from '../util/errors'
import type { FromWorker, ToWorker } from '../jobs/protocol'
import { exportDay, readDayCertificate, type DayEnv } from './backfillDay'
import { daySummary, missingDaySummary, type SummaryThresholds } from './daySummary'
import { loadAlertConfig } from '../monitor/config'
import type { BackfillRecord, BackfillStore } from './backfillStore'
import {
  buildCertificate,
  certificateLabels,
  certificateSplit,
  writeCertificate,
  type CertificateDay,
  type CertificateRun
} from './certificate'
import type { PartRecord } from './checkpoint'
import { labelAndSplitOptions } from './exportJob'
import type { InputFile } from './inputs'
import { runLabelPass, type LabelPassResult } from './labelPass'
import type { ExportConfig } from './pipeline'
import { emptyDayRecord } from './recorder'
import { SPLITS_FILE } from './schema'
import { datasetTrust, type ExportGateOptions } from '../gates/exportGates'
import { startWorker, type WorkerSpec } from '../util/workerLifecycle'
import type { ValidationStore } from '../validate/store'
import { settleBackfillGate } from './backfillGate'
import { inPassSummary, type InPassEnv } from './validatedExport'
import { gateSummaryPath } from './backfillPaths'
import { writeFileAtomic } from '../util/atomicWrite'

/** Runs one day job; rejects with the reason when it fails. */
export type DayExecutor = (
  params: ExportDayParams,
  signal: AbortSignal,
  onProgress: (done: number, total: number) => void
) => Promise<ExportDayResult>

/** Day jobs in this thread (one replay at a time, whatever `parallel` says). */
export function inThreadExecutor(env: Omit<DayEnv, 'signal' | 'onProgress'>): DayExecutor {
  return (params, signal, onProgress) =>
    exportDay(params, {
      ...env,
      signal,
      onProgress: (p) => {
        onProgress(p.done, p.total)
      }
    })
}

/**
 * Day jobs in worker threads speaking the job protocol: the built job worker in the app (with
 * the export-day kind registered), or any worker that answers it.
 */
export function workerExecutor(worker: WorkerSpec, lakeRoot: string): DayExecutor {
  return (params, signal, onProgress) =>
    new Promise<ExportDayResult>((resolve, reject) => {
      const w = startWorker<ToWorker, FromWorker<'export-day'>>(worker, 'day worker')
      let settled = false
      const settle = (e: Error | null, r?: ExportDayResult): void => {
        if (settled) return
        settled = true
        signal.removeEventListener('abort', onAbort)
        void w.stop()
        if (e) reject(e)
        else if (r) resolve(r)
      }
      const onAbort = (): void => {
        // A day job that does not stop within 10 s is terminated; its checkpoint stays.
        w.cancel({ type: 'cancel' }, 10_000)
      }
      signal.addEventListener('abort', onAbort)
      // This worker runs the export-day job posted to it, so its result is that kind's.
      w.onMessage((m) => {
        if (m.type === 'progress') onProgress(m.progress.done, m.progress.total ?? 0)
        else if (m.type === 'done') settle(null, m.result)
        else if (m.type === 'failed')
          settle(m.error.kind === 'cancelled' ? new CancelledError() : new Error(m.error.message))
      })
      w.onFailure((e) => {
        settle(e)
      })
      w.onCancelled(() => {
        settle(new CancelledError())
      })
      w.post({
        type: 'start',
        jobId: `export-day-${params.day}`,
        lakeRoot,
        spec: { kind: 'export-day', params }
      })
    })
}

export interface RunBackfillOptions {
  readonly parallel: number
  readonly executor: DayExecutor
  readonly retryFailed?: boolean | undefined
  readonly acceptMissing?: boolean | undefined
  readonly signal?: AbortSignal | undefined
  /** Called whenever a day starts, progresses or ends. */
  readonly onProgress?: ((s: BackfillStatusView) => void) | undefined
  readonly pid?: number | undefined
  readonly alive?: ((pid: number) => boolean) | undefined
  /** Each day's verdict thresholds; default: the lake's alert config (key "alerts"). */
  readonly thresholds?: SummaryThresholds | undefined
  /** How the final certificate is judged (the lake, its decisions); the plan says ungated/fidelity. */
  readonly gates: BackfillGates
}

/** The lake's gate records a backfill's certificate is judged by (and, with --validate, settles). */
export type BackfillGates = Omit<ExportGateOptions, 'ungated' | 'fidelity'> & {
  /** The manifest's validation records: a --validate backfill settles its verdicts there. */
  readonly validation?: ValidationStore | undefined
  readonly log?: InPassEnv['log']
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'
  }
}

/** The day-job parameters of a backfill's day. */
export function dayParams(b: BackfillRecord, day: string): ExportDayParams {
  // Labels and split are made over the whole range once every day is done (certifyIfComplete).
  const {
    from: _f,
    to: _t,
    out: _o,
    force: _force,
    labels: _l,
    deadZone: _d,
    split: _s,
    splitDates: _sd,
    purge: _p,
    embargo: _e,
    ...settings
  } = b.params as ExportParams
  return { dataset: b.dataset, day, settings }
}

const NO_DATA = /no book_delta_v2 files|no Crypto Lake data/

export async function runBackfill(
  store: BackfillStore,
  id: string,
  o: RunBackfillOptions
): Promise<BackfillStatusView> {
  const b = store.get(id)
  const pid = o.pid ?? process.pid
  store.requeue(id, o.alive ?? processAlive, o.retryFailed === true)
  store.setParallel(id, o.parallel)
  const signal = o.signal ?? new AbortController().signal
  const thresholds = o.thresholds ?? loadAlertConfig(o.gates.lakeRoot)
  const inputRows = new Map(store.days(id).map((d) => [d.day, d.inputRows ?? 0]))
  const live = new Map<string, number>()
  const report = (): void => o.onProgress?.(backfillStatus(store, id, live))
  const running = new Set<Promise<void>>()
  let stop = false as boolean

  const runDay = async (day: string): Promise<void> => {
    const t0 = performance.now()
    try {
      const r = await o.executor(dayParams(b, day), signal, (done) => {
        live.set(day, done)
        report()
      })
      const seconds = r.seconds > 0 ? r.seconds : (performance.now() - t0) / 1000
      const cert = readDayCertificate(b.dataset, day)
      store.done(id, day, {
        endedAt: new Date().toISOString(),
        events: r.events,
        outputBytes: r.outputBytes,
        seconds,
        summary:
          cert === null ? null : daySummary(cert, day, inputRows.get(day) ?? 0, seconds, thresholds)
      })
    } catch (e) {
      if (e instanceof CancelledError || signal.aborted) {
        store.release(id, day)
        stop = true
      } else if (o.acceptMissing === true && NO_DATA.test(errorMessage(e))) {
        store.done(id, day, {
          endedAt: new Date().toISOString(),
          events: 0,
          outputBytes: 0,
          seconds: 0,
          summary: missingDaySummary(day, (performance.now() - t0) / 1000)
        })
      } else store.failed(id, day, errorMessage(e), new Date().toISOString())
    } finally {
      live.delete(day)
      report()
    }
  }

  for (;;) {
    while (!stop && !signal.aborted && running.size < o.parallel) {
      const day = store.claim(id, pid, new Date().toISOString())
      if (day === null) break
      const p: Promise<void> = runDay(day).finally(() => running.delete(p))
      running.add(p)
      report()
    }
    if (running.size === 0) break
    await Promise.race(running)
  }
  if (signal.aborted) throw new CancelledError()
  await certifyIfComplete(store, id, o.gates, signal)
  return backfillStatus(store, id)
}

/** The gate options a backfill's plan carries (ungated, fidelity reference) on the lake's. */
export function planGates(
  b: BackfillRecord,
  g: Omit<ExportGateOptions, 'ungated' | 'fidelity'>
): ExportGateOptions {
  const p = b.params as ExportParams
  return { ...g, ungated: p.ungated, fidelity: p.fidelityReference }
}

/**
 * Once every day is done: the labels and split over the whole range (labelPass.ts reads the
 * features parts of all days in order, so labels look across day boundaries exactly as in one
 * continuous export), then the dataset certificate, judged by every gate like an export's.
 * Returns its path, or null.
 */
export async function certifyIfComplete(
  store: BackfillStore,
  id: string,
  gates: BackfillGates,
  signal?: AbortSignal
): Promise<string | null> {
  const b = store.get(id)
  const days = store.days(id)
  if (days.some((d) => d.state !== 'done')) return null
  const certs = days.map((d) => readDayCertificate(b.dataset, d.day))
  const present = certs.filter((c) => c !== null)
  const first = present[0]
  if (!first) return null
  const inputs: InputFile[] = []
  const runs: CertificateRun[] = []
  const dayList: CertificateDay[] = []
  const outputs: PartRecord[] = []
  for (const c of present) {
    inputs.push(...(c.inputs as unknown as InputFile[]))
    runs.push(...c.runs)
    dayList.push(...c.days)
    outputs.push(...c.outputs)
  }
  // Days done without any data (accepted as gaps) are listed too, as days without book data.
  for (const d of days) {
    if (dayList.some((x) => x.date === d.day)) continue
    dayList.push({ ...emptyDayRecord(d.day), outputRows: {} })
  }
  dayList.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const { labels, split } = labelAndSplitOptions(
    b.params as ExportParams,
    first.config.tables,
    first.config.gridUs
  )
  const config: ExportConfig = {
    ...first.config,
    warmupDays: runs[0]?.warmupDays ?? 0,
    labels,
    split
  }
  let pass: LabelPassResult | null = null
  rmSync(join(b.dataset, 'labels'), { recursive: true, force: true })
  rmSync(join(b.dataset, SPLITS_FILE), { force: true })
  if ((labels || split) && config.gridUs !== null && config.tables.features) {
    pass = await runLabelPass({
      out: b.dataset,
      gridUs: config.gridUs,
      tick: config.tick,
      labels,
      split,
      features: outputs.filter((p) => p.table === 'features'),
      signal
    })
    outputs.push(...pass.parts)
    const parts = pass.parts
    dayList.splice(
      0,
      dayList.length,
      ...dayList.map((d) => {
        const rows = parts.filter((p) => p.date === d.date).reduce((a, p) => a + p.rows, 0)
        return rows > 0 ? { ...d, outputRows: { ...d.outputRows, labels: rows } } : d
      })
    )
  }
  // --validate: the day jobs' verdicts settled and the range certified before it is judged.
  if ((b.params as ExportParams).validate === true) await settleGate(b, gates, signal)
  const { trust, fidelity } = await datasetTrust({
    range: { root: config.root, exchange: b.exchange, symbol: b.symbol, from: b.from, to: b.to },
    dataset: b.dataset,
    inputs,
    runs,
    gates: planGates(b, gates),
    signal
  })
  const cert = buildCertificate({
    trust,
    fidelity,
    kind: 'backfill',
    config,
    from: b.from,
    to: b.to,
    inputs,
    runs,
    days: dayList,
    outputs,
    labels: pass ? { spec: pass.spec, cert: certificateLabels(labels, pass) } : null,
    split: pass ? certificateSplit(pass) : null
  })
  const path = writeCertificate(b.dataset, cert)
  store.setCertificate(id, path)
  return path
}

async function settleGate(
  b: BackfillRecord,
  gates: BackfillGates,
  signal: AbortSignal | undefined
): Promise<void> {
  if (gates.validation === undefined)
    throw new Error('a --validate backfill is settled with the manifest’s validation records')
  const o = await settleBackfillGate(b, {
    lakeRoot: gates.lakeRoot,
    store: gates.validation,
    runId: `${b.id}-gate`,
    signal,
    log: gates.log
  })
  if (o === null) {
    gates.log?.('info', 'no staged file left to settle: the range was certified from ready/')
    return
  }
  const summary: BackfillGateSummary = { ...inPassSummary(o), reused: o.reused }
  writeFileAtomic(gateSummaryPath(b.dataset), `${JSON.stringify(summary, null, 2)}\n`)
  const c = o.validation.counts
  gates.log?.(
    'info',
    `the gate in the day jobs' read: ${c.pass} passed, ${c.warn} with warnings, ${c.fail} failed; ` +
      `${o.validation.promoted.length} promoted to ready/; ${o.reused} verdict(s) from the day jobs, ${o.validatedApart} file(s) validated on their own; ` +
      `readiness certificate ${o.certify.verdict}`
  )
  for (const k of o.validation.kept)
    gates.log?.('warn', `kept in staging: ${k.path}: ${k.reasons.join('; ')}`)
}

function readGateSummary(b: BackfillRecord): BackfillGateSummary | null {
  const p = gateSummaryPath(b.dataset)
  if ((b.params as ExportParams).validate !== true || !existsSync(p)) return null
  return JSON.parse(readFileSync(p, 'utf8')) as BackfillGateSummary
}

/** What the app's backfill queue view shows: counts, progress by input rows, rate and ETA. */
export function backfillStatus(
  store: BackfillStore,
  id: string,
  live: ReadonlyMap<string, number> = new Map()
): BackfillStatusView {
  const b = store.get(id)
  const days = store.days(id)
  const counts = { queued: 0, running: 0, done: 0, failed: 0 }
  let totalRows = 0
  let doneRows = 0
  let rateRows = 0
  let rateSecs = 0
  let outputBytes = 0
  for (const d of days) {
    counts[d.state]++
    const rows = d.inputRows ?? 0
    totalRows += rows
    if (d.state === 'done') {
      doneRows += rows
      outputBytes += d.outputBytes ?? 0
      if ((d.seconds ?? 0) > 0) {
        rateRows += rows
        rateSecs += d.seconds ?? 0
      }
    } else if (d.state === 'running') {
      // A running day counts by its delta rows done so far (an estimate of its share).
      doneRows += Math.min(rows, live.get(d.day) ?? 0)
    }
  }
  const perJob = rateSecs > 0 ? rateRows / rateSecs : null
  const lanes = Math.max(1, Math.min(b.parallel, counts.queued + counts.running))
  const rowsPerSecond = perJob === null ? null : perJob * lanes
  const left = totalRows - doneRows
  return {
    id: b.id,
    dataset: b.dataset,
    exchange: b.exchange,
    symbol: b.symbol,
    from: b.from,
    to: b.to,
    createdAt: b.createdAt,
    counts,
    days: days.length,
    progress: totalRows > 0 ? doneRows / totalRows : counts.done / Math.max(1, days.length),
    rowsPerSecond,
    etaSeconds: rowsPerSecond === null ? null : left > 0 ? left / rowsPerSecond : 0,
    outputBytes,
    certificate: b.certificate,
    gate: readGateSummary(b),
    dayList: days.map(({ ownerPid: _p, ...d }) => d)
  }
}

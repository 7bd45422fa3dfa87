// One day job of a backfill: the export of one receive-time day into the backfill's dataset
// folder (its date=D partitions only), with `warmupDays` earlier days replayed first so the book
// is carried into the day — the same rule for every day, whichever order or machine they run on,
// so a day's output depends only on its inputs and the plan. Its checkpoints live in
// _work/D/ (an interrupted day resumes), and it ends with a day certificate in _days/D.json;
// the dataset's certificate.json combines them when every day is done (backfillRun.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { ExportDayParams, ExportDayResult } from '../../src-shared/export'
import { dayProblem } from '../../src-shared/params'
import { InputError } from '../util/errors'
import type { JobContext } from '../jobs/context'
import { openManifest } from '../lake/manifest'
import { ValidationStore } from '../validate/store'
import { openDayGate, writeDayGate } from './backfillGate'
import { DAYS_DIR, DAY_WORK_DIR, dayCertificatePath } from './backfillPaths'
import {
  assertNotExportDataset,
  contentHash,
  certificateContent,
  runCertificate,
  type DatasetCertificate
} from './certificate'
import { writeFileAtomic } from '../util/atomicWrite'
import { exportOptions, type ExportWorkers } from './exportJob'
import { manifestLookup, type ManifestLookup } from './inputs'
import { checkDatasetFolder, runExportPipeline, type ExportProgress } from './pipeline'

/** A day certificate written earlier and still intact, or null. */
export function readDayCertificate(dataset: string, day: string): DatasetCertificate | null {
  const p = dayCertificatePath(dataset, day)
  if (!existsSync(p)) return null
  const c = JSON.parse(readFileSync(p, 'utf8')) as DatasetCertificate
  return contentHash(certificateContent(c)) === c.contentSha256 ? c : null
}

export interface DayEnv {
  readonly lakeRoot: string
  readonly workers: ExportWorkers
  readonly manifest?: ManifestLookup | undefined
  /** The manifest's validation records (a --validate backfill's day gates read them). */
  readonly validation?: ValidationStore | undefined
  readonly signal?: AbortSignal | undefined
  readonly onProgress?: ((p: ExportProgress) => void) | undefined
}

export async function exportDay(p: ExportDayParams, env: DayEnv): Promise<ExportDayResult> {
  const t0 = performance.now()
  const done = readDayCertificate(p.dataset, p.day)
  if (done !== null) return dayResult(p, done, 0, null)
  checkDatasetFolder(p.dataset, [DAYS_DIR, DAY_WORK_DIR, 'certificate.json'])
  assertNotExportDataset(p.dataset)
  const work = join(p.dataset, DAY_WORK_DIR, p.day)
  const o = exportOptions(
    {
      ...p.settings,
      from: p.day,
      to: p.day,
      out: p.dataset,
      warmupDays: p.settings.warmupDays ?? 1
    },
    env.lakeRoot,
    env.workers,
    {
      workDir: work,
      manifest: env.manifest,
      signal: env.signal,
      onProgress: env.onProgress,
      // Labels need the rows after the day: not made by day jobs (yet).
      labels: null,
      split: null
    }
  )
  // backfill --validate: the gate's rules on the day's own read, verdicts kept (backfillGate.ts).
  const gate =
    p.settings.validate === true
      ? await openDayGate(p.settings, p.day, { lakeRoot: env.lakeRoot, store: env.validation })
      : null
  const run = await runExportPipeline(
    gate === null ? o : { ...o, tap: (inputs, sel) => gate.tap(inputs, sel) }
  )
  if (gate !== null) writeDayGate(p.dataset, p.day, gate)
  const cert = runCertificate(run, p.day, p.day)
  writeFileAtomic(dayCertificatePath(p.dataset, p.day), `${JSON.stringify(cert, null, 2)}\n`)
  rmSync(work, { recursive: true, force: true })
  return dayResult(p, cert, (performance.now() - t0) / 1000, run.run.resumedFromChunk)
}

function dayResult(
  p: ExportDayParams,
  c: DatasetCertificate,
  seconds: number,
  resumedFromChunk: string | null
): ExportDayResult {
  const events = c.runs.reduce(
    (a, r) => a + r.replay.events.deltaRows + r.replay.events.trades + r.replay.events.bookRows,
    0
  )
  return {
    day: p.day,
    events,
    outputFiles: c.totals.files,
    outputBytes: c.totals.bytes,
    seconds,
    resumedFromChunk,
    certificate: dayCertificatePath(p.dataset, p.day)
  }
}

/** The export-day job (`backfill run` starts one per day, each in its own worker). */
export async function runExportDayJob(
  params: ExportDayParams,
  ctx: JobContext,
  workers: ExportWorkers = {}
): Promise<ExportDayResult> {
  const dayBad = dayProblem(params.day)
  if (dayBad !== null) throw new InputError(dayBad)
  const db = openManifest(ctx.lakeRoot)
  try {
    return await exportDay(params, {
      lakeRoot: ctx.lakeRoot,
      workers,
      manifest: manifestLookup(db),
      validation: new ValidationStore(db),
      signal: ctx.signal,
      onProgress: (p) => {
        ctx.progress({
          done: p.done,
          total: p.total,
          unit: p.unit,
          message: `${params.day}: ${p.phase}`,
          metrics: p.metrics
        })
      }
    })
  } finally {
    db.close()
  }
}

// One day job from a plan file (backfill day --plan F --day D): the same exportDay a local
// backfill runs, with the Parquet decode and writer threads of the built job worker, reading the
// inputs' sha256 from the lake's manifest when the plan's lake has one (so a day run on a Ray
// worker of this machine certifies exactly as a local day job does), without it otherwise.
import { existsSync } from 'node:fs'
import type { ExportDayResult } from '../../src-shared/export'
import type { JobProgress } from '../../src-shared/jobs'
import { DECODE_ROLE, EXPORT_WRITER_ROLE } from '../jobs/roles'
import { openManifest } from '../lake/manifest'
import { lakePaths } from '../lake/paths'
import { ValidationStore } from '../validate/store'
import { exportDay } from './backfillDay'
import { planDay, readPlanFile } from './backfillPlanFile'
import { manifestLookup } from './inputs'

/** `workerPath`: the built job worker, whose decode and export-writer roles the day uses. */
export async function runPlanDay(
  planPath: string,
  day: string,
  workerPath: string | URL,
  onProgress: (p: JobProgress) => void
): Promise<ExportDayResult> {
  const t0 = performance.now()
  const plan = readPlanFile(planPath)
  const params = planDay(plan, day, planPath)
  const db = existsSync(lakePaths.manifest(plan.lakeRoot)) ? openManifest(plan.lakeRoot) : null
  const thread = (role: string) => ({ path: workerPath, workerData: { role } })
  try {
    return await exportDay(params, {
      lakeRoot: plan.lakeRoot,
      workers: { decode: thread(DECODE_ROLE), writer: thread(EXPORT_WRITER_ROLE) },
      manifest: db ? manifestLookup(db) : undefined,
      validation: db ? new ValidationStore(db) : undefined,
      onProgress: (p) => {
        const s = (performance.now() - t0) / 1000
        const rate = s > 0 ? p.done / s : 0
        onProgress({
          jobId: `backfill-day-${day}`,
          done: p.done,
          total: p.total,
          unit: p.unit,
          rate,
          etaMs: rate > 0 && p.total > p.done ? ((p.total - p.done) / rate) * 1000 : null,
          message: `${day}: ${p.phase}`
        })
      }
    })
  } finally {
    db?.close()
  }
}

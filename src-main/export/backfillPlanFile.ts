// A backfill's plan as a file: everything one day job needs — the dataset folder, the lake the
// inputs are read from, the export settings, the days — so `lakebook backfill day --plan F --day D`
// runs a day anywhere the paths resolve (a Ray worker, another machine on a shared disk) without
// the manifest. `backfill run --engine ray` writes it beside the day certificates
// (<dataset>/_days/_plan.json).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { exportDayParams, type ExportDayParams } from '../../src-shared/export'
import { daysFromTo } from '../lake/layout'
import { writeFileAtomic } from '../util/atomicWrite'
import { InputError } from '../util/errors'
import type { BackfillRecord } from './backfillStore'
import { DAYS_DIR } from './backfillPaths'
import { dayParams } from './backfillRun'

export const PLAN_FILE = '_plan.json'

export const planFilePath = (dataset: string): string => join(dataset, DAYS_DIR, PLAN_FILE)

const planFile = z
  .object({
    format: z.literal('lakebook-backfill-plan'),
    version: z.literal(1),
    backfill: z.string().min(1),
    /** Where the inputs' lake is (its ready/ zone, and its manifest when present). */
    lakeRoot: z.string().min(1),
    dataset: z.string().min(1),
    days: z.array(exportDayParams.shape.day).min(1),
    settings: exportDayParams.shape.settings
  })
  .strict()
export type BackfillPlanFile = z.infer<typeof planFile>

export function planFileOf(b: BackfillRecord, lakeRoot: string): BackfillPlanFile {
  const days = daysFromTo(b.from, b.to)
  const first = days[0]
  if (first === undefined) throw new InputError(`backfill ${b.id} has no days`)
  return {
    format: 'lakebook-backfill-plan',
    version: 1,
    backfill: b.id,
    lakeRoot,
    dataset: b.dataset,
    days,
    settings: dayParams(b, first).settings
  }
}

export function writePlanFile(plan: BackfillPlanFile): string {
  const path = planFilePath(plan.dataset)
  writeFileAtomic(path, `${JSON.stringify(plan, null, 2)}\n`)
  return path
}

export function readPlanFile(path: string): BackfillPlanFile {
  if (!existsSync(path)) throw new InputError('no backfill plan at this path', path)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new InputError(`the plan is not JSON: ${(e as Error).message}`, path)
  }
  const r = planFile.safeParse(raw)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new InputError(
      `not a lakebook backfill plan: ${i?.path.join('.') || 'the file'} ${i?.message ?? ''}`.trim(),
      path
    )
  }
  return r.data
}

/** One day's job parameters from a plan; refuses a day the plan does not hold. */
export function planDay(plan: BackfillPlanFile, day: string, path: string): ExportDayParams {
  if (!plan.days.includes(day)) {
    throw new InputError(
      `day ${day} is not in the plan (${plan.days[0] ?? ''} … ${plan.days[plan.days.length - 1] ?? ''}, ${plan.days.length} days)`,
      path
    )
  }
  return { dataset: plan.dataset, day, settings: plan.settings }
}

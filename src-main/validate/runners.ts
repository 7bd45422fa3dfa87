// The gate's job runners, (params, ctx) → result, for the job registry (kinds validate, profile,
// certify, import): each opens the manifest of the job's lake, reports progress and logs through
// the JobContext, and closes what it opened. They know nothing of IPC or the UI; the validate
// runner is handed the worker file its file-validation threads start from.
import type {
  CertifyParams,
  CertifyResult,
  ImportParams,
  ImportResult,
  ProfileParams,
  ProfileResult,
  ValidateParams,
  ValidationRunResult
} from '../../src-shared/validate'
import type { JobContext } from '../jobs/context'
import { openManifest, type Db } from '../lake/manifest'
import { certifyLake } from './certificate'
import { validateLake } from './gate'
import { importToStaging } from './importer'
import { profileLake } from './profile'
import { ValidationStore } from './store'
import type { WorkerSpec } from '../util/workerLifecycle'

/** Opens the job's manifest (its migrations create the gate's tables), runs `f`, closes it. */
async function withStore<T>(
  ctx: JobContext,
  f: (store: ValidationStore) => Promise<T>
): Promise<T> {
  const db: Db = openManifest(ctx.lakeRoot)
  try {
    return await f(new ValidationStore(db))
  } finally {
    db.close()
  }
}

const progressOf =
  (ctx: JobContext, unit: string) =>
  (done: number, total: number, message: string): void => {
    ctx.progress({ done, total, unit, message })
  }

/** `validateWorker`: the job worker's file with the validate role, for files in parallel. */
export function runValidateJob(
  params: ValidateParams,
  ctx: JobContext,
  validateWorker?: WorkerSpec
): Promise<ValidationRunResult> {
  return withStore(ctx, async (store) => {
    const r = await validateLake(params, {
      lakeRoot: ctx.lakeRoot,
      store,
      runId: ctx.jobId,
      signal: ctx.signal,
      progress: progressOf(ctx, 'files'),
      log: (level, message) => {
        ctx.log(level, message)
      },
      validateWorker
    })
    for (const k of r.kept) ctx.log('warn', `kept in staging: ${k.path}: ${k.reasons.join('; ')}`)
    for (const rule of r.rules)
      if (rule.status === 'fail') ctx.log('warn', `${rule.rule}: ${rule.measured}`)
    return r
  })
}

export function runCertifyJob(params: CertifyParams, ctx: JobContext): Promise<CertifyResult> {
  return withStore(ctx, (store) =>
    certifyLake(params, {
      lakeRoot: ctx.lakeRoot,
      store,
      runId: ctx.jobId,
      signal: ctx.signal,
      progress: progressOf(ctx, 'files'),
      log: (level, message) => {
        ctx.log(level, message)
      }
    })
  )
}

export function runImportJob(params: ImportParams, ctx: JobContext): Promise<ImportResult> {
  return withStore(ctx, async (store) => {
    const r = await importToStaging(params, {
      lakeRoot: ctx.lakeRoot,
      store,
      signal: ctx.signal,
      progress: progressOf(ctx, 'files')
    })
    for (const s of r.skipped) ctx.log('warn', `skipped ${s.path}: ${s.reason}`)
    return r
  })
}

export function runProfileJob(params: ProfileParams, ctx: JobContext): Promise<ProfileResult> {
  // Reads data only: no manifest needed.
  return profileLake(params, {
    lakeRoot: ctx.lakeRoot,
    signal: ctx.signal,
    progress: progressOf(ctx, 'partitions'),
    log: (level, message) => {
      ctx.log(level, message)
    }
  })
}

// Every job kind and the engine function that runs it. Runners are plain async functions of
// (params, context) and know nothing of workers, IPC or the UI.
import type { JobKind, JobParamsOf, JobResultOf, JobSpec } from '../../src-shared/jobs'
import type { JobContext } from '../jobs/context'
import { DECODE_ROLE, EXPORT_WRITER_ROLE, VALIDATE_ROLE } from '../jobs/roles'
import { runCaptureJob, runCaptureRegimesJob } from '../capture/job'
import { runConvertJob } from '../convert/convertJob'
import { runExportDayJob } from '../export/backfillDay'
import { runBackfillPlanJob, runBackfillRunJob, runBackfillStatusJob } from '../export/backfillJob'
import { runExportJob, runVerifyDatasetJob, type ExportWorkers } from '../export/exportJob'
import { runFidelityJob } from '../fidelity/job'
import { runReplayCaptureJob } from '../replay/captureJob'
import { runTechnicalReport } from '../report/technical'
import { runReplayLakeJob } from '../replay/lakeJob'
import { runDownloadJob } from '../sources/cryptolake/downloadJob'
import { runPipeline } from '../ops/pipelineRun'
import { runCertifyJob, runImportJob, runProfileJob, runValidateJob } from '../validate/runners'

/** A helper thread: the job worker's entry file (worker/worker.ts) started with a role. */
type Thread = (role?: string) => { path: URL; workerData?: { role: string } }
/** A kind's runner returns that kind's result (src-shared/jobKinds.ts). */
type Runner<K extends JobKind> = (
  params: JobParamsOf<K>,
  ctx: JobContext,
  self: Thread
) => Promise<JobResultOf<K>>

const exportWorkers = (self: Thread): ExportWorkers => ({
  decode: self(DECODE_ROLE),
  writer: self(EXPORT_WRITER_ROLE)
})

const runners: { [K in JobKind]: Runner<K> } = {
  'replay-capture': runReplayCaptureJob,
  'replay-lake': (params, ctx, self) => runReplayLakeJob(params, ctx, self(DECODE_ROLE)),
  'convert-capture': runConvertJob,
  download: runDownloadJob,
  // Files are validated on worker threads of their own, up to the core count.
  validate: (params, ctx, self) => runValidateJob(params, ctx, self(VALIDATE_ROLE)),
  profile: runProfileJob,
  certify: runCertifyJob,
  import: runImportJob,
  // The capture's live counters and top 20 go to the UI through the job's live channel.
  capture: (params, ctx) =>
    runCaptureJob(params, ctx, { onLive: (payload) => ctx.live?.({ kind: 'capture', payload }) }),
  'capture-regimes': runCaptureRegimesJob,
  fidelity: (params, ctx, self) => runFidelityJob(params, ctx, self(DECODE_ROLE)),
  export: (params, ctx, self) => runExportJob(params, ctx, exportWorkers(self)),
  'export-day': (params, ctx, self) => runExportDayJob(params, ctx, exportWorkers(self)),
  'verify-dataset': runVerifyDatasetJob,
  'backfill-plan': runBackfillPlanJob,
  // Each day job runs in a job worker of its own (this file, no role), so days run in parallel.
  'backfill-run': (params, ctx, self) => runBackfillRunJob(params, ctx, { dayWorker: self() }),
  'backfill-status': runBackfillStatusJob,
  'report-technical': (params, ctx, self) => runTechnicalReport(params, ctx, exportWorkers(self)),
  // The stages run here; the backfill's day jobs in job workers of their own, as `backfill run`.
  pipeline: (params, ctx, self) =>
    runPipeline(params, ctx, {
      workers: exportWorkers(self),
      dayWorker: self(),
      validateWorker: self(VALIDATE_ROLE)
    })
}

/** Runs a job; `entry` is the job worker's entry file, which helper threads start from. */
export function runJob(spec: JobSpec, ctx: JobContext, entry: URL): Promise<unknown> {
  // The spec's kind and params belong together (a discriminated union); TS cannot see that through
  // the lookup, hence the widening.
  const runner = runners[spec.kind] as (
    params: unknown,
    ctx: JobContext,
    self: Thread
  ) => Promise<unknown>
  const self: Thread = (role) =>
    role === undefined ? { path: entry } : { path: entry, workerData: { role } }
  return runner(spec.params, ctx, self)
}

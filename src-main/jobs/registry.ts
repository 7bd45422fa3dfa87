// Every job kind and the engine function that runs it. Runners are plain async functions of
// (params, context) and know nothing of workers, IPC or the UI.
import type { JobKind, JobSpec } from '../../src-shared/jobs'
import type { JobContext } from './context'
import { runCaptureJob, runCaptureRegimesJob } from '../capture/job'
import { runConvertJob } from '../convert/convertJob'
import { runExportDayJob } from '../export/backfillDay'
import { runBackfillPlanJob, runBackfillRunJob, runBackfillStatusJob } from '../export/backfillJob'
import { runExportJob, runVerifyDatasetJob, type ExportWorkers } from '../export/exportJob'
import { EXPORT_WRITER_ROLE } from '../export/writerProtocol'
import { runFidelityJob } from '../fidelity/job'
import { runReplayCaptureJob } from '../replay/captureJob'
import { runTechnicalReport } from '../report/technical'
import { DECODE_ROLE } from '../replay/decodeWorker'
import { runReplayLakeJob } from '../replay/lakeJob'
import { runDownloadJob } from '../sources/cryptolake/downloadJob'
import { runCertifyJob, runImportJob, runProfileJob, runValidateJob } from '../validate/runners'

type ParamsOf<K extends JobKind> = Extract<JobSpec, { kind: K }>['params']
type Runner<K extends JobKind> = (params: ParamsOf<K>, ctx: JobContext) => Promise<unknown>

// Helper threads run this same built file with a role (see jobs/worker.ts).
const self = (role?: string): { path: URL; workerData?: { role: string } } =>
  role === undefined
    ? { path: new URL(import.meta.url) }
    : { path: new URL(import.meta.url), workerData: { role } }

const exportWorkers = (): ExportWorkers => ({
  decode: self(DECODE_ROLE),
  writer: self(EXPORT_WRITER_ROLE)
})

const runners: { [K in JobKind]: Runner<K> } = {
  'replay-capture': runReplayCaptureJob,
  // Decode workers run this same built file with the decode role (see replay/decodeWorker.ts).
  'replay-lake': (params, ctx) => runReplayLakeJob(params, ctx, self(DECODE_ROLE)),
  'convert-capture': runConvertJob,
  download: runDownloadJob,
  validate: runValidateJob,
  profile: runProfileJob,
  certify: runCertifyJob,
  import: runImportJob,
  // The capture's live counters and top 20 go to the UI through the job's live channel.
  capture: (params, ctx) => runCaptureJob(params, ctx, { onLive: (l) => ctx.live?.(l) }),
  'capture-regimes': runCaptureRegimesJob,
  fidelity: (params, ctx) => runFidelityJob(params, ctx, self(DECODE_ROLE)),
  export: (params, ctx) => runExportJob(params, ctx, exportWorkers()),
  'export-day': (params, ctx) => runExportDayJob(params, ctx, exportWorkers()),
  'verify-dataset': runVerifyDatasetJob,
  'backfill-plan': runBackfillPlanJob,
  // Each day job runs in a job worker of its own (this file, no role), so days run in parallel.
  'backfill-run': (params, ctx) => runBackfillRunJob(params, ctx, { dayWorker: self() }),
  'backfill-status': runBackfillStatusJob,
  'report-technical': (params, ctx) => runTechnicalReport(params, ctx, exportWorkers())
}

export function runJob(spec: JobSpec, ctx: JobContext): Promise<unknown> {
  // The spec's kind and params belong together (a discriminated union); TS cannot see that through
  // the lookup, hence the widening.
  const runner = runners[spec.kind] as (params: unknown, ctx: JobContext) => Promise<unknown>
  return runner(spec.params, ctx)
}

// Every job kind and the engine function that runs it. Runners are plain async functions of
// (params, context) and know nothing of workers, IPC or the UI.
import type { JobKind, JobSpec } from '../../src-shared/jobs'
import type { JobContext } from './context'
import { runCaptureJob, runCaptureRegimesJob } from '../capture/job'
import { runConvertJob } from '../convert/convertJob'
import { runFidelityJob } from '../fidelity/job'
import { runReplayCaptureJob } from '../replay/captureJob'
import { DECODE_ROLE } from '../replay/decodeWorker'
import { runReplayLakeJob } from '../replay/lakeJob'
import { runDownloadJob } from '../sources/cryptolake/downloadJob'
import { runCertifyJob, runImportJob, runProfileJob, runValidateJob } from '../validate/runners'

type ParamsOf<K extends JobKind> = Extract<JobSpec, { kind: K }>['params']
type Runner<K extends JobKind> = (params: ParamsOf<K>, ctx: JobContext) => Promise<unknown>

const runners: { [K in JobKind]: Runner<K> } = {
  'replay-capture': runReplayCaptureJob,
  // Decode workers run this same built file with the decode role (see replay/decodeWorker.ts).
  'replay-lake': (params, ctx) =>
    runReplayLakeJob(params, ctx, {
      path: new URL(import.meta.url),
      workerData: { role: DECODE_ROLE }
    }),
  'convert-capture': runConvertJob,
  download: runDownloadJob,
  validate: runValidateJob,
  profile: runProfileJob,
  certify: runCertifyJob,
  import: runImportJob,
  // The capture's live counters and top 20 go to the UI through the job's live channel.
  capture: (params, ctx) => runCaptureJob(params, ctx, { onLive: (l) => ctx.live?.(l) }),
  'capture-regimes': runCaptureRegimesJob,
  fidelity: (params, ctx) =>
    runFidelityJob(params, ctx, {
      path: new URL(import.meta.url),
      workerData: { role: DECODE_ROLE }
    })
}

export function runJob(spec: JobSpec, ctx: JobContext): Promise<unknown> {
  // The spec's kind and params belong together (a discriminated union); TS cannot see that through
  // the lookup, hence the widening.
  const runner = runners[spec.kind] as (params: unknown, ctx: JobContext) => Promise<unknown>
  return runner(spec.params, ctx)
}

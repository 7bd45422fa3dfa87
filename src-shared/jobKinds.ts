// Every job kind's types in one map: its params (the zod schema in jobs.ts), its result (what its
// runner returns, what the manifest records and every client reads) and its live payload (kinds
// that publish live views; `never` for the rest). The runner registry, the job manager, the IPC
// contract, the CLI and the UI all read the types from here, so none casts a result.
import type { DownloadJobView } from './acquire'
import type { CaptureLive, CaptureResult, RegimesResult } from './capture'
import type {
  BackfillPlanView,
  BackfillStatusView,
  DatasetVerification,
  ExportDayResult,
  ExportResult
} from './export'
import type { FidelityResult } from './fidelity'
import type { JobKind, JobSpec } from './jobs'
import type { LakeReplayResult } from './lake'
import type { PipelineResult } from './pipeline'
import type { ReplayCaptureResult } from './replay'
import type { TechnicalReport } from './report'
import type { CertifyResult, ImportResult, ProfileResult, ValidationRunResult } from './validate'

/** Each kind's result. A kind missing here is a compile error in `JobKinds`. */
interface Results {
  'replay-capture': ReplayCaptureResult
  'replay-lake': LakeReplayResult
  // The converter's summary is main's only (no client reads its fields); the download's view
  // is shared (main's DownloadJobResult is it with more detail).
  'convert-capture': unknown
  download: DownloadJobView
  validate: ValidationRunResult
  profile: ProfileResult
  certify: CertifyResult
  import: ImportResult
  capture: CaptureResult
  'capture-regimes': RegimesResult
  fidelity: FidelityResult
  export: ExportResult
  'export-day': ExportDayResult
  'verify-dataset': DatasetVerification
  'backfill-plan': BackfillPlanView
  'backfill-run': BackfillStatusView
  'backfill-status': BackfillStatusView
  'report-technical': TechnicalReport
  pipeline: PipelineResult
}

/** Kinds that publish live views, and what they publish. */
interface Lives {
  capture: CaptureLive
}

export type LiveKind = keyof Lives & JobKind

export type JobKinds = {
  readonly [K in JobKind]: {
    readonly params: Extract<JobSpec, { kind: K }>['params']
    readonly result: Results[K]
    readonly live: K extends LiveKind ? Lives[K] : never
  }
}

export type JobParamsOf<K extends JobKind> = JobKinds[K]['params']
export type JobResultOf<K extends JobKind> = JobKinds[K]['result']
export type JobLiveOf<K extends LiveKind> = JobKinds[K]['live']

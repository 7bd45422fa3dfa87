// Jobs: what can be started, how a job is described, and how it reports back. Shared by every process.
import { z } from 'zod'
import { downloadParams } from './acquire'
import { captureParams, captureRegimesParams } from './capture'
import {
  backfillPlanParams,
  backfillRunParams,
  backfillStatusParams,
  exportDayParams,
  exportParams,
  verifyDatasetParams
} from './export'
import { fidelityParams } from './fidelity'
import { dayString, decimalString, lakePolicyParams } from './params'
import { pipelineParams } from './pipeline'
import { technicalReportParams } from './report'
import { certifyParams, importParams, profileParams, validateParams } from './validate'
import type { JobKinds, LiveKind } from './jobKinds'

export type { JobKinds, JobLiveOf, JobParamsOf, JobResultOf, LiveKind } from './jobKinds'

export { decimalString }

export const replayCaptureParams = z.object({
  /** Capture files of one recording window, in any order (they are ordered by their first timestamp). */
  files: z.array(z.string().min(1)).min(1).max(1000),
  /** Binance market; detected from the depth messages when absent. */
  market: z.enum(['spot', 'usdm']).optional(),
  /** Price tick; detected from the symbol table or the snapshot when absent. */
  tick: decimalString.optional(),
  /** What to do with the old book when a sequence gap is found (see docs/book-semantics.md). */
  onGap: z.enum(['keep-applying', 'wait-snapshot']).optional(),
  /** How a snapshot replaces the book: clear everything, or only the snapshot's price range. */
  snapshotClear: z.enum(['full', 'range']).optional(),
  /** Keep a scrubbable timeline of the replay (top-20 frames, trades, markers) in the lake. */
  timeline: z.boolean().optional()
})
export type ReplayCaptureParams = z.infer<typeof replayCaptureParams>

const day = dayString

export const replayLakeParams = z.object({
  /** A lake root (its ready/ zone is read) or a folder in the vendor's layout. */
  root: z.string().min(1),
  exchange: z.string().min(1).max(40),
  symbol: z.string().min(1).max(40),
  from: day.optional(),
  to: day.optional(),
  tick: decimalString.optional(),
  policy: lakePolicyParams.optional(),
  tradeImpact: z.boolean().optional(),
  /** Parquet decode workers (0 = decode in the replay thread). */
  workers: z.number().int().min(0).max(8).optional(),
  timeline: z.boolean().optional(),
  /** Timeline frames at most this often (ms of exchange time; 0 keeps every message; 100 by default). */
  frameIntervalMs: z.number().int().min(0).optional(),
  /**
   * A window of exchange time (ms since the epoch) inside the days: the replay still starts at the
   * first day's seed (the book needs it) but records only this window and stops after it.
   */
  fromMs: z.number().int().positive().optional(),
  toMs: z.number().int().positive().optional()
})
export type ReplayLakeParams = z.infer<typeof replayLakeParams>

/**
 * The vendor writer's `book` cadence by era (docs/crypto-lake-format.md): '2022-11' (the later
 * writer's throttle, the default) or 'every-update' (one row per exchange update, before 2022-11).
 */
export const BOOK_CADENCES = ['2022-11', 'every-update'] as const
export type BookCadence = (typeof BOOK_CADENCES)[number]

export const convertParams = z.object({
  files: z.array(z.string().min(1)).min(1).max(1000),
  out: z.string().min(1),
  market: z.enum(['spot', 'usdm']).optional(),
  tick: decimalString.optional(),
  bookCadence: z.enum(BOOK_CADENCES).optional(),
  force: z.boolean().optional()
})
export type ConvertParams = z.infer<typeof convertParams>

export const jobSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('replay-capture'), params: replayCaptureParams }),
  z.object({ kind: z.literal('replay-lake'), params: replayLakeParams }),
  z.object({ kind: z.literal('convert-capture'), params: convertParams }),
  z.object({ kind: z.literal('download'), params: downloadParams }),
  z.object({ kind: z.literal('validate'), params: validateParams }),
  z.object({ kind: z.literal('profile'), params: profileParams }),
  z.object({ kind: z.literal('certify'), params: certifyParams }),
  z.object({ kind: z.literal('import'), params: importParams }),
  z.object({ kind: z.literal('capture'), params: captureParams }),
  z.object({ kind: z.literal('capture-regimes'), params: captureRegimesParams }),
  z.object({ kind: z.literal('fidelity'), params: fidelityParams }),
  z.object({ kind: z.literal('export'), params: exportParams }),
  z.object({ kind: z.literal('export-day'), params: exportDayParams }),
  z.object({ kind: z.literal('verify-dataset'), params: verifyDatasetParams }),
  z.object({ kind: z.literal('backfill-plan'), params: backfillPlanParams }),
  z.object({ kind: z.literal('backfill-run'), params: backfillRunParams }),
  z.object({ kind: z.literal('backfill-status'), params: backfillStatusParams }),
  z.object({ kind: z.literal('report-technical'), params: technicalReportParams }),
  z.object({ kind: z.literal('pipeline'), params: pipelineParams })
])
export type JobSpec = z.infer<typeof jobSpec>
export type JobKind = JobSpec['kind']

/** Kinds that resume from their checkpoints when run again with the same spec (the rest start over). */
export const RESUMABLE_KINDS: readonly JobKind[] = ['export', 'backfill-run', 'pipeline']

/** A job that ended without success may be run again. */
export function canRunAgain(state: JobState): boolean {
  return state === 'interrupted' || state === 'failed' || state === 'cancelled'
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'

/**
 * Why a job failed: input = the data is bad (file and row named), empty-selection = nothing matched
 * the selection (the message says what is there), io = the disk or network, internal = a bug.
 */
export type JobErrorKind = 'input' | 'empty-selection' | 'io' | 'cancelled' | 'internal'

export interface JobError {
  readonly kind: JobErrorKind
  readonly message: string
}

export interface JobProgress {
  readonly jobId: string
  /** Units done so far and the total when known (bytes, rows, files…). */
  readonly done: number
  readonly total: number | null
  readonly unit: string
  /** Units per second over the job so far. */
  readonly rate: number
  readonly etaMs: number | null
  readonly message: string
  /** Counters the job knows so far (e.g. an export's crossings), sampled into its metrics. */
  readonly metrics?: Readonly<Record<string, number>> | undefined
}

interface JobRecordBase<K extends JobKind> {
  readonly id: string
  readonly kind: K
  /** As recorded: older records may predate a schema change (jobs.again parses them again). */
  readonly params: unknown
  readonly createdAt: string
  readonly startedAt: string | null
  readonly endedAt: string | null
  readonly error: JobError | null
}

/** A job of one kind: a finished ('done') job holds its kind's result, any other none. */
type RecordOfKind<K extends JobKind> = JobRecordBase<K> &
  (
    | { readonly state: 'done'; readonly result: JobKinds[K]['result'] }
    | { readonly state: Exclude<JobState, 'done'>; readonly result: null }
  )

/** Any job: a union discriminated on `kind` (then on `state`), so narrowing types the result. */
export type JobRecord = { [K in JobKind]: RecordOfKind<K> }[JobKind]
export type JobRecordOf<K extends JobKind> = Extract<JobRecord, { readonly kind: K }>
export type DoneJobOf<K extends JobKind> = Extract<JobRecordOf<K>, { readonly state: 'done' }>

/** Narrows a record to one kind. */
export function isJobOf<K extends JobKind>(job: JobRecord, kind: K): job is JobRecordOf<K> {
  return job.kind === kind
}

/** Narrows a record to a finished job of one kind, whose result is that kind's. */
export function isDoneJobOf<K extends JobKind>(job: JobRecord, kind: K): job is DoneJobOf<K> {
  return job.kind === kind && job.state === 'done'
}

/** What a running job publishes on its live channel: the kind says what the payload is. */
export type JobLivePayload = {
  [K in LiveKind]: { readonly kind: K; readonly payload: JobKinds[K]['live'] }
}[LiveKind]

/** A live view a running job publishes (e.g. the capture's counters and top 20), at most ~10 Hz. */
export type JobLive = JobLivePayload & { readonly jobId: string }

export interface JobLog {
  readonly jobId: string
  readonly level: 'info' | 'warn' | 'error'
  readonly message: string
  readonly at: string
}

export function isFinished(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled' || state === 'interrupted'
}

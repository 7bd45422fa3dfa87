// The one pipeline command (`lakebook pipeline run`, the Monitor page's Run pipeline button):
// download → validate → certify → technical report → backfill → dataset certificate, one
// resumable job whose stages each record their completion in a stage file (src-main/ops/).
import { z } from 'zod'
import { acquireTables, lakeSource } from './acquire'
import { durationString, exportTableName, gridString } from './export'
import { dayString, decimalString } from './params'

export const PIPELINE_STAGES = [
  'download',
  'validate',
  'certify',
  'technical-report',
  'backfill',
  'dataset-certificate'
] as const
export type PipelineStage = (typeof PIPELINE_STAGES)[number]

export const pipelineParams = z.object({
  /** Where the Crypto Lake files come from (keys travel as the job's secrets, never here). */
  source: lakeSource,
  from: dayString,
  to: dayString,
  /** Default all three tables. */
  tables: acquireTables.optional(),
  /** Downloads in flight (default 4). */
  concurrency: z.number().int().min(1).max(32).optional(),
  /** Monthly download quota in GB (default 300). */
  quotaGb: z.number().positive().optional(),
  /** Price tick for validation and the certificate; default the known table, else detected. */
  tick: decimalString.optional(),
  /** Volume the technical report extrapolates to (default 8 M events/h). */
  eventsPerHour: z.number().positive().optional(),
  /** The backfill's dataset: grid, chunk, tables, warm-up, day jobs at once, fidelity reference. */
  grid: z.union([gridString, z.literal('off')]).optional(),
  chunk: durationString.optional(),
  exportTables: z.array(exportTableName).min(1).optional(),
  warmupDays: z.number().int().min(0).max(7).optional(),
  parallel: z.number().int().min(1).max(8).optional(),
  fidelityReference: z.string().min(1).max(4000).optional(),
  /** Days the vendor never had count as gaps in the certificate instead of failing the backfill. */
  acceptMissing: z.boolean().optional(),
  /**
   * One pass: the validate and certify stages are folded into the backfill's own read of the
   * staged files (backfill plan --validate); the technical report measures the staged files.
   */
  validate: z.boolean().optional()
})
export type PipelineParams = z.infer<typeof pipelineParams>

/** A stage as the stage file records it. */
export type PipelineStageState = 'pending' | 'running' | 'done' | 'failed'

export interface PipelineStageView {
  readonly stage: PipelineStage
  readonly state: PipelineStageState
  /** Times the stage was started, over every run of this pipeline (a kill leaves one unfinished). */
  readonly attempts: number
  readonly startedAt: string | null
  readonly endedAt: string | null
  /** Seconds of the attempt that finished it. */
  readonly seconds: number | null
  /** One line: what the stage did, or why its gate stopped the pipeline. */
  readonly summary: string | null
  /** In the last run: skipped because an earlier run had finished it. */
  readonly skippedBecauseDone: boolean
}

/** Where a failing gate stopped the pipeline. */
export interface PipelineStop {
  readonly stage: PipelineStage
  readonly gate: string
  readonly runbook: string
  /** The sentence: names the gate and the runbook; nothing after this stage ran. */
  readonly sentence: string
}

/** What a pipeline's stage file says (`lakebook pipeline status`). */
export interface PipelineStatusView {
  readonly id: string
  /** The stage file. */
  readonly file: string
  readonly from: string
  readonly to: string
  /** How many times this pipeline was started. */
  readonly runs: number
  readonly stages: readonly PipelineStageView[]
  /** The process running it; `alive` false when that process is gone (killed: run it again). */
  readonly owner: { readonly pid: number; readonly jobId: string; readonly alive: boolean } | null
  /** The gate that stopped the last run, or null. */
  readonly stopped: PipelineStop | null
  readonly dataset: string | null
  readonly certificate: string | null
  readonly certified: boolean | null
  /** Why the certificate does not certify the dataset (its gates' reasons), or null. */
  readonly notCertifiedBecause: string | null
  /** sha256 of the dataset's files as its certificate lists them (path, bytes, rows, sha256). */
  readonly datasetHash: string | null
}

/** A finished pipeline run: its status and what this run ran and skipped. */
export interface PipelineResult extends PipelineStatusView {
  readonly ran: number
  /** Stages skipped because an earlier run had finished them. */
  readonly skippedBecauseDone: number
}

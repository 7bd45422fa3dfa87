// Certified ML datasets: export, verify-dataset and backfill requests (zod, validated wherever
// they enter) and the views of their results the CLI and the app's Export page and backfill
// queue show. The engine is src-main/export/; the tables are documented in docs/dataset-schema.md.
import { z } from 'zod'
import type { BackfillDaySummary } from './daySummary'
import type { GateVerdict } from './gates'
import { dayString, decimalString, lakePolicyParams } from './params'

/** Each gate's verdict of a dataset certificate (null for a backfill's day certificates). */
export type DatasetGateSummary = {
  readonly readiness: GateVerdict
  readonly technical: GateVerdict
  readonly replay: GateVerdict
  readonly fidelity: GateVerdict
} | null

const day = dayString
/** A duration such as 100ms, 1s, 5m or 1h. */
export const durationString = z
  .string()
  .regex(/^\d+(\.\d+)?(us|ms|s|m|min|h)$/, 'expected a duration such as 100ms, 1s, 5m or 1h')

const UNIT_US: Readonly<Record<string, number>> = {
  us: 1,
  ms: 1e3,
  s: 1e6,
  m: 6e7,
  min: 6e7,
  h: 3.6e9
}

/** The finest book/features grid: one row per step, so 1 ms is already 86.4 million rows a day. */
export const MIN_GRID_US = 1000

/** A grid step of at least 1 ms. */
export const gridString = durationString.refine(
  (v) => {
    const m = /^(\d+(?:\.\d+)?)(\D+)$/.exec(v)
    return Number(m?.[1]) * (UNIT_US[m?.[2] ?? ''] ?? 0) >= MIN_GRID_US
  },
  {
    message:
      'a grid finer than 1ms is refused: the book and features tables get one row per step (1ms is 86.4 million rows a day)'
  }
)

export const exportTableName = z.enum(['events', 'book', 'book_events', 'features'])
export type ExportTableName = z.infer<typeof exportTableName>

const datasetShape = {
  /** A lake root (its ready/ zone is read) or a vendor-layout folder; default: the job's lake. */
  root: z.string().min(1).optional(),
  exchange: z.string().min(1).max(40),
  symbol: z.string().min(1).max(40),
  /** First and last receive-time day; default: the first and last day present. */
  from: day.optional(),
  to: day.optional(),
  /** Grid of the book and features tables; "off" for none (then only events/book_events). */
  grid: z.union([gridString, z.literal('off')]).optional(),
  /** Part files and checkpoints every chunk of receive time (must divide a day); default 1h. */
  chunk: durationString.optional(),
  /** Default: events, book, features. */
  tables: z.array(exportTableName).min(1).optional(),
  tick: decimalString.optional(),
  policy: lakePolicyParams.optional(),
  /** Parquet decode workers (0 = in the replay thread); default 1. */
  decodeWorkers: z.number().int().min(0).max(3).optional(),
  /**
   * Run without the readiness gate (a vendor folder, an uncertified range): allowed, but the
   * dataset is then marked `certified: false` with the reason.
   */
  ungated: z.boolean().optional(),
  /**
   * The fidelity reference the exported book is compared with: a source spec (e.g.
   * bookticker:<capture files>), or 'off'; default the Crypto Lake `book` table of the inputs.
   */
  fidelityReference: z.string().min(1).max(4000).optional()
}

/** Labels and split (a pass over the whole range once the replay, or every day job, is done). */
const labelShape = {
  /** Forward-label horizons (default 100ms, 1s, 10s, 60s when features are written); "off". */
  labels: z.union([z.array(durationString).min(1).max(12), z.literal('off')]).optional(),
  /** Direction labels are 0 while the mid moved by at most this many ticks (default 1). */
  deadZone: z.number().min(0).max(1e6).optional(),
  /** Split by fraction of the rows, train/validation/test percent, e.g. "70/15/15". */
  split: z
    .string()
    .regex(/^\d+(\.\d+)?\/\d+(\.\d+)?\/\d+(\.\d+)?$/, 'expected e.g. 70/15/15')
    .optional(),
  /** Split by date: the first day of validation and of test. */
  splitDates: z.tuple([day, day]).optional(),
  /** Rows of a split this close before the next split's start are purged (default: longest horizon). */
  purge: durationString.optional(),
  /** Rows of a split this close after its start are embargoed (default 0). */
  embargo: durationString.optional()
}

export const exportParams = z.object({
  ...datasetShape,
  ...labelShape,
  /** Dataset folder; default <lake>/exports/<dataset id>. */
  out: z.string().min(1).optional(),
  /** Days before `from` replayed without output, to carry the book into `from` (backfill days). */
  warmupDays: z.number().int().min(0).max(7).optional(),
  /** Replace a finished dataset in `out`. */
  force: z.boolean().optional(),
  /**
   * Validate the range's staged files in the export's own read of them (data gate + readiness
   * certificate + export in one pass) instead of `validate` and `certify` first.
   */
  validate: z.boolean().optional()
})
export type ExportParams = z.infer<typeof exportParams>

export const verifyDatasetParams = z.object({
  dir: z.string().min(1),
  /** Re-hash the inputs when present (default true). */
  checkInputs: z.boolean().optional(),
  /** Missing inputs fail the check (default false). */
  requireInputs: z.boolean().optional(),
  /** Where the inputs are; default the root recorded in the certificate. */
  inputsRoot: z.string().min(1).optional()
})
export type VerifyDatasetParams = z.infer<typeof verifyDatasetParams>

export const backfillPlanParams = z.object({
  ...datasetShape,
  ...labelShape,
  from: day,
  to: day,
  /** Dataset folder; default <lake>/exports/<backfill id>. */
  out: z.string().min(1).optional(),
  /** Days before each day replayed to carry the book into it (default 1). */
  warmupDays: z.number().int().min(0).max(7).optional(),
  /** The vendor's monthly download quota in GB (default 300) and what is used this month. */
  quotaGb: z.number().positive().optional(),
  usedGb: z.number().min(0).optional(),
  /** Day jobs at once the time estimate assumes (default 1). */
  parallel: z.number().int().min(1).max(8).optional(),
  /**
   * The day jobs read the range's staged files and validate them in the same read; the verdicts
   * are settled and the range certified when every day is done (instead of validate + certify first).
   */
  validate: z.boolean().optional()
})
export type BackfillPlanParams = z.infer<typeof backfillPlanParams>

export const backfillRunParams = z.object({
  /** The backfill to run; default the most recent one. */
  id: z.string().min(1).optional(),
  /** Day jobs at once (default 1; each runs its replay in its own thread). */
  parallel: z.number().int().min(1).max(8).optional(),
  /** Run failed days again too (default: queued and interrupted ones only). */
  retryFailed: z.boolean().optional(),
  /**
   * Days without any local data count as done (recorded as gaps in the certificate) instead of
   * failing; for ranges with days the vendor never had.
   */
  acceptMissing: z.boolean().optional(),
  /** Where the day jobs run: worker threads here (default), or tasks on a Ray cluster. */
  engine: z.enum(['local', 'ray']).optional(),
  /** The Ray cluster's address (ray://host:10001 or host:6379); absent = a local Ray cluster. */
  address: z.string().min(1).max(500).optional(),
  /** The Python with Ray installed (default: LAKEBOOK_PYTHON, else python3). */
  python: z.string().min(1).max(1000).optional(),
  /** Ray's retries of a failed or killed day task (default 3). */
  retries: z.number().int().min(0).max(10).optional()
})
export type BackfillRunParams = z.infer<typeof backfillRunParams>

/** One day of a backfill (a job of its own, run by `backfill run`). */
export const exportDayParams = z.object({
  /** The backfill's dataset folder. */
  dataset: z.string().min(1),
  day,
  /** The plan's settings (everything an export takes but its range and folder). */
  settings: exportParams.omit({
    from: true,
    to: true,
    out: true,
    force: true,
    labels: true,
    deadZone: true,
    split: true,
    splitDates: true,
    purge: true,
    embargo: true
  })
})
export type ExportDayParams = z.infer<typeof exportDayParams>

export interface ExportDayResult {
  readonly day: string
  readonly events: number
  readonly outputFiles: number
  readonly outputBytes: number
  readonly seconds: number
  readonly resumedFromChunk: string | null
  /** The day certificate (the dataset's certificate.json combines them). */
  readonly certificate: string
}

export const backfillStatusParams = z.object({ id: z.string().min(1).optional() })
export type BackfillStatusParams = z.infer<typeof backfillStatusParams>

// --- results --------------------------------------------------------------------------------

export interface ExportResult {
  readonly dataset: string
  readonly certificate: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string
  readonly to: string
  readonly outputs: {
    readonly files: number
    readonly bytes: number
    readonly rows: Readonly<Record<string, number>>
  }
  readonly inputs: { readonly files: number; readonly bytes: number }
  readonly outputHash: string
  readonly days: readonly {
    readonly date: string
    readonly entry: string
    readonly rows: Readonly<Record<string, number>>
  }[]
  readonly issues: Readonly<Record<string, number>>
  /** False when rows were refused (off-tick prices, bad sizes): counted in the certificate. */
  readonly complete: boolean
  /** The certificate's verdict: certified only when no gate fails and the export was gated. */
  readonly certified: boolean
  readonly verdict: GateVerdict
  readonly notCertifiedBecause: readonly string[]
  readonly gates: DatasetGateSummary
  /** Per label horizon: rows labelled, and rows left null because of a gap, the end, no mid. */
  readonly labels: Readonly<
    Record<string, { valid: number; gap: number; end: number; noMid: number }>
  > | null
  /** Rows per split (train, validation, test, purged, embargoed) and the manifest. */
  readonly split: { readonly rows: Readonly<Record<string, number>>; readonly file: string } | null
  /** export --validate: what the gate decided in the same pass. */
  readonly validation?: InPassValidationSummary | undefined
  readonly run: ExportRunFacts
}

/** The data gate and the readiness certificate of an `export --validate`. */
export interface InPassValidationSummary {
  readonly counts: { readonly pass: number; readonly warn: number; readonly fail: number }
  readonly promoted: number
  readonly kept: readonly { readonly path: string; readonly reasons: readonly string[] }[]
  /** Files validated apart from the export's read (a resumed export had read them before). */
  readonly validatedApart: number
  readonly certificate: { readonly verdict: 'pass' | 'fail'; readonly json: string }
}

/** The counts of an `export --validate` in words, for the CLI's summary and the Export page. */
export function inPassCounts(v: InPassValidationSummary): string {
  return (
    `${v.counts.pass} passed, ${v.counts.warn} with warnings, ${v.counts.fail} failed; ${v.promoted} moved to ready/` +
    (v.validatedApart > 0 ? ` (${v.validatedApart} validated on their own: resumed)` : '')
  )
}

/** What a --validate backfill's settlement decided, in words (backfill status, the Export page). */
export function backfillGateText(g: BackfillGateSummary): string {
  return `${inPassCounts(g)}; ${g.reused} verdict(s) from the day jobs; readiness certificate ${g.certificate.verdict.toUpperCase()}`
}

/**
 * A backfill run that is not a success (the CLI exits 3): a day failed, or a --validate
 * backfill's gate kept a failing file in staging (its dataset is then not certified).
 */
export function backfillIncomplete(s: BackfillStatusView): boolean {
  return s.counts.failed > 0 || (s.gate?.counts.fail ?? 0) > 0
}

/** Facts of one export run (not part of the dataset): resumed, checkpoints, time, memory. */
export interface ExportRunFacts {
  readonly resumedFromChunk: string | null
  readonly checkpoints: number
  /** Time the replay waited at chunk boundaries and on the writer, ms. */
  readonly waitMs: number
  readonly elapsedMs: number
  readonly events: number
  readonly eventsPerSecond: number
  readonly peakRssMb: number
}

export interface VerificationProblem {
  readonly kind:
    | 'certificate'
    | 'missing'
    | 'size'
    | 'sha256'
    | 'rows'
    | 'unlisted'
    | 'input-missing'
    | 'input-sha256'
    | 'evidence-missing'
    | 'evidence-sha256'
  readonly path: string
  readonly message: string
}

export interface DatasetVerification {
  readonly dataset: string
  readonly ok: boolean
  readonly certificateSha256: string | null
  /** What the certificate says of the dataset (null when it has no gates: a day certificate). */
  readonly certified: boolean | null
  readonly verdict: GateVerdict | null
  readonly notCertifiedBecause: readonly string[]
  readonly checked: {
    readonly outputs: number
    readonly bytes: number
    readonly inputs: number
    readonly inputsMissing: number
    /** Evidence files (readiness certificates, technical report, fidelity report) re-hashed. */
    readonly evidence: number
  }
  readonly problems: readonly VerificationProblem[]
  readonly notes: readonly string[]
}

export type BackfillDayState = 'queued' | 'running' | 'done' | 'failed'

/** One day job as the backfill queue view shows it. */
export interface BackfillDayView {
  readonly day: string
  readonly state: BackfillDayState
  readonly attempts: number
  readonly reason: string | null
  readonly startedAt: string | null
  readonly endedAt: string | null
  /** Input rows (book_delta_v2 + trades + book) of the day, from the file footers. */
  readonly inputRows: number | null
  readonly inputBytes: number | null
  readonly events: number | null
  readonly outputBytes: number | null
  readonly seconds: number | null
  /** The finished day's summary (null while not done, or done before summaries were kept). */
  readonly summary: BackfillDaySummary | null
}

/** What the app's backfill queue view needs: totals, progress, rate, ETA, the days. */
export interface BackfillStatusView {
  readonly id: string
  readonly dataset: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string
  readonly to: string
  readonly createdAt: string
  readonly counts: Readonly<Record<BackfillDayState, number>>
  readonly days: number
  /** Fraction of the input rows of all days that are done (days weighted by their size). */
  readonly progress: number
  /** Measured over the done days: input rows per second of day-job time. */
  readonly rowsPerSecond: number | null
  readonly etaSeconds: number | null
  readonly outputBytes: number
  /** Present when every day is done and the dataset certificate was written. */
  readonly certificate: string | null
  /** A --validate backfill's gate, once its day jobs' verdicts were settled; else null. */
  readonly gate: BackfillGateSummary | null
  readonly dayList: readonly BackfillDayView[]
}

/** What the settlement of a --validate backfill decided (written beside its day certificates). */
export interface BackfillGateSummary extends InPassValidationSummary {
  /** Verdicts reached in the day jobs' read and reused (the others were validated on their own). */
  readonly reused: number
}

export interface BackfillPlanView {
  readonly id: string
  readonly dataset: string
  readonly from: string
  readonly to: string
  readonly days: number
  readonly daysWithData: number
  readonly daysMissingLocally: readonly string[]
  readonly input: { readonly rows: number; readonly bytes: number }
  /** Planned --validate: the day jobs read staging/ and the gate runs in their read. */
  readonly validate: boolean
  readonly estimate: {
    /** Rate the time estimate uses and where it comes from. */
    readonly rowsPerSecond: number
    readonly rateSource: string
    readonly parallel: number
    readonly seconds: number
    /** Output bytes per input byte, measured or assumed. */
    readonly outputRatio: number
    readonly outputBytes: number
    readonly diskFreeBytes: number
    readonly diskOk: boolean
    /** Bytes to download for the days not present locally, at the median present day's size. */
    readonly downloadBytes: number
    readonly quotaBytesPerMonth: number
    readonly quotaUsedBytes: number
    readonly quotaShare: number
    readonly quotaOk: boolean
  }
  readonly created: boolean
}

// The data gate's job parameters (zod) and results, shared by the engine, the CLI and the UI:
// `validate` (staging → ready), `profile`, `certify` and `import`. Rules, thresholds and the
// certificate's content are described in docs/validation.md. This module must not import
// ./jobs (jobs.ts imports it: a cycle would leave these schemas undefined at load time).
import { z } from 'zod'
import { dayString } from './params'

export type GateTable = 'book_delta_v2' | 'trades' | 'book'
export const GATE_TABLES: readonly GateTable[] = ['book_delta_v2', 'trades', 'book']

const day = dayString
const tick = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal such as 0.01')
const tables = z
  .array(z.enum(['book_delta_v2', 'trades', 'book']))
  .min(1)
  .max(3)
const name = z.string().min(1).max(40)

/** Every threshold a rule uses; docs/validation.md says why each default is what it is. */
export interface ValidationThresholds {
  /** Receive times may fall this far outside the partition's UTC day before it is a failure. */
  readonly inDayToleranceS: number
  /** A receive-time gap longer than this is a warning, per table. */
  readonly gapWarnS: Readonly<Record<GateTable, number>>
  /** A receive-time gap longer than this fails the file (null: never), per table. */
  readonly gapFailS: Readonly<Record<GateTable, number | null>>
  /** Feed lag (receive − origin) median outside [low, high] ms is a warning. */
  readonly lagWarnLowMs: number
  readonly lagWarnHighMs: number
  /** Feed lag p99 above this is a warning. */
  readonly lagWarnP99Ms: number
  /** |median feed lag| above this fails the file: a clock or unit error, not latency. */
  readonly lagFailAbsMs: number
  /** A sequence jump between messages larger than this multiple of the file's median is a warning. */
  readonly seqJumpWarnFactor: number
  /** A book_delta_v2 message with at least this many rows, both sides and no zero size is a snapshot burst. */
  readonly burstMinRows: number
  /** Missing trade ids above this share of the file's rows fail it (any gap warns). */
  readonly tradeIdGapFailShare: number
  /** Crossed or locked `book` rows above this share fail the file (any warns). */
  readonly bookCrossedFailShare: number
  /** `book` rows closer than this to the previous one count against the cadence. */
  readonly bookMinIntervalMs: number
  /** Share of too-close `book` rows above which the cadence warns. */
  readonly bookCadenceWarnShare: number
  /** Share of `book` rows with origin time 0 (snapshot rows) above which it warns. */
  readonly bookZeroOriginWarnShare: number
  /** A day whose first-to-last receive time covers less than this share of 24 h warns … */
  readonly daySpanWarnShare: number
  /** … and less than this share fails (a short day is not a day of data). */
  readonly daySpanFailShare: number
  /** Offending rows kept per rule (the rest are counted). */
  readonly examples: number
}

export const DEFAULT_THRESHOLDS: ValidationThresholds = {
  inDayToleranceS: 300,
  gapWarnS: { book_delta_v2: 10, book: 10, trades: 600 },
  gapFailS: { book_delta_v2: 300, book: 300, trades: null },
  lagWarnLowMs: -250,
  lagWarnHighMs: 2000,
  lagWarnP99Ms: 10_000,
  lagFailAbsMs: 60_000,
  seqJumpWarnFactor: 1000,
  burstMinRows: 100,
  tradeIdGapFailShare: 0.01,
  bookCrossedFailShare: 0.05,
  bookMinIntervalMs: 10,
  bookCadenceWarnShare: 0.01,
  bookZeroOriginWarnShare: 0.01,
  daySpanWarnShare: 0.999,
  daySpanFailShare: 0.99,
  examples: 5
}

export const thresholdOverrides = z
  .object({
    inDayToleranceS: z.number().min(0),
    lagWarnLowMs: z.number(),
    lagWarnHighMs: z.number(),
    lagWarnP99Ms: z.number(),
    lagFailAbsMs: z.number().min(0),
    seqJumpWarnFactor: z.number().min(1),
    burstMinRows: z.number().int().min(2),
    tradeIdGapFailShare: z.number().min(0).max(1),
    bookCrossedFailShare: z.number().min(0).max(1),
    bookMinIntervalMs: z.number().min(0),
    bookCadenceWarnShare: z.number().min(0).max(1),
    bookZeroOriginWarnShare: z.number().min(0).max(1),
    daySpanWarnShare: z.number().min(0).max(1),
    daySpanFailShare: z.number().min(0).max(1),
    gapFailS: z
      .object({
        book_delta_v2: z.number().positive().nullable(),
        book: z.number().positive().nullable(),
        trades: z.number().positive().nullable()
      })
      .partial(),
    examples: z.number().int().min(1).max(100)
  })
  .partial()

type Overrides<T> = { readonly [K in keyof T]?: T[K] | undefined }
export type ThresholdOverrides = {
  readonly [K in keyof ValidationThresholds]?:
    | (K extends 'gapFailS' | 'gapWarnS'
        ? Overrides<ValidationThresholds[K]>
        : ValidationThresholds[K])
    | undefined
}

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(o ?? {}).filter(([, v]) => v !== undefined)
  ) as Partial<T>
}

/** `base` (the lake's config, else the defaults) with a run's overrides on top. */
export function mergeThresholds(
  o: ThresholdOverrides = {},
  base: ValidationThresholds = DEFAULT_THRESHOLDS
): ValidationThresholds {
  return {
    ...base,
    ...(defined(o) as Partial<ValidationThresholds>),
    gapWarnS: { ...base.gapWarnS, ...(defined(o.gapWarnS) as Partial<Record<GateTable, number>>) },
    gapFailS: {
      ...base.gapFailS,
      ...(defined(o.gapFailS) as Partial<Record<GateTable, number | null>>)
    }
  }
}

export const validateParams = z.object({
  /** Default BINANCE / BTC-USDT. */
  exchange: name.optional(),
  symbol: name.optional(),
  /** Day range; default: the first and last day present in staging (and ready when included). */
  from: day.optional(),
  to: day.optional(),
  tables: tables.optional(),
  /** Price tick; default: the known instrument table, else detected from the data. */
  tick: tick.optional(),
  /** Move files that pass from staging/ to ready/ (default true). */
  promote: z.boolean().optional(),
  /** Also re-check files already in ready/ (never moved). */
  includeReady: z.boolean().optional(),
  /** Write an HTML report here. */
  report: z.string().min(1).optional(),
  thresholds: thresholdOverrides.optional(),
  /** Files validated at once, one worker thread each (default: the core count; 1 = serial). */
  workers: z.number().int().min(1).max(256).optional()
})
export type ValidateParams = z.infer<typeof validateParams>

export const profileParams = z.object({
  /** A lake root (its ready/ zone) or a vendor-layout folder; default: the job's lake root. */
  root: z.string().min(1).optional(),
  exchange: name.optional(),
  symbol: name.optional(),
  from: day.optional(),
  to: day.optional(),
  tables: tables.optional(),
  tick: tick.optional(),
  /** Write the HTML report here. */
  report: z.string().min(1).optional(),
  /** Run the Lake replay for the format comparison (default true). */
  replay: z.boolean().optional(),
  /** A receive-time pause longer than this is a quiet period (default 5 s). */
  quietS: z.number().min(0).optional()
})
export type ProfileParams = z.infer<typeof profileParams>

export const certifyParams = z.object({
  exchange: name.optional(),
  symbol: name.optional(),
  from: day,
  to: day,
  tables: tables.optional(),
  tick: tick.optional(),
  /** Folder for certificate.json / .html; default <lake>/certificates. */
  out: z.string().min(1).optional(),
  thresholds: thresholdOverrides.optional()
})
export type CertifyParams = z.infer<typeof certifyParams>

export const importParams = z.object({
  /** A folder in the vendor layout: {table}/exchange=…/symbol=…/dt=…/*.parquet */
  dir: z.string().min(1),
  /** Hard-link instead of copying when the file system allows it (default true). */
  link: z.boolean().optional()
})
export type ImportParams = z.infer<typeof importParams>

// ---------------------------------------------------------------------------------------------
// Results

export type RuleStatus = 'pass' | 'warn' | 'fail' | 'skip'
export type RuleCategory = 'integrity' | 'schema' | 'time' | 'sequence' | 'values' | 'coverage'

/** One offending row (or item): file path relative to the lake root, row in the file or null. */
export interface RuleExample {
  readonly file: string
  readonly row: number | null
  readonly message: string
  /** The row's receive time (µs since the epoch) where the rule reads it: the Book opens there. */
  readonly receiveUs?: number
}

export interface RuleResult {
  /** e.g. 'time.monotonic' (docs/validation.md lists every rule). */
  readonly rule: string
  readonly category: RuleCategory
  readonly status: RuleStatus
  /** The rule's threshold in words, e.g. 'fail on any backward step'. */
  readonly threshold: string
  /** What was measured, e.g. '3 backward steps, largest 10.2 s'. */
  readonly measured: string
  /** Offending rows or items (0 when it passes). */
  readonly count: number
  /** The first offending rows, in file order. */
  readonly examples: readonly RuleExample[]
}

export type FileStatus = 'pass' | 'warn' | 'fail'

/**
 * A restart of the vendor's writer found in a file's rows (docs/validation.md, coverage.restarts):
 * a snapshot burst, a receive-time gap above the warning threshold, or trade ids missing.
 */
export interface Restart {
  /** Receive time where the rows resume (ISO, µs). */
  readonly at: string
  /** Seconds without rows before it. */
  readonly gapS: number
  /** What shows it, e.g. "snapshot burst of 2000 rows; receive-time gap". */
  readonly evidence: string
  readonly row: number
}

export interface FileReport {
  /** Relative to the lake root with '/' separators, e.g. 'staging/trades/exchange=…/1.snappy.parquet'. */
  readonly path: string
  readonly zone: 'staging' | 'ready' | 'other'
  readonly table: GateTable
  readonly exchange: string
  readonly symbol: string
  readonly day: string
  readonly filename: string
  readonly bytes: number
  readonly sha256: string
  /** Rows decoded (the footer's count when decoding stopped early). */
  readonly rows: number
  readonly footerRows: number | null
  readonly rowGroups: number | null
  /** Schema fingerprint of the file's own columns (docs: VENDOR_FINGERPRINTS). */
  readonly fingerprint: string | null
  readonly kv: Readonly<Record<string, string>> | null
  /** First and last receive time, ISO (µs precision), null without rows. */
  readonly firstReceive: string | null
  readonly lastReceive: string | null
  readonly status: FileStatus
  readonly rules: readonly RuleResult[]
  /** Writer restarts found in the rows (absent in reports written before they were looked for). */
  readonly restarts?: readonly Restart[]
}

export interface DayReport {
  readonly table: GateTable
  readonly day: string
  readonly files: number
  readonly rows: number
  readonly status: FileStatus | 'missing'
  /** Day-level rules (coverage.*), file rules are in the files. */
  readonly rules: readonly RuleResult[]
}

export interface ValidationRunResult {
  readonly runId: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string | null
  readonly to: string | null
  readonly tables: readonly GateTable[]
  readonly tick: string | null
  readonly thresholds: ValidationThresholds
  readonly files: readonly FileReport[]
  readonly days: readonly DayReport[]
  /** Range-level rules (coverage.missing-days). */
  readonly rules: readonly RuleResult[]
  /** Moved staging → ready in this run (lake-relative paths after the move). */
  readonly promoted: readonly string[]
  /** Left in staging with their reasons. */
  readonly kept: readonly { readonly path: string; readonly reasons: readonly string[] }[]
  readonly counts: Readonly<Record<FileStatus, number>>
  readonly report: string | null
}

export interface ImportedFile {
  readonly source: string
  /** Lake-relative staging path. */
  readonly path: string
  readonly bytes: number
  readonly sha256: string
  readonly linked: boolean
}

export interface ImportResult {
  readonly dir: string
  readonly files: readonly ImportedFile[]
  /** Files under the folder that are not in the vendor layout, with the reason. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[]
  readonly bytes: number
}

// ---------------------------------------------------------------------------------------------
// Certificate

/** A gate of the certificate: one per rule category, passed when no rule of it fails. */
export interface CertificateGate {
  readonly gate: RuleCategory
  readonly status: 'pass' | 'fail'
  readonly threshold: string
  readonly detail: string
}

export interface OpenIssue {
  readonly kind: 'missing-day' | 'held-in-staging' | 'unvalidated-in-staging' | 'restart'
  readonly table: GateTable
  readonly day: string
  readonly path: string | null
  readonly message: string
}

export interface Certificate {
  readonly kind: 'lakebook-certificate'
  readonly formatVersion: 1
  /** The only field that differs between two runs on the same files. */
  readonly generatedAt: string
  readonly codeVersion: string
  readonly selection: {
    readonly exchange: string
    readonly symbol: string
    readonly from: string
    readonly to: string
    readonly tables: readonly GateTable[]
    readonly tick: string | null
  }
  readonly thresholds: ValidationThresholds
  readonly verdict: 'pass' | 'fail'
  readonly gates: readonly CertificateGate[]
  readonly coverage: {
    readonly days: readonly string[]
    /** Per requested table. */
    readonly tables: Readonly<
      Partial<
        Record<
          GateTable,
          { readonly present: readonly string[]; readonly missing: readonly string[] }
        >
      >
    >
    readonly containsGaps: readonly string[]
  }
  readonly totals: { readonly files: number; readonly bytes: number; readonly rows: number }
  /** Every certified file (ready/) with hash, size, rows, time span and rule results. */
  readonly files: readonly FileReport[]
  readonly days: readonly DayReport[]
  readonly rangeRules: readonly RuleResult[]
  readonly openIssues: readonly OpenIssue[]
  /** sha256 of this JSON without generatedAt and contentSha256 (canonical, see docs). */
  readonly contentSha256: string
}

export interface CertifyResult {
  readonly verdict: 'pass' | 'fail'
  readonly json: string
  readonly html: string
  readonly contentSha256: string
  readonly certificate: Certificate
}

// ---------------------------------------------------------------------------------------------
// Profile

/** Quantiles of a stream (exact up to the sample size, then from a fixed-seed sample). */
export interface Quantiles {
  readonly n: number
  readonly min: number
  readonly p01: number
  readonly p05: number
  readonly p25: number
  readonly p50: number
  readonly p75: number
  readonly p95: number
  readonly p99: number
  readonly max: number
  readonly mean: number
  /** True when the quantiles come from a sample of the stream. */
  readonly sampled: boolean
}

/** A histogram: counts[i] falls in [edges[i], edges[i + 1]). */
export interface Histogram {
  readonly edges: readonly number[]
  readonly counts: readonly number[]
}

export interface QuietPeriod {
  readonly from: string
  readonly to: string
  readonly seconds: number
}

export interface TableDayProfile {
  readonly table: GateTable
  readonly day: string
  readonly files: readonly string[]
  readonly rows: number
  /** Events: messages for book_delta_v2 (rows sharing receive time and sequence), rows otherwise. */
  readonly events: number
  readonly firstReceive: string | null
  readonly lastReceive: string | null
  readonly spanSeconds: number
  /** Events per minute of receive time from the first to the last minute with rows. */
  readonly perMinute: { readonly startMs: number; readonly counts: readonly number[] }
  readonly eventsPerMinute: { readonly mean: number; readonly max: number; readonly min: number }
  readonly interEventMs: Quantiles | null
  readonly interEventHistogram: Histogram | null
  readonly feedLagMs: Quantiles | null
  readonly quiet: {
    readonly thresholdSeconds: number
    readonly count: number
    readonly totalSeconds: number
    readonly longest: readonly QuietPeriod[]
  }
  readonly trades?: {
    readonly size: Quantiles | null
    readonly sizeHistogram: Histogram | null
    readonly buyShare: number
    readonly notional: number
  }
  readonly book?: {
    readonly spreadTicks: Quantiles | null
    readonly spreadHistogram: Histogram | null
    readonly bidLevels: Quantiles | null
    readonly askLevels: Quantiles | null
    /** Base-asset size summed over the top 5 / top 20 levels of both sides. */
    readonly depth5: Quantiles | null
    readonly depth20: Quantiles | null
    readonly crossedShare: number
  }
  readonly deltas?: {
    readonly rowsPerMessage: Quantiles | null
    readonly deleteShare: number
    readonly bidShare: number
    readonly bursts: number
    readonly sequenceJump: Quantiles | null
  }
  /** Files that could not be read completely, with the reason (their rows read so far count). */
  readonly unreadable: readonly { readonly file: string; readonly reason: string }[]
}

export interface FormatGap {
  /** The Lake replay's view of book_delta_v2 against book (null when not run or it failed). */
  readonly replay: {
    readonly deltaMessages: number
    readonly bookRows: number
    readonly appliedMessages: number
    readonly seeds: { readonly fromBook: number; readonly fromBurst: number }
    readonly bursts: number
    readonly reseeds: number
    readonly crossedMs: number
    readonly unknownDepthShare: number
    readonly drift: {
      readonly rows: number
      readonly aligned: number
      readonly rowBehind: number
      readonly rowAhead: number
      readonly exactRows: number
      readonly meanJaccard: number
      readonly minJaccard: number
      readonly bestPriceMismatchRows: number
      readonly meanAbsMidErrTicks: number
      readonly unknownDepthRows: number
      readonly alerts: number
    }
    readonly missingDays: Readonly<Record<GateTable, readonly string[]>>
  } | null
  readonly replayError: string | null
  /** book_delta_v2 messages per book row over the range. */
  readonly deltaMessagesPerBookRow: number | null
  /** Largest message (rows): how deep the in-stream snapshots go, against the book's 20 levels. */
  readonly largestMessageRows: number
  /** What a reconstruction must do, derived from the figures above. */
  readonly requirements: readonly string[]
}

export interface ProfileResult {
  readonly root: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string | null
  readonly to: string | null
  readonly tick: string | null
  readonly tables: readonly TableDayProfile[]
  readonly formatGap: FormatGap
  readonly report: string | null
}

/** Parses a CLI list such as "trades,book" into tables; throws on an unknown name. */
export function parseTables(list: string): GateTable[] {
  const out: GateTable[] = []
  for (const raw of list.split(',')) {
    const t = raw.trim()
    if (t === '') continue
    const known = GATE_TABLES.find((g) => g === t)
    if (known === undefined)
      throw new Error(`unknown table "${t}" (expected ${GATE_TABLES.join(', ')})`)
    if (!out.includes(known)) out.push(known)
  }
  if (out.length === 0) throw new Error('no table given')
  return out
}

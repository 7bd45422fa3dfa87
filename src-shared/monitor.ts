// Alerts: the rules' thresholds (the lake's config, key "alerts" of lakebook.config.json), the
// alerts as the manifest keeps them, and the webhook's body. Shared by the engine, CLI and UI.
import { z } from 'zod'

export const ALERT_RULES = [
  'job-failed',
  'job-stalled',
  'drift',
  'gaps',
  'crossed',
  'capture-lag',
  'stale-stream',
  'disk-free',
  'quota'
] as const
export type AlertRule = (typeof ALERT_RULES)[number]

export const alertConfig = z
  .object({
    /** Drift: the mean Jaccard of a replay's compared book rows below this. */
    driftMinJaccard: z.number().min(0).max(1).default(0.9),
    /** Capture sequence gaps per hour of recording above this. */
    gapsPerHour: z.number().min(0).default(6),
    /** Share of a replay's time with a crossed book above this. */
    crossedShare: z.number().min(0).max(1).default(0.01),
    /** Capture lag (receive time behind exchange time) above this, ms. */
    captureLagMs: z.number().positive().default(5_000),
    /** A subscribed stream silent for longer than this, s. */
    staleStreamS: z.number().positive().default(60),
    /** Free disk at the lake root below this, GB (10^9 bytes). */
    diskFreeMinGb: z.number().min(0).default(20),
    /** Share of the Crypto Lake quota used above this. */
    quotaShare: z.number().min(0).max(1).default(0.9),
    /** A running job with no progress for this long, minutes. */
    stalledMinutes: z.number().positive().default(15),
    /** Raised alerts (and failed jobs) also as desktop notifications where the host allows. */
    desktopNotifications: z.boolean().default(true),
    /** HTTP POST of every raised and cleared alert (body: AlertWebhookBody); null = none. */
    webhook: z
      .object({
        url: z.url({ protocol: /^https?$/ }),
        timeoutMs: z.number().int().positive().default(5_000),
        retries: z.number().int().min(0).max(10).default(3)
      })
      .nullable()
      .default(null)
  })
  .strict()
export type AlertConfig = z.infer<typeof alertConfig>
export const DEFAULT_ALERT_CONFIG: AlertConfig = alertConfig.parse({})

export type AlertSeverity = 'warn' | 'error'

/** A rule's finding at one evaluation: `key` says what it is about (a job, a stream, the disk). */
export interface AlertCondition {
  readonly rule: AlertRule
  readonly key: string
  readonly severity: AlertSeverity
  readonly message: string
}

export interface AlertRecord extends AlertCondition {
  readonly id: number
  readonly state: 'firing' | 'cleared'
  readonly firstAt: string
  readonly lastAt: string
  /** Evaluations that found it firing. */
  readonly count: number
  readonly clearedAt: string | null
  readonly ackAt: string | null
  /** The page of docs/runbooks/ that says what it means and what fixes it. */
  readonly runbook: string
}

/** The JSON body the webhook receives, once per raised and once per cleared alert. */
export interface AlertWebhookBody {
  readonly source: 'lakebook'
  readonly version: 1
  readonly event: 'raised' | 'cleared'
  readonly lake: string
  readonly alert: AlertRecord
}

/** The runbook page of a rule, relative to the project (docs/runbooks/<rule>.md). */
export function runbookOf(rule: AlertRule): string {
  return `docs/runbooks/${rule}.md`
}

/** The series a job's samples may carry (each sample holds those its job knows). */
export const METRIC_NAMES = [
  /** The job's own progress rate, in its unit per second (rows, bytes, files, messages). */
  'throughput',
  /** Units done so far (rows, bytes, files… as the job counts). */
  'done',
  /** Free bytes at the lake root. */
  'diskFreeBytes',
  /** A capture's sequence gaps so far, its messages per second and its receive-time lag. */
  'gaps',
  'messagesPerSec',
  'lagMs',
  /**
   * An export's crossed-book episodes, snapshot-burst messages (resyncs) and counted input issues
   * (refused rows…) so far.
   */
  'crossings',
  'resyncs',
  'issues',
  /**
   * A backfill's latest finished day: the book's mean |Δmid| (ticks) and mean Jaccard against the
   * vendor's book rows (its day summary).
   */
  'driftMidTicks',
  'driftJaccard'
] as const
export type MetricName = (typeof METRIC_NAMES)[number]

/** One job's metric time series as the manifest keeps them (sampled at a bounded rate). */
export interface JobMetricsView {
  readonly jobId: string
  readonly kind: string
  /** The progress unit `throughput` and `done` are in. */
  readonly unit: string | null
  /** Sample times, ms since the epoch. */
  readonly at: readonly number[]
  /** Per series, one value per sample (null where the sample had none). */
  readonly series: Readonly<Partial<Record<MetricName, readonly (number | null)[]>>>
}

/** A job that has samples. */
export interface MetricJob {
  readonly id: string
  readonly kind: string
  readonly samples: number
  readonly firstAt: number
  readonly lastAt: number
}

/** When the lake's disk fills at the rate its free space fell over the recent samples. */
/** This month's Crypto Lake quota at the month's pace so far (the quota resets each month). */
export interface QuotaForecast {
  readonly usedBytes: number
  readonly limitBytes: number
  /** Bytes downloaded per day this month (used ÷ days since the month began). */
  readonly bytesPerDay: number
  /** When the limit is reached at that pace (ms since the epoch); null: not before the month ends. */
  readonly reachedAtMs: number | null
}

export interface DiskForecast {
  readonly freeBytes: number
  /** Change of the free bytes per hour (negative: filling), least squares over the window. */
  readonly bytesPerHour: number
  /** Hours until no byte is free at that rate; null when the disk is not filling. */
  readonly hoursToFull: number | null
  readonly samples: number
  /** The window the rate was measured over, hours. */
  readonly windowHours: number
}

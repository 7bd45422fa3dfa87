// The technical go/no-go report (`lakebook report technical`): what each pipeline stage does per
// second on a real sample, the memory it takes, and what that means for a month and a year of
// data, each figure against its target. Computed by src-main/report/technical.ts.
import { z } from 'zod'
import { dayString } from './params'

/** Crypto Lake BTC-USDT, all three tables: ~8 M events an hour (≈70 billion a year). */
export const DEFAULT_EVENTS_PER_HOUR = 8_000_000

export const technicalReportParams = z.object({
  /** A lake root (its ready/ zone) or a vendor-layout folder; default the job's lake. */
  root: z.string().min(1).optional(),
  exchange: z.string().min(1).max(40).optional(),
  symbol: z.string().min(1).max(40).optional(),
  from: dayString.optional(),
  to: dayString.optional(),
  /** The volume to extrapolate to (default 8 M events/h, the research figure for BTC-USDT). */
  eventsPerHour: z.number().positive().optional(),
  /** Where the JSON and HTML go; default <lake>/reports. */
  out: z.string().min(1).optional()
})
export type TechnicalReportParams = z.infer<typeof technicalReportParams>

/** 'one-pass': the export with the gate's rules run on its own read (export --validate). */
export type StageName = 'read' | 'validate' | 'decode' | 'replay' | 'export' | 'one-pass'

export interface StageMeasurement {
  readonly stage: StageName
  readonly what: string
  readonly units: number
  readonly unit: string
  readonly seconds: number
  readonly perSecond: number
  /** Input rows per second (every stage is also put in rows of the sample). */
  readonly rowsPerSecond: number
}

export interface TargetCheck {
  readonly name: string
  readonly measured: number
  readonly target: number
  readonly unit: string
  /** 'min': measured must be at least the target; 'max': at most. */
  readonly direction: 'min' | 'max'
  /** Required targets decide go/no-go; goals only add a caveat. */
  readonly required: boolean
  readonly pass: boolean
  readonly why: string
}

export interface Extrapolation {
  readonly label: string
  readonly days: number
  readonly events: number
  readonly inputBytes: number
  readonly outputBytes: number
  /** Validate + export, one after the other, at the measured rates. */
  readonly seconds: number
  readonly replaySeconds: number
}

export type Verdict = 'go' | 'go with caveats' | 'no-go'

/** A change to the plan and what it would do to the verdict, from the report's measurements. */
export interface Pivot {
  readonly id: string
  readonly title: string
  /** Where the effect comes from: this run's measurements, or an estimate and its source. */
  readonly basis: string
  readonly yearHours: number
  readonly yearDiskBytes: number
  readonly diskFreeBytes: number
  readonly verdict: Verdict
  /** True when the pivot changes the report's verdict. */
  readonly changes: boolean
}

/**
 * Figures of the newest `lakebook bench` result in the lake's reports folder, and the twelve
 * months recomputed at its rates (validate on every core, replay, export).
 */
export interface BenchFigures {
  readonly file: string
  readonly createdAt: string
  readonly command: string
  readonly quick: boolean
  readonly machine: string
  readonly input: string
  readonly validateRowsPerSecond: number
  readonly validateWorkers: number
  readonly validateSerialRowsPerSecond: number
  readonly replayRowsPerSecond: number
  readonly exportEventsPerSecond: number
  /** export --validate's one pass (null: an older bench file without it). */
  readonly onePassEventsPerSecond: number | null
  readonly captureMessagesPerSecond: number | null
  readonly outputBytesPerRow: number
  readonly peakRssMb: number
  readonly year: Extrapolation
  /** The twelve months at the one-pass rate (no separate validate), when the bench measured it. */
  readonly yearOnePass: Extrapolation | null
}

export interface TechnicalReport {
  readonly createdAt: string
  readonly codeVersion: string
  readonly machine: {
    readonly cpus: number
    readonly cpuModel: string
    readonly memoryGiB: number
    readonly node: string
  }
  readonly sample: {
    readonly root: string
    readonly exchange: string
    readonly symbol: string
    readonly days: readonly string[]
    readonly files: number
    readonly bytes: number
    readonly rows: Readonly<Record<'book_delta_v2' | 'trades' | 'book', number>>
    readonly firstReceiveTime: string | null
    readonly lastReceiveTime: string | null
    readonly hours: number
  }
  readonly stages: readonly StageMeasurement[]
  readonly peakRssMb: number
  readonly exportOutputRatio: number
  readonly eventsPerHour: number
  readonly extrapolations: readonly Extrapolation[]
  readonly diskFreeBytes: number
  readonly targets: readonly TargetCheck[]
  readonly verdict: Verdict
  /** The verdict in plain words, with the pivots that would change it. */
  readonly recommendation: string
  readonly pivots: readonly Pivot[]
  /** The targets the report judged with (the lake's config). */
  readonly targetConfig: Readonly<Record<string, number>>
  /** From `lakebook bench` (null when the lake's reports folder holds none), with what was skipped. */
  readonly bench?: BenchFigures | null
  readonly benchSkipped?: readonly string[]
  readonly json: string
  readonly html: string
}

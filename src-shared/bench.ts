// `lakebook bench`: the user-facing benchmarks run on the user's own machine, and the JSON result
// it writes into the lake's reports folder (bench-<time>.json), which the go/no-go report
// (`lakebook report technical`) reads to recompute its year estimate. The schema is checked on
// read: a file of another shape is ignored, with the reason.
import { z } from 'zod'

export const BENCH_KIND = 'lakebook-bench'
export const BENCH_FILE_PREFIX = 'bench-'

const rate = z.object({
  /** Median over the timed runs. */
  perSecond: z.number().nonnegative(),
  /** Each timed run's rate. */
  runs: z.array(z.number().nonnegative()),
  unit: z.string()
})
export type BenchRate = z.infer<typeof rate>

export const benchResultSchema = z.object({
  kind: z.literal(BENCH_KIND),
  version: z.literal(1),
  createdAt: z.string(),
  codeVersion: z.string(),
  /** The exact command, e.g. "lakebook bench --quick". */
  command: z.string(),
  quick: z.boolean(),
  machine: z.object({
    cpu: z.string(),
    cores: z.number().int().positive(),
    ramGiB: z.number(),
    node: z.string(),
    os: z.string()
  }),
  /** 1-minute load average before and after: other work on the machine skews the figures. */
  loadavg: z.object({ start: z.number(), end: z.number() }),
  input: z.object({
    /** 'captures': the shared real capture, converted and tiled; 'lake': the lake's ready/ files. */
    source: z.enum(['captures', 'lake']),
    description: z.string(),
    exchange: z.string(),
    symbol: z.string(),
    days: z.array(z.string()),
    files: z.number().int().nonnegative(),
    bytes: z.number().nonnegative(),
    rows: z.object({
      book_delta_v2: z.number().int().nonnegative(),
      trades: z.number().int().nonnegative(),
      book: z.number().int().nonnegative()
    })
  }),
  runs: z.number().int().positive(),
  figures: z.object({
    validateSerial: rate,
    validateParallel: rate,
    validateWorkers: z.number().int().positive(),
    /** validateParallel / validateWorkers. */
    validatePerCore: z.number().nonnegative(),
    lakeReplay: rate,
    export: rate,
    /** The export with every rule of the gate on its read (export --validate); absent in older files. */
    onePass: rate.optional(),
    /** Dataset bytes written per input row (events) and per book_delta_v2 row. */
    outputBytesPerRow: z.number().nonnegative(),
    outputBytesPerDeltaRow: z.number().nonnegative(),
    /** Null when no capture file was at hand (the reason is in notes). */
    captureReplay: rate.nullable(),
    /** Whole process, every thread, over the whole bench. */
    peakRssMb: z.number().nonnegative()
  }),
  seconds: z.number().nonnegative(),
  notes: z.array(z.string())
})
export type BenchResult = z.infer<typeof benchResultSchema>

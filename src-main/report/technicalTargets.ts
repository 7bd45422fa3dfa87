// The go/no-go arithmetic of the technical report: measured stage rates and sample volume →
// month and year extrapolations → each target checked → a verdict. Pure, so the rules are tested
// on their own. The targets (docs/benchmarks.md, "Go/no-go targets") come from the issues: replay
// at 5 M rows/s, export at 2 M events/s, peak RSS under 1.5 GiB; and from what makes a year
// "practical on one machine": validate + export of twelve months within a week, and the year's
// input and output fitting on the lake's disk.
import { DEFAULT_TRUST_CONFIG, type TrustConfig } from '../../src-shared/gates'
import type {
  Extrapolation,
  Pivot,
  StageMeasurement,
  TargetCheck,
  Verdict
} from '../../src-shared/report'

export type Targets = TrustConfig['technical']
export const TARGETS: Targets = DEFAULT_TRUST_CONFIG.technical

export interface TargetInputs {
  readonly stages: readonly StageMeasurement[]
  readonly sampleRows: number
  readonly sampleBytes: number
  readonly exportOutputRatio: number
  readonly eventsPerHour: number
  readonly peakRssMb: number
  readonly diskFreeBytes: number
  /** Share of the export's output bytes in its `events` table (for the pivots). */
  readonly eventsOutputShare?: number
  /** False when the inputs leave the disk once exported (only the dataset counts). */
  readonly inputsStayOnDisk?: boolean
}

function rate(stages: readonly StageMeasurement[], name: StageMeasurement['stage']): number {
  return stages.find((s) => s.stage === name)?.rowsPerSecond ?? 0
}

/** The stages of a one-pass year: no separate validate, the export at the one-pass rate. */
export function onePassStages(
  stages: readonly StageMeasurement[],
  onePass: number
): StageMeasurement[] {
  return stages.map((s) =>
    s.stage === 'validate'
      ? { ...s, rowsPerSecond: Infinity }
      : s.stage === 'export'
        ? { ...s, rowsPerSecond: onePass }
        : s
  )
}

export function extrapolate(i: TargetInputs, label: string, days: number): Extrapolation {
  const events = i.eventsPerHour * 24 * days
  const bytesPerEvent = i.sampleRows > 0 ? i.sampleBytes / i.sampleRows : 0
  const inputBytes = events * bytesPerEvent
  const perEvent = (r: number): number => (r > 0 ? 1 / r : Infinity)
  return {
    label,
    days,
    events,
    inputBytes,
    outputBytes: inputBytes * i.exportOutputRatio,
    seconds: events * (perEvent(rate(i.stages, 'validate')) + perEvent(rate(i.stages, 'export'))),
    replaySeconds: events * perEvent(rate(i.stages, 'replay'))
  }
}

function check(
  name: string,
  measured: number,
  target: number,
  unit: string,
  direction: 'min' | 'max',
  required: boolean,
  why: string
): TargetCheck {
  const pass = direction === 'min' ? measured >= target : measured <= target
  return { name, measured, target, unit, direction, required, pass, why }
}

export function evaluate(
  i: TargetInputs,
  TARGETS: Targets = DEFAULT_TRUST_CONFIG.technical
): {
  extrapolations: Extrapolation[]
  targets: TargetCheck[]
  verdict: Verdict
} {
  const month = extrapolate(i, 'one month', 30)
  const year = extrapolate(i, 'twelve months', 365)
  const bytesPerEvent = i.sampleRows > 0 ? i.sampleBytes / i.sampleRows : 0
  const targets = [
    check(
      'replay rate',
      rate(i.stages, 'replay'),
      TARGETS.replayRowsPerSecond,
      'rows/s',
      'min',
      false,
      'replay at the speed of the disk (issue 3)'
    ),
    check(
      'export rate',
      rate(i.stages, 'export'),
      TARGETS.exportEventsPerSecond,
      'events/s',
      'min',
      false,
      'end to end including Parquet writing (issue 6)'
    ),
    check(
      'sustained read rate',
      rate(i.stages, 'read') * bytesPerEvent,
      TARGETS.exportEventsPerSecond * bytesPerEvent,
      'bytes/s',
      'min',
      true,
      'the disk must feed the export at its target rate'
    ),
    check(
      'peak memory',
      i.peakRssMb,
      TARGETS.peakRssMb,
      'MB',
      'max',
      true,
      'bounded memory whatever the range (issue 6)'
    ),
    check(
      'twelve months, validate + export',
      year.seconds / 3600,
      TARGETS.yearHours,
      'hours',
      'max',
      true,
      'a year practical on one machine: within a week'
    ),
    check(
      'twelve months on disk',
      (i.inputsStayOnDisk === false ? 0 : year.inputBytes) + year.outputBytes,
      i.diskFreeBytes,
      'bytes',
      'max',
      true,
      'the year of input and its dataset fit on the lake disk'
    )
  ]
  const failed = targets.filter((t) => !t.pass)
  const verdict: Verdict = failed.some((t) => t.required)
    ? 'no-go'
    : failed.length > 0
      ? 'go with caveats'
      : 'go'
  return { extrapolations: [month, year], targets, verdict }
}

/**
 * What each pivot would change, from the same measurements: the inputs are modified the way the
 * pivot would and judged again. Estimates that do not come from this run say where they come from.
 */
export function pivots(i: TargetInputs, targets: Targets = TARGETS): Pivot[] {
  const base = evaluate(i, targets)
  const year = (x: ReturnType<typeof evaluate>): Extrapolation | undefined => x.extrapolations[1]
  const one = (
    id: string,
    title: string,
    basis: string,
    changed: TargetInputs,
    machines = 1
  ): Pivot => {
    const e = evaluate(changed, targets)
    const y = year(e)
    const hours = (y?.seconds ?? 0) / 3600 / machines
    const t = e.targets.map((c) =>
      c.name === 'twelve months, validate + export'
        ? { ...c, measured: hours, pass: hours <= c.target }
        : c
    )
    const failed = t.filter((c) => !c.pass)
    const verdict: Verdict = failed.some((c) => c.required)
      ? 'no-go'
      : failed.length > 0
        ? 'go with caveats'
        : 'go'
    return {
      id,
      title,
      basis,
      yearHours: hours,
      yearDiskBytes:
        (changed.inputsStayOnDisk === false ? 0 : (y?.inputBytes ?? 0)) + (y?.outputBytes ?? 0),
      diskFreeBytes: changed.diskFreeBytes,
      verdict,
      changes: verdict !== base.verdict
    }
  }
  const share = i.eventsOutputShare ?? 0
  const onePass = rate(i.stages, 'one-pass')
  return [
    one(
      'drop-events',
      'drop the per-event events table (keep the 100 ms book and features)',
      `measured: the events table is ${(share * 100).toFixed(1)} % of this export's output bytes`,
      { ...i, exportOutputRatio: i.exportOutputRatio * (1 - share) }
    ),
    one(
      'parquet-v2',
      'Parquet V2 encodings (delta for integers and times, dictionary where it pays)',
      'estimate: halves the output (91 vs 184 MB per 10 M rows in a trial write); not measured in this run',
      { ...i, exportOutputRatio: i.exportOutputRatio * 0.5 }
    ),
    one(
      'inputs-off-disk',
      'download each day, export it and delete its inputs (only the dataset stays on disk)',
      'measured: the year’s input bytes leave the disk budget',
      { ...i, inputsStayOnDisk: false }
    ),
    one(
      'second-disk',
      'a second disk of the same free size for the lake',
      'measured: twice the free bytes of this disk',
      { ...i, diskFreeBytes: i.diskFreeBytes * 2 }
    ),
    ...(onePass > 0
      ? [
          one(
            'one-pass',
            'validate in the export’s own read (export --validate) instead of validate + certify + export',
            'measured: the export with every rule of the gate on its read; a backfill planned --validate reads so too, somewhat slower (its day jobs read each warm-up day again)',
            { ...i, stages: onePassStages(i.stages, onePass) }
          )
        ]
      : []),
    one(
      'ray-4',
      'the backfill on a Ray cluster of four machines like this one',
      'estimate: day jobs are independent, so the year time divides by the machines (transfer time not counted)',
      i,
      4
    )
  ]
}

/** The report's last words: the verdict in plain words and the pivots that would change it. */
export function recommendation(
  verdict: Verdict,
  targets: readonly TargetCheck[],
  ps: readonly Pivot[]
): string {
  const failed = targets.filter((t) => !t.pass)
  if (verdict === 'go')
    return 'GO: every target passes on this machine; run the backfill as planned.'
  const what = failed.map((t) => t.name).join(', ')
  const fixes = ps.filter((p) => p.changes && p.verdict !== 'no-go')
  const head =
    verdict === 'no-go'
      ? `NO-GO on this machine: ${what} ${failed.length === 1 ? 'fails' : 'fail'}.`
      : `GO WITH CAVEATS: ${what} ${failed.length === 1 ? 'misses its goal' : 'miss their goals'}; the required targets pass.`
  if (fixes.length === 0)
    return `${head} None of the measured pivots alone changes the verdict; combine them or use a bigger machine.`
  return `${head} Pivots that would change the verdict: ${fixes.map((p) => `${p.title} (→ ${p.verdict.toUpperCase()})`).join('; ')}.`
}

// The go/no-go arithmetic of the technical report: measured stage rates and sample volume →
// month and year extrapolations → each target checked → a verdict. Pure, so the rules are tested
// on their own. The targets (docs/benchmarks.md, "Go/no-go targets") come from the issues: replay
// at 5 M rows/s, export at 2 M events/s, peak RSS under 1.5 GiB; and from what makes a year
// "practical on one machine": validate + export of twelve months within a week, and the year's
// input and output fitting on the lake's disk.
import type { Extrapolation, StageMeasurement, TargetCheck, Verdict } from '../../src-shared/report'

export const TARGETS = {
  replayRowsPerSecond: 5_000_000,
  exportEventsPerSecond: 2_000_000,
  peakRssMb: 1536,
  yearHours: 7 * 24
} as const

export interface TargetInputs {
  readonly stages: readonly StageMeasurement[]
  readonly sampleRows: number
  readonly sampleBytes: number
  readonly exportOutputRatio: number
  readonly eventsPerHour: number
  readonly peakRssMb: number
  readonly diskFreeBytes: number
}

function rate(stages: readonly StageMeasurement[], name: StageMeasurement['stage']): number {
  return stages.find((s) => s.stage === name)?.rowsPerSecond ?? 0
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

export function evaluate(i: TargetInputs): {
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
      year.inputBytes + year.outputBytes,
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

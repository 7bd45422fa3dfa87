// The go/no-go report's use of `lakebook bench`: the newest bench-*.json in the lake's reports
// folder (schema-checked; a file of another shape is skipped and said so) and the twelve months
// recomputed at its rates — validate on every core, Lake replay, export — beside the report's
// own one-thread measurement. Which figures came from the bench, and when, is in the report.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BENCH_FILE_PREFIX, benchResultSchema, type BenchResult } from '../../src-shared/bench'
import type { BenchFigures, StageMeasurement } from '../../src-shared/report'
import { extrapolate, onePassStages, type TargetInputs } from './technicalTargets'

/** The newest readable bench result in `dir`, with the files skipped on the way. */
export function latestBench(dir: string): {
  bench: (BenchResult & { file: string }) | null
  skipped: string[]
} {
  const skipped: string[] = []
  if (!existsSync(dir)) return { bench: null, skipped }
  const names = readdirSync(dir)
    .filter((f) => f.startsWith(BENCH_FILE_PREFIX) && f.endsWith('.json'))
    .sort()
    .reverse()
  for (const name of names) {
    const file = join(dir, name)
    try {
      const parsed = benchResultSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
      if (parsed.success) return { bench: { ...parsed.data, file }, skipped }
      skipped.push(`${file}: not a lakebook bench result of this version`)
    } catch (e) {
      skipped.push(`${file}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return { bench: null, skipped }
}

/** The report's stages with validate, replay and export at the bench's rates. */
function benchStages(b: BenchResult): StageMeasurement[] {
  const s = (
    stage: StageMeasurement['stage'],
    what: string,
    perSecond: number,
    unit: string
  ): StageMeasurement => ({
    stage,
    what,
    units: perSecond,
    unit,
    seconds: 1,
    perSecond,
    rowsPerSecond: perSecond
  })
  const f = b.figures
  return [
    s('validate', `every rule, ${f.validateWorkers} threads`, f.validateParallel.perSecond, 'rows'),
    s('replay', 'Lake replay, 1 decode worker', f.lakeReplay.perSecond, 'rows'),
    s('export', 'events, book and features', f.export.perSecond, 'events')
  ]
}

export function benchFigures(b: BenchResult & { file: string }, i: TargetInputs): BenchFigures {
  const f = b.figures
  const year = extrapolate({ ...i, stages: benchStages(b) }, 'twelve months (lakebook bench)', 365)
  return {
    file: b.file,
    createdAt: b.createdAt,
    command: b.command,
    quick: b.quick,
    machine: `${b.machine.cores} × ${b.machine.cpu}, Node ${b.machine.node}`,
    input: b.input.description,
    validateRowsPerSecond: f.validateParallel.perSecond,
    validateWorkers: f.validateWorkers,
    validateSerialRowsPerSecond: f.validateSerial.perSecond,
    replayRowsPerSecond: f.lakeReplay.perSecond,
    exportEventsPerSecond: f.export.perSecond,
    onePassEventsPerSecond: f.onePass?.perSecond ?? null,
    captureMessagesPerSecond: f.captureReplay?.perSecond ?? null,
    outputBytesPerRow: f.outputBytesPerRow,
    peakRssMb: f.peakRssMb,
    year,
    yearOnePass:
      f.onePass === undefined
        ? null
        : extrapolate(
            { ...i, stages: onePassStages(benchStages(b), f.onePass.perSecond) },
            'twelve months (lakebook bench, one pass)',
            365
          )
  }
}

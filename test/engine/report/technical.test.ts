// The technical go/no-go report on real data: the converted real spot capture (Crypto Lake format,
// made by the project's converter) run through every stage; each stage must have handled every
// row of the sample, and the extrapolation and verdict must follow from the measured figures.
// The verdict rules themselves are checked on hand-made stage figures (named as such).
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runTechnicalReport } from '../../../src-main/report/technical'
import {
  evaluate,
  pivots,
  recommendation,
  TARGETS,
  type TargetInputs
} from '../../../src-main/report/technicalTargets'
import type { StageMeasurement, TechnicalReport } from '../../../src-shared/report'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'
import { fakeContext } from '../validate/helpers'

/** Hand-made stage figures for the verdict rules (not measurements). */
function syntheticStages(rowsPerSecond: number): StageMeasurement[] {
  return (['read', 'validate', 'decode', 'replay', 'export'] as const).map((stage) => ({
    stage,
    what: stage,
    units: 1,
    unit: 'rows',
    seconds: 1,
    perSecond: rowsPerSecond,
    rowsPerSecond
  }))
}

describe('technical report verdict rules (synthetic stage figures)', () => {
  const base: TargetInputs = {
    stages: syntheticStages(10_000_000),
    sampleRows: 1_000_000,
    sampleBytes: 10_000_000,
    exportOutputRatio: 2,
    eventsPerHour: 8_000_000,
    peakRssMb: 800,
    diskFreeBytes: 10e12
  }

  it('extrapolates a month and a year from the rates and the bytes per event', () => {
    const r = evaluate(base)
    const [month, year] = r.extrapolations
    expect(month?.events).toBe(8_000_000 * 24 * 30)
    expect(year?.events).toBe(8_000_000 * 24 * 365)
    expect(year?.inputBytes).toBeCloseTo(8_000_000 * 24 * 365 * 10, -3)
    expect(year?.outputBytes).toBeCloseTo((year?.inputBytes ?? 0) * 2, -3)
    // validate then export, each at 10 M rows/s
    expect(year?.seconds).toBeCloseTo((8_000_000 * 24 * 365 * 2) / 10_000_000, 6)
    expect(r.verdict).toBe('go')
  })

  it('a missed goal is a caveat; a missed requirement is a no-go', () => {
    const slowExport = syntheticStages(10_000_000).map((s) =>
      s.stage === 'export' ? { ...s, rowsPerSecond: TARGETS.exportEventsPerSecond / 2 } : s
    )
    expect(evaluate({ ...base, stages: slowExport }).verdict).toBe('go with caveats')
    expect(evaluate({ ...base, peakRssMb: 4096 }).verdict).toBe('no-go')
    expect(evaluate({ ...base, diskFreeBytes: 1e9 }).verdict).toBe('no-go')
    const crawl = evaluate({ ...base, stages: syntheticStages(10_000) })
    expect(crawl.verdict).toBe('no-go')
    expect(crawl.targets.find((t) => t.name.startsWith('twelve months, validate'))?.pass).toBe(
      false
    )
  })
})

describe('technical report pivots (synthetic stage figures)', () => {
  const tight: TargetInputs = {
    stages: syntheticStages(10_000_000),
    sampleRows: 1_000_000,
    sampleBytes: 10_000_000,
    exportOutputRatio: 2,
    eventsPerHour: 8_000_000,
    peakRssMb: 800,
    eventsOutputShare: 0.6,
    // A year: 700.8 GB in, 1.4 TB out: 2.1 TB on a disk with 1.5 TB free.
    diskFreeBytes: 1.5e12
  }

  it('judges each pivot again from the same figures and names those that flip the verdict', () => {
    const base = evaluate(tight)
    expect(base.verdict).toBe('no-go')
    const ps = pivots(tight)
    const by = Object.fromEntries(ps.map((p) => [p.id, p]))
    // Dropping events: 2.1 TB → 0.7 + 1.4 × 0.4 = 1.26 TB: fits.
    expect(by['drop-events']?.verdict).toBe('go')
    expect(by['drop-events']?.yearDiskBytes).toBeCloseTo(700.8e9 + 1401.6e9 * 0.4, -8)
    // Parquet V2 (estimate ×0.5): 0.7 + 0.7 = 1.4 TB: fits.
    expect(by['parquet-v2']?.verdict).toBe('go')
    expect(by['parquet-v2']?.basis).toMatch(/estimate/)
    // Inputs off the disk: only the 1.4 TB dataset stays: fits.
    expect(by['inputs-off-disk']?.yearDiskBytes).toBeCloseTo(1401.6e9, -8)
    expect(by['second-disk']?.verdict).toBe('go')
    // Four machines do not change disk: still no-go.
    expect(by['ray-4']?.verdict).toBe('no-go')
    expect(by['ray-4']?.yearHours).toBeCloseTo((by['second-disk']?.yearHours ?? 0) / 4, 6)
    const text = recommendation(base.verdict, base.targets, ps)
    expect(text).toMatch(/^NO-GO on this machine: twelve months on disk fails\./)
    expect(text).toContain('a second disk')
    expect(text).not.toContain('Ray cluster')
    expect(recommendation('go', evaluate({ ...tight, diskFreeBytes: 1e13 }).targets, [])).toMatch(
      /^GO:/
    )
  })
})

describe.skipIf(!hasCaptures)('technical report on real data', () => {
  let root = ''
  let rows = 0
  let r: TechnicalReport
  const out = tempDir('lakebook-technical-')

  beforeAll(async () => {
    const lake = await convertedLake('spot-btcusdt-20240808')
    root = lake.root
    r = await runTechnicalReport({ root, out }, fakeContext(tempDir('lakebook-technical-lake-')))
    rows = r.sample.rows.book_delta_v2 + r.sample.rows.trades + r.sample.rows.book
  }, 120_000)

  it('runs every stage over the whole sample', () => {
    expect(r.sample.files).toBe(6)
    expect(rows).toBeGreaterThan(300_000)
    // The capture's README: 2024-08-08 23:54:15 → 08-09 00:05:06 (10.8 min).
    expect(r.sample.hours).toBeGreaterThan(0.17)
    expect(r.sample.hours).toBeLessThan(0.19)
    expect(r.stages.map((s) => s.stage)).toEqual([
      'read',
      'validate',
      'decode',
      'replay',
      'export',
      'one-pass'
    ])
    const by = Object.fromEntries(r.stages.map((s) => [s.stage, s]))
    expect(by['read']?.units).toBe(r.sample.bytes)
    expect(by['validate']?.units).toBe(rows)
    expect(by['decode']?.units).toBe(rows)
    expect(by['replay']?.units).toBe(rows)
    expect(by['export']?.units).toBe(rows)
    expect(by['one-pass']?.units).toBe(rows)
    for (const s of r.stages) expect(s.rowsPerSecond).toBeGreaterThan(0)
    expect(r.peakRssMb).toBeGreaterThan(0)
    expect(r.exportOutputRatio).toBeGreaterThan(0)
  })

  it('writes the report as JSON and HTML, with a verdict that follows from its targets', () => {
    const saved = JSON.parse(readFileSync(r.json, 'utf8')) as TechnicalReport
    expect(saved).toEqual(JSON.parse(JSON.stringify(r)))
    const failedRequired = r.targets.some((t) => t.required && !t.pass)
    const missedGoal = r.targets.some((t) => !t.required && !t.pass)
    expect(r.verdict).toBe(failedRequired ? 'no-go' : missedGoal ? 'go with caveats' : 'go')
    const html = readFileSync(r.html, 'utf8')
    expect(html).toContain(`Technical go/no-go: ${r.verdict.toUpperCase()}`)
    expect(html).toContain('twelve months')
    expect(r.pivots).toHaveLength(6)
    // The one-pass pivot: the year at the rate of the export with the gate's rules on its read.
    const one = r.pivots.find((p) => p.id === 'one-pass')
    const pass = r.stages.find((s) => s.stage === 'one-pass')?.rowsPerSecond ?? 0
    const perYear = r.extrapolations.find((e) => e.days === 365)?.events ?? 0
    expect(one?.yearHours).toBeCloseTo(perYear / pass / 3600, 6)
    expect(r.recommendation.length).toBeGreaterThan(10)
    expect(html).toContain('Recommendation')
    expect(dirname(r.json)).toBe(out)
    expect(dirname(r.html)).toBe(out)
  })
})

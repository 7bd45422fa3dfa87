// `lakebook bench --quick` (the built CLI, on the REAL shared capture, converted and tiled to one
// copy a day) writes a well-formed result into the lake's reports folder, and the go/no-go
// report of that lake picks it up: which figures came from the bench, when, and the year at its
// rates. No timing is asserted: --quick measures nothing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { benchResultSchema } from '../../../src-shared/bench'
import { technicalText } from '../../../src-main/report/technicalText'
import { latestBench } from '../../../src-main/report/benchFigures'
import { runTechnicalReport } from '../../../src-main/report/technical'
import { runBuilt } from '../../helpers/build'
import { CAPTURES, hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'
import { fakeContext } from '../validate/helpers'

describe('the newest bench result in a reports folder (synthetic files)', () => {
  it('skips a file of another shape and says so; none is null', () => {
    const dir = tempDir('lakebook-bench-reports-')
    expect(latestBench(dir).bench).toBeNull()
    writeFileSync(join(dir, 'bench-2026-01-02T00-00-00-000Z.json'), '{"kind":"something else"}')
    writeFileSync(join(dir, 'bench-2026-01-03T00-00-00-000Z.json'), 'not json')
    const r = latestBench(dir)
    expect(r.bench).toBeNull()
    expect(r.skipped).toHaveLength(2)
    expect(r.skipped[1]).toContain('not a lakebook bench result')
  })
})

describe.skipIf(!hasCaptures)('lakebook bench --quick', () => {
  it('writes a well-formed result the technical report reads', async () => {
    const lake = tempDir('lakebook-bench-lake-')
    const run = await runBuilt(
      ['--lake', lake, '--json', '-q', 'bench', '--quick', '--captures', CAPTURES],
      'cli.js',
      300_000
    )
    expect(run.code, run.err).toBe(0)
    const printed = JSON.parse(run.out) as { file: string }
    expect(printed.file.startsWith(join(lake, 'reports', 'bench-'))).toBe(true)
    expect(existsSync(printed.file)).toBe(true)
    const result = benchResultSchema.parse(JSON.parse(readFileSync(printed.file, 'utf8')))
    expect(result.quick).toBe(true)
    expect(result.input.source).toBe('captures')
    expect(result.input.files).toBe(6)
    expect(result.input.days).toEqual(['2024-08-10', '2024-08-11'])
    const f = result.figures
    for (const rate of [f.validateSerial, f.validateParallel, f.lakeReplay, f.export, f.onePass])
      expect(rate?.perSecond ?? 0).toBeGreaterThan(0)
    expect(f.captureReplay?.perSecond ?? 0).toBeGreaterThan(0)
    expect(f.validateWorkers).toBeGreaterThanOrEqual(1)
    expect(f.outputBytesPerRow).toBeGreaterThan(0)
    expect(f.peakRssMb).toBeGreaterThan(0)

    const { root } = await convertedLake('spot-btcusdt-20240808')
    const report = await runTechnicalReport(
      { root, out: tempDir('lakebook-bench-technical-') },
      fakeContext(lake)
    )
    const b = report.bench
    expect(b?.file).toBe(printed.file)
    expect(b?.createdAt).toBe(result.createdAt)
    expect(b?.validateRowsPerSecond).toBe(f.validateParallel.perSecond)
    expect(b?.year.days).toBe(365)
    expect(b?.year.seconds).toBeGreaterThan(0)
    // The one-pass year: the export --validate rate alone, no separate validate.
    expect(b?.onePassEventsPerSecond).toBe(f.onePass?.perSecond)
    expect(b?.yearOnePass?.seconds).toBeCloseTo(
      (b?.year.events ?? 0) / (f.onePass?.perSecond ?? 1),
      3
    )
    const text = technicalText(report)
    expect(text).toContain(`from lakebook bench of ${result.createdAt}`)
    expect(text).toContain('a --quick run: not a measurement')
    expect(text).toContain('in one pass (export --validate at')
    const html = readFileSync(report.html, 'utf8')
    expect(html).toContain('Figures from lakebook bench')
    expect(html).toContain(result.createdAt)
  })
})

// Per-day backfill summaries on the converted REAL spot capture (two days with data, a third
// without, accepted as missing): every finished day records its summary in the manifest — the
// day's own rows, the delta rows applied, how its book began, bursts and resyncs, crossed time,
// drift against the vendor-format book rows, throughput, verdict — `lakebook status --json` and
// its text show them, and the backfill's metric series carries resyncs and drift.
import { beforeAll, describe, expect, it } from 'vitest'
import { backfillMetrics } from '../../../src-main/export/backfillJob'
import type { BackfillDaysView } from '../../../src-shared/backfillDays'
import type { BackfillStatusView } from '../../../src-shared/export'
import { runBuilt } from '../../helpers/build'
import { hasCaptures } from '../../helpers/data'
import { spotBackfill } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

describe.skipIf(!hasCaptures)('backfill day summaries (real spot capture)', () => {
  const lake = tempDir('lakebook-daysum-lake-')
  let status: BackfillStatusView

  beforeAll(async () => {
    const root = (await convertedLake('spot-btcusdt-20240808')).root
    status = await spotBackfill(lake, root)
  })

  it('records each finished day with its figures and verdict', () => {
    const [d8, d9, d10] = status.dayList.map((d) => d.summary)
    // 2024-08-08: the day the recording started, seeded from its snapshot burst.
    expect(d8).toMatchObject({
      day: '2024-08-08',
      events: { deltaRows: 126_073, trades: 9_757, bookRows: 2_225 },
      bookRowsApplied: 126_073,
      seed: 'burst',
      missingTables: [],
      bursts: 1,
      resyncs: 0,
      crossings: 0,
      crossedMs: 0,
      issues: 0,
      verdict: 'pass',
      reasons: []
    })
    expect(d8?.inputRows).toBe(126_073 + 9_757 + 2_225)
    // Drift on the day's own book rows (the warm-up day 2024-08-07 has no file): every aligned
    // row agrees, the largest |Δmid| too.
    expect(d8?.drift).toEqual({
      scope: 'day',
      aligned: 2_224,
      meanJaccard: 1,
      minJaccard: 1,
      meanAbsMidErrTicks: 0,
      maxAbsMidErrTicks: 0
    })
    // 2024-08-09: the book carried over midnight from the warm-up day, no new burst.
    expect(d9).toMatchObject({
      events: { deltaRows: 174_021, trades: 10_147, bookRows: 1_944 },
      bookRowsApplied: 174_021,
      seed: 'carried',
      bursts: 0,
      resyncs: 0,
      verdict: 'pass'
    })
    // Its day job replayed 2024-08-08 as the warm-up day (4,168 book rows compared over the run):
    // only the day's own rows count, the warm-up day's 2,224 are left out.
    expect(d9?.drift).toMatchObject({ scope: 'day', aligned: 4_168 - 2_224, maxAbsMidErrTicks: 0 })
    for (const s of [d8, d9]) {
      expect(s?.seconds).toBeGreaterThan(0)
      expect(s?.rowsPerSecond).toBeGreaterThan(0)
      expect(s?.outputRows).toBeGreaterThan(0)
      expect(s?.outputBytes).toBeGreaterThan(0)
      expect(s?.crossedShare).toBe(0)
    }
    // 2024-08-10 has no file: accepted as missing, a warning that says so.
    expect(d10).toMatchObject({ verdict: 'warn', seed: 'none', inputRows: 0 })
    expect(d10?.missingTables).toEqual(['book_delta_v2', 'trades', 'book'])
    expect(d10?.reasons[0]).toMatch(/^no input file for this day/)
  })

  it('gives the backfill metric series resyncs, crossings and the latest day drift', () => {
    expect(backfillMetrics(status)).toEqual({
      resyncs: 0,
      crossings: 0,
      driftMidTicks: 0,
      driftJaccard: 1
    })
  })

  it('shows them in lakebook status (--json and text)', async () => {
    const j = await runBuilt(['--lake', lake, '--json', 'status'])
    const parsed = JSON.parse(j.out) as { backfill: BackfillDaysView }
    expect(parsed.backfill.verdicts).toEqual({ pass: 2, warn: 1, fail: 0, unsummarised: 0 })
    expect(parsed.backfill.days.map((d) => d.summary?.verdict)).toEqual(['pass', 'pass', 'warn'])
    const t = await runBuilt(['--lake', lake, 'status'])
    expect(t.out).toMatch(
      /backfill \S+ \(2024-08-08 → 2024-08-10\): 3\/3 days done — 2 pass, 1 warn, 0 fail/
    )
    expect(t.out).toMatch(
      /2024-08-09 PASS: 186,112 rows in, 174,021 of 174,021 delta rows applied \(carried\), 0 missing table\(s\), 0 burst\(s\), 0 resync\(s\), 0 crossing\(s\) 0 ms crossed, drift mean \|Δmid\| 0\.000 ticks \(max 0\.000\), Jaccard 1\.000 \(day\)/
    )
    expect(t.out).toMatch(/2024-08-10 WARN: 0 rows in, .*no input file for this day/)
  })
})

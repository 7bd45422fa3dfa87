// Scheduled progress reports on an injected clock, over a lake where the built CLI imported and
// validated the converted REAL spot capture: the app's and host's services write the daily report
// once the UTC day has ended (not before), the weekly one once the ISO week has ended, each once
// (a second check writes nothing), atomically, with the same generator as `lakebook report
// progress`, and list them; `lakebook report progress --schedule` does the same from the CLI.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRouter } from '../../../src-main/ipc/services'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import type { ProgressReport } from '../../../src-main/report/progress'
import {
  duePeriods,
  isoWeek,
  weekStartMs,
  writeScheduledReports
} from '../../../src-main/report/schedule'
import type { ScheduledReport, ScheduleResult } from '../../../src-shared/reports'
import { builtWorkerPath, runBuilt } from '../../helpers/build'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const DAY = 86_400_000
const utc = (s: string): number => Date.parse(s)

describe('report periods (calendar edge cases, no data needed)', () => {
  it('names ISO weeks across year ends', () => {
    expect(isoWeek(utc('2026-11-23T00:00:00Z'))).toBe('2026-W48')
    expect(isoWeek(utc('2021-01-04T00:00:00Z'))).toBe('2021-W01')
    expect(isoWeek(utc('2020-12-28T00:00:00Z'))).toBe('2020-W53')
    expect(weekStartMs('2020-W53')).toBe(utc('2020-12-28T00:00:00Z'))
    expect(weekStartMs('2026-W48')).toBe(utc('2026-11-23T00:00:00Z'))
  })

  it('is due only for ended periods, caught up no further back than the first job', () => {
    // Thursday 2026-12-03: yesterday and last week have ended; today and this week have not.
    const now = utc('2026-12-03T11:00:00Z')
    expect(duePeriods(now, null).map((p) => `${p.kind} ${p.period}`)).toEqual([
      'weekly 2026-W48',
      'daily 2026-12-02'
    ])
    expect(duePeriods(now, utc('2026-11-30T09:00:00Z')).map((p) => p.period)).toEqual([
      '2026-W48',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02'
    ])
    // A lake used for months: seven days and four weeks at most.
    const old = duePeriods(now, 0)
    expect(old.filter((p) => p.kind === 'daily')).toHaveLength(7)
    expect(old.filter((p) => p.kind === 'weekly')).toHaveLength(4)
    // One millisecond after midnight the day that just ended is due.
    expect(duePeriods(utc('2026-12-04T00:00:00.001Z'), null).at(-1)?.period).toBe('2026-12-03')
  })
})

describe.skipIf(!hasCaptures)('scheduled progress reports (real validation run)', () => {
  const lake = tempDir('lakebook-sched-')
  let db: Db
  let jobs: JobManager
  let clock = 0
  let today = 0

  beforeAll(async () => {
    const src = (await convertedLake('spot-btcusdt-20240808')).root
    expect((await runBuilt(['--lake', lake, 'import', src])).code).toBe(0)
    const v = await runBuilt(['--lake', lake, 'validate'])
    expect([0, 1], v.err).toContain(v.code)
    today = Math.floor(Date.now() / DAY) * DAY
    db = openManifest(lake)
    jobs = new JobManager({ db, lakeRoot: lake, workerPath: builtWorkerPath() })
  })
  afterAll(async () => {
    await jobs.shutdown()
    db.close()
  })

  it('writes the day after it ends and the week after it ends, once each, and lists them', async () => {
    // Just before midnight: the services check at start — today's report is not due yet.
    clock = today + DAY - 1
    const router = createRouter({ lakeRoot: lake, version: 'test', jobs, db, now: () => clock })
    const before = (await router.invoke('reports.list', null)) as ScheduledReport[]
    const todayName = new Date(today).toISOString().slice(0, 10)
    expect(before.some((r) => r.period === todayName)).toBe(false)
    expect(before.map((r) => r.kind).sort()).toEqual(['daily', 'weekly'])

    clock = today + DAY + 1
    const after = (await router.invoke('reports.list', null)) as ScheduledReport[]
    const daily = after.find((r) => r.kind === 'daily' && r.period === todayName)
    expect(daily).toBeDefined()
    const r = JSON.parse(readFileSync(daily?.json ?? '', 'utf8')) as ProgressReport
    expect(r.format).toBe('lakebook-progress-report')
    expect(r.from).toBe(new Date(today).toISOString())
    expect(r.to).toBe(new Date(today + DAY).toISOString())
    // The CLI's validation of the six real files (each warns: the recorder's feed lag).
    expect(r.validated).toEqual({ runs: 1, files: { pass: 0, warn: 6, fail: 0 } })
    expect(readFileSync(daily?.html ?? '', 'utf8')).toMatch(/<html[\s\S]*Progress/i)
    const mtime = statSync(daily?.json ?? '').mtimeMs

    // Checked again (the next evaluation): nothing is written twice.
    const again: ScheduleResult = writeScheduledReports(db, lake, clock)
    expect(again.written).toEqual([])
    expect(again.skipped).toBeGreaterThanOrEqual(2)
    expect(statSync(daily?.json ?? '').mtimeMs).toBe(mtime)

    // The Monday after this week: its weekly report, holding the same validation run.
    const monday = today + (7 - ((new Date(today).getUTCDay() + 6) % 7)) * DAY
    clock = monday + 1
    const listed = (await router.invoke('reports.list', null)) as ScheduledReport[]
    const weekly = listed.find((w) => w.kind === 'weekly' && w.period === isoWeek(monday - 7 * DAY))
    expect(weekly).toBeDefined()
    // Newest period first.
    expect(listed[0]).toEqual(weekly)
    const wr = JSON.parse(readFileSync(weekly?.json ?? '', 'utf8')) as ProgressReport
    expect(wr.validated.runs).toBe(1)
    // Atomic writes leave no temporary file behind.
    const files = readdirSync(join(lake, 'reports'))
    expect(files.filter((f) => !/\.(json|html)$/.test(f))).toEqual([])
    expect(existsSync(weekly?.html ?? '')).toBe(true)
  })

  it('lakebook report progress --schedule writes nothing on an empty lake, then what is due, then nothing', async () => {
    const lake2 = tempDir('lakebook-sched-cli-')
    // Nothing ever downloaded, validated, replayed or exported: no report of zeros, one sentence,
    // the CLI's "nothing to do" code.
    const empty = await runBuilt(['--lake', lake2, 'report', 'progress', '--schedule'])
    expect([empty.code, empty.out, empty.err]).toEqual([
      2,
      '',
      'lakebook: nothing to do: there is nothing to report yet, as this lake has never downloaded, validated, replayed or exported anything (its manifest holds no job); no daily or weekly progress report was written\n'
    ])
    expect(existsSync(join(lake2, 'reports'))).toBe(false)
    const emptyJson = await runBuilt([
      '--lake',
      lake2,
      '--json',
      'report',
      'progress',
      '--schedule'
    ])
    expect(emptyJson.code).toBe(2)
    expect(JSON.parse(emptyJson.out)).toMatchObject({ written: [], skipped: 0 })
    // The app's and host's check (the same function) writes nothing either.
    const db2 = openManifest(lake2)
    try {
      expect(writeScheduledReports(db2, lake2, Date.now()).written).toEqual([])
    } finally {
      db2.close()
    }

    // Once the lake has done something (the real capture imported), the due reports are written.
    const src = (await convertedLake('spot-btcusdt-20240808')).root
    expect((await runBuilt(['--lake', lake2, 'import', src])).code).toBe(0)
    const first = await runBuilt(['--lake', lake2, '--json', 'report', 'progress', '--schedule'])
    expect(first.code, first.err).toBe(0)
    const a = JSON.parse(first.out) as ScheduleResult
    expect(a.written.map((w) => w.kind)).toEqual(['weekly', 'daily'])
    expect(a.nothingYet).toBeUndefined()
    const second = await runBuilt(['--lake', lake2, 'report', 'progress', '--schedule'])
    expect(second.out).toBe('scheduled progress reports: 0 written, 2 already there\n')
  })
})

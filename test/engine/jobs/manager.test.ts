// The job manager with the real built worker: jobs run in worker threads, report throttled progress,
// cancel, fail with a kind, and are recorded in the SQLite manifest across restarts.
import { afterEach, describe, expect, it } from 'vitest'
import type { JobProgress } from '../../../src-shared/jobs'
import type { ReplayCaptureResult } from '../../../src-shared/replay'
import { PROGRESS_INTERVAL_MS } from '../../../src-main/jobs/context'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import { builtWorkerPath } from '../../helpers/build'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

const open: { db: Db; jobs: JobManager }[] = []
function manager(lakeRoot = tempDir()): { db: Db; jobs: JobManager; lakeRoot: string } {
  const db = openManifest(lakeRoot)
  const jobs = new JobManager({ db, lakeRoot, workerPath: builtWorkerPath(), cancelGraceMs: 2000 })
  open.push({ db, jobs })
  return { db, jobs, lakeRoot }
}

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.jobs.shutdown()
    o.db.close()
  }
})

describe.skipIf(!hasCaptures)('JobManager', () => {
  it('runs a replay in a worker, throttles progress and records the outcome', async () => {
    const { jobs, lakeRoot } = manager()
    const progress: { at: number; p: JobProgress }[] = []
    const states: string[] = []
    jobs.subscribe({
      progress: (p) => progress.push({ at: performance.now(), p }),
      changed: (j) => states.push(j.state)
    })
    const id = jobs.start({
      kind: 'replay-capture',
      params: { files: captureFiles('usdm-btcusdt-20240718') }
    })
    const done = await jobs.wait(id)
    expect(done.state).toBe('done')
    expect(states).toEqual(['queued', 'running', 'done'])
    const r = done.result as ReplayCaptureResult
    expect(r.bbo.compared).toBe(625)
    expect(r.bbo.matched).toBe(625)
    expect(r.timeline).toContain(lakeRoot)
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.at(-1)?.p.total).toBeGreaterThan(0)
    // At most ~10 Hz: no more reports than intervals elapsed (plus the first and the final flush).
    const ranMs = Date.parse(done.endedAt ?? '') - Date.parse(done.startedAt ?? '')
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(ranMs / PROGRESS_INTERVAL_MS) + 2)
    expect(jobs.list().map((j) => j.id)).toContain(id)
  })

  it('cancels a running job by message', async () => {
    const { jobs } = manager()
    const id = jobs.start({
      kind: 'replay-capture',
      params: { files: captureFiles('spot-nexousdt-20240723'), timeline: false }
    })
    jobs.subscribe({
      progress: (p) => {
        if (p.jobId === id) jobs.cancel(id)
      }
    })
    const done = await jobs.wait(id)
    expect(done.state).toBe('cancelled')
    expect(done.error?.kind).toBe('cancelled')
  })

  it('fails a job with bad input with kind "input" and the file named', async () => {
    const { jobs } = manager()
    const id = jobs.start({ kind: 'replay-capture', params: { files: ['/no/such/capture.gz'] } })
    const done = await jobs.wait(id)
    expect(done.state).toBe('failed')
    expect(done.error).toEqual({
      kind: 'input',
      message: '/no/such/capture.gz: capture file not found'
    })
  })

  it('refuses a spec its schema refuses, whoever built it, and records nothing', () => {
    const { jobs } = manager()
    expect(() =>
      jobs.start({
        kind: 'export',
        params: { exchange: 'BINANCE', symbol: 'BTC-USDT', grid: '7x' }
      })
    ).toThrow(/invalid export job: .*expected a duration/s)
    expect(jobs.list()).toEqual([])
  })

  it('keeps history across restarts and marks jobs of a dead process interrupted', async () => {
    const first = manager()
    const id = first.jobs.start({ kind: 'replay-capture', params: { files: ['/no/such/file.gz'] } })
    await first.jobs.wait(id)
    // A job row left "running" by a process that no longer exists.
    first.db
      .prepare(
        "INSERT INTO jobs (id, kind, state, params, created_at, owner_pid) VALUES ('ghost', 'replay-capture', 'running', '{}', '2026-01-01T00:00:00Z', 2147483646)"
      )
      .run()
    const second = manager(first.lakeRoot)
    const list = second.jobs.list()
    expect(list.find((j) => j.id === id)?.state).toBe('failed')
    expect(list.find((j) => j.id === 'ghost')?.state).toBe('interrupted')
  })
})

// Backfill over the converted real spot capture (two days with data, a third without): the plan
// records day jobs in the manifest (the manifest's backfill tables), runs fail with
// their reason and resume after a restart, the dataset is certified once every day is done, and
// each day — replayed after a day of warm-up — is byte for byte the same as in one continuous
// export. Day jobs in worker threads (two at once) give the same bytes as in this thread.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { planBackfill } from '../../../src-main/export/backfillPlan'
import {
  backfillStatus,
  inThreadExecutor,
  runBackfill,
  workerExecutor
} from '../../../src-main/export/backfillRun'
import { BackfillStore } from '../../../src-main/export/backfillStore'
import { exportDataset } from '../../../src-main/export/exportJob'
import { labelOptions } from '../../../src-main/export/labels'
import { verifyDataset } from '../../../src-main/export/verify'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import type { BackfillPlanParams } from '../../../src-shared/export'
import { hasCaptures } from '../../helpers/data'
import { engineWorker } from '../../helpers/engineWorker'
import { SPOT, spotOptions, treeHashes, ungated } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

function manifest(): { lake: string; db: Db; store: BackfillStore } {
  const lake = tempDir('lakebook-backfill-lake-')
  const db = openManifest(lake)
  return { lake, db, store: new BackfillStore(db) }
}

describe.skipIf(!hasCaptures)('backfill', () => {
  let root = ''
  let continuous = ''
  const params = (out: string): BackfillPlanParams => ({
    root,
    ...SPOT,
    from: '2024-08-08',
    to: '2024-08-10',
    out,
    chunk: '1m',
    grid: '100ms',
    tables: ['events', 'book', 'features'],
    decodeWorkers: 0,
    // The backfill machinery on a vendor folder: no readiness gate, no fidelity comparison.
    ungated: true,
    fidelityReference: 'off'
  })

  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
    // With the default labels, as the backfill makes them over all its days once they are done.
    const o = spotOptions(root, {
      tables: { events: true, book: true, bookEvents: false, features: true },
      labels: labelOptions(undefined, undefined)
    })
    await exportDataset(o, ungated(o))
    continuous = o.out
  })

  it('plans day jobs, fails a day without data with its reason, resumes, certifies', async () => {
    const { lake, db, store } = manifest()
    const out = join(tempDir('lakebook-backfill-'), 'ds')
    const plan = planBackfill(params(out), { lakeRoot: lake, store })
    expect(plan.created).toBe(true)
    expect(plan.days).toBe(3)
    expect(plan.daysWithData).toBe(2)
    expect(plan.daysMissingLocally).toEqual(['2024-08-10'])
    expect(plan.input.rows).toBe(300_094 + 19_904 + 4_169)
    expect(plan.estimate.rateSource).toMatch(/assumed/)
    expect(plan.estimate.downloadBytes).toBeGreaterThan(0)
    expect(plan.estimate.seconds).toBeGreaterThan(0)
    expect(planBackfill(params(out), { lakeRoot: lake, store }).created).toBe(false)
    // A finished single export is never overwritten by day jobs.
    expect(() => planBackfill(params(continuous), { lakeRoot: lake, store })).toThrow(
      /holds a finished export/
    )

    // A day left running by a process that is gone.
    expect(store.claim(plan.id, 999_999_999, new Date().toISOString())).toBe('2024-08-08')
    const executor = inThreadExecutor({ lakeRoot: lake, workers: {} })
    const first = await runBackfill(store, plan.id, {
      parallel: 1,
      executor,
      gates: { lakeRoot: lake }
    })
    expect(first.counts).toEqual({ queued: 0, running: 0, done: 2, failed: 1 })
    const failed = first.dayList.find((d) => d.state === 'failed')
    expect(failed?.day).toBe('2024-08-10')
    expect(failed?.reason).toMatch(/no book_delta_v2 files/)
    expect(first.dayList.find((d) => d.day === '2024-08-08')?.attempts).toBe(2)
    expect(first.certificate).toBeNull()

    // Restarted with the missing day accepted as a gap: certified.
    const second = await runBackfill(store, plan.id, {
      parallel: 1,
      executor,
      retryFailed: true,
      acceptMissing: true,
      gates: { lakeRoot: lake }
    })
    expect(second.counts.done).toBe(3)
    expect(second.progress).toBe(1)
    expect(second.etaSeconds).toBe(0)
    expect(second.rowsPerSecond).toBeGreaterThan(0)
    expect(second.certificate).toBe(join(out, 'certificate.json'))
    const v = await verifyDataset(out)
    expect(v.problems).toEqual([])

    // Each day equals the continuous export's day (one day of warm-up carried the book), and so
    // do the labels made over the finished days: per-day jobs and one continuous run give the
    // same labels byte for byte, across midnight too.
    const skip = ['certificate.json', '_export', '_days', '_work']
    const files = treeHashes(out, skip)
    expect([...files.keys()].filter((f) => f.startsWith('labels/')).length).toBeGreaterThan(10)
    expect(files).toEqual(treeHashes(continuous, skip))
    const cert = JSON.parse(readFileSync(join(out, 'certificate.json'), 'utf8')) as {
      labels: { horizons: string[]; perHorizon: unknown }
    }
    const single = JSON.parse(readFileSync(join(continuous, 'certificate.json'), 'utf8')) as {
      labels: unknown
    }
    expect(cert.labels).toEqual(single.labels)
    // The next plan's estimate uses the measured rate.
    expect(store.measuredRates().rowsPerSecond).toBeGreaterThan(0)
    expect(backfillStatus(store, plan.id).counts.done).toBe(3)
    db.close()
  })

  it('runs day jobs in worker threads, two at once, to the same bytes', async () => {
    const { lake, db, store } = manifest()
    const out = join(tempDir('lakebook-backfill-w-'), 'ds')
    const plan = planBackfill({ ...params(out), to: '2024-08-09' }, { lakeRoot: lake, store })
    const s = await runBackfill(store, plan.id, {
      parallel: 2,
      executor: workerExecutor(engineWorker('export-day'), lake),
      gates: { lakeRoot: lake }
    })
    expect(s.counts.done).toBe(2)
    expect(s.certificate).not.toBeNull()
    const skip = ['certificate.json', '_export', '_days', '_work']
    expect(treeHashes(out, skip)).toEqual(treeHashes(continuous, skip))
    db.close()
  })
})

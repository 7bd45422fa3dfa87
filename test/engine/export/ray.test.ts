// Backfill day jobs on a local Ray cluster (ray/driver.py, two worker CPUs), on the converted REAL
// spot capture: the dataset is byte-identical to a local backfill of the same plan; a day task
// whose process is killed mid-day is retried by Ray, resumes from its checkpoint and still ends
// identical; a plan file that does not hold the day and an unreachable cluster are one sentence
// each, with nothing published.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { planBackfill } from '../../../src-main/export/backfillPlan'
import { planFileOf, writePlanFile } from '../../../src-main/export/backfillPlanFile'
import { inThreadExecutor, runBackfill } from '../../../src-main/export/backfillRun'
import { BackfillStore } from '../../../src-main/export/backfillStore'
import { rayRun } from '../../../src-main/export/rayExecutor'
import { openManifest } from '../../../src-main/lake/manifest'
import type { BackfillPlanParams } from '../../../src-shared/export'
import { OUT, ROOT, runBuilt } from '../../helpers/build'
import { hasCaptures } from '../../helpers/data'
import { SPOT, treeHashes } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'
import { hasPython } from '../../helpers/python'
import { tempDir } from '../../helpers/synthetic'

const python = process.env['LAKEBOOK_PYTHON'] ?? ''
const hasRay =
  hasPython &&
  (() => {
    try {
      execFileSync(python, ['-c', 'import ray'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
if (process.env['CI'] === 'true' && !hasRay)
  throw new Error(
    `*** Ray is missing for ${python || 'LAKEBOOK_PYTHON (unset)'}: bash .ci/run installs it ***`
  )

const CLI = join(OUT, 'main', 'cli.js')
const DRIVER = join(ROOT, 'ray', 'driver.py')
const SKIP = ['certificate.json', '_days', '_work']

describe.skipIf(!hasCaptures || !hasRay)('backfill on a local Ray cluster', () => {
  let root = ''
  const lake = tempDir('lakebook-ray-lake-')
  const params = (out: string): BackfillPlanParams => ({
    root,
    ...SPOT,
    from: '2024-08-08',
    to: '2024-08-09',
    out,
    chunk: '1m',
    grid: '100ms',
    tables: ['events', 'book', 'features'],
    decodeWorkers: 0,
    labels: 'off',
    ungated: true,
    fidelityReference: 'off'
  })
  let local = ''

  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
    const db = openManifest(lake)
    const store = new BackfillStore(db)
    local = join(tempDir('lakebook-ray-local-'), 'ds')
    const plan = planBackfill(params(local), { lakeRoot: lake, store })
    const s = await runBackfill(store, plan.id, {
      parallel: 1,
      executor: inThreadExecutor({ lakeRoot: lake, workers: {} }),
      gates: { lakeRoot: lake }
    })
    expect(s.counts.done).toBe(2)
    db.close()
  })

  async function rayBackfill(out: string, onDay?: (day: string) => void) {
    const db = openManifest(lake)
    const store = new BackfillStore(db)
    try {
      const plan = planBackfill(params(out), { lakeRoot: lake, store })
      const planPath = writePlanFile(planFileOf(store.get(plan.id), lake))
      const ray = rayRun({
        python,
        driver: DRIVER,
        planPath,
        node: process.execPath,
        cli: CLI,
        retries: 2,
        cpus: 2,
        log: () => undefined
      })
      const executor = ray.executor
      const status = await runBackfill(store, plan.id, {
        parallel: 10,
        executor: (p, signal, progress) => {
          onDay?.(p.day)
          return executor(p, signal, progress)
        },
        gates: { lakeRoot: lake }
      }).finally(() => ray.close())
      return { status, planPath }
    } finally {
      db.close()
    }
  }

  it('writes the same bytes as the local backfill of the same plan', async () => {
    const out = join(tempDir('lakebook-ray-'), 'ds')
    const { status } = await rayBackfill(out)
    expect(status.counts).toEqual({ queued: 0, running: 0, done: 2, failed: 0 })
    expect(status.certificate).toBe(join(out, 'certificate.json'))
    const files = treeHashes(out, SKIP)
    expect(files.size).toBeGreaterThan(10)
    expect(files).toEqual(treeHashes(local, SKIP))
    // The day certificates agree too, apart from where the dataset is.
    for (const day of ['2024-08-08', '2024-08-09']) {
      const a = readFileSync(join(out, '_days', `${day}.json`), 'utf8').replaceAll(out, '<ds>')
      const b = readFileSync(join(local, '_days', `${day}.json`), 'utf8').replaceAll(local, '<ds>')
      const runs = (t: string): unknown => (JSON.parse(t) as { runs: unknown }).runs
      expect(runs(a)).toEqual(runs(b))
    }
  })

  it('retries a day task killed mid-day and still ends identical', async () => {
    const out = join(tempDir('lakebook-ray-kill-'), 'ds')
    let killed = false
    const killer = setInterval(() => {
      if (killed) return
      // The day job's own process (node … backfill day … --day 2024-08-09), once it has a checkpoint.
      if (!existsSync(join(out, '_work', '2024-08-09', 'checkpoint.json'))) return
      try {
        execFileSync('pkill', ['-KILL', '-f', `backfill day --plan ${out}.*--day 2024-08-09`])
        killed = true
      } catch {
        // not running (yet, or already done)
      }
    }, 20)
    const { status } = await rayBackfill(out).finally(() => {
      clearInterval(killer)
    })
    expect(killed).toBe(true)
    expect(status.counts.done).toBe(2)
    expect(treeHashes(out, SKIP)).toEqual(treeHashes(local, SKIP))
  })

  it('refuses a day the plan does not hold, and an unreachable cluster, publishing nothing', async () => {
    const out = join(tempDir('lakebook-ray-bad-'), 'ds')
    const db = openManifest(lake)
    const store = new BackfillStore(db)
    const plan = planBackfill(params(out), { lakeRoot: lake, store })
    const planPath = writePlanFile(planFileOf(store.get(plan.id), lake))
    const wrong = await runBuilt(['backfill', 'day', '--plan', planPath, '--day', '2024-08-11'])
    expect(wrong.code).toBe(2)
    expect(wrong.err.trim()).toBe(
      `lakebook: ${planPath}: day 2024-08-11 is not in the plan (2024-08-08 … 2024-08-09, 2 days)`
    )
    // A plan whose inputs are not where it says (a day missing on a worker): one sentence, no output.
    const moved = join(tempDir('lakebook-ray-moved-'), 'ds')
    const elsewhere = writePlanFile({
      ...planFileOf(store.get(plan.id), lake),
      dataset: moved,
      settings: {
        ...planFileOf(store.get(plan.id), lake).settings,
        root: tempDir('lakebook-ray-empty-')
      }
    })
    const missing = await runBuilt(['backfill', 'day', '--plan', elsewhere, '--day', '2024-08-09'])
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(
      /^lakebook: nothing to do: no book_delta_v2 files for BINANCE BTC-USDT between 2024-08-09 and 2024-08-09 under /
    )
    expect(existsSync(join(moved, 'events'))).toBe(false)
    const ray = rayRun({
      python,
      driver: DRIVER,
      planPath,
      node: process.execPath,
      cli: CLI,
      address: '127.0.0.1:1',
      retries: 0,
      log: () => undefined
    })
    const s = await runBackfill(store, plan.id, {
      parallel: 10,
      executor: ray.executor,
      gates: { lakeRoot: lake }
    }).finally(() => ray.close())
    db.close()
    expect(s.counts.failed).toBe(2)
    for (const d of s.dayList)
      expect(d.reason).toMatch(/^the Ray cluster at 127\.0\.0\.1:1 cannot be reached: /)
    expect(s.certificate).toBeNull()
    expect(existsSync(join(out, 'certificate.json'))).toBe(false)
    expect(existsSync(join(out, 'events'))).toBe(false)
  })
})

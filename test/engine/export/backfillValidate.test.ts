// backfill --validate on Crypto Lake files converted from the REAL spot BTCUSDT capture (two
// days): each day job validates its staged files in its own read, and once every day is done the
// verdicts are settled, the range certified and the dataset judged. Against a separate validate
// + certify + backfill of the same files in another lake it must leave the same file verdicts,
// findings and gate records, the same readiness verdict and the same dataset bytes. A file whose
// bytes differ from the import record stays in staging and the dataset is not certified; a file
// touched after its day job is validated on its own at the end, never judged by a stale verdict.
import { copyFileSync, existsSync, readFileSync, rmSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { planBackfill } from '../../../src-main/export/backfillPlan'
import { dayGatePath } from '../../../src-main/export/backfillPaths'
import { inThreadExecutor, runBackfill, workerExecutor } from '../../../src-main/export/backfillRun'
import { BackfillStore } from '../../../src-main/export/backfillStore'
import { GateStore } from '../../../src-main/gates/store'
import { manifestLookup } from '../../../src-main/export/inputs'
import { certifyLake, validateLake } from '../../../src-main/validate'
import {
  backfillIncomplete,
  type BackfillPlanParams,
  type BackfillStatusView
} from '../../../src-shared/export'
import { hasCaptures } from '../../helpers/data'
import { engineWorker } from '../../helpers/engineWorker'
import { SPOT, treeHashes } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'
import { readRaw, writeLake } from '../../helpers/parquetVariants'
import { tempDir } from '../../helpers/synthetic'
import {
  lakeWithManifest,
  manifestRows,
  parquetUnder,
  stagedCaptureLake
} from '../validate/helpers'

const D8 = '2024-08-08'
const D9 = '2024-08-09'
const NOW = (): Date => new Date('2026-01-02T03:04:05.000Z')

type Lake = ReturnType<typeof lakeWithManifest>

describe.skipIf(!hasCaptures)('backfill --validate: the gate in the day jobs’ read', () => {
  let vendor = ''

  beforeAll(async () => {
    vendor = (await convertedLake('spot-btcusdt-20240808')).root
  }, 120_000)

  const stagedLake = (): Promise<Lake> => stagedCaptureLake(vendor, 'lakebook-bfgate-', NOW)

  const params = (over: Partial<BackfillPlanParams> = {}): BackfillPlanParams => ({
    ...SPOT,
    from: D8,
    to: D9,
    out: join(tempDir('lakebook-bfgate-ds-'), 'ds'),
    chunk: '1m',
    grid: '1s',
    tables: ['events', 'book'],
    decodeWorkers: 0,
    fidelityReference: 'off',
    ...over
  })

  /** Plans and runs a backfill in this thread, the gate's messages collected. */
  const backfill = async (
    lake: Lake,
    p: BackfillPlanParams,
    o: { between?: () => void; inWorkers?: boolean } = {}
  ): Promise<{ status: BackfillStatusView; logs: string[]; plan: { id: string } }> => {
    const { between } = o
    const store = new BackfillStore(lake.db)
    const plan = planBackfill(p, { lakeRoot: lake.root, store })
    const logs: string[] = []
    const gates = {
      lakeRoot: lake.root,
      decisions: new GateStore(lake.db),
      validation: lake.store,
      log: (_level: string, m: string) => {
        logs.push(m)
      }
    }
    const executor =
      o.inWorkers === true
        ? workerExecutor(engineWorker('export-day'), lake.root)
        : inThreadExecutor({
            lakeRoot: lake.root,
            workers: {},
            manifest: manifestLookup(lake.db),
            validation: lake.store
          })
    const parallel = o.inWorkers === true ? 2 : 1
    if (between) {
      // The day jobs first (the settlement stopped by a cancel), then the change, then the end.
      const stop = new AbortController()
      await runBackfill(store, plan.id, {
        parallel,
        executor: async (d, s, on) => {
          const r = await executor(d, s, on)
          if (d.day === D9) stop.abort()
          return r
        },
        signal: stop.signal,
        gates
      }).catch(() => undefined)
      between()
    }
    const status = await runBackfill(store, plan.id, { parallel, executor, gates })
    return { status, logs, plan }
  }

  const separate = async (lake: Lake): Promise<void> => {
    const env = { lakeRoot: lake.root, store: lake.store, now: NOW }
    await validateLake({}, { ...env, runId: 'job-1' })
    await certifyLake({ from: D8, to: D9 }, { ...env, runId: 'job-1-certify' })
  }

  /** The verdict rows without their run ids and times (the runs are named differently). */
  const verdicts = (lake: Lake): Record<string, unknown> =>
    JSON.parse(
      JSON.stringify(manifestRows(lake.db), (k, v: unknown) =>
        k.endsWith('_at') || k.endsWith('run_id') ? 0 : v
      )
        .split(lake.root)
        .join('<lake>')
    ) as Record<string, unknown>

  const certOf = (
    status: BackfillStatusView
  ): { certified: boolean; gates: unknown; notCertifiedBecause: unknown } =>
    JSON.parse(readFileSync(status.certificate ?? '', 'utf8')) as {
      certified: boolean
      gates: unknown
      notCertifiedBecause: unknown
    }

  it('leaves the verdicts, the readiness gate and the dataset of a separate validate + certify + backfill', async () => {
    const a = await stagedLake()
    const b = await stagedLake()
    await separate(a)
    const ra = await backfill(a, params())
    // Two day jobs at once in worker threads, as `backfill run --parallel 2` runs them: both
    // read 08-08 (the second as its warm-up day) while nothing moves.
    const rb = await backfill(b, params({ validate: true }), { inWorkers: true })

    expect(rb.status.counts).toMatchObject({ done: 2, failed: 0 })
    for (const k of ['files', 'findings', 'gate']) expect(verdicts(b)[k], k).toEqual(verdicts(a)[k])
    expect(parquetUnder(join(b.root, 'staging'))).toEqual([])
    expect(parquetUnder(join(b.root, 'ready'))).toHaveLength(6)
    // Every staged file was judged in a day job's read; none read again for the gate.
    expect(rb.logs.join('\n')).toMatch(
      /0 passed, 6 with warnings, 0 failed; 6 promoted to ready\/; 6 verdict\(s\) from the day jobs, 0 file\(s\) validated on their own; readiness certificate pass/
    )
    expect(existsSync(dayGatePath(rb.status.dataset, D9))).toBe(true)
    // The settlement as `backfill status` and the app show it; none for the three-step backfill.
    expect(rb.status.gate).toMatchObject({
      counts: { pass: 0, warn: 6, fail: 0 },
      promoted: 6,
      kept: [],
      reused: 6,
      validatedApart: 0,
      certificate: { verdict: 'pass' }
    })
    expect(ra.status.gate).toBeNull()
    expect(backfillIncomplete(rb.status)).toBe(false)
    const ca = certOf(ra.status)
    const cb = certOf(rb.status)
    // Not certified in either lake for the same reasons (this test machine has no go/no-go
    // report, and the fidelity comparison is off), with the readiness gate passed in both.
    expect(cb.certified).toBe(ca.certified)
    expect(cb.notCertifiedBecause).toEqual(ca.notCertifiedBecause)
    // The readiness certificates differ only by their time (and so their hash): compared below.
    const gatesOf = (c: { gates: unknown }, lake: Lake): unknown =>
      JSON.parse(
        JSON.stringify(c.gates, (_k, v: unknown) =>
          (v as { kind?: string } | null)?.kind === 'readiness-certificate'
            ? { ...(v as object), sha256: 0 }
            : v
        )
          .split(lake.root)
          .join('<lake>')
      )
    expect(gatesOf(cb, b)).toEqual(gatesOf(ca, a))
    expect(gatesOf(cb, b)).toMatchObject({ readiness: { verdict: 'pass' } })
    const readiness = (lake: Lake): unknown => {
      const file = join(lake.root, 'certificates', `certificate-BINANCE-BTC-USDT-${D8}_${D9}.json`)
      const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      return { ...c, generatedAt: 0, contentSha256: 0 }
    }
    expect(readiness(b)).toEqual(readiness(a))
    // The dataset's bytes: the same parts and the same certificate-free tree.
    const skip = ['_export', '_days', 'certificate.json']
    expect(treeHashes(rb.status.dataset, skip)).toEqual(treeHashes(ra.status.dataset, skip))
    a.db.close()
    b.db.close()
  }, 300_000)

  it('keeps a changed file in staging (dataset not certified) and never reuses a verdict for a touched file', async () => {
    const lake = await stagedLake()
    const trades = join(
      lake.root,
      'staging',
      'trades',
      'exchange=BINANCE',
      'symbol=BTC-USDT',
      `dt=${D8}`,
      '1.snappy.parquet'
    )
    // The same rows in other row groups: a valid file whose bytes are not the imported ones.
    const rewritten = join(tempDir(), 'trades.parquet')
    const meta = { date: D8, containsGaps: false, symbol: 'BTC-USDT', exchange: 'BINANCE' }
    await writeLake(rewritten, 'trades', meta, await readRaw(trades, 'trades'), 4_000)
    rmSync(trades)
    copyFileSync(rewritten, trades)
    const book = trades.replace('/trades/', '/book/')
    const r = await backfill(lake, params({ validate: true }), {
      between: () => {
        // Touched after its day job: its kept verdict no longer speaks for it.
        const t = new Date('2025-01-01T00:00:00Z')
        utimesSync(book, t, t)
      }
    })
    const log = r.logs.join('\n')
    expect(log).toMatch(/5 verdict\(s\) from the day jobs, 1 file\(s\) validated on their own/)
    expect(log).toMatch(/kept in staging: staging\/trades\/.*integrity\.sha256: differs/)
    expect(log).toMatch(/readiness certificate fail/)
    expect(parquetUnder(join(lake.root, 'staging'))).toEqual([
      `trades/exchange=BINANCE/symbol=BTC-USDT/dt=${D8}/1.snappy.parquet`
    ])
    expect(certOf(r.status).certified).toBe(false)
    expect(r.status.gate).toMatchObject({
      counts: { fail: 1 },
      reused: 5,
      validatedApart: 1,
      kept: [{ path: `staging/trades/exchange=BINANCE/symbol=BTC-USDT/dt=${D8}/1.snappy.parquet` }],
      certificate: { verdict: 'fail' }
    })
    // `backfill run` exits 3 for it, as `export` does for a dataset it cannot certify.
    expect(backfillIncomplete(r.status)).toBe(true)
    lake.db.close()
  }, 300_000)

  it('reads a warm-up day already through the gate from ready/ (the next month of a backfill)', async () => {
    // 08-08 validated and certified before (last month's backfill), 08-09 still staged.
    const month = async (lake: Lake): Promise<void> => {
      const env = { lakeRoot: lake.root, store: lake.store, now: NOW }
      await validateLake({ from: D8, to: D8 }, { ...env, runId: 'last-month' })
      await certifyLake({ from: D8, to: D8 }, { ...env, runId: 'last-month-certify' })
    }
    const a = await stagedLake()
    const b = await stagedLake()
    await month(a)
    await month(b)
    const env = { lakeRoot: a.root, store: a.store, now: NOW }
    await validateLake({ from: D9, to: D9 }, { ...env, runId: 'job-1' })
    await certifyLake({ from: D9, to: D9 }, { ...env, runId: 'job-1-certify' })
    const ra = await backfill(a, params({ from: D9 }))
    const rb = await backfill(b, params({ from: D9, validate: true }))
    expect(rb.logs.join('\n')).toMatch(
      /0 failed; 3 promoted to ready\/; 3 verdict\(s\) from the day jobs, 0 file\(s\) validated on their own; readiness certificate pass/
    )
    expect(parquetUnder(join(b.root, 'staging'))).toEqual([])
    expect(certOf(rb.status).certified).toBe(certOf(ra.status).certified)
    expect(certOf(rb.status).notCertifiedBecause).toEqual(certOf(ra.status).notCertifiedBecause)
    const skip = ['_export', '_days', 'certificate.json']
    // The day was carried in by the same warm-up day: the same bytes as the three-step backfill.
    expect(treeHashes(rb.status.dataset, skip)).toEqual(treeHashes(ra.status.dataset, skip))
    const inputs = (st: BackfillStatusView): unknown =>
      (JSON.parse(readFileSync(st.certificate ?? '', 'utf8')) as { inputs: unknown }).inputs
    expect(inputs(rb.status)).toEqual(inputs(ra.status))
    a.db.close()
    b.db.close()
  }, 300_000)

  it('refuses at plan time what one pass cannot do, in plain sentences', async () => {
    const lake = await stagedLake()
    const store = new BackfillStore(lake.db)
    const plan = (p: BackfillPlanParams) => () => planBackfill(p, { lakeRoot: lake.root, store })
    expect(plan(params({ validate: true, root: vendor }))).toThrow(
      /--validate backfills the lake's own staged files/
    )
    expect(plan(params({ validate: true, ungated: true }))).toThrow(
      /--validate and --ungated do not go together/
    )
    await validateLake({}, { lakeRoot: lake.root, store: lake.store, runId: 'v' })
    expect(plan(params({ validate: true }))).toThrow(/staging\/ holds none of BINANCE BTC-USDT/)
    lake.db.close()
  }, 120_000)
})

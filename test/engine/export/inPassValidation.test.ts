// export --validate on Crypto Lake files converted from the REAL spot BTCUSDT capture (two days):
// the gate runs on the export's own read of the staged files. Against a separate validate +
// certify + export of the same files in another lake it must leave the same manifest rows (every
// run, file verdict, finding and gate record), the same readiness certificate and the same
// dataset — with the decode worker in one lake and without it in the other. A file that fails a
// rule (its bytes differ from the import record) gets the same verdict as a separate validate
// and leaves the dataset not certified; a file the replay cannot read stops the export with a
// sentence naming it, and the range's verdicts are recorded as a separate validate records them.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ExportParams } from '../../../src-shared/export'
import type { Certificate } from '../../../src-shared/validate'
import { exportDataset, exportOptions, runExportJob } from '../../../src-main/export/exportJob'
import { InPassValidation } from '../../../src-main/export/validatedExport'
import { GateStore } from '../../../src-main/gates/store'
import { certifyLake, validateLake } from '../../../src-main/validate'
import { hasCaptures } from '../../helpers/data'
import { engineWorker } from '../../helpers/engineWorker'
import { convertedLake } from '../../helpers/lake'
import { readRaw, writeLake } from '../../helpers/parquetVariants'
import { tempDir } from '../../helpers/synthetic'
import {
  fakeContext,
  lakeWithManifest,
  manifestRows,
  parquetUnder,
  stagedCaptureLake
} from '../validate/helpers'

const D8 = '2024-08-08'
const D9 = '2024-08-09'
const SEL = { exchange: 'BINANCE', symbol: 'BTC-USDT', from: D8, to: D9 }
const NOW = (): Date => new Date('2026-01-02T03:04:05.000Z')
const PARAMS: ExportParams = { ...SEL, grid: '1s', tables: ['events', 'book'] }

type Lake = ReturnType<typeof lakeWithManifest>

describe.skipIf(!hasCaptures)('export --validate: the gate in the export’s read', () => {
  let vendor = ''

  beforeAll(async () => {
    vendor = (await convertedLake('spot-btcusdt-20240808')).root
  }, 120_000)

  /** A lake with the converted files in staging (short days accepted, as in every report). */
  const stagedLake = (): Promise<Lake> => stagedCaptureLake(vendor, 'lakebook-inpass-', NOW)

  /** The manifest rows with the lake's own folder written as <lake>. */
  const rowsOf = (lake: Lake): unknown =>
    JSON.parse(JSON.stringify(manifestRows(lake.db)).split(lake.root).join('<lake>'))

  const stagedTrades = (lake: Lake): string =>
    join(lake.root, 'staging', 'trades', 'exchange=BINANCE', 'symbol=BTC-USDT', `dt=${D8}`)

  /**
   * The same rows in other row groups, the same bytes in both lakes: a valid file whose bytes
   * are not the imported ones.
   */
  const rewriteTrades = async (...lakes: Lake[]): Promise<void> => {
    const meta = { date: D8, containsGaps: false, symbol: 'BTC-USDT', exchange: 'BINANCE' }
    const first = join(stagedTrades(lakes[0] as Lake), '1.snappy.parquet')
    const rewritten = join(tempDir(), 'trades.parquet')
    await writeLake(rewritten, 'trades', meta, await readRaw(first, 'trades'), 4_000)
    for (const lake of lakes) {
      const p = join(stagedTrades(lake), '1.snappy.parquet')
      rmSync(p)
      copyFileSync(rewritten, p)
    }
  }

  const separate = async (lake: Lake): Promise<void> => {
    const env = { lakeRoot: lake.root, store: lake.store, now: NOW }
    await validateLake({}, { ...env, runId: 'job-1' })
    await certifyLake({ from: D8, to: D9 }, { ...env, runId: 'job-1-certify' })
  }

  const inPass = (lake: Lake): Promise<InPassValidation> =>
    InPassValidation.open(
      { exchange: SEL.exchange, symbol: SEL.symbol, readFrom: D8, from: D8, to: D9 },
      { lakeRoot: lake.root, store: lake.store, runId: 'job-1', now: NOW }
    )

  const gates = (lake: Lake) => ({
    lakeRoot: lake.root,
    fidelity: 'off',
    decisions: new GateStore(lake.db)
  })

  it('leaves the manifest, the readiness certificate and the dataset of a separate validate + certify + export', async () => {
    const a = await stagedLake()
    const b = await stagedLake()
    await separate(a)
    const oa = exportOptions(PARAMS, a.root, {}, { out: tempDir('lakebook-inpass-a-') })
    const ra = await exportDataset(oa, { gates: gates(a) })

    const validate = await inPass(b)
    const ob = exportOptions({ ...PARAMS, validate: true }, b.root, {
      decode: engineWorker('decode')
    })
    expect(ob.decodeWorkers).toBe(1)
    const rb = await exportDataset(
      { ...ob, out: tempDir('lakebook-inpass-b-') },
      { gates: gates(b), validate }
    )

    expect(rowsOf(b)).toEqual(rowsOf(a))
    const cert = (lake: Lake): Certificate =>
      JSON.parse(
        readFileSync(
          join(lake.root, 'certificates', `certificate-BINANCE-BTC-USDT-${D8}_${D9}.json`),
          'utf8'
        )
      ) as Certificate
    expect(cert(b).verdict).toBe('pass')
    expect(cert(b).contentSha256).toBe(cert(a).contentSha256)

    expect(rb.result.outputHash).toBe(ra.result.outputHash)
    expect(rb.result.outputs).toEqual(ra.result.outputs)
    expect(rb.result.gates).toEqual(ra.result.gates)
    expect(rb.result.gates?.readiness).toBe('pass')
    expect(rb.result.validation?.counts.fail).toBe(0)
    expect(rb.result.validation).toMatchObject({
      promoted: 6,
      kept: [],
      validatedApart: 0,
      certificate: { verdict: 'pass' }
    })
    expect(parquetUnder(join(b.root, 'staging'))).toEqual([])
    expect(parquetUnder(join(b.root, 'ready'))).toHaveLength(6)
    // The dataset's inputs are where the gate put them: verify-dataset finds them in ready/.
    expect(rb.run.inputs.map((f) => f.path)).toEqual(ra.run.inputs.map((f) => f.path))
    a.db.close()
    b.db.close()
  }, 240_000)

  it('gives a file whose bytes changed the verdict a separate validate gives it, and the dataset is not certified', async () => {
    const a = await stagedLake()
    const b = await stagedLake()
    await rewriteTrades(a, b)
    await separate(a)
    const ctx = fakeContext(b.root, 'job-1')
    // Through the job, as the CLI and the app run it.
    const r = await runExportJob(
      { ...PARAMS, validate: true, fidelityReference: 'off', out: tempDir('lakebook-inpass-c-') },
      ctx
    )
    // The job records at the clock's time: every row but its times.
    const untimed = (lake: Lake): Record<string, unknown> =>
      JSON.parse(
        JSON.stringify(rowsOf(lake), (k, v: unknown) => (k.endsWith('_at') ? 0 : v))
      ) as Record<string, unknown>
    const rowsA = untimed(a)
    const rowsB = untimed(b)
    expect(rowsB['files']).toEqual(rowsA['files'])
    expect(rowsB['findings']).toEqual(rowsA['findings'])
    expect(rowsB['gate']).toEqual(rowsA['gate'])
    expect(r.validation?.counts.fail).toBe(1)
    expect(r.validation?.kept).toEqual([
      {
        path: `staging/trades/exchange=BINANCE/symbol=BTC-USDT/dt=${D8}/1.snappy.parquet`,
        reasons: [expect.stringMatching(/^integrity\.sha256: differs from the manifest/)]
      }
    ])
    expect(r.certified).toBe(false)
    expect(r.gates?.readiness).toBe('fail')
    expect(ctx.logs.join('\n')).toMatch(/kept in staging: staging\/trades.*integrity\.sha256/)
    expect(parquetUnder(stagedTrades(b))).toEqual(['1.snappy.parquet'])
    a.db.close()
    b.db.close()
  }, 240_000)

  it('stops on a file the replay cannot read, names it, and records the verdicts a separate validate records', async () => {
    const a = await stagedLake()
    const b = await stagedLake()
    for (const lake of [a, b]) {
      const p = join(
        lake.root,
        'staging',
        'book_delta_v2',
        'exchange=BINANCE',
        'symbol=BTC-USDT',
        `dt=${D9}`,
        '1.snappy.parquet'
      )
      const bytes = readFileSync(p)
      // The import hard-links the converted files: unlink first, so only this lake's copy changes.
      rmSync(p)
      writeFileSync(p, bytes.subarray(0, bytes.length >> 1))
    }
    await validateLake({}, { lakeRoot: a.root, store: a.store, runId: 'job-1', now: NOW })
    const validate = await inPass(b)
    const o = exportOptions({ ...PARAMS, validate: true }, b.root, {}, { out: tempDir() })
    await expect(exportDataset(o, { gates: gates(b), validate })).rejects.toThrow(
      new RegExp(
        `dt=${D9}/1\\.snappy\\.parquet.*the staged files were validated on their own: \\d+ passed, \\d+ with warnings, 1 failed \\(staging/book_delta_v2/.*integrity\\.envelope`
      )
    )
    expect(rowsOf(b)).toEqual(rowsOf(a))
    a.db.close()
    b.db.close()
  }, 240_000)

  it('resumed after a cancel, validates on their own the files it read before, with the same verdicts', async () => {
    const a = await stagedLake()
    const b = await stagedLake()
    await separate(a)
    const oa = exportOptions({ ...PARAMS, chunk: '30s' }, a.root, {}, { out: tempDir() })
    const ra = await exportDataset(oa, { gates: gates(a) })
    const out = tempDir('lakebook-inpass-resume-')
    const stop = new AbortController()
    const first = exportOptions(
      { ...PARAMS, chunk: '30s', validate: true },
      b.root,
      {},
      {
        out,
        signal: stop.signal,
        onProgress: (p) => {
          if (p.phase === 'exporting' && p.done > p.total / 4) stop.abort()
        }
      }
    )
    await expect(
      exportDataset(first, { gates: gates(b), validate: await inPass(b) })
    ).rejects.toThrow(/cancel/i)
    // Nothing was settled: the files still wait in staging, no verdict recorded.
    expect(parquetUnder(join(b.root, 'staging'))).toHaveLength(6)
    const again = exportOptions({ ...PARAMS, chunk: '30s', validate: true }, b.root, {}, { out })
    const rb = await exportDataset(again, { gates: gates(b), validate: await inPass(b) })
    expect(rb.run.run.resumedFromChunk).not.toBeNull()
    // The capture's days are minutes long: the checkpoint lies inside every file, so each is
    // validated on its own here; a file the resumed run reads from its first row is not.
    expect(rb.result.validation?.validatedApart).toBeGreaterThan(0)
    expect(rowsOf(b)).toEqual(rowsOf(a))
    expect(rb.result.outputHash).toBe(ra.result.outputHash)
    expect(rb.result.gates?.readiness).toBe('pass')
    a.db.close()
    b.db.close()
  }, 240_000)

  it('refuses what one pass cannot do, in plain sentences', async () => {
    const lake = await stagedLake()
    await validateLake({}, { lakeRoot: lake.root, store: lake.store, runId: 'v' })
    await expect(inPass(lake)).rejects.toThrow(/staging\/ holds none of BINANCE BTC-USDT/)
    lake.db.close()
    const staged = await stagedLake()
    // A stop that is not a staged file's refusal (the disk guard, say) is passed on as it is:
    // nothing validated apart, nothing recorded, the checkpoint left to resume from.
    const before = rowsOf(staged)
    const disk = new Error('the disk holding /elsewhere has 100 MB free')
    expect(await (await inPass(staged)).afterFailure(disk)).toBe(disk)
    expect(rowsOf(staged)).toEqual(before)
    const ctx = fakeContext(staged.root)
    await expect(
      runExportJob({ ...PARAMS, validate: true, root: vendor, out: tempDir() }, ctx)
    ).rejects.toThrow(/--validate exports the lake's own staged files/)
    await expect(
      runExportJob({ ...PARAMS, validate: true, ungated: true, out: tempDir() }, ctx)
    ).rejects.toThrow(/--validate and --ungated do not go together/)
    staged.db.close()
  }, 120_000)
})

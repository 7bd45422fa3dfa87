// The gate on several cores gives what it gives on one: Crypto Lake files converted from REAL
// captures (spot BTCUSDT over two days, USD-M BTCUSDT) and the vendor-writer files, each imported
// into two lakes and validated serially in one and on 2 and 3 worker threads in the other (the
// worker role run from the sources). The run result, every finding and every manifest row must
// be identical, apart from the recorded `workers` parameter. The bad-input corpus makes the same
// comparison file by file (corpus.test.ts). A cancel and a worker that dies end the run cleanly.
import { describe, expect, it } from 'vitest'
import type { ValidateParams } from '../../../src-shared/validate'
import {
  importToStaging,
  mergeThresholds,
  selectionOf,
  validateLake,
  zoneFiles,
  type GateFile
} from '../../../src-main/validate'
import { gateWorkerCount } from '../../../src-main/validate/gate'
import { validateInWorkers } from '../../../src-main/validate/parallel'
import { CancelledError } from '../../../src-main/util/errors'
import { hasCaptures } from '../../helpers/data'
import { engineWorker } from '../../helpers/engineWorker'
import { convertedLake, vendorWriterLake } from '../../helpers/lake'
import { lakeWithManifest, manifestRows } from './helpers'

const NOW = (): Date => new Date('2026-01-02T03:04:05.000Z')

async function gateRun(
  src: string,
  params: ValidateParams,
  workers: number | null
): Promise<{ result: unknown; rows: unknown }> {
  const lake = lakeWithManifest('lakebook-parallel-')
  await importToStaging({ dir: src }, { lakeRoot: lake.root, store: lake.store, now: NOW })
  const r = await validateLake(workers === null ? params : { ...params, workers }, {
    lakeRoot: lake.root,
    store: lake.store,
    runId: 'same-run',
    now: NOW,
    ...(workers === null ? {} : { validateWorker: engineWorker('validate') })
  })
  const rows = manifestRows(lake.db)
  lake.db.close()
  return { result: r, rows }
}

describe('the worker count of the gate', () => {
  it('is the request (default: the cores), at most one per file, 1 without a worker file', () => {
    const w = engineWorker('validate')
    expect(gateWorkerCount(2, 6, w)).toBe(2)
    expect(gateWorkerCount(8, 3, w)).toBe(3)
    expect(gateWorkerCount(4, 6, undefined)).toBe(1)
    expect(gateWorkerCount(undefined, 1, w)).toBe(1)
  })
})

describe.skipIf(!hasCaptures)('validate workers: cancel and failure', () => {
  const files = async (): Promise<GateFile[]> => {
    const src = (await convertedLake('spot-btcusdt-20240808')).root
    const lake = lakeWithManifest('lakebook-parallel-')
    await importToStaging({ dir: src }, { lakeRoot: lake.root, store: lake.store })
    lake.db.close()
    return zoneFiles(lake.root, 'staging', selectionOf({}))
  }
  const base = { t: mergeThresholds(), tick: '0.01', expected: [], workers: 2 }

  it('a cancel rejects with CancelledError and ends the workers', async () => {
    const list = await files()
    const controller = new AbortController()
    const run = validateInWorkers(list, {
      ...base,
      worker: engineWorker('validate'),
      signal: controller.signal
    })
    setTimeout(() => {
      controller.abort()
    }, 200)
    await expect(run).rejects.toBeInstanceOf(CancelledError)
  })

  it('a worker that dies fails the run in one sentence naming it', async () => {
    const list = await files()
    const broken = { path: new URL('data:text/javascript,process.exit(7)') }
    await expect(validateInWorkers(list, { ...base, worker: broken })).rejects.toThrow(
      'validate worker exited with code 7'
    )
  })
})

describe.skipIf(!hasCaptures)('the gate in parallel on converted real data', () => {
  const cases: readonly [string, () => Promise<string>, ValidateParams][] = [
    [
      'spot BTCUSDT, 2 days',
      async () => (await convertedLake('spot-btcusdt-20240808')).root,
      { includeReady: false }
    ],
    [
      'USD-M BTCUSDT',
      async () => (await convertedLake('usdm-btcusdt-20240718')).root,
      { exchange: 'BINANCE_FUTURES', symbol: 'BTC-USDT-PERP' }
    ],
    ['the vendor-writer files', () => Promise.resolve(vendorWriterLake()), {}]
  ]

  it.each(cases)('%s: serial and 2 or 3 workers agree exactly', async (_name, source, params) => {
    const src = await source()
    const serial = await gateRun(src, params, null)
    const r = serial.result as { files: unknown[]; promoted: unknown[] }
    expect(r.files.length).toBeGreaterThanOrEqual(3)
    expect(r.promoted.length).toBeGreaterThan(0)
    for (const workers of [2, 3]) {
      const par = await gateRun(src, params, workers)
      expect(par.result).toEqual(serial.result)
      expect(JSON.stringify(par.result)).toBe(JSON.stringify(serial.result))
      expect(par.rows).toEqual(serial.rows)
    }
  })
})

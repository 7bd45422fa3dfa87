// Frames saved from the vendor's client with its defaults (renamed columns, datetime64[ns] times,
// categorical side and the categorical `exchange` / `symbol` columns lakeapi adds from the path),
// made by pandas from the REAL vendor-writer files: they validate, and replay to the same hash as
// the files they came from; a frame whose `symbol` disagrees with its path is refused, naming
// file, column and value.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src-main/util/errors'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { importToStaging, validateLake } from '../../../src-main/validate'
import { VENDOR_WRITER, hasVendorWriter } from '../../helpers/data'
import { hasPython, runPython } from '../../helpers/python'
import { tempDir } from '../../helpers/synthetic'
import { lakeWithManifest } from '../validate/helpers'

const SCRIPT = join(import.meta.dirname, '../python/save_lakeapi_frames.py')
const sel = { exchange: 'BINANCE', symbol: 'BTC-USDT' }

function frames(symbolValue?: string): string {
  const out = tempDir('lakebook-frames-')
  runPython(SCRIPT, [VENDOR_WRITER, out, ...(symbolValue ? [symbolValue] : [])])
  return out
}

describe.skipIf(!hasVendorWriter || !hasPython)('frames saved from lakeapi', () => {
  it('validate and replay to the same hash as the vendor files', async () => {
    const dir = frames()
    const vendor = await runLakeReplay({ root: VENDOR_WRITER, ...sel }, { workers: 0 })
    const saved = await runLakeReplay({ root: dir, ...sel }, { workers: 0 })
    expect(saved.complete).toBe(true)
    expect(saved.events).toEqual(vendor.events)
    expect(saved.outputHash).toBe(vendor.outputHash)

    const gate = lakeWithManifest()
    await importToStaging({ dir }, { lakeRoot: gate.root, store: gate.store })
    const r = await validateLake({}, { lakeRoot: gate.root, store: gate.store, runId: 'frames' })
    expect(r.files).toHaveLength(6)
    for (const f of r.files) {
      const rule = (id: string) => f.rules.find((x) => x.rule === id)
      expect(rule('schema.columns')?.status, `${f.path} ${rule('schema.columns')?.measured}`).toBe(
        'pass'
      )
      expect(rule('schema.types')?.status).toBe('pass')
      expect(f.rules.filter((x) => x.status === 'fail' && x.category !== 'coverage')).toEqual([])
    }
  })

  it('refuse a symbol column that disagrees with the path, naming file, column and value', async () => {
    const dir = frames('ETH-USDT')
    const err = await runLakeReplay({ root: dir, ...sel }, { workers: 0 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect(String(err)).toMatch(
      /symbol=BTC-USDT\/dt=2024-08-0\d\/1\.snappy\.parquet: column "symbol" row 0 is "ETH-USDT", the partition path says "BTC-USDT"/
    )

    const gate = lakeWithManifest()
    await importToStaging({ dir }, { lakeRoot: gate.root, store: gate.store })
    const r = await validateLake({}, { lakeRoot: gate.root, store: gate.store, runId: 'bad' })
    expect(r.counts.fail).toBe(6)
    expect(r.promoted).toEqual([])
    for (const f of r.files) {
      const kv = f.rules.find((x) => x.rule === 'schema.kv')
      expect(kv?.status).toBe('fail')
      expect(kv?.measured).toMatch(/column "symbol" row 0 is "ETH-USDT"/)
    }
  })
})

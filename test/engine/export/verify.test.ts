// verify-dataset on a real export: clean, then after each kind of tampering — a flipped byte in a
// part file, a removed file, an edited certificate, a stray file, a changed input — it must fail
// and name what is wrong.
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportDataset } from '../../../src-main/export/exportJob'
import { verifyDataset } from '../../../src-main/export/verify'
import { hasCaptures } from '../../helpers/data'
import { spotOptions, ungated } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

describe.skipIf(!hasCaptures)('verify-dataset', () => {
  let root = ''
  let clean = ''
  let firstPart = ''

  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
    const o = spotOptions(root, {
      to: '2024-08-08',
      tables: { events: true, book: false, bookEvents: false, features: true }
    })
    await exportDataset(o, ungated(o))
    clean = o.out
    const cert = JSON.parse(readFileSync(join(clean, 'certificate.json'), 'utf8')) as {
      outputs: { path: string }[]
    }
    firstPart = cert.outputs[0]?.path ?? ''
  })

  /** A copy of the clean dataset to damage. */
  const copy = (): string => {
    const d = join(tempDir('lakebook-verify-'), 'ds')
    cpSync(clean, d, { recursive: true })
    return d
  }

  it('passes a dataset as written, inputs included', async () => {
    const v = await verifyDataset(clean)
    expect(v.problems).toEqual([])
    expect(v.ok).toBe(true)
    expect(v.checked.inputs).toBeGreaterThan(0)
    expect(v.checked.outputs).toBeGreaterThan(5)
  })

  it('fails on a flipped byte', async () => {
    const d = copy()
    const p = join(d, firstPart)
    const b = readFileSync(p)
    const at = Math.floor(b.length / 2)
    b[at] = (b[at] ?? 0) ^ 0x01
    writeFileSync(p, b)
    const v = await verifyDataset(d, { checkInputs: false })
    expect(v.ok).toBe(false)
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'sha256', path: firstPart })])
  })

  it('fails on a removed file and on a file the certificate does not list', async () => {
    const d = copy()
    rmSync(join(d, firstPart))
    writeFileSync(join(d, 'events', 'date=2024-08-08', 'part-999999.parquet'), 'x')
    const v = await verifyDataset(d, { checkInputs: false })
    expect(v.problems.map((p) => p.kind).sort()).toEqual(['missing', 'unlisted'])
  })

  it('fails on an edited certificate', async () => {
    const d = copy()
    const p = join(d, 'certificate.json')
    const c = JSON.parse(readFileSync(p, 'utf8')) as { totals: { files: number } }
    c.totals.files += 1
    writeFileSync(p, JSON.stringify(c, null, 2))
    const v = await verifyDataset(d, { checkInputs: false })
    expect(v.ok).toBe(false)
    expect(v.problems.map((x) => x.kind)).toEqual(['certificate'])
    // Not even valid JSON any more.
    appendFileSync(p, '{')
    const w = await verifyDataset(d, { checkInputs: false })
    expect(w.problems.map((x) => x.kind)).toEqual(['certificate'])
  })

  it('fails when an input file changed, and reports inputs that are gone', async () => {
    const lake = join(tempDir('lakebook-verify-lake-'), 'lake')
    cpSync(root, lake, { recursive: true })
    const trades = join(
      lake,
      'trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08/1.snappy.parquet'
    )
    appendFileSync(trades, 'tampered')
    const v = await verifyDataset(clean, { inputsRoot: lake })
    expect(v.problems).toEqual([
      expect.objectContaining({
        kind: 'input-sha256',
        path: expect.stringContaining('trades/') as unknown
      })
    ])
    rmSync(trades)
    const gone = await verifyDataset(clean, { inputsRoot: lake })
    expect(gone.ok).toBe(true)
    expect(gone.checked.inputsMissing).toBe(1)
    const strict = await verifyDataset(clean, { inputsRoot: lake, requireInputs: true })
    expect(strict.problems.map((x) => x.kind)).toEqual(['input-missing'])
  })
})

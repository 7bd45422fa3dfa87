// The progress report over a lake that did real work: the REAL vendor-writer files imported and
// validated (6 files promoted), a Lake replay of a truncated copy that failed, the alert it
// raised; `lakebook report progress` counts each and names the phase gates, in JSON and HTML.
import { readdirSync, readFileSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importToStaging, validateLake } from '../../../src-main/validate'
import { runBuilt } from '../../helpers/build'
import { hasVendorWriter } from '../../helpers/data'
import { vendorWriterLake } from '../../helpers/lake'
import { lakeWithManifest } from '../validate/helpers'

describe.skipIf(!hasVendorWriter)('lakebook report progress (real vendor-writer files)', () => {
  it('counts validation runs and files, jobs by kind and alerts, and writes JSON + HTML', async () => {
    const gate = lakeWithManifest('lakebook-progress-')
    await importToStaging({ dir: vendorWriterLake() }, { lakeRoot: gate.root, store: gate.store })
    const v = await validateLake({}, { lakeRoot: gate.root, store: gate.store, runId: 'p1' })
    expect(v.promoted).toHaveLength(6)
    gate.db.close()
    const bad = vendorWriterLake({ tables: ['book_delta_v2', 'trades'] })
    const dir = join(bad, 'book_delta_v2', 'exchange=BINANCE', 'symbol=BTC-USDT', 'dt=2024-08-09')
    truncateSync(join(dir, readdirSync(dir)[0] ?? ''), 20_000)
    expect((await runBuilt(['--lake', gate.root, 'replay', bad])).code).toBe(1)
    expect((await runBuilt(['--lake', gate.root, 'status'])).code).toBe(1)

    const r = await runBuilt(['--lake', gate.root, '--json', 'report', 'progress'])
    expect(r.code).toBe(0)
    const p = JSON.parse(r.out) as {
      validated: { runs: number; files: { pass: number; warn: number; fail: number } }
      jobs: { kind: string; done: number; failed: number }[]
      alerts: { raised: number; firing: number }
      gates: { id: string; status: string }[]
      quota: { share: number; limitBytes: number }
      files: { json: string; html: string }
    }
    expect(p.validated.runs).toBe(1)
    expect(p.validated.files.pass + p.validated.files.warn).toBe(6)
    expect(p.jobs).toEqual([expect.objectContaining({ kind: 'replay-lake', done: 0, failed: 1 })])
    expect(p.alerts).toEqual({ raised: 1, cleared: 0, firing: 1 })
    expect(p.gates.length).toBeGreaterThan(3)
    expect(p.quota.limitBytes).toBe(300e9)
    expect(JSON.parse(readFileSync(p.files.json, 'utf8'))).toMatchObject({
      format: 'lakebook-progress-report',
      validated: { runs: 1 }
    })
    const html = readFileSync(p.files.html, 'utf8')
    expect(html).toContain('Phase gates now')
    expect(html).toContain('<td>replay-lake</td><td class="num">0</td><td class="num">1</td>')

    const text = await runBuilt([
      '--lake',
      gate.root,
      'report',
      'progress',
      '--since',
      '2999-01-01'
    ])
    expect([text.code, text.err.trim()]).toEqual([
      2,
      'lakebook: --since 2999-01-01 is not in the past'
    ])
  })
})

// The gates bind, on Crypto Lake files converted from the REAL spot BTCUSDT capture: an export
// refuses uncertified inputs unless --ungated (then certified: false with the reason), a gated
// export rests on its readiness certificate (verify-dataset re-hashes it), a NO-GO technical
// report blocks the backfill until a decision is recorded, and the phase view reflects it all.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { planBackfill } from '../../../src-main/export/backfillPlan'
import { assertBackfillGates } from '../../../src-main/export/backfillJob'
import { BackfillStore } from '../../../src-main/export/backfillStore'
import { exportDataset, exportOptions } from '../../../src-main/export/exportJob'
import { verifyDataset } from '../../../src-main/export/verify'
import { writeTrustOverrides } from '../../../src-main/lake/trustConfig'
import { decide, gatesView, saveRequirement } from '../../../src-main/gates/service'
import { GateStore } from '../../../src-main/gates/store'
import { runTechnicalReport } from '../../../src-main/report/technical'
import { certifyLake, importToStaging, validateLake } from '../../../src-main/validate'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'
import { fakeContext, lakeWithManifest } from '../validate/helpers'

const SEL = { exchange: 'BINANCE', symbol: 'BTC-USDT', from: '2024-08-08', to: '2024-08-09' }

describe.skipIf(!hasCaptures)('gates that bind', () => {
  let vendor = ''
  let lake: ReturnType<typeof lakeWithManifest>

  beforeAll(async () => {
    vendor = (await convertedLake('spot-btcusdt-20240808')).root
    lake = lakeWithManifest('lakebook-gates-')
    await importToStaging({ dir: vendor }, { lakeRoot: lake.root, store: lake.store })
    // The captures are minutes long: this lake accepts short days (recorded in every report).
    writeTrustOverrides(lake.root, { validation: { daySpanFailShare: 0, daySpanWarnShare: 0 } })
    await validateLake({}, { lakeRoot: lake.root, store: lake.store, runId: 'v1' })
    const c = await certifyLake(
      { from: SEL.from, to: SEL.to },
      { lakeRoot: lake.root, store: lake.store, runId: 'c1' }
    )
    expect(c.verdict).toBe('pass')
  }, 120_000)

  const options = (root: string, out = tempDir('lakebook-gates-ds-')) =>
    exportOptions({ root, ...SEL, grid: '1s', tables: ['events', 'book'] }, lake.root, {}, { out })

  it('refuses a folder outside the ready/ zone unless --ungated, and marks that dataset not certified', async () => {
    const o = options(vendor)
    await expect(
      exportDataset(o, { gates: { lakeRoot: lake.root, fidelity: 'off' } })
    ).rejects.toThrow(/readiness gate refuses .*outside the lake's ready\/ zone.*--ungated/)
    const { result } = await exportDataset(o, {
      gates: { lakeRoot: lake.root, ungated: true, fidelity: 'off' }
    })
    expect(result.certified).toBe(false)
    expect(result.notCertifiedBecause[0]).toMatch(/exported with --ungated/)
    const cert = JSON.parse(readFileSync(join(o.out, 'certificate.json'), 'utf8')) as {
      certified: boolean
      ungated: { reason: string } | null
      gates: Record<string, { verdict: string }>
    }
    expect(cert.certified).toBe(false)
    expect(cert.ungated?.reason).toMatch(/readiness gate was not applied/)
    expect(cert.gates['readiness']?.verdict).toBe('fail')
    const v = await verifyDataset(o.out)
    expect(v.ok).toBe(true)
    expect(v.certified).toBe(false)
    expect(v.notes.join(' ')).toMatch(/not certified: exported with --ungated/)
  }, 120_000)

  it('a gated export rests on the readiness certificate, and verify-dataset re-checks it', async () => {
    const o = options(lake.root)
    const { result } = await exportDataset(o, {
      gates: { lakeRoot: lake.root, fidelity: 'off', decisions: new GateStore(lake.db) }
    })
    expect(result.gates?.readiness).toBe('pass')
    expect(result.gates?.replay).not.toBe('fail')
    // No technical report, fidelity off: not certified, and it says why.
    expect(result.certified).toBe(false)
    expect(result.notCertifiedBecause.join(' ')).toMatch(/technical gate fails/)
    expect(result.notCertifiedBecause.join(' ')).toMatch(/fidelity gate fails/)
    const v = await verifyDataset(o.out)
    expect(v.problems).toEqual([])
    expect(v.checked.evidence).toBe(1)
    // The readiness certificate it rests on changes: the dataset no longer proves anything.
    const cert = JSON.parse(readFileSync(join(o.out, 'certificate.json'), 'utf8')) as {
      gates: { readiness: { evidence: { path: string }[] } }
    }
    const evidence = cert.gates.readiness.evidence[0]?.path ?? ''
    const original = readFileSync(evidence, 'utf8')
    writeFileSync(evidence, original.replace('"verdict": "pass"', '"verdict": "pass" '))
    const after = await verifyDataset(o.out)
    expect(after.ok).toBe(false)
    expect(after.problems.map((p) => p.kind)).toEqual(['evidence-sha256'])
    writeFileSync(evidence, original)
  }, 120_000)

  it('a NO-GO technical report blocks the backfill until a decision is recorded', async () => {
    // Measured on the real sample, extrapolated to a volume this machine cannot carry.
    const report = await runTechnicalReport(
      { root: lake.root, eventsPerHour: 1e12 },
      fakeContext(lake.root)
    )
    expect(report.verdict).toBe('no-go')
    expect(report.recommendation).toMatch(/^NO-GO on this machine/)
    expect(report.pivots.map((p) => p.id)).toEqual([
      'drop-events',
      'parquet-v2',
      'inputs-off-disk',
      'second-disk',
      'one-pass',
      'ray-4'
    ])
    const store = new BackfillStore(lake.db)
    const plan = planBackfill(
      {
        root: lake.root,
        ...SEL,
        out: join(tempDir('lakebook-gates-bf-'), 'ds'),
        fidelityReference: 'off'
      },
      { lakeRoot: lake.root, store }
    )
    const decisions = new GateStore(lake.db)
    const b = store.get(plan.id)
    expect(() => {
      assertBackfillGates(b, { lakeRoot: lake.root, decisions })
    }).toThrow(/technical gate blocks this backfill.*NO-GO/)
    expect(() => decide(lake.root, { gate: 'technical', why: 'ok' })).toThrow()
    const d = decide(lake.root, {
      gate: 'technical',
      why: 'A second 4 TB disk is ordered; this backfill covers two days only.'
    })
    expect(d.subject).toHaveLength(64)
    expect(() => {
      assertBackfillGates(b, { lakeRoot: lake.root, decisions })
    }).not.toThrow()

    const view = gatesView(lake.root)
    const tech = view.gates.find((g) => g.id === 'technical')
    expect(tech?.status).toBe('warn')
    expect(tech?.decision?.why).toMatch(/second 4 TB disk/)
    expect(view.gates.find((g) => g.id === 'data-ready')?.status).toBe('pass')
    expect(view.gates.map((g) => g.id)).toEqual([
      'access',
      'budget',
      'data-ready',
      'profiled',
      'technical',
      'golden-samples',
      'dataset'
    ])
  }, 180_000)

  it('saves a data requirement, prices it from the plan and records its approval', () => {
    const { budget } = saveRequirement(lake.root, {
      exchange: 'BINANCE',
      symbols: ['BTC-USDT'],
      tables: ['book_delta_v2', 'trades', 'book'],
      from: '2025-01-01',
      to: '2025-12-31'
    })
    expect(budget.days).toBe(365)
    // 365 days × ~500 MB a day ≈ 183 GB: one month of a 300 GB quota at $64.
    expect(budget.monthsNeeded).toBe(1)
    expect(budget.costUsd).toBe(64)
    expect(gatesView(lake.root).gates.find((g) => g.id === 'budget')?.status).toBe('fail')
    decide(lake.root, { gate: 'budget', why: 'Approved by the desk head for the 2025 study.' })
    expect(gatesView(lake.root).gates.find((g) => g.id === 'budget')?.status).toBe('pass')
  })
})

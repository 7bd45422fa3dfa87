// The dataset fidelity gate on REAL data: the real spot capture converted to Crypto Lake format
// by the project's converter and exported; the exported book (read back from its part files) is
// scored against the Lake `book` table of the same inputs. A faithful export passes (or warns);
// the same lake with every tenth book_delta_v2 message dropped exports a book that fails.
import { cpSync, existsSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { readCertificate } from '../../../src-main/export/certificate'
import { exportDataset } from '../../../src-main/export/exportJob'
import {
  gateVerdict,
  FIDELITY_HTML,
  FIDELITY_JSON
} from '../../../src-main/fidelity/datasetFidelity'
import { datasetSeries } from '../../../src-main/fidelity/datasetSeries'
import { agreementOf } from '../../../src-main/fidelity/scorecard'
import {
  parseSourceSpec,
  type DatasetFidelity,
  type DistanceResult,
  type PValues,
  type Verdict
} from '../../../src-shared/fidelity'
import { hasCaptures } from '../../helpers/data'
import { SPOT, spotOptions } from '../../helpers/exportData'
import { dropEveryTenthInLake } from '../../helpers/faults'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const tables = { events: true, book: true, bookEvents: false, features: false }
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex')

describe('dataset fidelity verdict (synthetic metric lists)', () => {
  const m = (verdict: 'pass' | 'warn' | 'fail' | 'n/a') => ({
    id: `synthetic.${verdict}`,
    label: '',
    units: '',
    verdict,
    effect: '',
    threshold: '',
    pThinned: null,
    pVerdict: 'n/a' as const,
    note: null
  })
  it('takes the worst verdict, and fails when nothing was measured', () => {
    expect(gateVerdict([m('pass'), m('n/a')]).verdict).toBe('pass')
    expect(gateVerdict([m('pass'), m('warn')]).verdict).toBe('warn')
    expect(gateVerdict([m('warn'), m('fail'), m('pass')]).verdict).toBe('fail')
    const none = gateVerdict([m('n/a'), m('n/a')])
    expect(none.verdict).toBe('fail')
    expect(none.reason).toMatch(/nothing was measured/)
    expect(none.counts).toEqual({ pass: 0, warn: 0, fail: 0, na: 2 })
  })
})

describe('why the effect verdict and the p rule differ (synthetic results)', () => {
  const dist = (estimate: number, threshold: number, verdict: Verdict): DistanceResult => ({
    estimate,
    lower: estimate / 2,
    upper: estimate * 2,
    plugIn: estimate,
    baseline: threshold / 2,
    threshold,
    verdict
  })
  const p = (ksP: number, baselineKsP: number | null): PValues => ({
    ksD: 0.1,
    ksP,
    adP: null,
    adBound: null,
    n1: 2000,
    n2: 2000,
    thinning: { reference: '', candidate: '' },
    seedRulePass: ksP > 0.05,
    baselineKsP
  })
  const within = {
    ks: dist(0.01, 0.02, 'within'),
    w1z: dist(0.01, 0.02, 'within'),
    tv: dist(0.01, 0.02, 'within')
  }
  it('says nothing when they agree, and why when they do not', () => {
    expect(agreementOf('within', within, [], p(0.5, 0.5))).toBeNull()
    expect(agreementOf('within', within, [], p(0.001, 0.002))).toMatch(
      /real baseline samples fail the same test \(p = 0.002\)/
    )
    expect(agreementOf('within', within, [], p(0.001, 0.4))).toMatch(/baseline samples pass/)
    const tvBeyond = { ...within, tv: dist(0.5, 0.02, 'beyond') }
    expect(agreementOf('beyond', tvBeyond, [], p(0.3, 0.4))).toMatch(
      /deciding statistic is TV \(histogram L1\)/
    )
    expect(agreementOf('beyond', tvBeyond, [], p(1e-9, 0.4))).toBeNull()
  })
})

describe.skipIf(!hasCaptures)('dataset fidelity on a real export', () => {
  let root = ''
  let good = ''
  let broken = ''
  let dropped = { before: 0, after: 0 }
  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
    // Ungated (a vendor folder), with the fidelity gate at its default: the Lake book table.
    good = (
      await exportDataset(spotOptions(root, { tables }), {
        gates: { lakeRoot: root, ungated: true }
      })
    ).result.dataset
    const brokenRoot = tempDir('lakebook-lake-broken-')
    cpSync(root, brokenRoot, { recursive: true })
    dropped = await dropEveryTenthInLake(brokenRoot, SPOT.exchange, SPOT.symbol)
    broken = (
      await exportDataset(spotOptions(brokenRoot, { tables }), {
        gates: { lakeRoot: brokenRoot, ungated: true }
      })
    ).result.dataset
  })

  it('reads the exported book and trades as written (checked with DuckDB)', async () => {
    const s = await datasetSeries(parseSourceSpec(`dataset:${good}`), {
      gridsMs: [100, 1000],
      profileMs: 1000
    })
    const con = await (await DuckDBInstance.create(':memory:')).connect()
    const one = async (sql: string): Promise<number> =>
      Number(Object.values((await con.runAndReadAll(sql)).getRowObjectsJS()[0] ?? {})[0])
    const trades = await one(
      `SELECT count(*) FROM read_parquet('${good}/events/*/*.parquet') WHERE kind = 1`
    )
    const states = await one(
      `SELECT count(*) FROM (SELECT DISTINCT receive_time, sequence FROM read_parquet('${good}/book/*/*.parquet'))`
    )
    expect(s.trades?.n).toBe(trades)
    expect(s.events.n).toBe(states)
    expect(s.eventKind).toBe('grid')
    expect(s.tick).toBe('0.01')
    expect(s.grids[0]?.n).toBeGreaterThan(6000)
  })

  let faithful: DatasetFidelity
  it('passes a faithful export against the Lake book table, with metrics measured', () => {
    // The export measured it for its certificate.
    const cert = readCertificate(good)
    faithful = cert.fidelity as DatasetFidelity
    expect(cert.gates?.fidelity.verdict).toBe(faithful.verdict)
    expect(['pass', 'warn']).toContain(faithful.verdict)
    expect(faithful.reference).toBe(`lakebook:${root}#BINANCE/BTC-USDT@2024-08-08..2024-08-09`)
    expect(faithful.candidate).toBe(`dataset:${good}@2024-08-08..2024-08-09`)
    expect(faithful.counts.fail).toBe(0)
    expect(faithful.counts.pass + faithful.counts.warn).toBeGreaterThanOrEqual(8)
    const spread = faithful.metrics.find((m) => m.id === 'spread')
    expect(spread?.verdict).toBe('pass')
    expect(spread?.pVerdict).not.toBe('n/a')
    // The evidence files, as hashed.
    expect(sha(join(good, FIDELITY_JSON))).toBe(faithful.jsonSha256)
    expect(sha(join(good, FIDELITY_HTML))).toBe(faithful.htmlSha256)
    const json = JSON.parse(readFileSync(join(good, FIDELITY_JSON), 'utf8')) as {
      verdict: string
      htmlSha256: string
      result: { candidates: { scorecard: { estimate: number; lower: number; upper: number }[] }[] }
    }
    expect(json.verdict).toBe(faithful.verdict)
    expect(json.htmlSha256).toBe(faithful.htmlSha256)
    for (const r of json.result.candidates[0]?.scorecard ?? []) {
      expect(r.estimate).toBeGreaterThanOrEqual(r.lower)
      expect(r.estimate).toBeLessThanOrEqual(r.upper)
    }
    expect(readFileSync(join(good, FIDELITY_HTML), 'utf8')).toMatch(/Dataset fidelity: <b>/)
  })

  it('fails the export of a lake with every tenth delta message dropped', () => {
    expect(dropped.after).toBeLessThan(dropped.before)
    const cert = readCertificate(broken)
    const r = cert.fidelity as DatasetFidelity
    // The dataset's fidelity gate fails, so it is not certified.
    expect(cert.gates?.fidelity.verdict).toBe('fail')
    expect(cert.certified).toBe(false)
    expect(cert.notCertifiedBecause.join(' ')).toMatch(/fidelity gate fails/)
    expect(r.verdict).toBe('fail')
    expect(r.counts.fail).toBeGreaterThanOrEqual(1)
    expect(r.metrics.find((m) => m.id === 'spread')?.verdict).toBe('fail')
    expect(r.reason).toMatch(/beyond the real-vs-real noise/)
    expect(existsSync(join(broken, FIDELITY_JSON))).toBe(true)
  })
})

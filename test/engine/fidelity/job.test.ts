// The fidelity job end to end on a REAL capture window: Binance's bookTicker as the reference, the
// capture replay with and without the trade impact model as candidates; a JSON-clean result with
// plot data, a self-contained HTML report, progress and the terminal summary.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { fidelityParams, type FidelityResult } from '../../../src-shared/fidelity'
import { runFidelityJob } from '../../../src-main/fidelity/job'
import { fidelitySummary } from '../../../src-main/fidelity/summary'
import type { JobContext, ProgressStep } from '../../../src-main/jobs/context'
import { acfChart, ecdfChart, qqChart } from '../../../src-main/html/statCharts'
import { CAPTURES, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

function fakeContext(steps: ProgressStep[]): JobContext {
  const signal = new AbortController().signal
  return {
    jobId: 'test-job',
    lakeRoot: tempDir(),
    signal,
    progress: (s) => steps.push(s),
    log: () => undefined,
    checkCancelled: () => undefined
  }
}

/** True when no typed array or other non-JSON object hides anywhere in the value. */
function plainJson(v: unknown): boolean {
  if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) return true
  if (Array.isArray(v)) return v.every(plainJson)
  if (typeof v !== 'object' || ArrayBuffer.isView(v)) return false
  if (Object.getPrototypeOf(v) !== Object.prototype) return false
  return Object.values(v as Record<string, unknown>).every(plainJson)
}

describe.skipIf(!hasCaptures)('fidelity job on a real capture window', () => {
  const dir = join(CAPTURES, 'usdm-btcusdt-20240718')
  const report = join(tempDir(), 'fidelity.html')
  const steps: ProgressStep[] = []
  let r: FidelityResult
  beforeAll(async () => {
    const params = fidelityParams.parse({
      reference: `bookticker:${dir}@+0s..+240s`,
      candidates: [`capture:${dir}@+0s..+240s`, `capture:${dir}@+0s..+240s+impact`],
      report
    })
    r = await runFidelityJob(params, fakeContext(steps))
  })

  it('scores both candidates against the bookTicker, with the L1 metrics only', () => {
    expect(r.candidates).toHaveLength(2)
    for (const c of r.candidates) {
      const ok = c.metrics.filter((m) => m.status === 'ok').map((m) => m.id)
      expect(ok).toEqual(expect.arrayContaining(['spread', 'imbalance.l1', 'ofi', 'returns.1s']))
      expect(ok).not.toContain('trades.size') // the bookTicker stream has no trades
      expect(ok).not.toContain('imbalance.l5') // nor depth
      expect(c.bbo?.compared).toBeGreaterThan(10_000)
      expect(c.bbo?.pricesMatched).toBeGreaterThan(0.5)
      expect(c.scorecard.length).toBeGreaterThanOrEqual(3 * ok.length)
      for (const row of c.scorecard)
        expect(['within', 'marginal', 'beyond', 'n/a']).toContain(row.verdict)
    }
    expect(r.candidates[1]?.series.impact).toBe(true)
    expect(r.baseline.kind).toBe('halves')
    expect(steps.some((s) => s.unit === 'metrics')).toBe(true)
  })

  it('returns JSON-clean plot data aligned for plotting', () => {
    expect(plainJson(JSON.parse(JSON.stringify(r)))).toBe(true)
    expect(plainJson(r)).toBe(true)
    const plots = r.candidates[0]?.plots
    const spread = plots?.metrics.find((p) => p.metric === 'spread')
    if (!spread?.ecdf || !spread.histogram || !spread.qq) throw new Error('spread plots missing')
    expect(spread.ecdf.reference).toHaveLength(spread.ecdf.x.length)
    expect(spread.ecdf.candidate).toHaveLength(spread.ecdf.x.length)
    expect(spread.histogram.edges).toHaveLength(spread.histogram.reference.length + 1)
    expect(spread.qq.reference).toHaveLength(spread.qq.probs.length)
    const acf = plots?.acf.find((a) => a.horizon === '1 s')
    expect(acf?.lags.length).toBeGreaterThan(2)
    expect(acf?.absReference).toHaveLength(acf?.lags.length ?? -1)
  })

  it('writes a self-contained HTML report with the scorecard and the charts', () => {
    expect(r.report).toBe(report)
    expect(existsSync(report)).toBe(true)
    const html = readFileSync(report, 'utf8')
    expect(html).not.toMatch(/<script|src=|href=|url\(/)
    // The only URL is the SVG namespace, which loads nothing.
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/)
    expect(html).toContain('Candidate 2: scorecard')
    expect(html).toContain('KS D = ')
    expect(html).toContain('threshold (99% upper)')
    expect(html).toContain('ACF of |1 s mid returns|')
    expect(html).toContain('p &gt; 0.05')
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThan(20)
  })

  it('prints a terminal summary', () => {
    const text = fidelitySummary(r)
    expect(text).toContain('candidate 2:')
    expect(text).toContain('vs bookTicker')
    expect(text).toMatch(/spread\s+(within|marginal|beyond)/)
  })
})

describe('statistical chart kinds', () => {
  it('marks the KS distance, draws the QQ diagonal and the ACF band', () => {
    const e = ecdfChart(
      {
        x: [1, 2, 3],
        a: [0.2, 0.6, 1],
        b: [0.1, 0.3, 1],
        labelA: 'a',
        labelB: 'b',
        ksAt: 2,
        ksD: 0.3
      },
      { title: 'e' }
    )
    expect(e).toContain('KS D = 0.3')
    expect(e).toContain('stroke-dasharray')
    expect(qqChart([1, 2, 3], [1, 2.5, 3.5], { a: 'a', b: 'b' }, { title: 'q' })).toContain('y = x')
    expect(
      acfChart([0, 1, 2], [1, 0.2, 0.1], [1, 0.3, 0.05], 0.1, { a: 'a', b: 'b' }, { title: 'c' })
    ).toContain('white-noise band')
  })
})

// The verdict model on hand-made inputs (synthetic, named as such): gate verdicts from rules,
// overrides by decision, the replay gate's thresholds and how the gates combine into `certified`.
import { describe, expect, it } from 'vitest'
import { DEFAULT_TRUST_CONFIG, gateOf, mergeTrustConfig } from '../../../src-shared/gates'
import type { CertificateRun } from '../../../src-main/export/certificate'
import { combineTrust, fidelityGate, replayGate } from '../../../src-main/gates/dataset'

const rule = (verdict: 'pass' | 'warn' | 'fail') => ({
  id: `r.${verdict}`,
  verdict,
  threshold: 't',
  measured: 'm'
})

/** A synthetic replay run: one hour, `crossedMs` crossed, `refused` refused rows. */
function run(crossedMs: number, refused = 0, applied = 1000): CertificateRun {
  return {
    from: '2024-01-01',
    to: '2024-01-01',
    warmupDays: 0,
    replay: {
      outputHash: 'x',
      events: {
        deltaRows: 1,
        trades: 1,
        bookRows: 1
      } as unknown as CertificateRun['replay']['events'],
      appliedMessages: applied,
      skipped: {} as CertificateRun['replay']['skipped'],
      seeds: {} as CertificateRun['replay']['seeds'],
      dayBoundaries: {} as CertificateRun['replay']['dayBoundaries'],
      unknownDepthMessages: 0,
      unknownDepthShare: 0,
      firstReceiveTime: '2024-01-01T00:00:00.000Z',
      lastReceiveTime: '2024-01-01T01:00:00.000Z'
    },
    tables: {
      gaps: { missingDays: {} },
      resyncs: { count: 0, list: [] },
      reseeds: { count: 0, list: [] },
      crossings: { count: 0, crossedMs, lockedMs: 0, episodes: [], openSince: null },
      drift: {
        aligned: 100,
        bestPriceMismatchRows: 0
      } as unknown as CertificateRun['tables']['drift']
    },
    issues: {
      counts: { offTick: refused } as unknown as CertificateRun['issues']['counts'],
      kept: []
    }
  }
}

describe('verdict model (synthetic)', () => {
  it('takes the worst rule, fails when nothing was measured, and reads an override as warn', () => {
    expect(gateOf({ gate: 'g', rules: [rule('pass'), rule('warn')] }).verdict).toBe('warn')
    expect(gateOf({ gate: 'g', rules: [] }).verdict).toBe('fail')
    const d = {
      id: 'd1',
      gate: 'g',
      subject: 's',
      who: 'me',
      at: '2026-01-01T00:00:00Z',
      why: 'because a reason',
      overrode: 'fail' as const
    }
    const o = gateOf({ gate: 'g', rules: [rule('fail')], decision: d })
    expect([o.verdict, o.measured, o.decision?.id, o.missing]).toEqual(['warn', 'fail', 'd1', []])
    expect(o.evidence.map((e) => e.kind)).toEqual(['decision'])
    // A decision does not touch a gate that passes.
    expect(gateOf({ gate: 'g', rules: [rule('pass')], decision: d }).decision).toBeNull()
  })

  it('judges crossed time, refused rows and applied messages against the config', () => {
    const cfg = DEFAULT_TRUST_CONFIG.replay
    expect(replayGate([run(0)], cfg).verdict).toBe('pass')
    // 1 h = 3.6 M ms: 0.1 % = 3,600 ms, 1 % = 36,000 ms.
    expect(replayGate([run(4_000)], cfg).verdict).toBe('warn')
    expect(replayGate([run(40_000)], cfg).verdict).toBe('fail')
    expect(
      replayGate([run(0, 1)], cfg).rules.find((r) => r.id === 'replay.refused-rows')?.verdict
    ).toBe('fail')
    expect(replayGate([run(0, 0, 0)], cfg).verdict).toBe('fail')
  })

  it('fails a run whose receive times lie outside its days, and an input file without rows', () => {
    const cfg = DEFAULT_TRUST_CONFIG.replay
    const id = (g: ReturnType<typeof replayGate>, r: string) => g.rules.find((x) => x.id === r)
    const stray = {
      ...run(0),
      replay: { ...run(0).replay, firstReceiveTime: '1915-01-01T00:00:00.000Z' }
    }
    const g = replayGate([stray], cfg)
    expect(id(g, 'replay.time-range')?.verdict).toBe('fail')
    expect(id(g, 'replay.time-range')?.measured).toBe(
      '1915-01-01T00:00:00.000Z in a run of 2024-01-01…2024-01-01'
    )
    // Within the 5-minute tolerance of midnight it passes; a warm-up day counts as replayed.
    const edge = {
      ...run(0),
      replay: { ...run(0).replay, lastReceiveTime: '2024-01-02T00:04:00.000Z' }
    }
    expect(id(replayGate([edge], cfg), 'replay.time-range')?.verdict).toBe('pass')
    const warm = {
      ...stray,
      warmupDays: 1,
      replay: { ...stray.replay, firstReceiveTime: '2023-12-31T08:00:00.000Z' }
    }
    expect(id(replayGate([warm], cfg), 'replay.time-range')?.verdict).toBe('pass')
    const inputs = [
      { path: 'a.parquet', rows: 10 },
      { path: 'b.parquet', rows: 0 }
    ]
    expect(id(replayGate([run(0)], cfg, inputs), 'replay.inputs')?.measured).toBe(
      '1 of 2 input files hold no rows: b.parquet'
    )
    expect(replayGate([run(0)], cfg, inputs).verdict).toBe('fail')
  })

  it('certifies only when no gate fails and the export was gated', () => {
    const pass = gateOf({ gate: 'x', rules: [rule('pass')] })
    const fail = gateOf({ gate: 'fidelity', rules: [rule('fail')] })
    const config = mergeTrustConfig({})
    const gates = { readiness: pass, technical: pass, replay: pass, fidelity: pass }
    expect(combineTrust({ gates, ungated: null, config }).certified).toBe(true)
    const ungated = combineTrust({ gates, ungated: { reason: 'exported with --ungated' }, config })
    expect([ungated.certified, ungated.notCertifiedBecause]).toEqual([
      false,
      ['exported with --ungated']
    ])
    const f = combineTrust({ gates: { ...gates, fidelity: fail }, ungated: null, config })
    expect(f.certified).toBe(false)
    expect(f.verdict).toBe('fail')
    expect(fidelityGate(null, 'switched off').verdict).toBe('fail')
    const strict = mergeTrustConfig({ fidelity: { warnCertifies: false } })
    const warn = gateOf({ gate: 'fidelity', rules: [rule('warn')] })
    expect(
      combineTrust({ gates: { ...gates, fidelity: warn }, ungated: null, config: strict }).certified
    ).toBe(false)
  })

  it('merges a lake config over the defaults, deep for the gap thresholds', () => {
    const c = mergeTrustConfig({
      validation: { gapFailS: { trades: 900 } },
      plan: { pricePerMonthUsd: 99 }
    })
    expect(c.validation.gapFailS).toEqual({ book_delta_v2: 300, book: 300, trades: 900 })
    expect(c.plan).toEqual({ pricePerMonthUsd: 99, quotaGbPerMonth: 300 })
    expect(c.validation.daySpanFailShare).toBe(0.99)
  })
})

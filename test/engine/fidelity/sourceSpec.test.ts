// The fidelity source syntax (src-shared/fidelity.ts) and the CLI's params built from it.
import { isAbsolute } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  fidelityParams,
  formatSourceSpec,
  parseSourceSpec,
  SourceSpecError
} from '../../../src-shared/fidelity'
import { paramsFromOptions } from '../../../src-main/fidelity/params'

describe('source specs', () => {
  it('reads capture files, windows and +impact', () => {
    const s = parseSourceSpec(
      'capture:a.gz,b.gz@2024-08-08T23:55:00Z..2024-08-09T00:00:00.5Z+impact'
    )
    expect(s.kind).toBe('capture')
    expect(s.paths).toEqual(['a.gz', 'b.gz'])
    expect(s.impact).toBe(true)
    expect(s.window.from).toEqual({
      kind: 'absolute',
      us: Date.parse('2024-08-08T23:55:00Z') * 1000,
      day: null
    })
    expect(s.window.to).toEqual({
      kind: 'absolute',
      us: Date.parse('2024-08-09T00:00:00Z') * 1000 + 500_000,
      day: null
    })
    expect(formatSourceSpec(s)).toBe(s.text)
  })

  it('reads Lake selections with day windows (the end day included) and offsets', () => {
    const s = parseSourceSpec(
      'lake:/data/lake#BINANCE_FUTURES/BTC-USDT-PERP@2024-08-08..2024-08-09'
    )
    expect([s.root, s.exchange, s.symbol]).toEqual([
      '/data/lake',
      'BINANCE_FUTURES',
      'BTC-USDT-PERP'
    ])
    expect(s.window.from?.us).toBe(Date.parse('2024-08-08T00:00:00Z') * 1000)
    expect(s.window.to?.us).toBe(Date.parse('2024-08-10T00:00:00Z') * 1000)
    const o = parseSourceSpec('lakebook:/x#BINANCE/BTC-USDT@+5m..')
    expect(o.kind).toBe('lakebook')
    expect(o.window).toEqual({ from: { kind: 'offset', us: 300e6 }, to: null })
    expect(parseSourceSpec('capture:dir@..+90s').window.to).toEqual({ kind: 'offset', us: 90e6 })
    expect(parseSourceSpec('converted:dir').kind).toBe('converted')
    expect(parseSourceSpec('bookticker:dir').paths).toEqual(['dir'])
    // An exported dataset: one folder (commas allowed), a window, no +impact.
    const d = parseSourceSpec('dataset:/data/exports/a,b@2024-08-08..2024-08-08')
    expect([d.kind, d.paths, d.window.to?.us]).toEqual([
      'dataset',
      ['/data/exports/a,b'],
      Date.parse('2024-08-09T00:00:00Z') * 1000
    ])
    expect(formatSourceSpec(d)).toBe(d.text)
    expect(() => parseSourceSpec('dataset:/x+impact')).toThrow(SourceSpecError)
  })

  it('refuses what it cannot mean', () => {
    for (const bad of [
      'dir',
      'csv:x',
      'lake:/data/lake',
      'lake:/data/lake#BINANCE',
      'capture:',
      'capture:x@2024-13-45..',
      'capture:x@tomorrow..',
      'bookticker:x+impact',
      'lakebook:/r#B/S+impact'
    ]) {
      expect(() => parseSourceSpec(bad), bad).toThrow(SourceSpecError)
    }
    const r = fidelityParams.safeParse({ reference: 'capture:x', candidates: ['nope:y'] })
    expect(r.success).toBe(false)
  })

  it('builds job params with absolute paths and validated settings', () => {
    const p = paramsFromOptions({
      reference: 'capture:rel/a.gz@+0m..+5m',
      candidate: ['lake:rel/lake#BINANCE/BTC-USDT+impact', 'converted:rel'],
      baseline: 'halves',
      grid: '100,1000',
      resamples: 50,
      report: 'out.html'
    })
    const ref = parseSourceSpec(p.reference)
    expect(isAbsolute(ref.paths[0] ?? '')).toBe(true)
    expect(ref.windowText).toBe('@+0m..+5m')
    const lake = parseSourceSpec(p.candidates[0] ?? '')
    expect(isAbsolute(lake.root ?? '')).toBe(true)
    expect(lake.impact).toBe(true)
    expect(p.gridsMs).toEqual([100, 1000])
    expect(p.bootstrap?.resamples).toBe(50)
    expect(isAbsolute(p.report ?? '')).toBe(true)
    expect(() => paramsFromOptions({ reference: 'capture:x', candidate: [], grid: '5' })).toThrow()
  })
})

// Small pieces of the gate, without data: the rule catalogue, reader-error classification,
// deterministic samples and histograms, decimal normalisation, --tables parsing, thresholds.
import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLDS, parseTables } from '../../../src-shared/validate'
import {
  RULES,
  fileRules,
  mergeThresholds,
  normaliseDecimal,
  readErrorRule
} from '../../../src-main/validate'
import { logHistogram, linearHistogram } from '../../../src-main/validate/profileStats'
import { Reservoir } from '../../../src-main/validate/sample'
import { isoUs } from '../../../src-main/validate/rowCheck'

describe('rule catalogue', () => {
  it('names every rule once, with a threshold text for every table it applies to', () => {
    const ids = RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of RULES)
      for (const t of r.tables) expect(r.threshold(DEFAULT_THRESHOLDS, t).length).toBeGreaterThan(5)
    expect(fileRules('trades').map((r) => r.id)).toContain('sequence.trade-ids')
    expect(fileRules('book').map((r) => r.id)).not.toContain('sequence.trade-ids')
  })

  it('classifies reader refusals by rule', () => {
    expect(
      readErrorRule(
        'column "price" has 3 null values in rows 0–9; Crypto Lake columns are never null'
      )
    ).toBe('values.decode')
    expect(readErrorRule('column "side" row 4: side is "hold", expected "buy" or "sell"')).toBe(
      'values.decode'
    )
    expect(readErrorRule('cannot decode row group 1 (rows 10000–19999): snappy')).toBe(
      'integrity.row-groups'
    )
    expect(readErrorRule('row group 2 decoded to 5 rows, the footer says 6')).toBe(
      'integrity.row-count'
    )
    expect(readErrorRule('column "price" decoded as float, expected double')).toBe('schema.types')
  })

  it('merges threshold overrides over the defaults', () => {
    const t = mergeThresholds({ inDayToleranceS: 60, examples: undefined })
    expect(t.inDayToleranceS).toBe(60)
    expect(t.examples).toBe(DEFAULT_THRESHOLDS.examples)
  })
})

describe('samples and histograms', () => {
  it('gives exact quantiles below the capacity and the same sample on every run above it', () => {
    const a = new Reservoir(1000)
    for (let i = 1; i <= 999; i++) a.add(i)
    expect(a.summary()?.p50).toBe(500)
    expect(a.summary()?.sampled).toBe(false)
    const runs = [0, 1].map(() => {
      const r = new Reservoir(100)
      for (let i = 0; i < 10_000; i++) r.add((i * 7919) % 10_007)
      return Array.from(r.values())
    })
    expect(runs[0]).toEqual(runs[1])
  })

  it('bins positive values on a log scale and integers on unit bins', () => {
    const h = logHistogram(Float64Array.from([0, 0.5, 1, 10, 100]))
    expect(h?.counts.reduce((s, n) => s + n, 0)).toBe(4)
    const l = linearHistogram(Float64Array.from([1, 1, 2, 3, 3, 3]), 40)
    expect(l?.counts).toEqual([2, 1, 3])
  })

  it('writes µs times with six decimals', () => {
    expect(isoUs(1_723_161_600_000_001)).toBe('2024-08-09T00:00:00.000001Z')
  })
})

describe('decimals and options', () => {
  it('normalises decimal strings', () => {
    expect(normaliseDecimal('61837.63000000')).toBe('61837.63')
    expect(normaliseDecimal('0.00100000')).toBe('0.001')
    expect(normaliseDecimal('5.0')).toBe('5')
    expect(normaliseDecimal('007')).toBe('7')
  })

  it('parses --tables', () => {
    expect(parseTables('trades,book,trades')).toEqual(['trades', 'book'])
    expect(() => parseTables('quotes')).toThrow(/unknown table "quotes"/)
  })
})

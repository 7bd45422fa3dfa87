// fmtPct: the one share-of-a-whole format of the CLI summaries, the seed lines and the app.
// Synthetic numbers: a pure formatter (the real-data outputs are asserted by the replay tests).
import { describe, expect, it } from 'vitest'
import { fmtPct } from '../../src-shared/format'

describe('fmtPct', () => {
  it('prints one decimal and a percent sign', () => {
    expect(fmtPct(1, 3)).toBe('33.3%')
    expect(fmtPct(174_021, 174_021)).toBe('100.0%')
    expect(fmtPct(0, 5)).toBe('0.0%')
  })

  it('says "–" when there is nothing to divide by', () => {
    expect(fmtPct(0, 0)).toBe('–')
    expect(fmtPct(3, Number.NaN)).toBe('–')
  })
})

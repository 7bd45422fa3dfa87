// Days are real calendar days wherever they are parsed (the one day schema and its check).
import { describe, expect, it } from 'vitest'
import { exportParams } from '../../src-shared/export'
import { parseSourceSpec } from '../../src-shared/fidelity'
import { dayProblem, dayString } from '../../src-shared/params'
import { downloadParams } from '../../src-shared/acquire'

describe('calendar days', () => {
  it('accepts real days, leap days included', () => {
    for (const d of ['2024-02-29', '2023-12-31', '2025-01-01', '2000-02-29']) {
      expect(dayProblem(d)).toBeNull()
    }
  })

  it('refuses days that a pattern accepts, with a sentence', () => {
    expect(dayProblem('2024-02-30')).toBe(
      '2024-02-30 is not a calendar day: February 2024 has 29 days'
    )
    expect(dayProblem('2023-02-29')).toBe(
      '2023-02-29 is not a calendar day: February 2023 has 28 days'
    )
    expect(dayProblem('2024-13-01')).toBe('2024-13-01 is not a calendar day: there is no month 13')
    expect(dayProblem('2024-04-31')).toMatch(/April 2024 has 30 days/)
    expect(dayProblem('2024-01-00')).toMatch(/January 2024 has 31 days/)
    expect(dayProblem('1900-02-29')).toMatch(/February 1900 has 28 days/)
    expect(dayProblem('24-1-1')).toBe('"24-1-1" is not a day as YYYY-MM-DD')
  })

  it('every schema that takes a day refuses them', () => {
    expect(dayString.safeParse('2024-02-30').success).toBe(false)
    const ex = exportParams.safeParse({
      exchange: 'BINANCE',
      symbol: 'BTC-USDT',
      from: '2024-13-01'
    })
    expect(ex.success).toBe(false)
    expect(ex.error?.issues[0]?.message).toContain('there is no month 13')
    const dl = downloadParams.safeParse({
      source: { exchange: 'BINANCE', symbol: 'BTC-USDT' },
      from: '2024-02-30',
      to: '2024-03-01'
    })
    expect(dl.success).toBe(false)
    expect(() => parseSourceSpec('capture:/x@2024-02-30..2024-03-01')).toThrow(
      /February 2024 has 29 days/
    )
  })

  it('refuses an export grid below 1 ms', () => {
    const base = { exchange: 'BINANCE', symbol: 'BTC-USDT' }
    expect(exportParams.safeParse({ ...base, grid: '1ms' }).success).toBe(true)
    expect(exportParams.safeParse({ ...base, grid: 'off' }).success).toBe(true)
    for (const grid of ['1us', '999us', '0.5ms']) {
      const r = exportParams.safeParse({ ...base, grid })
      expect(r.success).toBe(false)
      expect(JSON.stringify(r.error?.issues)).toContain('finer than 1ms is refused')
    }
  })
})

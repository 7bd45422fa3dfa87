// The day × table grid's edge cases on SYNTHETIC rows built here (the real-data path is
// test/e2e/dayGrid.e2e.test.ts): a failed day job, a running and a queued day, a file staged but
// not validated, the worst of several files, ready before staging, a day done before summaries
// were kept, and a lake without a backfill.
import { describe, expect, it } from 'vitest'
import { buildDayGrid, type GridGateFile } from '../../../src-main/monitor/dayGrid'
import type { BackfillDaysView } from '../../../src-shared/backfillDays'
import type { BackfillDayView } from '../../../src-shared/export'

const day = (d: string, state: BackfillDayView['state'], reason: string | null = null) =>
  ({
    day: d,
    state,
    attempts: 1,
    reason,
    startedAt: null,
    endedAt: null,
    inputRows: 10,
    inputBytes: 10,
    events: null,
    outputBytes: null,
    seconds: null,
    summary: null
  }) satisfies BackfillDayView

const syntheticBackfill = (days: BackfillDayView[]): BackfillDaysView => ({
  id: 'synthetic',
  dataset: '/tmp/synthetic',
  exchange: 'BINANCE',
  symbol: 'BTC-USDT',
  from: days[0]?.day ?? '',
  to: days.at(-1)?.day ?? '',
  days,
  verdicts: { pass: 0, warn: 0, fail: 0, unsummarised: 0 }
})

const file = (
  table: string,
  d: string,
  zone: GridGateFile['zone'],
  status: GridGateFile['status']
): GridGateFile => ({ table, day: d, zone, status, validatedAt: null })

describe('day grid (synthetic edge cases)', () => {
  it('says fail, not yet and the worst file verdict where each applies', () => {
    const g = buildDayGrid(
      syntheticBackfill([
        day('2025-01-01', 'failed', 'no book_delta_v2 files for 2025-01-01'),
        day('2025-01-02', 'running'),
        day('2025-01-03', 'queued'),
        day('2025-01-04', 'done')
      ]),
      '/lake',
      [
        file('trades', '2025-01-01', 'staging', 'staged'),
        file('book', '2025-01-02', 'ready', 'pass'),
        file('book', '2025-01-02', 'ready', 'fail'),
        // Ready is what the gate let through: a staging copy does not colour the cell.
        file('book_delta_v2', '2025-01-02', 'ready', 'warn'),
        file('book_delta_v2', '2025-01-02', 'staging', 'fail')
      ]
    )
    const c = (d: string) => g.days.find((x) => x.day === d)?.cells
    expect(c('2025-01-01')?.replay).toMatchObject({ verdict: 'fail' })
    expect(c('2025-01-01')?.replay.title).toBe(
      'replay 2025-01-01: the day job failed: no book_delta_v2 files for 2025-01-01'
    )
    expect(c('2025-01-01')?.export.verdict).toBe('fail')
    expect(c('2025-01-01')?.trades.verdict).toBe('pending')
    expect(c('2025-01-01')?.trades.quality).toBeUndefined()
    expect(c('2025-01-01')?.trades.title).toMatch(/1 file in staging\/, not validated yet/)
    expect(c('2025-01-02')?.book.verdict).toBe('fail')
    expect(c('2025-01-02')?.book.quality).toEqual({ table: 'book', day: '2025-01-02' })
    expect(c('2025-01-02')?.book_delta_v2.verdict).toBe('warn')
    expect(c('2025-01-02')?.replay.title).toBe('replay 2025-01-02: running')
    expect(c('2025-01-03')?.export.title).toBe('export 2025-01-03: queued')
    expect(c('2025-01-04')?.replay.title).toBe(
      'replay 2025-01-04: done before day summaries were kept (no verdict)'
    )
    expect(c('2025-01-04')?.trades.title).toBe(
      "trades 2025-01-04: read by the backfill but never validated by this lake's data gate"
    )
    expect(g.counts).toEqual({ pass: 1, warn: 1, fail: 3, missing: 0, pending: 15 })
  })

  it('shows the gate’s days without a backfill, with nowhere to replay from', () => {
    const g = buildDayGrid(null, null, [file('trades', '2025-02-01', 'ready', 'pass')])
    expect(g.source).toBeNull()
    expect(g.backfillId).toBeNull()
    expect(g.days.map((d) => d.day)).toEqual(['2025-02-01'])
    expect(g.days[0]?.cells.trades.verdict).toBe('pass')
    expect(g.days[0]?.cells.replay.title).toBe('replay 2025-02-01: not in the backfill')
  })
})

// Day boundaries in an export (docs/book-semantics.md): the book is carried into the next day when
// it has data and dropped, then reseeded, after a missing day — never carried over it. On the real
// NEXOUSDT capture (three days) with its middle day removed. Labels whose horizon reaches into
// the missing day are null and counted as gaps.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { exportDataset } from '../../../src-main/export/exportJob'
import { labelOptions } from '../../../src-main/export/labels'
import { hasCaptures } from '../../helpers/data'
import { spotOptions, ungated } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'

describe.skipIf(!hasCaptures)('export across days', () => {
  it('reseeds after a missing day, writes no book state inside it, and records both', async () => {
    const { root } = await convertedLake('spot-nexousdt-20240723')
    for (const t of ['book_delta_v2', 'book', 'trades']) {
      rmSync(join(root, t, 'exchange=BINANCE', 'symbol=NEXO-USDT', 'dt=2024-07-24'), {
        recursive: true
      })
    }
    const o = spotOptions(root, {
      symbol: 'NEXO-USDT',
      from: '2024-07-23',
      to: '2024-07-25',
      gridUs: 1_000_000,
      chunkUs: 3_600_000_000,
      tables: { events: true, book: true, bookEvents: false, features: true },
      labels: labelOptions(['1s', '60s'], 0)
    })
    const { run, result } = await exportDataset(o, ungated(o))
    expect(run.replay.dayBoundaries).toEqual({ carried: 0, reseededAfterMissingDay: 1 })
    expect(result.days.map((d) => [d.date, d.entry])).toEqual([
      ['2024-07-23', 'first'],
      ['2024-07-25', 'reseeded-after-missing-day']
    ])
    expect(run.missingDays.book_delta_v2).toEqual(['2024-07-24'])
    const day25 = run.recorder.days.find((d) => d.date === '2024-07-25')
    expect(day25?.seeds).toBe(1) // seeded again from its first usable book row

    const con = await (await DuckDBInstance.create(':memory:')).connect()
    const grid = (
      await con.runAndReadAll(
        `SELECT date::VARCHAR AS date, count(*)::INTEGER AS n, min(time) AS first
           FROM read_parquet('${o.out}/book/*/*.parquet', hive_partitioning = true)
           GROUP BY date ORDER BY date`
      )
    ).getRowObjectsJS()
    // No grid row on the missing day; on the 25th none before the book is seeded again.
    expect(grid.map((g) => g['date'])).toEqual(['2024-07-23', '2024-07-25'])
    const seededAt = (day25?.firstSeedUs ?? 0) / 1000
    expect((grid[1]?.['first'] as Date).getTime()).toBeGreaterThanOrEqual(seededAt)
    const before = (
      await con.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM read_parquet('${o.out}/events/date=2024-07-25/*.parquet')
          WHERE kind = 0 AND status = 2`
      )
    ).getRowObjectsJS()[0]
    expect(before?.['n']).toBe(run.replay.skipped.beforeSeedRows)
    expect(run.replay.skipped.beforeSeedRows).toBeGreaterThan(0)

    // The last minute of the 23rd looks into the missing day (gap); the last of the data, past
    // the end. Nothing else is null.
    expect(result.labels?.['60s']).toMatchObject({ gap: 60, end: 60, noMid: 0 })
    expect(result.labels?.['1s']).toMatchObject({ gap: 1, end: 1, noMid: 0 })
    const nulls = (
      await con.runAndReadAll(
        `SELECT date::VARCHAR AS date, min(time)::VARCHAR AS first, count(*)::INTEGER AS n
           FROM read_parquet('${o.out}/labels/*/*.parquet', hive_partitioning = true)
          WHERE ret_60s IS NULL GROUP BY date ORDER BY date`
      )
    ).getRowObjectsJS()
    expect(nulls[0]).toEqual({ date: '2024-07-23', first: '2024-07-23 23:59:00+00', n: 60 })
    expect(nulls[1]?.['n']).toBe(60)
  })
})

// The export of the converted real spot capture, read back with DuckDB (an independent reader):
// row counts against the replay, the documented schema, values against an independent replay of
// the same files (trades, the book at a grid time, features), the day partitions and their
// book-carry record, and the same bytes whether the stages run in worker threads or not.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportDataset } from '../../../src-main/export/exportJob'
import { EVENTS_COLUMNS, FEATURES_COLUMNS, BOOK_COLUMNS } from '../../../src-main/export/schema'
import { FloatGrid } from '../../../src-shared/units'
import { IssueLog } from '../../../src-main/util/issueLog'
import { replayLake } from '../../../src-main/engine/lakeReplay'
import { resolveSelection } from '../../../src-main/engine/source/lakeSources'
import { openLakeSources } from '../../../src-main/engine/source/parallelSources'
import type { ExportResult } from '../../../src-shared/export'
import { hasCaptures } from '../../helpers/data'
import { engineWorker } from '../../helpers/engineWorker'
import { SPOT, spotOptions, treeHashes, ungated } from '../../helpers/exportData'
import { convertedLake } from '../../helpers/lake'

const DUCK_TYPE = {
  i8: 'TINYINT',
  i32: 'INTEGER',
  i64: 'BIGINT',
  ts: 'TIMESTAMP WITH TIME ZONE',
  f64: 'DOUBLE'
}

async function rows(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJS()
}

/** What an independent replay of the same files saw: trades and the best prices over time. */
async function replayFacts(root: string): Promise<{
  trades: { recvUs: number; exchUs: number; tick: number; lots: number; buy: boolean; id: number }[]
  best: { recvUs: number; bid: number; bidLots: number; ask: number; askLots: number }[]
  core: Awaited<ReturnType<typeof replayLake>>
}> {
  const sel = resolveSelection({ root, ...SPOT })
  const trades: {
    recvUs: number
    exchUs: number
    tick: number
    lots: number
    buy: boolean
    id: number
  }[] = []
  const best: { recvUs: number; bid: number; bidLots: number; ask: number; askLots: number }[] = []
  const core = await replayLake(
    openLakeSources(sel, new FloatGrid('0.01'), new IssueLog(), { workers: 0 }),
    {
      market: 'spot',
      observer: {
        trade(recvUs, exchUs, tick, lots, buy, id) {
          trades.push({ recvUs, exchUs, tick, lots, buy, id })
        },
        message(recvUs, _e, _s, book) {
          best.push({
            recvUs,
            bid: book.bids.bestTick(),
            bidLots: book.bids.bestQty(),
            ask: book.asks.bestTick(),
            askLots: book.asks.bestQty()
          })
        }
      }
    }
  )
  return { trades, best, core }
}

describe.skipIf(!hasCaptures)('export of converted real data', () => {
  let root = ''
  let out = ''
  let result: ExportResult
  let con: DuckDBConnection
  let facts: Awaited<ReturnType<typeof replayFacts>>
  const glob = (t: string) =>
    `read_parquet('${join(out, t)}/*/*.parquet', hive_partitioning = true)`

  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
    const o = spotOptions(root)
    out = o.out
    result = (await exportDataset(o, ungated(o))).result
    con = await (await DuckDBInstance.create(':memory:')).connect()
    facts = await replayFacts(root)
  })

  it('writes every input row once, in the documented schema, partitioned by receive day', async () => {
    const c = facts.core.events
    expect(result.outputHash).toBe(facts.core.outputHash)
    const byKind = await rows(
      con,
      `SELECT kind, count(*)::INTEGER AS n FROM ${glob('events')} GROUP BY kind ORDER BY kind`
    )
    expect(byKind).toEqual([
      { kind: 0, n: c.deltaRows },
      { kind: 1, n: c.trades },
      { kind: 2, n: c.bookRows }
    ])
    const status = await rows(
      con,
      `SELECT status, count(*)::INTEGER AS n FROM ${glob('events')} WHERE kind = 0 GROUP BY status ORDER BY status`
    )
    const burstRows = Number(/^(\d+) rows/.exec(facts.core.bursts.list[0]?.detail ?? '')?.[1])
    expect(status).toEqual([
      { status: 0, n: c.deltaRows - burstRows },
      { status: 1, n: burstRows }
    ])
    for (const [t, cols] of [
      ['events', EVENTS_COLUMNS],
      ['book', BOOK_COLUMNS],
      ['features', FEATURES_COLUMNS]
    ] as const) {
      const desc = await rows(con, `DESCRIBE SELECT * FROM ${glob(t)}`)
      expect(desc.map((d) => [d['column_name'], d['column_type']])).toEqual([
        ...cols.map((x) => [x.name, DUCK_TYPE[x.type]]),
        ['date', 'DATE']
      ])
    }
    // Rows sit in the partition of their receive day; event_index counts 0… within each.
    const parts = await rows(
      con,
      `SELECT date::VARCHAR AS date, count(*)::INTEGER AS n, min(event_index)::INTEGER AS lo,
              max(event_index)::INTEGER AS hi, count(DISTINCT event_index)::INTEGER AS distinct,
              sum(CASE WHEN (receive_time AT TIME ZONE 'UTC')::DATE <> date THEN 1 ELSE 0 END)::INTEGER AS misplaced
         FROM ${glob('events')} GROUP BY date ORDER BY date`
    )
    expect(parts.map((p) => p['date'])).toEqual(['2024-08-08', '2024-08-09'])
    for (const p of parts) {
      expect(p['lo']).toBe(0)
      expect(p['hi']).toBe((p['n'] as number) - 1)
      expect(p['distinct']).toBe(p['n'])
      expect(p['misplaced']).toBe(0)
    }
    // The book carried from the first day into the second, and the certificate says so.
    expect(result.days.map((d) => [d.date, d.entry])).toEqual([
      ['2024-08-08', 'first'],
      ['2024-08-09', 'carried']
    ])
    const cert = JSON.parse(readFileSync(result.certificate, 'utf8')) as {
      runs: { replay: { dayBoundaries: unknown } }[]
    }
    expect(cert.runs[0]?.replay.dayBoundaries).toEqual({ carried: 1, reseededAfterMissingDay: 0 })
  })

  it('keeps the trades and their provenance exactly', async () => {
    const got = await rows(
      con,
      `SELECT epoch_us(receive_time) AS r, epoch_us(exchange_time) AS e, price, size, side, sequence, source_file, source_row
         FROM ${glob('events')} WHERE kind = 1 ORDER BY date, event_index LIMIT 3`
    )
    expect(got).toHaveLength(3)
    got.forEach((g, k) => {
      const t = facts.trades[k]
      expect(t).toBeDefined()
      if (!t) return
      expect(Number(g['r'])).toBe(t.recvUs)
      expect(Number(g['e'])).toBe(t.exchUs)
      expect(g['price']).toBe(t.tick / 100)
      expect(g['size']).toBe(t.lots / 1e8)
      expect(g['side']).toBe(t.buy ? 1 : -1)
      expect(Number(g['sequence'])).toBe(t.id)
      expect(g['source_file']).toBe(2024080800)
      expect(Number(g['source_row'])).toBe(k)
    })
  })

  it('shows the book after every event at or before each grid time, and features from it', async () => {
    const g = await rows(
      con,
      `SELECT epoch_us(b.time) AS t, b.bid_0_price, b.bid_0_size, b.ask_0_price, b.ask_0_size, f.mid, f.spread, f.log_return, f.imbalance_l1
         FROM ${glob('book')} b JOIN ${glob('features')} f USING (time) ORDER BY b.time`
    )
    expect(g.length).toBeGreaterThan(6000) // 11 minutes at 100 ms
    for (const k of [0, 1, 500, 3000, g.length - 1]) {
      const row = g[k]
      if (!row) continue
      const t = Number(row['t'])
      // The independent replay's last message at or before t.
      let last = facts.best[0]
      for (const m of facts.best) {
        if (m.recvUs > t) break
        last = m
      }
      expect(last).toBeDefined()
      if (!last) return
      expect(row['bid_0_price']).toBe(last.bid / 100)
      expect(row['bid_0_size']).toBe(last.bidLots / 1e8)
      expect(row['ask_0_price']).toBe(last.ask / 100)
      expect(row['ask_0_size']).toBe(last.askLots / 1e8)
      expect(row['mid']).toBeCloseTo((last.bid + last.ask) / 2 / 100, 9)
      expect(row['spread']).toBeCloseTo((last.ask - last.bid) / 100, 9)
      const qb = last.bidLots
      const qa = last.askLots
      expect(row['imbalance_l1']).toBeCloseTo((qb - qa) / (qb + qa), 12)
    }
    const first = g[0]
    expect(first?.['log_return']).toBeNaN()
    const second = g[1]
    expect(Math.exp(second?.['log_return'] as number) * (first?.['mid'] as number)).toBeCloseTo(
      second?.['mid'] as number,
      6
    )
  })

  it('writes the same bytes with the stages in worker threads', async () => {
    const o = spotOptions(root, {
      decodeWorkers: 1,
      decodeWorker: engineWorker('decode'),
      writerWorker: engineWorker('export-writer')
    })
    await exportDataset(o, ungated(o))
    const skip = ['certificate.json', '_export']
    expect(treeHashes(o.out, skip)).toEqual(treeHashes(out, skip))
  })
})

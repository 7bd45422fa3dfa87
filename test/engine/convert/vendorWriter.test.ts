// The converted real spot capture against the files Crypto Lake's own open-source writer made from
// the same rows (../shared/data/crypto-lake-vendor-writer, README there), both read by pyarrow,
// polars and duckdb in the Python venv: the key-value metadata pyarrow shows, and the row-group
// sizes the writer's rule picks (src-main/convert/rowGroupSize.ts).
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ConvertResult } from '../../../src-main/convert/captureToLake'
import { hasCaptures, hasVendorWriter, VENDOR_WRITER } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { hasPython, runPython } from '../../helpers/python'
import { ROOT } from '../../helpers/build'

interface Seen {
  schemaMeta: Record<string, string>
  fileMeta: Record<string, string>
  rowGroups: number[]
  rows: { pyarrow: number; polars: number; duckdb: number }
}

const TABLES = ['book', 'trades', 'book_delta_v2'] as const
const DAYS = ['2024-08-08', '2024-08-09'] as const
const file = (root: string, table: string, day: string): string =>
  join(root, table, 'exchange=BINANCE', 'symbol=BTC-USDT', `dt=${day}`, '1.snappy.parquet')

describe.skipIf(!hasCaptures || !hasVendorWriter || !hasPython)(
  'converted files vs the vendor writer’s files (real spot BTCUSDT rows, pyarrow)',
  () => {
    let root = ''
    let result: ConvertResult
    let seen: Record<string, Seen> = {}
    const ours = (t: string, d: string): Seen => seen[file(root, t, d)] as Seen
    const vendor = (t: string, d: string): Seen => seen[file(VENDOR_WRITER, t, d)] as Seen

    beforeAll(async () => {
      ;({ root, result } = await convertedLake('spot-btcusdt-20240808'))
      const paths = TABLES.flatMap((t) =>
        DAYS.flatMap((d) => [file(root, t, d), file(VENDOR_WRITER, t, d)])
      )
      seen = runPython(join(ROOT, 'test/engine/python/lake_files.py'), paths) as Record<
        string,
        Seen
      >
    })

    it('pyarrow shows the five KV entries on the schema and the file, as on the vendor’s files', () => {
      for (const t of TABLES)
        for (const d of DAYS) {
          const a = ours(t, d)
          const v = vendor(t, d)
          expect(a.schemaMeta).toEqual({
            date: d,
            contains_gaps: 'No',
            symbol: 'BTC-USDT',
            event_type: t,
            exchange: 'BINANCE'
          })
          expect(a.fileMeta).toEqual(a.schemaMeta)
          expect(v.fileMeta).toEqual(v.schemaMeta)
          // The one difference: the vendor corpus replays a same-day writer restart, which marks
          // the day; a conversion is one uninterrupted run.
          expect(v.schemaMeta).toEqual({ ...a.schemaMeta, contains_gaps: 'Yes' })
          // Every reader sees every row, the same count as in the vendor writer's file but one:
          // the corpus' 08-09 book holds a row 99,999,744 ns after the previous one (our earlier
          // throttle compared µs), which the 2022-11 throttle, comparing the stored ns as the
          // writer does, leaves out.
          const less = t === 'book' && d === '2024-08-09' ? 1 : 0
          expect(new Set(Object.values(a.rows))).toEqual(new Set([v.rows.pyarrow - less]))
        }
    })

    it('sizes row groups by the writer’s message-rate rule; differences from the corpus are known', () => {
      const size = (s: Seen): number => Math.max(...s.rowGroups)
      const groups = (t: string): number[] => DAYS.map((d) => ours(t, d).rowGroups.length)
      // Ours: one uninterrupted run. book ~6–7 rows/s → 3,000 (a day here fits one group);
      // book_delta_v2 ~400 rows/s → 10,000; trades 19.1 rows/s over the first 3,000 on 08-08 →
      // 3,000, and 41 rows/s after midnight → 10,000.
      expect(groups('book')).toEqual([1, 1])
      expect(groups('trades')).toEqual([4, 2])
      expect(groups('book_delta_v2')).toEqual([13, 18])
      expect(ours('trades', '2024-08-08').rowGroups).toEqual([3000, 3000, 3000, 757])
      expect(ours('trades', '2024-08-09').rowGroups).toEqual([10_000, 147])
      for (const d of DAYS) {
        expect(
          ours('book_delta_v2', d)
            .rowGroups.slice(0, -1)
            .every((n) => n === 10_000)
        ).toBe(true)
        expect(size(vendor('book_delta_v2', d))).toBe(10_000)
        // The corpus' book runs never fill a 3,000-row buffer either.
        expect(size(vendor('book', d))).toBeLessThan(3000)
      }
      expect(size(vendor('trades', '2024-08-08'))).toBe(3000)
      // Where we differ: the corpus has 3,000-row trades groups on 08-09 (its rate clock is not
      // the receive time), and each of its files holds two writer runs (a replayed restart after
      // 40% of the messages) whose first run ends in a short group: book 2/2, trades 4/5,
      // book_delta_v2 14/18 groups.
      expect(size(vendor('trades', '2024-08-09'))).toBe(3000)
      expect(DAYS.map((d) => vendor('book', d).rowGroups.length)).toEqual([2, 2])
      expect(DAYS.map((d) => vendor('trades', d).rowGroups.length)).toEqual([4, 5])
      expect(DAYS.map((d) => vendor('book_delta_v2', d).rowGroups.length)).toEqual([14, 18])
      expect(
        result.files.every((f) => f.rowGroups === ours(f.table, dayOf(f.path)).rowGroups.length)
      ).toBe(true)
    })
  }
)

function dayOf(path: string): string {
  return /dt=(\d{4}-\d{2}-\d{2})/.exec(path)?.[1] ?? ''
}

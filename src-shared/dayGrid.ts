// The Monitor page's day × table grid: one row per day of the latest backfill (and any other day
// the data gate knows for its instrument), one cell per input table — the data gate's verdict of
// that day's files — and the day's replay (its summary's verdict) and export (its day job). Built
// from the manifest by src-main/monitor/dayGrid.ts, sent over the `monitor.dayGrid` channel.

export const GRID_TABLES = ['trades', 'book', 'book_delta_v2'] as const
export const GRID_COLUMNS = [...GRID_TABLES, 'replay', 'export'] as const
export type GridColumn = (typeof GRID_COLUMNS)[number]

/** pass / warn / fail as judged; missing: no file (or no data) for the day; pending: not yet. */
export const GRID_VERDICTS = ['pass', 'warn', 'fail', 'missing', 'pending'] as const
export type GridVerdict = (typeof GRID_VERDICTS)[number]

export interface DayGridCell {
  readonly verdict: GridVerdict
  /** One sentence: what the cell says and where a click goes. */
  readonly title: string
  /** A click opens the Quality page at this day (a table cell the gate judged). */
  readonly quality?: { readonly table: string; readonly day: string } | undefined
  /** A click opens the Book at this time (a replayed day: its first receive time). */
  readonly bookAtMs?: number | undefined
}

export interface DayGridView {
  /** Where the days' data is (a BookLink replays it when no replay covers the time). */
  readonly source: {
    readonly root: string
    readonly exchange: string
    readonly symbol: string
  } | null
  readonly backfillId: string | null
  readonly days: readonly {
    readonly day: string
    readonly cells: Readonly<Record<GridColumn, DayGridCell>>
  }[]
  /** Cells per verdict over the whole grid. */
  readonly counts: Readonly<Record<GridVerdict, number>>
}

// The Monitor page's day × table grid: a row per day, a cell per input table (the data gate's
// verdict of its files), the day's replay (its summary) and export (its day job), coloured by
// verdict with a legend. Each cell's title is a sentence; a click on a judged table cell opens the
// Quality page at that day, on a replayed day the Book at its first receive time (BookLink: the
// replay covering it, else a replay of ten minutes around it).
import { useEffect, useState } from 'react'
import {
  GRID_COLUMNS,
  GRID_VERDICTS,
  type DayGridCell,
  type DayGridView,
  type GridVerdict
} from '../../../src-shared/dayGrid'
import { api } from '../api'
import { plainError } from '../plainError'
import { openQuality } from '../stores/qualityFocus'
import { BookLink } from './BookLink'

const LABEL: Record<GridVerdict, string> = {
  pass: 'validated pass',
  warn: 'warn',
  fail: 'fail',
  missing: 'missing',
  pending: 'not yet'
}
const SHORT: Record<GridVerdict, string> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'fail',
  missing: 'missing',
  pending: '·'
}

function Cell(props: {
  readonly id: string
  readonly cell: DayGridCell
  readonly view: DayGridView
}) {
  const { cell, view } = props
  const common = {
    className: `grid-cell v-${cell.verdict}`,
    title: cell.title,
    'data-testid': props.id,
    'data-verdict': cell.verdict
  }
  if (cell.quality && view.source) {
    const q = cell.quality
    const src = view.source
    return (
      <button
        {...common}
        onClick={() => {
          openQuality({ exchange: src.exchange, symbol: src.symbol, table: q.table, day: q.day })
        }}
      >
        {SHORT[cell.verdict]}
      </button>
    )
  }
  if (cell.bookAtMs !== undefined)
    return (
      <span {...common}>
        <BookLink
          atMs={cell.bookAtMs}
          lake={view.source ?? undefined}
          label={SHORT[cell.verdict]}
        />
      </span>
    )
  return <span {...common}>{SHORT[cell.verdict]}</span>
}

export function DayGrid({ refreshKey }: { readonly refreshKey: number }) {
  const [view, setView] = useState<DayGridView | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api.invoke('monitor.dayGrid', null).then(
      (v) => {
        setView(v)
        setError(null)
      },
      (e: unknown) => {
        setError(plainError(e))
      }
    )
  }, [refreshKey])
  if (error) return <div className="error">{error}</div>
  if (view === null || view.days.length === 0) return null
  return (
    <section className="panel" data-testid="day-grid">
      <div className="row">
        <h3>Days × tables</h3>
        <span className="muted" data-testid="day-grid-legend">
          {GRID_VERDICTS.map((v) => (
            <span key={v} className="grid-legend">
              <span className={`grid-swatch v-${v}`} /> {LABEL[v]} ({view.counts[v]})
            </span>
          ))}
        </span>
      </div>
      <div className="muted">
        {view.source
          ? `${view.source.exchange} ${view.source.symbol} · ${view.days.length} days · tables: the data gate's verdict (click: the Quality page); replay: the day's summary (click: the Book at that day); export: the day job`
          : `${view.days.length} days the data gate knows (no backfill planned yet)`}
      </div>
      <div className="grid-scroll">
        <table className="day-grid">
          <thead>
            <tr>
              <th>day</th>
              {GRID_COLUMNS.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.days.map((d) => (
              <tr key={d.day}>
                <td className="mono">{d.day}</td>
                {GRID_COLUMNS.map((c) => (
                  <td key={c}>
                    <Cell id={`grid-${d.day}-${c}`} cell={d.cells[c]} view={view} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

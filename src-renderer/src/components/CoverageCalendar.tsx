// Days × tables: which partitions exist (present), are missing, or are listed but absent. One cell
// per day, grouped by month; the counts say the rest.
import type { CoverageView } from '../../../src-shared/acquire'

const STATE_CLASS = {
  present: 'cov-present',
  missing: 'cov-missing',
  absent: 'cov-absent'
} as const

export function CoverageCalendar({
  coverage,
  title
}: {
  readonly coverage: CoverageView
  readonly title: string
}) {
  return (
    <div className="coverage" data-testid="coverage">
      <div className="muted">
        {title}: {coverage.from} → {coverage.to} ({coverage.days.length} days) ·{' '}
        <span className="cov-present legend" /> present <span className="cov-missing legend" />{' '}
        missing <span className="cov-absent legend" /> listed but absent
      </div>
      <table className="cov-table">
        <tbody>
          {coverage.rows.map((row) => (
            <tr key={row.table}>
              <td className="mono">{row.table}</td>
              <td className="num">{row.present}</td>
              <td className="num">
                {row.missing > 0 ? <span className="error">{row.missing} missing</span> : ''}
              </td>
              <td>
                <div className="cov-cells">
                  {row.cells.map((c) => (
                    <span
                      key={c.dt}
                      className={`cov-cell ${STATE_CLASS[c.state]}`}
                      title={`${c.dt}: ${c.state}${c.files ? `, ${c.files} file(s)` : ''}`}
                    />
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A calendar for local folders (lake listing): present where a partition folder exists. */
export function localCoverage(
  days: Readonly<Record<string, readonly string[]>>
): CoverageView | null {
  const all = [...new Set(Object.values(days).flat())].sort()
  const from = all[0]
  const to = all[all.length - 1]
  if (from === undefined || to === undefined) return null
  const range: string[] = []
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    range.push(d.toISOString().slice(0, 10))
  }
  return {
    from,
    to,
    days: range,
    rows: Object.entries(days).map(([table, list]) => {
      const have = new Set(list)
      const cells = range.map((dt) => ({
        dt,
        state: have.has(dt) ? ('present' as const) : ('missing' as const),
        files: have.has(dt) ? 1 : 0,
        bytes: 0
      }))
      return { table, present: list.length, missing: range.length - list.length, cells }
    })
  }
}

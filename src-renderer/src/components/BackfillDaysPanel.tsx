// The Monitor page's backfill days: each finished day's summary from the manifest (rows in,
// delta rows applied, missing tables, bursts and resyncs, crossed time, the day's own drift — mean
// and max |Δmid|, Jaccard, warm-up days left out —, throughput) with
// its verdict and the reasons when it is not a pass.
import type { BackfillDaysView } from '../../../src-shared/backfillDays'
import { fmtInt } from '../../../src-shared/format'

const VERDICT_CLASS = { pass: 'done', warn: 'warn', fail: 'failed' } as const

export function BackfillDaysPanel({ view }: { readonly view: BackfillDaysView | null }) {
  if (view === null) return null
  const c = view.verdicts
  const done = view.days.filter((d) => d.state === 'done')
  return (
    <section className="panel" data-testid="backfill-days">
      <h3>
        Backfill days {view.from} → {view.to}
      </h3>
      <div className="muted">
        {done.length}/{view.days.length} days done: {c.pass} pass, {c.warn} warn, {c.fail} fail
        {c.unsummarised > 0 ? `, ${c.unsummarised} without a summary` : ''} · {view.dataset}
      </div>
      <table className="jobs">
        <thead>
          <tr>
            <th>day</th>
            <th>verdict</th>
            <th>rows in</th>
            <th>delta rows applied</th>
            <th>missing</th>
            <th>bursts / resyncs</th>
            <th>crossings (ms)</th>
            <th title="the day's own book rows compared: the warm-up days are left out">
              drift |Δmid| mean / max · Jaccard
            </th>
            <th>rows/s</th>
            <th>elapsed</th>
          </tr>
        </thead>
        <tbody>
          {view.days.map((d) => {
            const s = d.summary
            if (s === null)
              return (
                <tr key={d.day} data-testid={`backfill-day-${d.day}`}>
                  <td className="mono day-cell">{d.day}</td>
                  <td className={`state state-${d.state}`} colSpan={9}>
                    {d.state}
                    {d.reason ? `: ${d.reason}` : ''}
                  </td>
                </tr>
              )
            return (
              <tr key={d.day} data-testid={`backfill-day-${d.day}`} title={s.reasons.join('\n')}>
                <td className="mono day-cell">{d.day}</td>
                <td className={`state state-${VERDICT_CLASS[s.verdict]}`}>{s.verdict}</td>
                <td>{fmtInt(s.inputRows)}</td>
                <td>
                  {fmtInt(s.bookRowsApplied)} of {fmtInt(s.events.deltaRows)} ({s.seed})
                </td>
                <td>{s.missingTables.length > 0 ? s.missingTables.join(', ') : '—'}</td>
                <td>
                  {s.bursts} / {s.resyncs}
                </td>
                <td>
                  {s.crossings} ({fmtInt(s.crossedMs)})
                </td>
                <td data-testid="day-drift" title={`drift over: ${s.drift.scope}`}>
                  {s.drift.meanAbsMidErrTicks === null
                    ? 'not compared'
                    : `${s.drift.meanAbsMidErrTicks.toFixed(3)} / ${s.drift.maxAbsMidErrTicks == null ? '—' : s.drift.maxAbsMidErrTicks.toFixed(3)} · ${(s.drift.meanJaccard ?? 1).toFixed(3)}`}
                </td>
                <td>{s.rowsPerSecond === null ? '—' : fmtInt(s.rowsPerSecond)}</td>
                <td>{s.seconds.toFixed(1)} s</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

// The Fidelity page's same-moment comparison: when reference and candidate cover the same time,
// how often their best bid/ask agree on the shared grid, and the moments they differ most, each
// opening the Book at that time.
import { fmtInt, fmtStat, fmtTime } from '../../../src-shared/format'
import type { PairedSummary } from '../../../src-shared/fidelity'
import { BookLink } from './BookLink'

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`

export function PairedMoments({ paired, tick }: { paired: PairedSummary; tick: string }) {
  const largest = paired.largest ?? []
  const decimals = tick.split('.')[1]?.length ?? 0
  const price = (ticks: number): string =>
    Number.isFinite(ticks) ? (ticks * Number(tick)).toFixed(decimals) : '–'
  return (
    <section className="panel" data-testid="fid-paired">
      <h3>Same moments</h3>
      <div>
        On the {fmtInt(paired.intervalMs)} ms grid ({fmtInt(paired.points)} shared times): mid equal{' '}
        {pct(paired.midEqual)}, spread equal {pct(paired.spreadEqual)}, best prices and sizes equal{' '}
        {pct(paired.l1Equal)}, mean |Δ mid| {fmtStat(paired.meanAbsMidDiffTicks)} ticks.
      </div>
      {largest.length === 0 ? (
        <div className="muted" data-testid="fid-paired-none">
          The two mids are equal at every shared time: no moment to look at.
        </div>
      ) : (
        <table className="jobs" data-testid="fid-paired-largest">
          <thead>
            <tr>
              <th>time (UTC, exchange)</th>
              <th>|Δ mid| ticks</th>
              <th>reference bid / ask</th>
              <th>candidate bid / ask</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {largest.map((d) => (
              <tr key={d.timeMs}>
                <td>{fmtTime(d.timeMs)}</td>
                <td className="num">{fmtStat(d.midDiffTicks)}</td>
                <td className="num">
                  {price(d.reference.bidTick)} / {price(d.reference.askTick)}
                </td>
                <td className="num">
                  {price(d.candidate.bidTick)} / {price(d.candidate.askTick)}
                </td>
                <td>
                  <BookLink atMs={d.timeMs} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

// The trades just before the cursor, newest first, from the heatmap's window (when its trades are
// not merged: zoomed in far enough to list each one).
import { fmtSize, fmtTime } from '../../../src-shared/format'
import { useHeatmap } from '../stores/heatmap'

interface Props {
  readonly jobId: string
  readonly cursorMs: number | null
  readonly priceDecimals: number
}

const ROWS = 25

export function TradesTape({ jobId, cursorMs, priceDecimals }: Props) {
  const data = useHeatmap((s) => (s.dataJobId === jobId ? s.data : null))
  if (!data || cursorMs === null) return null
  if (data.tradesMerged)
    return <div className="muted">Zoom the heatmap in to list single trades here.</div>
  const tr = data.trades
  let end = tr.timeMs.length
  while (end > 0 && (tr.timeMs[end - 1] ?? 0) > cursorMs) end--
  const rows: number[] = []
  for (let i = end - 1; i >= 0 && rows.length < ROWS; i--) rows.push(i)
  if (rows.length === 0)
    return <div className="muted">No trades in the window before the cursor.</div>
  return (
    <table className="ladder tape" data-testid="trades-tape" aria-label="trades tape">
      <thead>
        <tr>
          <th>time (UTC)</th>
          <th>price</th>
          <th>size</th>
          <th>side</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((i) => (
          <tr key={i} className={tr.buy[i] ? 'bid' : 'ask'}>
            <td className="num muted">{fmtTime(tr.timeMs[i] ?? 0).slice(11)}</td>
            <td className="num price">{(tr.price[i] ?? 0).toFixed(priceDecimals)}</td>
            <td className="num">{fmtSize(tr.size[i] ?? 0)}</td>
            <td>{tr.buy[i] ? 'buy' : 'sell'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

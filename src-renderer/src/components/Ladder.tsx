// The top-20 ladder: asks above (best at the bottom), bids below (best on top), with sizes and
// cumulative depth.
import type { BookFrame } from '../../../src-shared/replay'
import { fmtSize } from '../../../src-shared/format'

interface Props {
  readonly frame: BookFrame
  readonly priceDecimals: number
}

function withCumulative(
  levels: readonly (readonly [number, number])[]
): [number, number, number][] {
  let cum = 0
  return levels.map(([p, s]) => {
    cum += s
    return [p, s, cum]
  })
}

export function Ladder({ frame, priceDecimals }: Props) {
  const asks = withCumulative(frame.asks)
  const bids = withCumulative(frame.bids)
  const maxCum = Math.max(asks.at(-1)?.[2] ?? 0, bids.at(-1)?.[2] ?? 0, 1e-12)
  const row = (side: 'bid' | 'ask', [p, s, c]: [number, number, number], i: number) => (
    <tr
      key={`${side}${i}`}
      className={side}
      data-testid={i === 0 ? `ladder-best-${side}` : undefined}
    >
      <td className="depth">
        <div className={`depth-bar ${side}`} style={{ width: `${(100 * c) / maxCum}%` }} />
      </td>
      <td className="num price" data-testid={i === 0 ? `best-${side}-price` : undefined}>
        {p.toFixed(priceDecimals)}
      </td>
      <td className="num" data-testid={i === 0 ? `best-${side}-size` : undefined}>
        {fmtSize(s)}
      </td>
      <td className="num muted">{fmtSize(c)}</td>
    </tr>
  )
  return (
    <table className="ladder" data-testid="ladder" aria-label="order book ladder">
      <thead>
        <tr>
          <th />
          <th>price</th>
          <th>size</th>
          <th>cumulative</th>
        </tr>
      </thead>
      <tbody>
        {asks.map((l, i) => row('ask', l, i)).reverse()}
        <tr className="spread">
          <td colSpan={4}>
            {frame.bids[0] && frame.asks[0]
              ? `spread ${(frame.asks[0][0] - frame.bids[0][0]).toFixed(priceDecimals)}`
              : 'one-sided book'}
            {frame.crossed ? ' · CROSSED' : ''}
            {frame.unknownDepth ? ' · depth beyond the snapshot is unknown' : ''}
          </td>
        </tr>
        {bids.map((l, i) => row('bid', l, i))}
      </tbody>
    </table>
  )
}

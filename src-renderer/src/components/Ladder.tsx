// The DOM ladder: contiguous price rows at the tick or grouped (×1/×5/×10/×50), bids left and asks
// right with size bars, the volume traded at each price in the window the charts show, depth the
// timeline does not record marked as unknown (never shown as empty), centred on the mid and freely
// scrollable (it re-centres when the cursor moves while "follow mid" is on).
import { useMemo, useRef, useState } from 'react'
import type { BookFrame } from '../../../src-shared/replay'
import { ladderRows, type Trades } from './ladderRows'
import { LadderRowView } from './LadderRowView'
import { LADDER_ROW_PX, useLadderWindow } from './useLadderWindow'

interface Props {
  readonly frame: BookFrame
  readonly priceDecimals: number
  /** The price tick; the smallest step the decimals show when not known (the live capture). */
  readonly tick?: number
  /** The trades of the charts' window (null while loading, or none to show). */
  readonly trades?: Trades | null
}

const GROUPS = [1, 5, 10, 50] as const
// Only the rows on screen are rendered, so the ladder can reach far: 100 groups on each side.
const ROWS_PER_SIDE = 100

export function Ladder({
  frame,
  priceDecimals,
  tick = 10 ** -priceDecimals,
  trades = null
}: Props) {
  const [group, setGroup] = useState<number>(1)
  const [follow, setFollow] = useState(true)
  const box = useRef<HTMLDivElement>(null)
  const rows = useMemo(
    () => ladderRows(frame, tick, group, ROWS_PER_SIDE, trades),
    [frame, tick, group, trades]
  )
  const maxSize = Math.max(1e-12, ...rows.map((r) => Math.max(r.bidSize, r.askSize)))
  const maxTraded = Math.max(1e-12, ...rows.map((r) => r.bought + r.sold))
  const bestBid = frame.bids[0]
  const bestAsk = frame.asks[0]

  // Only the rows in (and near) the scroll box are in the page: a scrub step then lays out and
  // paints ~40 rows, not every row of the ladder (the browser's work on them was most of a step).
  const touchRow = rows.findIndex((r) => r.bestAsk || r.bestBid)
  const shown = useLadderWindow(box, rows.length, touchRow, follow, group)
  return (
    <div className="dom">
      <div className="row dom-controls">
        <label className="muted">
          group{' '}
          <select
            data-testid="ladder-group"
            value={group}
            onChange={(e) => {
              setGroup(Number(e.target.value))
            }}
          >
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                ×{g} ({(g * tick).toFixed(priceDecimals)})
              </option>
            ))}
          </select>
        </label>
        <label className="muted">
          <input
            type="checkbox"
            data-testid="ladder-follow"
            checked={follow}
            onChange={(e) => {
              setFollow(e.target.checked)
            }}
          />{' '}
          follow mid
        </label>
        <span className="muted" data-testid="ladder-spread">
          {bestBid && bestAsk
            ? `spread ${(bestAsk[0] - bestBid[0]).toFixed(priceDecimals)}`
            : 'one-sided book'}
          {frame.crossed ? ' · CROSSED' : ''}
          {frame.unknownDepth ? ' · some levels beyond the snapshot are unknown' : ''}
        </span>
      </div>
      <div className="dom-scroll" ref={box}>
        <table
          className="ladder dom-table"
          data-testid="ladder"
          aria-label="order book ladder"
          data-group={group}
          data-rows={rows.length}
          data-top-price={rows[0]?.price.toFixed(priceDecimals)}
          data-bottom-price={rows.at(-1)?.price.toFixed(priceDecimals)}
          data-deepest-bid={frame.bids.at(-1)?.[0].toFixed(priceDecimals)}
          data-deepest-ask={frame.asks.at(-1)?.[0].toFixed(priceDecimals)}
        >
          <thead>
            <tr>
              <th title="volume traded at this price in the window shown">traded</th>
              <th>bid size</th>
              <th>price</th>
              <th>ask size</th>
            </tr>
          </thead>
          <tbody>
            {shown.first > 0 && <Spacer rows={shown.first} />}
            {rows.slice(shown.first, shown.last).map((r, j) => (
              // Keyed by position, not price: when the mid moves further than the rows span (a
              // second of BTC is often > 40 ticks) a price key replaced every row's elements;
              // by position the same rows take the new texts, and a row that did not change is
              // not rendered again (memo).
              <LadderRowView
                key={shown.first + j}
                row={r}
                priceDecimals={priceDecimals}
                maxSize={maxSize}
                maxTraded={maxTraded}
              />
            ))}
            {shown.last < rows.length && <Spacer rows={rows.length - shown.last} />}
          </tbody>
        </table>
      </div>
      <div className="muted dom-legend">
        ? depth beyond the recorded top {20} (not known) · ≥ a group only partly known · traded:
        volume at the price in the charts’ window
      </div>
    </div>
  )
}

/** Stands in for rows not rendered, so the scroll box keeps the whole ladder's height. */
function Spacer({ rows }: { rows: number }) {
  return (
    <tr className="spacer" aria-hidden>
      <td colSpan={4} style={{ height: rows * LADDER_ROW_PX }} />
    </tr>
  )
}

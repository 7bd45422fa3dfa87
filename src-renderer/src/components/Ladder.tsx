// The DOM ladder: contiguous price rows at the tick or grouped (×1/×5/×10/×50), bids left and asks
// right with size bars, the volume traded at each price in the window the charts show, depth the
// timeline does not record marked as unknown (never shown as empty), centred on the mid and freely
// scrollable (it re-centres when the cursor moves while "follow mid" is on).
import { useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { BookFrame } from '../../../src-shared/replay'
import { fmtSize } from '../../../src-shared/format'
import { ladderRows, type Trades } from './ladderRows'

interface Props {
  readonly frame: BookFrame
  readonly priceDecimals: number
  /** The price tick; the smallest step the decimals show when not known (the live capture). */
  readonly tick?: number
  /** The trades of the charts' window (null while loading, or none to show). */
  readonly trades?: Trades | null
}

const GROUPS = [1, 5, 10, 50] as const
const ROWS_PER_SIDE = 40

const short = (v: number): string => (v === 0 ? '' : fmtSize(Number(v.toPrecision(6))))

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

  // Centre on the mid: the row between the asks and the bids in the middle of the scroll box.
  // The rows are built around the touch, so the touch's row index rarely changes from one frame to
  // the next: scroll only when it does (a scroll reads the layout, which forced a layout of the
  // whole page on every step of a scrub).
  const touchRow = rows.findIndex((r) => r.bestAsk || r.bestBid)
  useLayoutEffect(() => {
    const el = box.current
    if (!el || !follow) return
    const centre = (): void => {
      const mid = el.querySelector<HTMLElement>('tr.best-ask, tr.best-bid')
      if (mid) el.scrollTop = mid.offsetTop - el.clientHeight / 2
    }
    centre()
    // A resized pane needs the mid centred again.
    const ro = new ResizeObserver(centre)
    ro.observe(el)
    return () => {
      ro.disconnect()
    }
  }, [touchRow, rows.length, group, follow])

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
            {rows.map((r) => {
              const cls = [
                r.side,
                r.bidLevels + r.askLevels > 0 ? 'level' : 'empty',
                r.unknown !== 'no' ? `unknown-${r.unknown}` : '',
                r.bestBid ? 'best-bid' : '',
                r.bestAsk ? 'best-ask' : ''
              ]
                .filter(Boolean)
                .join(' ')
              const unknownCell = r.unknown === 'all' ? '?' : null
              const bidSide = r.side === 'bid' || r.side === 'both'
              const askSide = r.side === 'ask' || r.side === 'both'
              return (
                <tr
                  key={r.key}
                  className={cls}
                  data-price={r.price.toFixed(priceDecimals)}
                  data-testid={
                    r.bestBid && !r.bestAsk
                      ? 'ladder-best-bid'
                      : r.bestAsk && !r.bestBid
                        ? 'ladder-best-ask'
                        : undefined
                  }
                >
                  <td className="num traded">
                    <div
                      className="bar traded"
                      style={{ width: `${(100 * (r.bought + r.sold)) / maxTraded}%` }}
                    />
                    <span>{short(r.bought + r.sold)}</span>
                  </td>
                  <td
                    className="num bid-size"
                    data-testid={r.bestBid ? 'best-bid-size' : undefined}
                  >
                    {bidSide && unknownCell === null && (
                      <div
                        className="bar bid"
                        style={{ width: `${(100 * r.bidSize) / maxSize}%` }}
                      />
                    )}
                    <span>
                      {bidSide
                        ? (unknownCell ??
                          (r.unknown === 'part' ? '≥' : '') +
                            (r.bidLevels > 0 ? fmtSize(r.bidSize) : ''))
                        : ''}
                    </span>
                  </td>
                  <td
                    className="num price"
                    data-testid={
                      r.bestBid ? 'best-bid-price' : r.bestAsk ? 'best-ask-price' : undefined
                    }
                  >
                    {r.price.toFixed(priceDecimals)}
                  </td>
                  <td
                    className="num ask-size"
                    data-testid={r.bestAsk ? 'best-ask-size' : undefined}
                  >
                    {askSide && unknownCell === null && (
                      <div
                        className="bar ask"
                        style={{ width: `${(100 * r.askSize) / maxSize}%` }}
                      />
                    )}
                    <span>
                      {askSide
                        ? (unknownCell ??
                          (r.unknown === 'part' ? '≥' : '') +
                            (r.askLevels > 0 ? fmtSize(r.askSize) : ''))
                        : ''}
                    </span>
                  </td>
                </tr>
              )
            })}
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

// One row of the DOM ladder: the volume traded at its price, bid size, price, ask size, each size
// with its bar. Memoised on its values, so a scrub step renders only the rows that changed.
import { memo } from 'react'
import { fmtSize } from '../../../src-shared/format'
import type { LadderRow } from './ladderRows'

const short = (v: number): string => (v === 0 ? '' : fmtSize(Number(v.toPrecision(6))))

export interface RowProps {
  readonly row: LadderRow
  readonly priceDecimals: number
  readonly maxSize: number
  readonly maxTraded: number
}

const sameRow = (a: RowProps, b: RowProps): boolean => {
  if (a.priceDecimals !== b.priceDecimals) return false
  const x = a.row
  const y = b.row
  // A bar's width depends on the largest size shown only where the row has one.
  const sizes = x.bidSize + x.askSize === 0 || a.maxSize === b.maxSize
  const traded = x.bought + x.sold === 0 || a.maxTraded === b.maxTraded
  return (
    sizes &&
    traded &&
    x.price === y.price &&
    x.bidSize === y.bidSize &&
    x.askSize === y.askSize &&
    x.bidLevels === y.bidLevels &&
    x.askLevels === y.askLevels &&
    x.bought === y.bought &&
    x.sold === y.sold &&
    x.side === y.side &&
    x.unknown === y.unknown &&
    x.bestBid === y.bestBid &&
    x.bestAsk === y.bestAsk
  )
}

export const LadderRowView = memo(function LadderRowView({
  row: r,
  priceDecimals,
  maxSize,
  maxTraded
}: RowProps) {
  const cls = [
    r.side,
    r.bidLevels + r.askLevels > 0 ? 'level' : 'empty',
    r.unknown !== 'no' ? `unknown-${r.unknown}` : '',
    r.bestBid ? 'best-bid' : '',
    r.bestAsk ? 'best-ask' : ''
  ]
    .filter(Boolean)
    .join(' ')
  const bidSide = r.side === 'bid' || r.side === 'both'
  const askSide = r.side === 'ask' || r.side === 'both'
  return (
    <tr
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
      <SizeCell
        side="bid"
        shown={bidSide}
        size={r.bidSize}
        levels={r.bidLevels}
        unknown={r.unknown}
        best={r.bestBid}
        maxSize={maxSize}
      />
      <td
        className="num price"
        data-testid={r.bestBid ? 'best-bid-price' : r.bestAsk ? 'best-ask-price' : undefined}
      >
        {r.price.toFixed(priceDecimals)}
      </td>
      <SizeCell
        side="ask"
        shown={askSide}
        size={r.askSize}
        levels={r.askLevels}
        unknown={r.unknown}
        best={r.bestAsk}
        maxSize={maxSize}
      />
    </tr>
  )
}, sameRow)

/**
 * One side's size in a row: its bar (width 0 where the row has none, so a scrub step changes
 * styles and texts, never the row's elements) and its text, `?` where the depth is not known and
 * `≥` where a group is only partly known.
 */
function SizeCell(p: {
  side: 'bid' | 'ask'
  /** The row is on this side of the book (or both). */
  shown: boolean
  size: number
  levels: number
  unknown: LadderRow['unknown']
  best: boolean
  maxSize: number
}) {
  const known = p.unknown !== 'all'
  const text = !p.shown
    ? ''
    : !known
      ? '?'
      : (p.unknown === 'part' ? '≥' : '') + (p.levels > 0 ? fmtSize(p.size) : '')
  return (
    <td className={`num ${p.side}-size`} data-testid={p.best ? `best-${p.side}-size` : undefined}>
      <div
        className={`bar ${p.side}`}
        style={{ width: p.shown && known ? `${(100 * p.size) / p.maxSize}%` : '0' }}
      />
      <span>{text}</span>
    </td>
  )
}

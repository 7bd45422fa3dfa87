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
  const unknownCell = r.unknown === 'all' ? '?' : null
  const bidSide = r.side === 'bid' || r.side === 'both'
  const askSide = r.side === 'ask' || r.side === 'both'
  // Every cell keeps its bar (width 0 when it has none): a scrub step then changes styles and
  // texts, never the rows' elements.
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
      <td className="num bid-size" data-testid={r.bestBid ? 'best-bid-size' : undefined}>
        <div
          className="bar bid"
          style={{
            width: bidSide && unknownCell === null ? `${(100 * r.bidSize) / maxSize}%` : '0'
          }}
        />
        <span>
          {bidSide
            ? (unknownCell ??
              (r.unknown === 'part' ? '≥' : '') + (r.bidLevels > 0 ? fmtSize(r.bidSize) : ''))
            : ''}
        </span>
      </td>
      <td
        className="num price"
        data-testid={r.bestBid ? 'best-bid-price' : r.bestAsk ? 'best-ask-price' : undefined}
      >
        {r.price.toFixed(priceDecimals)}
      </td>
      <td className="num ask-size" data-testid={r.bestAsk ? 'best-ask-size' : undefined}>
        <div
          className="bar ask"
          style={{
            width: askSide && unknownCell === null ? `${(100 * r.askSize) / maxSize}%` : '0'
          }}
        />
        <span>
          {askSide
            ? (unknownCell ??
              (r.unknown === 'part' ? '≥' : '') + (r.askLevels > 0 ? fmtSize(r.askSize) : ''))
            : ''}
        </span>
      </td>
    </tr>
  )
}, sameRow)

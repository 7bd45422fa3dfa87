// The visible window of a replay as CSV, for a notebook: one row per book frame (best bid/ask and
// their sizes, the update id) and one per trade, merged in time order, frames first at equal times.
// Prices and sizes are printed exactly from the timeline's integer ticks and lots, never via floats.
import { TOP_N } from '../engine/book/orderBook'
import { FRAME_CROSSED, FRAME_UNKNOWN_DEPTH } from '../engine/sink/timelineFormat'
import type { TimelineFiles } from './timelineFiles'

export const CSV_MAX_ROWS = 500_000
export const CSV_HEADER =
  'time_utc,time_ms,kind,update_id,bid_price,bid_size,ask_price,ask_size,trade_price,trade_size,aggressor,crossed,unknown_depth'

/** An integer count of 10^-scale units as an exact decimal ("0.00016"), trailing zeros dropped. */
export function unitsText(units: number, scale: number): string {
  if (Number.isNaN(units)) return ''
  const neg = units < 0
  const digits = String(Math.abs(Math.round(units))).padStart(scale + 1, '0')
  const int = digits.slice(0, digits.length - scale)
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '')
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`
}

function utc(ms: number): string {
  return new Date(ms).toISOString()
}

export interface WindowCsv {
  readonly csv: string
  readonly frames: number
  readonly trades: number
}

/** Frames and trades with times in [fromMs, toMs]; refuses windows over `maxRows` rows. */
export function windowCsv(
  f: TimelineFiles,
  fromMs: number,
  toMs: number,
  maxRows = CSV_MAX_ROWS
): WindowCsv {
  const fr = {
    first: f.lastBefore('frames', fromMs) + 1,
    end: f.lastAtOrBefore('frames', toMs) + 1
  }
  const tr = f.has('trades')
    ? { first: f.lastBefore('trades', fromMs) + 1, end: f.lastAtOrBefore('trades', toMs) + 1 }
    : { first: 0, end: 0 }
  const frames = Math.max(0, fr.end - fr.first)
  const trades = Math.max(0, tr.end - tr.first)
  if (frames + trades > maxRows)
    throw new Error(
      `This window holds ${frames.toLocaleString('en-US')} book frames and ${trades.toLocaleString('en-US')} trades, more than the ${maxRows.toLocaleString('en-US')} rows a CSV of the view may have: zoom in to a shorter window, or export the days as a dataset (Export page or lakebook export).`
    )
  const { tickStep, priceScale } = f.meta
  const price = (ticks: number): string => unitsText(ticks * tickStep, priceScale)
  const size = (lots: number): string => unitsText(lots, 8)
  const bookRows: { t: number; line: string }[] = []
  f.forRows('frames', fr.first, fr.end, 1, (c, i) => {
    const t = c['timeMs']?.[i] ?? 0
    const flags = c['flags']?.[i] ?? 0
    const k = i * TOP_N
    bookRows.push({
      t,
      line: [
        utc(t),
        t,
        'book',
        c['updateId']?.[i] ?? '',
        price(c['bidTicks']?.[k] ?? NaN),
        size(c['bidLots']?.[k] ?? NaN),
        price(c['askTicks']?.[k] ?? NaN),
        size(c['askLots']?.[k] ?? NaN),
        '',
        '',
        '',
        (flags & FRAME_CROSSED) !== 0 ? 1 : 0,
        (flags & FRAME_UNKNOWN_DEPTH) !== 0 ? 1 : 0
      ].join(',')
    })
  })
  const out: string[] = [CSV_HEADER]
  let b = 0
  const flushBook = (upTo: number): void => {
    while (b < bookRows.length && (bookRows[b]?.t ?? Infinity) <= upTo)
      out.push(bookRows[b++]?.line ?? '')
  }
  if (trades > 0)
    f.forRows('trades', tr.first, tr.end, 1, (c, i) => {
      const t = c['timeMs']?.[i] ?? 0
      flushBook(t)
      const buy = (c['buy']?.[i] ?? 0) === 1
      out.push(
        [
          utc(t),
          t,
          'trade',
          '',
          '',
          '',
          '',
          '',
          price(c['ticks']?.[i] ?? NaN),
          size(c['lots']?.[i] ?? NaN),
          buy ? 'buy' : 'sell',
          '',
          ''
        ].join(',')
      )
    })
  flushBook(Infinity)
  return { csv: `${out.join('\n')}\n`, frames, trades }
}

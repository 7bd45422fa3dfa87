// The DOM ladder's rows: contiguous prices at the tick (or groups of ×5, ×10, … ticks) around the
// touch, each with the resting bid and ask size the frame records there, the volume traded there in
// the window shown, and whether its depth is known. The frame holds the top N of each side: prices
// between the touch and the Nth level are known (empty when no level is listed), prices beyond the
// Nth level are unknown when the side had N levels (the book goes on, not recorded), known empty
// when it had fewer (that was the whole side). Pure, so it is tested on real frames.
import type { BookFrame } from '../../../src-shared/replay'

/** Levels per side a timeline records (engine TOP_N). */
export const RECORDED_DEPTH = 20

export interface LadderRow {
  /** Lowest price of the row's group (the price itself at ×1). */
  readonly price: number
  /** Integer group index: price / (tick × group). */
  readonly key: number
  readonly bidSize: number
  readonly askSize: number
  /** Bid levels / ask levels the frame lists in this row. */
  readonly bidLevels: number
  readonly askLevels: number
  /** Traded base volume at these prices in the window (buys and sells). */
  readonly bought: number
  readonly sold: number
  /** Which side's touch region the row is in. */
  readonly side: 'ask' | 'bid' | 'inside' | 'both'
  /** Depth there is not recorded: 'all' beyond the side's Nth level, 'part' for a group straddling it. */
  readonly unknown: 'no' | 'part' | 'all'
  readonly bestBid: boolean
  readonly bestAsk: boolean
}

export interface Trades {
  readonly price: readonly number[]
  readonly size: readonly number[]
  readonly buy: readonly boolean[]
}

/** The engine's volume per price (buys and sells) as the trades the ladder bins. */
export function tradedAtAsTrades(t: {
  readonly price: readonly number[]
  readonly buy: readonly number[]
  readonly sell: readonly number[]
}): Trades {
  return {
    price: [...t.price, ...t.price],
    size: [...t.buy, ...t.sell],
    buy: [...t.price.map(() => true), ...t.price.map(() => false)]
  }
}

const MAX_CROSSED_ROWS = 4000

/**
 * Rows from `rowsPerSide` groups above the best ask down to as many below the best bid, best ask's
 * group and best bid's group included. Empty when the frame has neither side.
 */
export function ladderRows(
  frame: BookFrame,
  tick: number,
  group: number,
  rowsPerSide: number,
  trades: Trades | null
): LadderRow[] {
  const g = Math.max(1, Math.round(group))
  const ticks = (p: number): number => Math.round(p / tick)
  // One grouping for both sides (a group's lowest price names it): the best bid and ask may share
  // a group when it is wider than the spread.
  const keyOf = (p: number): number => Math.floor(ticks(p) / g)
  const bestBid = frame.bids[0]?.[0]
  const bestAsk = frame.asks[0]?.[0]
  if (bestBid === undefined && bestAsk === undefined) return []
  const bb = bestBid !== undefined ? keyOf(bestBid) : keyOf(bestAsk ?? 0) - 1
  const ba = bestAsk !== undefined ? keyOf(bestAsk) : bb + 1
  // A crossed book (best ask below best bid) shows the crossed prices too, as rows of both sides;
  // of a crossing wider than MAX_CROSSED_ROWS the lowest rows are kept (the ladder says CROSSED).
  const crossedTop = bb > ba ? Math.min(bb, ba + MAX_CROSSED_ROWS) : ba
  const top = crossedTop + rowsPerSide - 1
  const bottom = Math.min(bb, ba) - rowsPerSide + 1
  const n = top - bottom + 1
  const bid = new Float64Array(n)
  const ask = new Float64Array(n)
  const bidLv = new Int32Array(n)
  const askLv = new Int32Array(n)
  const bought = new Float64Array(n)
  const sold = new Float64Array(n)
  const at = (k: number): number => top - k
  for (const [p, s] of frame.bids) {
    const r = at(keyOf(p))
    if (r >= 0 && r < n) {
      bid[r] = (bid[r] ?? 0) + s
      bidLv[r] = (bidLv[r] ?? 0) + 1
    }
  }
  for (const [p, s] of frame.asks) {
    const r = at(keyOf(p))
    if (r >= 0 && r < n) {
      ask[r] = (ask[r] ?? 0) + s
      askLv[r] = (askLv[r] ?? 0) + 1
    }
  }
  if (trades) {
    for (let i = 0; i < trades.price.length; i++) {
      const p = trades.price[i] ?? NaN
      if (!Number.isFinite(p)) continue
      const r = at(keyOf(p))
      if (r < 0 || r >= n) continue
      if (trades.buy[i]) bought[r] = (bought[r] ?? 0) + (trades.size[i] ?? 0)
      else sold[r] = (sold[r] ?? 0) + (trades.size[i] ?? 0)
    }
  }
  // The deepest recorded price of a full side: beyond it the book is not known.
  const deepBid = frame.bids.length >= RECORDED_DEPTH ? frame.bids.at(-1)?.[0] : undefined
  const deepAsk = frame.asks.length >= RECORDED_DEPTH ? frame.asks.at(-1)?.[0] : undefined
  const rows: LadderRow[] = []
  for (let r = 0; r < n; r++) {
    const key = top - r
    const lo = key * g // lowest tick of the group
    const hi = lo + g - 1
    let unknown: LadderRow['unknown'] = 'no'
    if (key >= ba && deepAsk !== undefined) {
      const d = ticks(deepAsk)
      unknown = lo > d ? 'all' : hi > d ? 'part' : 'no'
    } else if (key <= bb && deepBid !== undefined) {
      const d = ticks(deepBid)
      unknown = hi < d ? 'all' : lo < d ? 'part' : 'no'
    }
    const isAsk = key >= ba
    const isBid = key <= bb
    rows.push({
      price: lo * tick,
      key,
      bidSize: bid[r] ?? 0,
      askSize: ask[r] ?? 0,
      bidLevels: bidLv[r] ?? 0,
      askLevels: askLv[r] ?? 0,
      bought: bought[r] ?? 0,
      sold: sold[r] ?? 0,
      side: isAsk && isBid ? 'both' : isAsk ? 'ask' : isBid ? 'bid' : 'inside',
      unknown,
      bestBid: bestBid !== undefined && key === bb,
      bestAsk: bestAsk !== undefined && key === ba
    })
  }
  return rows
}

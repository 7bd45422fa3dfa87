// Two books on one clock: for each column of two heatmaps of the same window (same columns), the
// resting size of book A minus book B at every price both know, per side. A price beyond either
// book's recorded depth (its 20th level, when the side is full) is not compared: it is unknown,
// never "equal". Pure: the Compare panel draws it, the tests check it on real replays.
import type { BookHeatmap } from '../../../src-shared/replay'

export interface HeatmapDiff {
  readonly columns: number
  /** Flat cells that differ: column, price in ticks, A − B on the bid and on the ask side. */
  readonly col: number[]
  readonly ticks: number[]
  readonly dBid: number[]
  readonly dAsk: number[]
  /** Per column, the price range (ticks) both books know; lo > hi when either has no book. */
  readonly knownLo: number[]
  readonly knownHi: number[]
  /** Prices compared (inside both known ranges, a level in either book) and those that differ. */
  readonly compared: number
  readonly differing: number
  /** Columns whose best bid or best ask differ. */
  readonly bestDiffer: number
  /** The largest |A − B| (either side), with its column and price; null when nothing differs. */
  readonly largest: { readonly col: number; readonly ticks: number; readonly diff: number } | null
}

interface Side {
  readonly price: readonly number[]
  readonly size: readonly number[]
}

/** Levels of one column and side as ticks → size, and the deepest tick when the side is full. */
function levels(
  s: Side,
  c: number,
  depth: number,
  tick: number,
  out: Map<number, number>
): number | null {
  out.clear()
  let n = 0
  let deepest = NaN
  for (let k = 0; k < depth; k++) {
    const p = s.price[c * depth + k] ?? 0
    if (p <= 0) break
    const t = Math.round(p / tick)
    out.set(t, s.size[c * depth + k] ?? 0)
    deepest = t
    n++
  }
  return n === depth ? deepest : n === 0 ? null : Infinity
}

export function diffHeatmaps(a: BookHeatmap, b: BookHeatmap, tick: number): HeatmapDiff {
  if (a.columns !== b.columns || a.fromMs !== b.fromMs || a.toMs !== b.toMs)
    throw new Error('The two heatmaps are not of the same window and columns.')
  const out = {
    columns: a.columns,
    col: [] as number[],
    ticks: [] as number[],
    dBid: [] as number[],
    dAsk: [] as number[],
    knownLo: [] as number[],
    knownHi: [] as number[],
    compared: 0,
    differing: 0,
    bestDiffer: 0,
    largest: null as HeatmapDiff['largest']
  }
  const aBid = new Map<number, number>()
  const aAsk = new Map<number, number>()
  const bBid = new Map<number, number>()
  const bAsk = new Map<number, number>()
  for (let c = 0; c < a.columns; c++) {
    const ab = levels({ price: a.bidPrice, size: a.bidSize }, c, a.depth, tick, aBid)
    const aa = levels({ price: a.askPrice, size: a.askSize }, c, a.depth, tick, aAsk)
    const bb = levels({ price: b.bidPrice, size: b.bidSize }, c, b.depth, tick, bBid)
    const ba = levels({ price: b.askPrice, size: b.askSize }, c, b.depth, tick, bAsk)
    // Known prices: from the deeper of the two deepest bids to the nearer of the two deepest asks
    // (a side with fewer levels than the depth holds the whole book on that side).
    const lo = Math.max(
      ab === Infinity ? -Infinity : (ab ?? Infinity),
      bb === Infinity ? -Infinity : (bb ?? Infinity)
    )
    const hi = Math.min(
      aa === Infinity ? Infinity : (aa ?? -Infinity),
      ba === Infinity ? Infinity : (ba ?? -Infinity)
    )
    out.knownLo.push(lo)
    out.knownHi.push(hi)
    const bestOf = (m: Map<number, number>, bid: boolean): number => {
      let best = NaN
      for (const t of m.keys()) if (Number.isNaN(best) || (bid ? t > best : t < best)) best = t
      return best
    }
    if (bestOf(aBid, true) !== bestOf(bBid, true) || bestOf(aAsk, false) !== bestOf(bAsk, false))
      out.bestDiffer++
    const prices = new Set([...aBid.keys(), ...aAsk.keys(), ...bBid.keys(), ...bAsk.keys()])
    for (const t of prices) {
      if (t < lo || t > hi) continue
      out.compared++
      const dB = (aBid.get(t) ?? 0) - (bBid.get(t) ?? 0)
      const dA = (aAsk.get(t) ?? 0) - (bAsk.get(t) ?? 0)
      // Sizes are lots / 1e8: a difference below half a lot is float noise, not a difference.
      if (Math.abs(dB) < 5e-9 && Math.abs(dA) < 5e-9) continue
      out.differing++
      out.col.push(c)
      out.ticks.push(t)
      out.dBid.push(dB)
      out.dAsk.push(dA)
      const big = Math.abs(dB) >= Math.abs(dA) ? dB : dA
      if (!out.largest || Math.abs(big) > Math.abs(out.largest.diff))
        out.largest = { col: c, ticks: t, diff: big }
    }
  }
  return out
}

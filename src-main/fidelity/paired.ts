// Same-period checks that need no statistics: when reference and candidate cover the same time,
// their grids share grid times and can be compared point by point (does the Lake format, or a
// replay, show the same book at the same moment?); and a capture replay paired with Binance's
// bookTicker at every bookTicker arrival (how often the replayed best bid/ask is Binance's own).
import type { BboCheck, PairedDifference, PairedSummary } from '../../src-shared/fidelity'
import { lowerBound, type GridSeries, type MarketSeries } from './series'

/** Point-by-point agreement on the finest grid both series have, or null without overlap. */
export function pairedGrid(a: MarketSeries, b: MarketSeries): PairedSummary | null {
  const ms = a.grids.map((g) => g.intervalMs).find((x) => b.grids.some((g) => g.intervalMs === x))
  if (ms === undefined) return null
  const ga = a.grids.find((g) => g.intervalMs === ms) as GridSeries
  const gb = b.grids.find((g) => g.intervalMs === ms) as GridSeries
  const from = Math.max(ga.timeUs[0] ?? Infinity, gb.timeUs[0] ?? Infinity)
  const to = Math.min(ga.timeUs[ga.n - 1] ?? -Infinity, gb.timeUs[gb.n - 1] ?? -Infinity)
  if (!(to >= from)) return null
  let i = lowerBound(ga.timeUs, ga.n, from)
  let j = lowerBound(gb.timeUs, gb.n, from)
  let points = 0
  let mid = 0
  let spread = 0
  let l1 = 0
  let absMid = 0
  let midN = 0
  const largest: PairedDifference[] = []
  while (i < ga.n && j < gb.n && (ga.timeUs[i] as number) <= to) {
    const ta = ga.timeUs[i] as number
    const tb = gb.timeUs[j] as number
    if (ta < tb) {
      i++
      continue
    }
    if (tb < ta) {
      j++
      continue
    }
    points++
    const ab = ga.bidTick[i] as number
    const aa = ga.askTick[i] as number
    const bb = gb.bidTick[j] as number
    const ba = gb.askTick[j] as number
    if (ab + aa === bb + ba) mid++
    if (aa - ab === ba - bb) spread++
    if (
      ab === bb &&
      aa === ba &&
      ga.bidLots[i] === gb.bidLots[j] &&
      ga.askLots[i] === gb.askLots[j]
    )
      l1++
    const d = Math.abs((ab + aa) / 2 - (bb + ba) / 2)
    if (Number.isFinite(d)) {
      absMid += d
      midN++
      if (d > 0) keepLargest(largest, ta, d, ab, aa, bb, ba)
    }
    i++
    j++
  }
  if (points === 0) return null
  return {
    intervalMs: ms,
    points,
    midEqual: mid / points,
    spreadEqual: spread / points,
    l1Equal: l1 / points,
    meanAbsMidDiffTicks: midN ? absMid / midN : NaN,
    largest
  }
}

const LARGEST = 10

/** Keeps the LARGEST biggest differences, biggest first, the earlier time first among equals. */
function keepLargest(
  out: PairedDifference[],
  timeUs: number,
  d: number,
  ab: number,
  aa: number,
  bb: number,
  ba: number
): void {
  if (out.length === LARGEST && d <= (out[LARGEST - 1]?.midDiffTicks ?? Infinity)) return
  let at = out.length
  while (at > 0 && (out[at - 1]?.midDiffTicks ?? Infinity) < d) at--
  out.splice(at, 0, {
    timeMs: timeUs / 1000,
    midDiffTicks: d,
    reference: { bidTick: ab, askTick: aa },
    candidate: { bidTick: bb, askTick: ba }
  })
  if (out.length > LARGEST) out.pop()
}

/** The replay (or the impact model) against Binance's bookTicker at every bookTicker arrival. */
export function bboCheck(s: MarketSeries): BboCheck | null {
  const t = s.ticker
  if (!t || t.n === 0) return null
  let compared = 0
  let prices = 0
  let all = 0
  let absMid = 0
  for (let i = 0; i < t.n; i++) {
    const bb = t.bookBid[i] as number
    const ba = t.bookAsk[i] as number
    if (Number.isNaN(bb) || Number.isNaN(ba)) continue
    compared++
    const tb = t.tickerBid[i] as number
    const ta = t.tickerAsk[i] as number
    if (bb === tb && ba === ta) {
      prices++
      if (t.bookBidLots[i] === t.tickerBidLots[i] && t.bookAskLots[i] === t.tickerAskLots[i]) all++
    }
    absMid += Math.abs((bb + ba) / 2 - (tb + ta) / 2)
  }
  return {
    compared,
    pricesMatched: compared ? prices / compared : NaN,
    pricesAndSizesMatched: compared ? all / compared : NaN,
    meanAbsMidErrTicks: compared ? absMid / compared : NaN
  }
}

// Order-book imbalance (bid − ask) / (bid + ask) of the sizes over the best 1, 5 and 20 levels, on
// the finest grid; in [−1, 1]. L5 and L20 need the depth a bookTicker does not have.
import { gridOf, type GridSeries, type MarketSeries } from '../series'
import { finite, type MetricDef, type MetricSample } from './types'

function imbalance(
  s: MarketSeries,
  ms: number,
  pick: (g: GridSeries) => [Float64Array, Float64Array]
): MetricSample {
  const g = gridOf(s, ms)
  if (!g) return finite(new Float64Array(0))
  const [bid, ask] = pick(g)
  const out = new Float64Array(g.n)
  for (let i = 0; i < g.n; i++) {
    const b = bid[i] as number
    const a = ask[i] as number
    out[i] = (b - a) / (b + a)
  }
  return finite(out)
}

const noDepth = (s: MarketSeries): string | null =>
  s.hasDepth ? null : `${s.kind} sources have the best level only`

function def(level: 1 | 5 | 20): MetricDef {
  return {
    id: `imbalance.l${level}`,
    label: `Order-book imbalance, best ${level} level${level > 1 ? 's' : ''}`,
    family: 'imbalance',
    units: '(−1…1)',
    discrete: false,
    sampling: (ctx) => `${ctx.finestMs} ms grid`,
    unavailable: level === 1 ? () => null : noDepth,
    extract: (s, ctx) =>
      imbalance(s, ctx.finestMs, (g) =>
        level === 1 ? [g.bidLots, g.askLots] : level === 5 ? [g.bid5, g.ask5] : [g.bid20, g.ask20]
      ),
    scalars: []
  }
}

export const imbalanceL1 = def(1)
export const imbalanceL5 = def(5)
export const imbalanceL20 = def(20)

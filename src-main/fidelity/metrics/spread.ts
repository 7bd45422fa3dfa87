// The bid-ask spread in ticks on the finest grid: its distribution (one histogram bin per tick
// value) and how fast it reverts to its usual level (AR(1) half-life, stats/meanReversion.ts).
// A crossed (negative) or locked (zero) spread is kept: it is exactly what a broken reconstruction
// produces, and hiding it would hide the fault.
import { gridOf } from '../series'
import { ar1HalfLife, mean } from '../stats'
import { finite, safe, type MetricDef } from './types'

export const spread: MetricDef = {
  id: 'spread',
  label: 'Bid-ask spread',
  family: 'spread',
  units: 'ticks',
  discrete: true,
  sampling: (ctx) => `${ctx.finestMs} ms grid`,
  unavailable: () => null,
  extract: (s, ctx) => {
    const g = gridOf(s, ctx.finestMs)
    if (!g) return finite(new Float64Array(0))
    const out = new Float64Array(g.n)
    for (let i = 0; i < g.n; i++) out[i] = (g.askTick[i] as number) - (g.bidTick[i] as number)
    return finite(out)
  },
  scalars: [
    { name: 'mean spread', units: 'ticks', compute: (x) => safe(() => mean(x)) },
    {
      name: 'mean-reversion half-life (AR(1))',
      units: 's',
      compute: (x, _aux, ctx) => safe(() => ar1HalfLife(x, { dt: ctx.finestMs / 1000 }).halfLife)
    }
  ]
}

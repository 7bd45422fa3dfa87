// Order-flow imbalance (Cont, Kukanov & Stoikov 2014, "The price impact of order book events"):
// the signed change of best-level liquidity, summed per interval (seriesBuilder.ts computes each
// event's contribution). Its explanatory power for mid-price changes — R² of ΔP on OFI over the
// same intervals — is a stylized fact of L1 dynamics; a reconstruction that loses or reorders
// updates lowers it.
import { LOTS_PER_UNIT } from '../../../src-shared/units'
import { gridOf } from '../series'
import { linearFit } from '../stats'
import { finite, safe, type MetricDef } from './types'

export const ofi: MetricDef = {
  id: 'ofi',
  label: 'Order-flow imbalance (Cont et al.)',
  family: 'order flow',
  units: 'base units per interval',
  discrete: false,
  sampling: (ctx) => `${ctx.coarsestMs} ms intervals`,
  unavailable: () => null,
  extract: (s, ctx) => {
    const g = gridOf(s, ctx.coarsestMs)
    if (!g || g.n < 2) return finite(new Float64Array(0))
    // OFI over (t_{k-1}, t_k] against the mid change over the same interval, in ticks.
    const x = new Float64Array(g.n - 1)
    const dp = new Float64Array(g.n - 1)
    for (let k = 1; k < g.n; k++) {
      x[k - 1] = (g.ofi[k] as number) / LOTS_PER_UNIT
      const m1 = ((g.bidTick[k] as number) + (g.askTick[k] as number)) / 2
      const m0 = ((g.bidTick[k - 1] as number) + (g.askTick[k - 1] as number)) / 2
      dp[k - 1] = m1 - m0
    }
    return finite(x, dp)
  },
  scalars: [
    {
      name: 'R² of Δmid on OFI',
      units: 'dimensionless, 0…1',
      compute: (x, dp) => (dp ? safe(() => linearFit(x, dp).r2) : NaN)
    },
    {
      name: 'price impact of OFI (OLS slope)',
      units: 'ticks per base unit',
      compute: (x, dp) => (dp ? safe(() => linearFit(x, dp).slope) : NaN)
    }
  ]
}

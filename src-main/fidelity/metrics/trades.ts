// Trade sizes: the distribution and its power-law tail. Trade sizes are heavy-tailed (a few large
// takers); the tail exponent is estimated by maximum likelihood with xmin chosen by the KS
// criterion (Clauset, Shalizi & Newman 2009, stats/tails.ts).
import { LOTS_PER_UNIT } from '../../../src-shared/units'
import { powerLawFit } from '../stats'
import { finite, safe, type MetricDef } from './types'

export const tradeSize: MetricDef = {
  id: 'trades.size',
  label: 'Trade size',
  family: 'trades',
  units: 'base units',
  discrete: false,
  sampling: () => 'every trade',
  unavailable: (s) => (s.trades === null ? `${s.kind} sources carry no trades` : null),
  extract: (s) => {
    const t = s.trades
    if (!t) return finite(new Float64Array(0))
    const out = new Float64Array(t.n)
    for (let i = 0; i < t.n; i++) out[i] = (t.lots[i] as number) / LOTS_PER_UNIT
    return finite(out)
  },
  scalars: [
    {
      name: 'power-law tail exponent α (MLE)',
      units: 'dimensionless',
      compute: (x) => safe(() => powerLawFit(x, { maxCandidates: 100 }).alpha),
      // Replicates keep the full sample's xmin (the usual conditional bootstrap of α).
      fit: (x) => {
        let xmin = NaN
        let value = NaN
        try {
          const f = powerLawFit(x, { maxCandidates: 100 })
          xmin = f.xmin
          value = Number.isFinite(f.alpha) ? f.alpha : NaN
        } catch {
          // no tail to fit: NaN
        }
        return {
          value,
          replicate: (y) => (Number.isNaN(xmin) ? NaN : safe(() => powerLawFit(y, { xmin }).alpha))
        }
      }
    }
  ]
}

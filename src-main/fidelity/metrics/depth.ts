// The depth profile: the size resting at the k-th best level of each side, on the profile grid.
// Scored at levels 1, 5, 10 and 20 (bid and ask pooled); the mean profile over all 20 levels is
// plotted. In spot BTCUSDT the top 20 sometimes reaches past what the REST snapshot described
// ("unknown depth", docs/book-semantics.md): its share is reported with the series.
import { LOTS_PER_UNIT } from '../../../src-shared/units'
import { PROFILE_LEVELS, type MarketSeries } from '../series'
import { finite, type MetricDef } from './types'

function def(level: number): MetricDef {
  return {
    id: `depth.l${level}`,
    label: `Size at level ${level}`,
    family: 'depth profile',
    units: 'base units',
    discrete: false,
    sampling: (ctx) => `${ctx.profileMs} ms profile grid, bid and ask pooled`,
    unavailable: (s) => (s.profile === null ? `${s.kind} sources have the best level only` : null),
    extract: (s) => {
      const p = s.profile
      if (!p) return finite(new Float64Array(0))
      const out = new Float64Array(p.n * 2)
      const k = level - 1
      for (let i = 0; i < p.n; i++) {
        out[2 * i] = (p.bidLots[i * PROFILE_LEVELS + k] as number) / LOTS_PER_UNIT
        out[2 * i + 1] = (p.askLots[i * PROFILE_LEVELS + k] as number) / LOTS_PER_UNIT
      }
      return finite(out)
    },
    scalars: []
  }
}

export const depthL1 = def(1)
export const depthL5 = def(5)
export const depthL10 = def(10)
export const depthL20 = def(20)

/** Mean size per level and side (base units), over the profile grid points that have the level. */
export function meanProfile(s: MarketSeries): { bid: number[]; ask: number[] } | null {
  const p = s.profile
  if (!p || p.n === 0) return null
  const bid: number[] = []
  const ask: number[] = []
  for (let k = 0; k < PROFILE_LEVELS; k++) {
    let sb = 0
    let nb = 0
    let sa = 0
    let na = 0
    for (let i = 0; i < p.n; i++) {
      const b = p.bidLots[i * PROFILE_LEVELS + k] as number
      const a = p.askLots[i * PROFILE_LEVELS + k] as number
      if (b === b) {
        sb += b
        nb++
      }
      if (a === a) {
        sa += a
        na++
      }
    }
    bid.push(nb ? sb / nb / LOTS_PER_UNIT : NaN)
    ask.push(na ? sa / na / LOTS_PER_UNIT : NaN)
  }
  return { bid, ask }
}

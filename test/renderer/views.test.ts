// Pure modules of the renderer (no DOM): the heatmap's price window and the calendar of a local
// folder listing. Inputs are SYNTHETIC, built here: a two-column heatmap and partition-day lists.
import { describe, expect, it } from 'vitest'
import type { BookHeatmap } from '../../src-shared/replay'
import { localCoverage } from '../../src-renderer/src/components/CoverageCalendar'
import { priceRange } from '../../src-renderer/src/components/heatmapDraw'

/** Two columns of depth 2: best bid/ask 100.00/100.02, then 99.98/100.04; the second column one-sided in the first level count. */
function heatmap(): BookHeatmap {
  return {
    fromMs: 0,
    toMs: 2000,
    columns: 2,
    depth: 2,
    frame: [0, 1],
    bidPrice: [100.0, 99.99, 99.98, 99.97],
    bidSize: [1, 2, 1, 2],
    askPrice: [100.02, 100.03, 100.04, 0],
    askSize: [1, 1, 1, 0],
    unknownDepth: [0, 0],
    trades: { timeMs: [], price: [], size: [], buy: [] },
    tradesMerged: false,
    tradeBubbles: 'each',
    tradedAt: { price: [], buy: [], sell: [] },
    source: 'frames'
  }
}

describe('heatmap price window (synthetic)', () => {
  it('centres a span of ticks on the mid of the cursor column', () => {
    const r = priceRange(heatmap(), 0.01, 10, 1500)
    expect(r?.lo).toBeCloseTo(99.96, 9)
    expect(r?.hi).toBeCloseTo(100.06, 9)
  })

  it('fits the best prices of the window with room around them, at least 12 ticks', () => {
    const r = priceRange(heatmap(), 0.01)
    // best prices span 99.98…100.04 (0.06): the pad is max(0.021, 0.12) = 0.12.
    expect(r?.lo).toBeCloseTo(99.86, 9)
    expect(r?.hi).toBeCloseTo(100.16, 9)
  })

  it('has no window when no column holds a price', () => {
    const empty = { ...heatmap(), bidPrice: [0, 0, 0, 0], askPrice: [0, 0, 0, 0] }
    expect(priceRange(empty, 0.01)).toBeNull()
  })
})

describe('calendar of a local folder (synthetic)', () => {
  it('spans every calendar day between the first and last partition, leap day included', () => {
    const v = localCoverage({ trades: ['2024-02-28', '2024-03-01'], book: ['2024-02-29'] })
    expect(v?.days).toEqual(['2024-02-28', '2024-02-29', '2024-03-01'])
    expect(v?.rows.map((r) => r.cells.map((c) => c.state))).toEqual([
      ['present', 'missing', 'present'],
      ['missing', 'present', 'missing']
    ])
  })

  it('is nothing for a folder without partitions', () => {
    expect(localCoverage({ trades: [] })).toBeNull()
  })
})

// Pure parts of the Book page's layout and price axis (no DOM), on SYNTHETIC values built here: the
// remembered pane sizes read back from storage, and price zoom/pan on the heatmap's axis.
import { describe, expect, it } from 'vitest'
import { panPrices, zoomPrices } from '../../src-renderer/src/components/heatmapDraw'
import { HEATMAP_HEIGHT, LADDER_WIDTH, parseLayout } from '../../src-renderer/src/stores/layout'

describe('remembered pane sizes', () => {
  it('reads what was stored, within bounds, and falls back on anything else', () => {
    expect(parseLayout(JSON.stringify({ ladderWidth: 500, heatmapHeight: 640 }))).toEqual({
      ladderWidth: 500,
      heatmapHeight: 640
    })
    expect(parseLayout(JSON.stringify({ ladderWidth: 10, heatmapHeight: 1e9 }))).toEqual({
      ladderWidth: LADDER_WIDTH.min,
      heatmapHeight: HEATMAP_HEIGHT.max
    })
    const none = { ladderWidth: null, heatmapHeight: null }
    expect(parseLayout(null)).toEqual(none)
    expect(parseLayout('{not json')).toEqual(none)
    expect(parseLayout(JSON.stringify({ ladderWidth: 'wide', heatmapHeight: null }))).toEqual(none)
  })
})

describe('price axis zoom and pan', () => {
  const r = { lo: 100, hi: 200 }
  it('zooms around the pointer price: it stays at the same height', () => {
    const z = zoomPrices(r, 125, 0.5, 1)
    expect(z.hi - z.lo).toBeCloseTo(50)
    expect((125 - z.lo) / (z.hi - z.lo)).toBeCloseTo(0.25)
    // Never thinner than the minimum span (a few ticks).
    const tiny = zoomPrices(r, 150, 1e-9, 0.04)
    expect(tiny.hi - tiny.lo).toBeCloseTo(0.04)
  })
  it('pans by the dragged share of the plot: dragging down shows higher prices', () => {
    expect(panPrices(r, 50, 500)).toEqual({ lo: 110, hi: 210 })
    expect(panPrices(r, -250, 500)).toEqual({ lo: 50, hi: 150 })
  })
})

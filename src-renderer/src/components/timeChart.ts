// What every uPlot time-axis chart of the Book page shares: the page's tick labels (timeAxis.ts),
// the shared window (wheel zooms around the pointer, shift+wheel or drag pans, a click moves the
// cursor) instead of uPlot's own drag-to-zoom, and the x range set from the shared window.
import type uPlot from 'uplot'
import { setView, useHeatmap } from '../stores/heatmap'
import { fmtTime } from '../../../src-shared/format'
import { panView, tickLabel, wheelView, type TimeView } from '../timeAxis'

/** The x axis: ticks labelled in the page's one time format (axis values are seconds). */
export function timeXAxis(): uPlot.Axis {
  return {
    space: 90,
    size: 44,
    values: (_u, splits, _i, _space, incr) =>
      splits.map((s, k) =>
        tickLabel(s * 1000, incr * 1000, k > 0 ? (splits[k - 1] ?? 0) * 1000 : null)
      )
  }
}

/** The x series: the legend shows the time under the pointer in the page's format. */
export const timeXSeries: uPlot.Series = {
  label: 'time (UTC, exchange)',
  value: (_u, v: number | null) => (v === null ? '--' : fmtTime(v * 1000))
}

/** No uPlot zoom selection: the window is the page's. */
export const noDragZoom: uPlot.Cursor = { drag: { x: false, y: false, setScale: false } }

/**
 * Wires a chart's plot area to the shared window. `full` is the replay's span; `onPick` gets the
 * time clicked (not dragged).
 */
export function linkTimeChart(
  u: uPlot,
  full: () => TimeView,
  onPick: (timeMs: number) => void
): void {
  const over = u.over
  const current = (): TimeView => {
    const min = u.scales['x']?.min
    const max = u.scales['x']?.max
    return (
      useHeatmap.getState().view ??
      (min !== undefined && max !== undefined ? { fromMs: min * 1000, toMs: max * 1000 } : full())
    )
  }
  over.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault()
      const w = Math.max(1, over.clientWidth)
      setView(wheelView(e, current(), Math.min(1, Math.max(0, e.offsetX / w)), w, full()))
    },
    { passive: false }
  )
  let drag: { x: number; view: TimeView; moved: boolean } | null = null
  over.addEventListener('pointerdown', (e) => {
    over.setPointerCapture(e.pointerId)
    drag = { x: e.offsetX, view: current(), moved: false }
  })
  over.addEventListener('pointermove', (e) => {
    const d = drag
    if (!d) return
    const dx = e.offsetX - d.x
    if (Math.abs(dx) > 3) d.moved = true
    if (!d.moved) return
    const span = d.view.toMs - d.view.fromMs
    setView(panView(d.view, (-dx / Math.max(1, over.clientWidth)) * span, full()))
  })
  over.addEventListener('pointerup', (e) => {
    const d = drag
    drag = null
    if (d && !d.moved) onPick(u.posToVal(e.offsetX, 'x') * 1000)
  })
  over.addEventListener('dblclick', () => {
    setView(null)
  })
}

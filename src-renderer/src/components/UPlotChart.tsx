// The one uPlot wrapper: create on mount, destroy on unmount, setSize on resize, setData when the
// data reference changes, re-create only when the options reference changes (memoize options).
// Compared by reference, never deep-equal (Grafana's UPlotChart). A cursor line (the page's
// scrubbed time) is an element over the plot, moved without redrawing the chart: a redraw per
// step of a chart with thousands of trade dots cost more than the rest of the step together.
import { useEffect, useLayoutEffect, useRef } from 'react'
import uPlot from 'uplot'
import { themeColor, useTheme } from '../theme'

interface Props {
  readonly options: Omit<uPlot.Options, 'width' | 'height'>
  readonly data: uPlot.AlignedData
  readonly height: number
  readonly onCreate?: (chart: uPlot) => void
  /** Where the cursor line stands, in the x scale's units (null: none). */
  readonly cursorX?: number | null
}

/** Places the cursor line over the plot at `x` (hidden outside the x range or when null). */
function placeCursor(u: uPlot, line: HTMLDivElement, x: number | null): void {
  const min = u.scales['x']?.min
  const max = u.scales['x']?.max
  if (x === null || min == null || max == null || x < min || x > max) {
    line.style.display = 'none'
    return
  }
  const px = Math.round(u.valToPos(x, 'x'))
  line.style.display = ''
  line.style.transform = `translateX(${px}px)`
  line.dataset['x'] = String(px)
}

export function UPlotChart({ options, data, height, onCreate, cursorX = null }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<uPlot | null>(null)
  const line = useRef<HTMLDivElement | null>(null)
  const cursorRef = useRef(cursorX)
  const dataRef = useRef(data)
  // Axes are drawn on the canvas: their colours come from the theme, and a new theme redraws.
  const theme = useTheme((s) => s.applied)
  useLayoutEffect(() => {
    dataRef.current = data
    cursorRef.current = cursorX
  })

  useEffect(() => {
    const el = box.current
    if (!el) return
    const axis = themeColor('--chart-axis', '#3d4650')
    const grid = themeColor('--chart-grid', 'rgba(0,0,0,0.08)')
    const axes = (options.axes ?? [{}, {}]).map((a) => ({
      stroke: axis,
      ...a,
      grid: { stroke: grid, width: 1, ...a.grid },
      ticks: { stroke: grid, width: 1, ...a.ticks }
    }))
    const cursorLine = document.createElement('div')
    cursorLine.className = 'chart-cursor'
    cursorLine.dataset['testid'] = 'chart-cursor'
    // Every redraw (zoom, new data, resize) moves the line with the plot.
    const follow: uPlot.Plugin = {
      hooks: {
        draw: (u: uPlot) => {
          placeCursor(u, cursorLine, cursorRef.current)
        }
      }
    }
    const u = new uPlot(
      {
        ...options,
        axes,
        plugins: [...(options.plugins ?? []), follow],
        width: el.clientWidth || 600,
        height
      },
      dataRef.current,
      el
    )
    u.over.appendChild(cursorLine)
    line.current = cursorLine
    placeCursor(u, cursorLine, cursorRef.current)
    chart.current = u
    onCreate?.(u)
    const ro = new ResizeObserver(() => {
      u.setSize({ width: el.clientWidth, height })
    })
    ro.observe(el)
    return () => {
      ro.disconnect()
      u.destroy()
      chart.current = null
    }
  }, [options, height, onCreate, theme])

  useEffect(() => {
    chart.current?.setData(data)
  }, [data])

  useLayoutEffect(() => {
    const u = chart.current
    if (u && line.current) placeCursor(u, line.current, cursorX)
  }, [cursorX])

  return <div ref={box} className="chart" />
}

/** Series options for step lines (uPlot builds them lazily; absent in trimmed builds). */
const steppedPaths = uPlot.paths.stepped?.({ align: 1 })
export const stepped: { paths?: uPlot.Series.PathBuilder } = steppedPaths
  ? { paths: steppedPaths }
  : {}

/**
 * Points as filled squares of the series' point size, one path for the whole series: uPlot's
 * round points are an arc each, and the arcs of a few thousand trades were most of a redraw.
 */
export const squarePoints: uPlot.Series.Points.PathBuilder = (u, seriesIdx, idx0, idx1) => {
  const s = u.series[seriesIdx]
  const xs = u.data[0]
  const ys = u.data[seriesIdx]
  const scale = s?.scale ?? 'y'
  const size = (s?.points?.size ?? 3) * (window.devicePixelRatio || 1)
  const fill = new Path2D()
  if (!ys) return { fill }
  for (let i = idx0; i <= idx1; i++) {
    const y = ys[i]
    const x = xs[i]
    if (y == null || x == null) continue
    const cx = u.valToPos(x, 'x', true)
    const cy = u.valToPos(y, scale, true)
    fill.rect(cx - size / 2, cy - size / 2, size, size)
  }
  return { fill }
}

// The one uPlot wrapper: create on mount, destroy on unmount, setSize on resize, setData when the
// data reference changes, re-create only when the options reference changes (memoize options).
// Compared by reference, never deep-equal (Grafana's UPlotChart).
import { useEffect, useLayoutEffect, useRef } from 'react'
import uPlot from 'uplot'
import { themeColor, useTheme } from '../theme'

interface Props {
  readonly options: Omit<uPlot.Options, 'width' | 'height'>
  readonly data: uPlot.AlignedData
  readonly height: number
  readonly onCreate?: (chart: uPlot) => void
}

export function UPlotChart({ options, data, height, onCreate }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<uPlot | null>(null)
  const dataRef = useRef(data)
  // Axes are drawn on the canvas: their colours come from the theme, and a new theme redraws.
  const theme = useTheme((s) => s.applied)
  useLayoutEffect(() => {
    dataRef.current = data
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
    const u = new uPlot(
      { ...options, axes, width: el.clientWidth || 600, height },
      dataRef.current,
      el
    )
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

  return <div ref={box} className="chart" />
}

/** Series options for step lines (uPlot builds them lazily; absent in trimmed builds). */
const steppedPaths = uPlot.paths.stepped?.({ align: 1 })
export const stepped: { paths?: uPlot.Series.PathBuilder } = steppedPaths
  ? { paths: steppedPaths }
  : {}

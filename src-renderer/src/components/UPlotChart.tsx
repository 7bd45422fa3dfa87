// The one uPlot wrapper: create on mount, destroy on unmount, setSize on resize, setData when the
// data reference changes, re-create only when the options reference changes (memoize options).
// Compared by reference, never deep-equal (Grafana's UPlotChart).
import { useEffect, useLayoutEffect, useRef } from 'react'
import uPlot from 'uplot'

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
  useLayoutEffect(() => {
    dataRef.current = data
  })

  useEffect(() => {
    const el = box.current
    if (!el) return
    const u = new uPlot({ ...options, width: el.clientWidth || 600, height }, dataRef.current, el)
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
  }, [options, height, onCreate])

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

// Drift of the reconstruction against the reference book rows: Jaccard of the compared levels
// (1 = same prices) and the size L1 distance, over time, on the page's shared window and cursor.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react'
import type uPlot from 'uplot'
import type { BookSeries } from '../../../src-shared/replay'
import type { TimeView } from '../timeAxis'
import { UPlotChart } from './UPlotChart'
import { utcDate } from './BboChart'
import { linkTimeChart, noDragZoom, timeXAxis, timeXSeries } from './timeChart'

interface Props {
  readonly drift: NonNullable<BookSeries['drift']>
  readonly cursorMs: number | null
  /** The page's window; null shows the whole replay (`full`). */
  readonly view: TimeView | null
  readonly full: TimeView
  readonly onPick: (timeMs: number) => void
}

export function DriftChart({ drift, cursorMs, view, full, onPick }: Props) {
  const chart = useRef<uPlot | null>(null)
  const fullRef = useRef(full)
  const pick = useRef(onPick)
  useLayoutEffect(() => {
    fullRef.current = full
    pick.current = onPick
  })
  const data = useMemo<uPlot.AlignedData>(
    () => [drift.timeMs.map((t) => t / 1000), drift.jaccard, drift.sizeL1],
    [drift]
  )
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: true }, j: { range: [0, 1.05] } },
      tzDate: utcDate,
      cursor: noDragZoom,
      series: [
        timeXSeries,
        { label: 'Jaccard (levels)', stroke: '#1f6feb', scale: 'j', points: { show: false } },
        { label: 'size L1', stroke: '#b36b00', scale: 'l1', points: { show: false } }
      ],
      // Size L1 has its own scale but no axis: its shape matters, the values show in the legend.
      axes: [timeXAxis(), { scale: 'j', size: 50 }],
      plugins: [
        {
          hooks: {
            ready: (u: uPlot) => {
              linkTimeChart(
                u,
                () => fullRef.current,
                (ms) => {
                  pick.current(ms)
                }
              )
            }
          }
        }
      ]
    }),
    []
  )
  const onCreate = useCallback((u: uPlot) => {
    chart.current = u
  }, [])
  const from = (view ?? full).fromMs
  const to = (view ?? full).toMs
  useEffect(() => {
    chart.current?.setScale('x', { min: from / 1000, max: to / 1000 })
  }, [from, to, data])
  return (
    <div data-testid="drift-chart" data-from-ms={from} data-to-ms={to}>
      <UPlotChart
        options={options}
        data={data}
        height={160}
        onCreate={onCreate}
        cursorX={cursorMs === null ? null : cursorMs / 1000}
      />
    </div>
  )
}

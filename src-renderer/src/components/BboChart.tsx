// Best bid/ask (stepped lines) and trades (points, buys and sells) over time, with the scrubbed
// time marked. Times are seconds for uPlot's time axis.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react'
import uPlot from 'uplot'
import type { BookSeries } from '../../../src-shared/replay'
import { UPlotChart, stepped } from './UPlotChart'

interface Props {
  readonly series: BookSeries
  readonly cursorMs: number | null
  readonly onPick: (timeMs: number) => void
  /** The time window to show (the heatmap's); null shows the whole replay. */
  readonly view?: { readonly fromMs: number; readonly toMs: number } | null
}

/** Merges frame and trade times into uPlot's aligned columns (nulls where a series has no point). */
function align(s: BookSeries): uPlot.AlignedData {
  const n = s.timeMs.length
  const m = s.trades.timeMs.length
  const xs: number[] = []
  const bid: (number | null)[] = []
  const ask: (number | null)[] = []
  const buys: (number | null)[] = []
  const sells: (number | null)[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    const ti = i < n ? (s.timeMs[i] ?? Infinity) : Infinity
    const tj = j < m ? (s.trades.timeMs[j] ?? Infinity) : Infinity
    if (ti <= tj) {
      xs.push(ti / 1000)
      bid.push(s.bestBid[i] ?? null)
      ask.push(s.bestAsk[i] ?? null)
      buys.push(null)
      sells.push(null)
      i++
    } else {
      xs.push(tj / 1000)
      bid.push(null)
      ask.push(null)
      const p = s.trades.price[j] ?? null
      buys.push(s.trades.buy[j] ? p : null)
      sells.push(s.trades.buy[j] ? null : p)
      j++
    }
  }
  return [xs, bid, ask, buys, sells]
}

/** The researcher reads exchange times in UTC, as the rest of the app prints them. */
export const utcDate = (ts: number): Date => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC')

const MARKER_COLORS: Record<string, string> = {
  crossed: 'rgba(210,69,61,0.18)',
  drift: 'rgba(179,107,0,0.18)',
  gap: 'rgba(122,76,194,0.5)',
  resync: 'rgba(122,76,194,0.5)',
  burst: 'rgba(31,111,235,0.45)',
  reseed: 'rgba(46,157,91,0.6)'
}

export function BboChart({ series, cursorMs, onPick, view = null }: Props) {
  const cursor = useRef<number | null>(cursorMs)
  const markers = useRef(series.markers)
  const chart = useRef<uPlot | null>(null)
  const pick = useRef(onPick)
  useLayoutEffect(() => {
    cursor.current = cursorMs
    pick.current = onPick
    markers.current = series.markers
  })
  const data = useMemo(() => align(series), [series])
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: true } },
      tzDate: utcDate,
      series: [
        {},
        {
          label: 'best bid',
          stroke: '#2e9d5b',
          spanGaps: true,
          ...stepped,
          points: { show: false }
        },
        {
          label: 'best ask',
          stroke: '#d2453d',
          spanGaps: true,
          ...stepped,
          points: { show: false }
        },
        {
          label: 'buy trades',
          stroke: '#1f6feb',
          paths: () => null,
          points: { show: true, size: 3, fill: '#1f6feb' }
        },
        {
          label: 'sell trades',
          stroke: '#b36b00',
          paths: () => null,
          points: { show: true, size: 3, fill: '#b36b00' }
        }
      ],
      axes: [{}, { size: 80 }],
      plugins: [
        {
          hooks: {
            draw: (u: uPlot) => {
              // Markers: episodes as shaded spans, instants as thin lines.
              const ctx0 = u.ctx
              for (const m of markers.current) {
                const x0 = u.valToPos(m.fromMs / 1000, 'x', true)
                const x1 = u.valToPos(m.toMs / 1000, 'x', true)
                ctx0.fillStyle = MARKER_COLORS[m.kind] ?? 'rgba(0,0,0,0.2)'
                ctx0.fillRect(
                  Math.min(x0, x1),
                  u.bbox.top,
                  Math.max(2, Math.abs(x1 - x0)),
                  u.bbox.height
                )
              }
              const t = cursor.current
              if (t === null) return
              const x = u.valToPos(t / 1000, 'x', true)
              const ctx = u.ctx
              ctx.save()
              ctx.strokeStyle = '#888'
              ctx.setLineDash([4, 4])
              ctx.beginPath()
              ctx.moveTo(x, u.bbox.top)
              ctx.lineTo(x, u.bbox.top + u.bbox.height)
              ctx.stroke()
              ctx.restore()
            },
            ready: (u: uPlot) => {
              u.over.addEventListener('click', () => {
                const left = u.cursor.left
                if (left !== undefined && left >= 0) pick.current(u.posToVal(left, 'x') * 1000)
              })
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
  // Redraw the marker when the scrubber moves, without new data.
  useEffect(() => {
    chart.current?.redraw(false)
  }, [cursorMs])
  // One zoom with the heatmap: its window is this chart's x range.
  const from = view?.fromMs ?? null
  const to = view?.toMs ?? null
  useEffect(() => {
    const u = chart.current
    const xs = data[0]
    if (!u || xs.length === 0) return
    u.setScale('x', {
      min: from === null ? (xs[0] ?? 0) : from / 1000,
      max: to === null ? (xs[xs.length - 1] ?? 0) : to / 1000
    })
  }, [from, to, data])
  return <UPlotChart options={options} data={data} height={260} onCreate={onCreate} />
}

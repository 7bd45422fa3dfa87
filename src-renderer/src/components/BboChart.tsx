// Best bid/ask (stepped lines) and trades (points, buys and sells) over time, with the scrubbed
// time marked. Times are seconds for uPlot's time axis; the window is the page's (timeChart.ts).
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react'
import uPlot from 'uplot'
import type { BookSeries } from '../../../src-shared/replay'
import { themeColor, useTheme } from '../theme'
import { wholeSpan } from '../timeAxis'
import { linkTimeChart, noDragZoom, timeXAxis, timeXSeries } from './timeChart'
import { squarePoints, UPlotChart, stepped } from './UPlotChart'
import { requestChartWindow, useChartWindow } from '../stores/chartWindow'

/** Points asked for a zoomed window: about two per pixel of a wide chart. */
const WINDOW_POINTS = 4000

interface Props {
  readonly jobId: string
  /** The overview series (the whole replay); a window's own points are fetched for a zoom. */
  readonly series: BookSeries
  readonly cursorMs: number | null
  readonly onPick: (timeMs: number) => void
  /** The time window to show (the heatmap's); null shows the whole replay. */
  readonly view?: { readonly fromMs: number; readonly toMs: number } | null
}

/**
 * Merges frame, trade and (with the trade impact model) effective best times into uPlot's aligned
 * columns: x, bid, ask, buys, sells[, effective bid, effective ask]; null where a series has no point.
 */
export function align(s: BookSeries): uPlot.AlignedData {
  const eff = s.effective
  const streams = [s.timeMs, s.trades.timeMs, eff?.timeMs ?? []]
  const at = [0, 0, 0]
  const cols: (number | null)[][] = [[], [], [], [], [], [], []]
  const xs: number[] = []
  for (;;) {
    let k = -1
    let best = Infinity
    for (let q = 0; q < 3; q++) {
      const t = streams[q]?.[at[q] ?? 0]
      if (t !== undefined && t < best) {
        best = t
        k = q
      }
    }
    if (k < 0) break
    const i = at[k] ?? 0
    at[k] = i + 1
    xs.push(best / 1000)
    const row: (number | null)[] = [null, null, null, null, null, null]
    if (k === 0) {
      row[0] = s.bestBid[i] ?? null
      row[1] = s.bestAsk[i] ?? null
    } else if (k === 1) {
      const p = s.trades.price[i] ?? null
      row[s.trades.buy[i] ? 2 : 3] = p
    } else {
      row[4] = eff?.bid[i] ?? null
      row[5] = eff?.ask[i] ?? null
    }
    for (let c = 0; c < 6; c++) cols[c]?.push(row[c] ?? null)
  }
  const base: uPlot.AlignedData = [xs, cols[0] ?? [], cols[1] ?? [], cols[2] ?? [], cols[3] ?? []]
  return eff ? [...base, cols[4] ?? [], cols[5] ?? []] : base
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

export function BboChart({ jobId, series: overview, cursorMs, onPick, view = null }: Props) {
  // Zoomed in: the window's own points (the last window's until they arrive), else the overview.
  const win = useChartWindow((s) => (s.jobId === jobId && view !== null ? s.data : null))
  const series = win ?? overview
  const wantFrom = view?.fromMs
  const wantTo = view?.toMs
  useEffect(() => {
    if (wantFrom === undefined || wantTo === undefined) return
    requestChartWindow(jobId, { fromMs: wantFrom, toMs: wantTo }, WINDOW_POINTS)
  }, [jobId, wantFrom, wantTo, overview.frames])
  const markers = useRef(series.markers)
  const chart = useRef<uPlot | null>(null)
  const pick = useRef(onPick)
  const full = useRef(wholeSpan(overview))
  useLayoutEffect(() => {
    pick.current = onPick
    markers.current = series.markers
    full.current = wholeSpan(overview)
  })
  const data = useMemo(() => align(series), [series])
  const withImpact = series.effective !== undefined
  // The dashed effective lines are dark in the light theme and bright in the dark one.
  const theme = useTheme((st) => st.applied)
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: true } },
      tzDate: utcDate,
      cursor: noDragZoom,
      series: [
        timeXSeries,
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
          points: { show: true, size: 3, fill: '#1f6feb', paths: squarePoints }
        },
        {
          label: 'sell trades',
          stroke: '#b36b00',
          paths: () => null,
          points: { show: true, size: 3, fill: '#b36b00', paths: squarePoints }
        },
        ...(withImpact
          ? [
              {
                label: 'effective bid (trade impact)',
                stroke: themeColor('--bid-text', '#0b5d2e', theme),
                dash: [5, 3],
                width: 1.5,
                spanGaps: true,
                ...stepped,
                points: { show: false }
              },
              {
                label: 'effective ask (trade impact)',
                stroke: themeColor('--ask-text', '#8e1f19', theme),
                dash: [5, 3],
                width: 1.5,
                spanGaps: true,
                ...stepped,
                points: { show: false }
              }
            ]
          : [])
      ],
      axes: [timeXAxis(), { size: 80 }],
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
            },
            ready: (u: uPlot) => {
              linkTimeChart(
                u,
                () => full.current,
                (ms) => {
                  pick.current(ms)
                }
              )
            }
          }
        }
      ]
    }),
    [withImpact, theme]
  )
  const onCreate = useCallback((u: uPlot) => {
    chart.current = u
  }, [])
  // One zoom with the heatmap: its window is this chart's x range (the whole replay when null).
  const span = wholeSpan(overview)
  const from = view?.fromMs ?? span.fromMs
  const to = view?.toMs ?? span.toMs
  useEffect(() => {
    chart.current?.setScale('x', { min: from / 1000, max: to / 1000 })
  }, [from, to, data])
  return (
    <div
      data-testid="bbo-chart"
      data-from-ms={from}
      data-to-ms={to}
      data-trade-impact={withImpact ? 'on' : 'off'}
      data-points={series.timeMs.length}
      data-points-from={win ? 'window' : 'overview'}
    >
      {withImpact && (
        <div className="muted" data-testid="trade-impact-on">
          Trade impact model on: the dashed lines are the effective best bid/ask (each trade takes
          the size it printed against until the next recorded frame).
        </div>
      )}
      <UPlotChart
        options={options}
        data={data}
        height={260}
        onCreate={onCreate}
        cursorX={cursorMs === null ? null : cursorMs / 1000}
      />
    </div>
  )
}

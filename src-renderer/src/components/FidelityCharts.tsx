// Fidelity plots on uPlot, fed the arrays the engine aligned for it: ECDF overlays with the KS
// distance marked, histograms, QQ against the diagonal, ACF of r and |r| with the white-noise band.
import { useMemo } from 'react'
import uPlot from 'uplot'
import type { AcfPlot, MetricPlots } from '../../../src-shared/fidelity'
import { UPlotChart, stepped } from './UPlotChart'
import { themeColor } from '../theme'

const REF = '#1f6feb'
const CAND = '#d2453d'
type Opts = Omit<uPlot.Options, 'width' | 'height'>

function base(xLabel: string, extra: Partial<Opts> = {}): Opts {
  return {
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, { size: 50 }],
    legend: { show: true },
    series: [{}],
    ...extra
  }
}

function Ecdf({ p }: { readonly p: MetricPlots }) {
  const e = p.ecdf
  const data = useMemo<uPlot.AlignedData>(() => (e ? [e.x, e.reference, e.candidate] : [[]]), [e])
  const options = useMemo<Opts>(
    () => ({
      ...base(p.units),
      series: [
        {},
        {
          label: 'reference',
          stroke: REF,
          points: { show: false },
          ...stepped
        },
        {
          label: 'candidate',
          stroke: CAND,
          points: { show: false },
          ...stepped
        }
      ],
      plugins: [
        {
          hooks: {
            draw: (u: uPlot) => {
              if (!e) return
              const x = u.valToPos(e.ksAt, 'x', true)
              u.ctx.save()
              u.ctx.strokeStyle = themeColor('--chart-axis', '#444')
              u.ctx.setLineDash([4, 3])
              u.ctx.beginPath()
              u.ctx.moveTo(x, u.bbox.top)
              u.ctx.lineTo(x, u.bbox.top + u.bbox.height)
              u.ctx.stroke()
              u.ctx.fillStyle = themeColor('--chart-axis', '#444')
              u.ctx.fillText(`KS D = ${e.ksD.toFixed(4)}`, x + 4, u.bbox.top + 12)
              u.ctx.restore()
            }
          }
        }
      ]
    }),
    [p.units, e]
  )
  if (!e) return null
  return <UPlotChart options={options} data={data} height={200} />
}

function Histogram({ p }: { readonly p: MetricPlots }) {
  const h = p.histogram
  const data = useMemo<uPlot.AlignedData>(
    () => (h ? [h.edges.slice(0, -1), h.reference, h.candidate] : [[]]),
    [h]
  )
  const options = useMemo<Opts>(
    () => ({
      ...base(p.units),
      series: [
        {},
        {
          label: 'reference',
          stroke: REF,
          points: { show: false },
          ...stepped
        },
        {
          label: 'candidate',
          stroke: CAND,
          points: { show: false },
          ...stepped
        }
      ]
    }),
    [p.units]
  )
  if (!h) return null
  return <UPlotChart options={options} data={data} height={200} />
}

function Qq({ p }: { readonly p: MetricPlots }) {
  const q = p.qq
  // Sorted by the reference quantile so x ascends; the diagonal is the reference itself.
  const data = useMemo<uPlot.AlignedData>(() => {
    if (!q) return [[]]
    const idx = q.reference
      .map((_, i) => i)
      .sort((a, b) => (q.reference[a] ?? 0) - (q.reference[b] ?? 0))
    const xs = idx.map((i) => q.reference[i] ?? 0)
    return [xs, xs, idx.map((i) => q.candidate[i] ?? 0)]
  }, [q])
  const options = useMemo<Opts>(
    () => ({
      ...base(`reference ${p.units}`),
      series: [
        {},
        { label: 'y = x', stroke: '#999', points: { show: false } },
        {
          label: 'candidate quantiles',
          stroke: CAND,
          paths: () => null,
          points: { show: true, size: 4, fill: CAND }
        }
      ]
    }),
    [p.units]
  )
  if (!q) return null
  return <UPlotChart options={options} data={data} height={200} />
}

export function MetricCharts({ plots }: { readonly plots: MetricPlots }) {
  return (
    <div className="fid-charts">
      <figure>
        <figcaption>ECDF · {plots.label}</figcaption>
        <Ecdf p={plots} />
      </figure>
      <figure>
        <figcaption>histogram · {plots.label}</figcaption>
        <Histogram p={plots} />
      </figure>
      <figure>
        <figcaption>QQ · {plots.label}</figcaption>
        <Qq p={plots} />
      </figure>
    </div>
  )
}

export function AcfChart({ acf }: { readonly acf: AcfPlot }) {
  const data = useMemo<uPlot.AlignedData>(
    () => [
      acf.lags,
      acf.returnsReference,
      acf.returnsCandidate,
      acf.absReference,
      acf.absCandidate,
      acf.lags.map(() => acf.band),
      acf.lags.map(() => -acf.band)
    ],
    [acf]
  )
  const options = useMemo<Opts>(
    () => ({
      ...base('lag'),
      series: [
        {},
        { label: 'ACF r (ref)', stroke: REF },
        { label: 'ACF r (cand)', stroke: CAND },
        { label: 'ACF |r| (ref)', stroke: REF, dash: [4, 3] },
        { label: 'ACF |r| (cand)', stroke: CAND, dash: [4, 3] },
        { label: '95% band', stroke: '#bbb', points: { show: false } },
        { label: '', stroke: '#bbb', points: { show: false } }
      ]
    }),
    []
  )
  return (
    <figure>
      <figcaption>ACF of returns and |returns| · {acf.horizon}</figcaption>
      <UPlotChart options={options} data={data} height={200} />
    </figure>
  )
}

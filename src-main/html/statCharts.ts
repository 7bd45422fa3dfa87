// Statistical chart kinds for the HTML reports, built on svg.ts's line chart: ECDF overlays with
// the KS distance marked, QQ plots against the diagonal, and ACF stem plots with a white-noise
// band. Inline SVG strings, no script.
import { formatNumber } from './html'
import { lineChart, type ChartOptions } from './svg'

export interface EcdfData {
  readonly x: ArrayLike<number>
  readonly a: ArrayLike<number>
  readonly b: ArrayLike<number>
  readonly labelA: string
  readonly labelB: string
  /** Where the KS distance is attained, and its value. */
  readonly ksAt: number
  readonly ksD: number
}

/** Two empirical CDFs as step lines on one x grid, with a marker at the KS distance. */
export function ecdfChart(d: EcdfData, o: ChartOptions): string {
  return lineChart(
    [
      { label: d.labelA, x: d.x, y: d.a, style: 'step' },
      { label: d.labelB, x: d.x, y: d.b, style: 'step' }
    ],
    {
      yLabel: 'ECDF',
      ...o,
      markers: Number.isFinite(d.ksAt)
        ? [{ x: d.ksAt, label: `KS D = ${formatNumber(Number(d.ksD.toPrecision(3)))}` }]
        : []
    }
  )
}

/** Quantiles of one sample against the other's, with the y = x diagonal. */
export function qqChart(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  labels: { readonly a: string; readonly b: string },
  o: ChartOptions
): string {
  let lo = Infinity
  let hi = -Infinity
  for (const s of [a, b]) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i] ?? NaN
      if (Number.isFinite(v)) {
        if (v < lo) lo = v
        if (v > hi) hi = v
      }
    }
  }
  const diag = Number.isFinite(lo) ? [lo, hi] : []
  return lineChart(
    [
      { label: 'quantiles', x: a, y: b, style: 'points' },
      { label: 'y = x', x: diag, y: diag, color: '#999' }
    ],
    { xLabel: labels.a, yLabel: labels.b, ...o }
  )
}

/** ACF values of two series by lag (lag 0 left out), with the ±band of white noise. */
export function acfChart(
  lags: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  band: number,
  labels: { readonly a: string; readonly b: string },
  o: ChartOptions
): string {
  const x: number[] = []
  const ya: number[] = []
  const yb: number[] = []
  for (let i = 0; i < lags.length; i++) {
    const k = lags[i] ?? NaN
    if (!(k >= 1)) continue
    x.push(k)
    ya.push(a[i] ?? NaN)
    yb.push(b[i] ?? NaN)
  }
  // The band as one outline: along +band, down at the last lag, back along -band.
  const x0 = x[0] ?? 1
  const x1 = x[x.length - 1] ?? 1
  const bandX = x.length ? [x0, x1, x1, x0] : []
  const bandY = x.length ? [band, band, -band, -band] : []
  return lineChart(
    [
      { label: labels.a, x, y: ya, style: 'line' },
      { label: labels.b, x, y: yb, style: 'line' },
      { label: '±95% white-noise band', x: bandX, y: bandY, color: '#aaa' }
    ],
    { xLabel: 'lag', yLabel: 'ACF', ...o }
  )
}

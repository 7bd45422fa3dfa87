// Inline SVG charts for the HTML reports: line/step series, scatter, histograms and bars. Plain
// strings, no DOM and no library, so they render in any browser and in archived files.
import { esc, formatNumber } from './html'

export interface Series {
  readonly label: string
  readonly x: ArrayLike<number>
  readonly y: ArrayLike<number>
  readonly color?: string | undefined
  /** 'line' (default), 'step' or 'points'. */
  readonly style?: 'line' | 'step' | 'points' | undefined
}

export interface ChartOptions {
  readonly title: string
  readonly width?: number | undefined
  readonly height?: number | undefined
  readonly xLabel?: string | undefined
  readonly yLabel?: string | undefined
  /** x values are ms since the epoch: label ticks as UTC times. */
  readonly xTime?: boolean | undefined
  readonly logX?: boolean | undefined
  readonly logY?: boolean | undefined
  /** Vertical marker lines (e.g. the KS distance's location). */
  readonly markers?: readonly { readonly x: number; readonly label: string }[] | undefined
  /** Largest number of points drawn per series (decimated evenly beyond it). */
  readonly maxPoints?: number | undefined
}

const PALETTE = ['#1f6feb', '#d2453d', '#2e9d5b', '#b36b00', '#7a4cc2', '#0f8b8d']
const M = { l: 64, r: 16, t: 28, b: 40 }

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo]
  const step0 = (hi - lo) / n
  const mag = 10 ** Math.floor(Math.log10(step0))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v)
  return out
}

function tickLabel(v: number, time: boolean, log: boolean): string {
  if (log) return formatNumber(10 ** v)
  if (time) return new Date(v).toISOString().slice(11, 19)
  return formatNumber(Number(v.toPrecision(6)))
}

export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const W = o.width ?? 520
  const H = o.height ?? 260
  const tx = (v: number): number => (o.logX ? Math.log10(v) : v)
  const ty = (v: number): number => (o.logY ? Math.log10(v) : v)
  let x0 = Infinity
  let x1 = -Infinity
  let y0 = Infinity
  let y1 = -Infinity
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      const x = tx(s.x[i] ?? NaN)
      const y = ty(s.y[i] ?? NaN)
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
    }
  }
  if (!Number.isFinite(x0))
    return `<figure><figcaption>${esc(o.title)}: no data</figcaption></figure>`
  if (x1 === x0) x1 = x0 + 1
  if (y1 === y0) y1 = y0 + 1
  const pad = (y1 - y0) * 0.05
  y0 -= pad
  y1 += pad
  const px = (x: number): number => M.l + ((x - x0) / (x1 - x0)) * (W - M.l - M.r)
  const py = (y: number): number => H - M.b - ((y - y0) / (y1 - y0)) * (H - M.t - M.b)
  const parts: string[] = []
  for (const t of niceTicks(y0, y1)) {
    parts.push(
      `<line x1="${M.l}" x2="${W - M.r}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#eee"/>`
    )
    parts.push(
      `<text x="${M.l - 4}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end">${esc(tickLabel(t, false, o.logY === true))}</text>`
    )
  }
  for (const t of niceTicks(x0, x1)) {
    parts.push(
      `<text x="${px(t).toFixed(1)}" y="${H - M.b + 14}" text-anchor="middle">${esc(tickLabel(t, o.xTime === true, o.logX === true))}</text>`
    )
  }
  const maxPoints = o.maxPoints ?? 2000
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length] ?? '#333'
    const step = Math.max(1, Math.ceil(s.x.length / maxPoints))
    const pts: [number, number][] = []
    for (let i = 0; i < s.x.length; i += step) {
      const x = tx(s.x[i] ?? NaN)
      const y = ty(s.y[i] ?? NaN)
      if (Number.isFinite(x) && Number.isFinite(y)) pts.push([px(x), py(y)])
    }
    if (s.style === 'points') {
      for (const [x, y] of pts)
        parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="1.6" fill="${color}"/>`)
    } else if (pts.length > 0) {
      let d = `M${pts[0]?.[0].toFixed(1)},${pts[0]?.[1].toFixed(1)}`
      for (let i = 1; i < pts.length; i++) {
        const [x, y] = pts[i] ?? [0, 0]
        d +=
          s.style === 'step'
            ? `H${x.toFixed(1)}V${y.toFixed(1)}`
            : `L${x.toFixed(1)},${y.toFixed(1)}`
      }
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.3"/>`)
    }
    parts.push(
      `<text x="${M.l + 8 + k * 130}" y="${M.t - 10}" fill="${color}">■ ${esc(s.label)}</text>`
    )
  })
  for (const m of o.markers ?? []) {
    const x = px(tx(m.x))
    parts.push(
      `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${M.t}" y2="${H - M.b}" stroke="#888" stroke-dasharray="4 3"/>`
    )
    parts.push(`<text x="${(x + 3).toFixed(1)}" y="${M.t + 12}" fill="#555">${esc(m.label)}</text>`)
  }
  const axes = `<line x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${H - M.b}" stroke="#999"/><line x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}" stroke="#999"/>`
  const labels =
    (o.xLabel
      ? `<text x="${(M.l + W - M.r) / 2}" y="${H - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`
      : '') +
    (o.yLabel
      ? `<text transform="translate(12,${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`
      : '')
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-size="10" font-family="system-ui,sans-serif">${axes}${parts.join('')}${labels}</svg><figcaption>${esc(o.title)}</figcaption></figure>`
}

/** Histograms on shared bin edges (counts or densities), drawn as overlaid steps. */
export function histogramChart(
  edges: ArrayLike<number>,
  hists: readonly {
    readonly label: string
    readonly counts: ArrayLike<number>
    readonly color?: string
  }[],
  o: ChartOptions
): string {
  return lineChart(
    hists.map((h) => {
      const x: number[] = []
      const y: number[] = []
      for (let i = 0; i < h.counts.length; i++) {
        x.push(edges[i] ?? NaN)
        y.push(h.counts[i] ?? NaN)
      }
      x.push(edges[h.counts.length] ?? NaN)
      y.push(h.counts[h.counts.length - 1] ?? NaN)
      return { label: h.label, x, y, color: h.color, style: 'step' as const }
    }),
    o
  )
}

/** Horizontal bars with value labels (e.g. a per-rule failure count). */
export function barChart(
  bars: readonly { readonly label: string; readonly value: number }[],
  o: ChartOptions
): string {
  const W = o.width ?? 520
  const rowH = 18
  const H = M.t + bars.length * rowH + 10
  const max = Math.max(1e-12, ...bars.map((b) => b.value))
  const left = 180
  const rows = bars
    .map((b, i) => {
      const y = M.t + i * rowH
      const w = ((W - left - 60) * b.value) / max
      return `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(b.label)}</text><rect x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="#1f6feb"/><text x="${(left + w + 4).toFixed(1)}" y="${y + 12}">${esc(formatNumber(b.value))}</text>`
    })
    .join('')
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-size="10" font-family="system-ui,sans-serif">${rows}</svg><figcaption>${esc(o.title)}</figcaption></figure>`
}

// Draws the liquidity heatmap on a 2D canvas: resting size per price level and time column on a
// log colour scale (bids teal, asks orange), depth beyond what the timeline knows hatched grey, the
// best bid/ask lines, trades as bubbles by volume and aggressor, markers and the cursor.
import type { BookHeatmap, TimelineMarker } from '../../../src-shared/replay'
import { tickLabel, timeStep } from '../timeAxis'
import { paintCells, type CellColours } from './heatmapPixels'

export const AXIS_RIGHT = 72
export const AXIS_BOTTOM = 34
export const BACKGROUND = [14, 20, 28] as const
const BID = [47, 211, 194] as const
const ASK = [255, 138, 61] as const
const STEPS = 64

export interface PriceRange {
  readonly lo: number
  readonly hi: number
}

export interface DrawInput {
  readonly data: BookHeatmap
  readonly tick: number
  readonly priceDecimals: number
  readonly contrast: number
  readonly showTrades: boolean
  /** The prices shown (shownPrices below); null: nothing to draw yet. */
  readonly range: PriceRange | null
  readonly markers: readonly TimelineMarker[]
}

type Rgb = readonly [number, number, number]

function palette(to: Rgb): Rgb[] {
  const out: Rgb[] = []
  for (let i = 0; i < STEPS; i++) {
    // A floor keeps the smallest level visible against the background.
    const f = 0.35 + (0.65 * i) / (STEPS - 1)
    const c = BACKGROUND.map((b, k) => Math.round(b + ((to[k] ?? 0) - b) * f))
    out.push([c[0] ?? 0, c[1] ?? 0, c[2] ?? 0])
  }
  return out
}
/** Dim on purpose: unknown depth is most of a zoomed-out view and must not outshine the book. */
const COLOURS: CellColours = {
  background: BACKGROUND,
  bid: palette(BID),
  ask: palette(ASK),
  hatchFill: [30, 34, 40],
  hatchLine: [62, 66, 74]
}

const MARKER_COLORS: Record<string, string> = {
  crossed: 'rgba(255,80,80,0.35)',
  drift: 'rgba(255,196,0,0.35)',
  gap: 'rgba(190,140,255,0.9)',
  resync: 'rgba(190,140,255,0.9)',
  burst: 'rgba(120,170,255,0.9)',
  reseed: 'rgba(120,230,140,0.9)'
}

/**
 * The price span to show: `spanTicks` around the mid of the column at `atMs` (or the window's
 * middle), or else the window's best bid/ask range with room for the book around it.
 */
export function priceRange(
  d: BookHeatmap,
  tick: number,
  spanTicks: number | null = null,
  atMs: number | null = null
): PriceRange | null {
  if (spanTicks !== null) {
    const t = atMs ?? (d.fromMs + d.toMs) / 2
    const at = Math.floor(((t - d.fromMs) / (d.toMs - d.fromMs)) * d.columns)
    for (let c = Math.max(0, Math.min(d.columns - 1, at)); c < d.columns; c++) {
      const b = d.bidPrice[c * d.depth] ?? 0
      const a = d.askPrice[c * d.depth] ?? 0
      if (b <= 0 || a <= 0) continue
      const mid = (a + b) / 2
      return { lo: mid - (spanTicks / 2) * tick, hi: mid + (spanTicks / 2) * tick }
    }
  }
  let lo = Infinity
  let hi = -Infinity
  for (let c = 0; c < d.columns; c++) {
    const b = d.bidPrice[c * d.depth] ?? 0
    const a = d.askPrice[c * d.depth] ?? 0
    if (b > 0 && b < lo) lo = b
    if (a > 0 && a > hi) hi = a
    if (b > 0 && b > hi) hi = b
    if (a > 0 && a < lo) lo = a
  }
  if (!(lo <= hi)) return null
  const pad = Math.max((hi - lo) * 0.35, 12 * tick)
  return { lo: lo - pad, hi: hi + pad }
}

/**
 * The prices the heatmap shows: zoomed or panned on the price axis (`priceView`) as given; else
 * `spanTicks` centred on the mid in the cursor's column (or the window's middle); else fitted to
 * the window. Keyed by the cursor's column, not its time: within a column the picture is the
 * same, so a step of the cursor redraws only the cursor line (an overlay), not the heatmap.
 */
export function shownPrices(
  d: BookHeatmap,
  tick: number,
  priceView: PriceRange | null,
  spanTicks: number | null,
  cursorColumn: number | null
): PriceRange | null {
  if (priceView) return priceView
  const atMs =
    cursorColumn === null
      ? null
      : d.fromMs + ((cursorColumn + 0.5) / d.columns) * (d.toMs - d.fromMs)
  return priceRange(d, tick, spanTicks, atMs)
}

/** The column of the heatmap holding `ms` (may fall outside 0…columns−1). */
export function columnAt(d: BookHeatmap, ms: number): number {
  return Math.floor(((ms - d.fromMs) / (d.toMs - d.fromMs)) * d.columns)
}

/** The prices zoomed by `factor` (< 1 zooms in) around `at`, kept at least `minSpan` tall. */
export function zoomPrices(r: PriceRange, at: number, factor: number, minSpan: number): PriceRange {
  const span = Math.max(minSpan, (r.hi - r.lo) * factor)
  const f = r.hi > r.lo ? (at - r.lo) / (r.hi - r.lo) : 0.5
  const lo = at - f * span
  return { lo, hi: lo + span }
}

/** The prices moved by a drag of `dy` CSS pixels on a plot `ph` tall (down shows higher prices). */
export function panPrices(r: PriceRange, dy: number, ph: number): PriceRange {
  const d = (dy / Math.max(1, ph)) * (r.hi - r.lo)
  return { lo: r.lo + d, hi: r.hi + d }
}

/** Size that saturates the scale: the 95th percentile of the window's level sizes. */
const saturations = new WeakMap<BookHeatmap, number>()

/** The 95th percentile of the sizes shown (a sample of ≤ 40,000), once per engine answer. */
function saturation(d: BookHeatmap): number {
  const known = saturations.get(d)
  if (known !== undefined) return known
  const step = Math.max(1, Math.floor(d.bidSize.length / 20_000))
  const sizes = new Float64Array(2 * Math.ceil(d.bidSize.length / step))
  let n = 0
  for (let i = 0; i < d.bidSize.length; i += step) {
    const b = d.bidSize[i] ?? 0
    const a = d.askSize[i] ?? 0
    if (b > 0) sizes[n++] = b
    if (a > 0) sizes[n++] = a
  }
  // A typed array sorts numerically without a comparator call per pair (several times faster).
  const sorted = sizes.subarray(0, n).sort()
  const out = n === 0 ? 1 : (sorted[Math.floor(n * 0.95)] ?? 1)
  saturations.set(d, out)
  return out
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count)
  const p = 10 ** Math.floor(Math.log10(raw))
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p
  return 10 * p
}

/** Steps a clock reads well: ms, 1/2/5/10/15/30 s, minutes, hours. */
/** Draws everything; `w` × `h` in CSS pixels (the context is already scaled to device pixels). */
export function drawHeatmap(
  ctx: CanvasRenderingContext2D,
  w: number,
  h: number,
  input: DrawInput
): PriceRange | null {
  const { data: d, tick } = input
  const pw = w - AXIS_RIGHT
  const ph = h - AXIS_BOTTOM
  ctx.fillStyle = `rgb(${BACKGROUND.join(',')})`
  ctx.fillRect(0, 0, w, h)
  const range = input.range
  if (!range || pw <= 0 || ph <= 0) return range
  const y = (p: number): number => ((range.hi - p) / (range.hi - range.lo)) * ph
  const span = d.toMs - d.fromMs
  const x = (t: number): number => ((t - d.fromMs) / span) * pw
  const colW = pw / d.columns
  const sat = saturation(d) / input.contrast
  const ref = sat / 50
  const scale = Math.log1p(sat / ref)
  const level = (size: number): number =>
    Math.round(Math.min(1, Math.log1p(size / ref) / scale) * (STEPS - 1))
  const dpr = ctx.getTransform().a || 1
  ctx.putImageData(paintCells(d, { pw, ph, dpr, y, tick, level }, COLOURS), 0, 0)
  ctx.save()
  ctx.beginPath()
  ctx.rect(0, 0, pw, ph)
  ctx.clip()
  // Best bid and ask lines.
  for (const bid of [true, false]) {
    const prices = bid ? d.bidPrice : d.askPrice
    ctx.strokeStyle = bid ? 'rgb(120,255,170)' : 'rgb(255,110,110)'
    ctx.lineWidth = 1.5
    ctx.beginPath()
    let open = false
    for (let c = 0; c < d.columns; c++) {
      const p = prices[c * d.depth] ?? 0
      if (p <= 0) {
        open = false
        continue
      }
      const yy = y(p)
      if (!open) ctx.moveTo(c * colW, yy)
      else ctx.lineTo(c * colW, yy)
      ctx.lineTo((c + 1) * colW, yy)
      open = true
    }
    ctx.stroke()
  }
  // Trades: area by volume, green buys and red sells (the aggressor).
  const tr = d.trades
  let maxSize = 0
  for (const s of tr.size) if (s > maxSize) maxSize = s
  // One path per side: a fill and a stroke for thousands of bubbles.
  for (const buy of input.showTrades ? [true, false] : []) {
    ctx.beginPath()
    for (let i = 0; i < tr.timeMs.length; i++) {
      if ((tr.buy[i] ?? false) !== buy) continue
      const r = Math.max(1.5, Math.min(10, 10 * Math.sqrt((tr.size[i] ?? 0) / (maxSize || 1))))
      const cx = x(tr.timeMs[i] ?? 0)
      const cy = y(tr.price[i] ?? 0)
      ctx.moveTo(cx + r, cy)
      ctx.arc(cx, cy, r, 0, 2 * Math.PI)
    }
    ctx.fillStyle = buy ? 'rgba(70,230,110,0.45)' : 'rgba(245,70,70,0.45)'
    ctx.fill()
    ctx.strokeStyle = buy ? 'rgb(30,150,60)' : 'rgb(170,30,30)'
    ctx.lineWidth = 1
    ctx.stroke()
  }
  // Markers: episodes shaded, instants as lines, with the kind's initial on top.
  ctx.font = '10px system-ui, sans-serif'
  for (const m of input.markers) {
    if (m.toMs < d.fromMs || m.fromMs > d.toMs) continue
    const x0 = x(m.fromMs)
    const x1 = x(m.toMs)
    ctx.fillStyle = MARKER_COLORS[m.kind] ?? 'rgba(255,255,255,0.5)'
    ctx.fillRect(Math.min(x0, x1), 0, Math.max(1.5, Math.abs(x1 - x0)), ph)
    ctx.fillText(m.kind[0]?.toUpperCase() ?? '', Math.min(x0, x1) + 3, 11)
  }
  // Columns whose top-20 reaches unknown depth: a grey strip along the bottom.
  ctx.fillStyle = 'rgb(150,150,150)'
  for (let c = 0; c < d.columns; c++)
    if ((d.unknownDepth[c] ?? 0) === 1)
      ctx.fillRect(Math.floor(c * colW), ph - 3, Math.max(1, colW), 3)
  ctx.restore()
  // Axes: prices on the right, UTC times below (the page says which clock).
  ctx.fillStyle = '#c9d1d9'
  ctx.font = '11px ui-monospace, monospace'
  const pStep = niceStep(range.hi - range.lo, Math.max(2, Math.floor(ph / 40)))
  for (let p = Math.ceil(range.lo / pStep) * pStep; p <= range.hi; p += pStep) {
    const yy = Math.round(y(p)) + 0.5
    ctx.fillRect(pw, yy, 4, 1)
    ctx.fillText(p.toFixed(input.priceDecimals), pw + 6, yy + 4)
  }
  const tStep = timeStep(span, Math.max(2, Math.floor(pw / 90)))
  ctx.textAlign = 'center'
  let prev: number | null = null
  for (let t = Math.ceil(d.fromMs / tStep) * tStep; t <= d.toMs; t += tStep) {
    const xx = Math.round(x(t)) + 0.5
    ctx.fillRect(xx, ph, 1, 4)
    const [clock, day] = tickLabel(t, tStep, prev).split('\n')
    ctx.fillText(clock ?? '', xx, ph + 15)
    if (day) ctx.fillText(day, xx, ph + 28)
    prev = t
  }
  ctx.textAlign = 'left'
  return range
}

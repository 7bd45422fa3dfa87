// The heatmap's cells written straight into a pixel buffer: one fillRect per level and column
// (tens of thousands per picture) cost ~30 ms a redraw in Chromium, the buffer ~2 ms (measured by
// the viewer benchmark's profile). Sizes on a log colour scale; depth the timeline does not know
// hatched. Device pixels throughout: the caller passes the device pixel ratio.
import type { BookHeatmap } from '../../../src-shared/replay'

export interface CellGeometry {
  /** Plot size in CSS pixels and the device pixel ratio. */
  readonly pw: number
  readonly ph: number
  readonly dpr: number
  /** CSS-pixel y of a price. */
  readonly y: (price: number) => number
  readonly tick: number
  /** Palette index 0…steps-1 of a size. */
  readonly level: (size: number) => number
}

export interface CellColours {
  readonly background: readonly [number, number, number]
  readonly bid: readonly (readonly [number, number, number])[]
  readonly ask: readonly (readonly [number, number, number])[]
  readonly hatchFill: readonly [number, number, number]
  readonly hatchLine: readonly [number, number, number]
}

/** RGBA as one little-endian 32-bit pixel. */
function px(c: readonly [number, number, number]): number {
  return ((255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0
}

export function paintCells(d: BookHeatmap, g: CellGeometry, colours: CellColours): ImageData {
  const W = Math.max(1, Math.round(g.pw * g.dpr))
  const H = Math.max(1, Math.round(g.ph * g.dpr))
  const img = new ImageData(W, H)
  const buf = new Uint32Array(img.data.buffer)
  buf.fill(px(colours.background))
  const bid = colours.bid.map(px)
  const ask = colours.ask.map(px)
  const hatchFill = px(colours.hatchFill)
  const hatchLine = px(colours.hatchLine)
  const period = Math.max(4, Math.round(8 * g.dpr))
  const lineW = Math.max(1, Math.round(1.5 * g.dpr))
  const colW = (g.pw * g.dpr) / d.columns
  const row = (p: number): [number, number] => {
    const top = Math.floor(g.y(p + g.tick / 2) * g.dpr)
    const bottom = Math.floor(g.y(p - g.tick / 2) * g.dpr)
    return [top, Math.max(1, bottom - top)]
  }
  const fill = (x0: number, x1: number, top: number, h: number, colour: number): void => {
    const y0 = Math.max(0, top)
    const y1 = Math.min(H, top + h)
    for (let yy = y0; yy < y1; yy++) buf.fill(colour, yy * W + x0, yy * W + x1)
  }
  const hatch = (x0: number, x1: number, top: number, h: number): void => {
    const y0 = Math.max(0, top)
    const y1 = Math.min(H, top + h)
    for (let yy = y0; yy < y1; yy++)
      for (let xx = x0; xx < x1; xx++)
        buf[yy * W + xx] = (xx + yy) % period < lineW ? hatchLine : hatchFill
  }
  for (let c = 0; c < d.columns; c++) {
    if ((d.frame[c] ?? -1) < 0) continue
    const x0 = Math.min(W, Math.floor(c * colW))
    const x1 = Math.min(W, Math.max(x0 + 1, Math.floor((c + 1) * colW)))
    const o = c * d.depth
    const isUnknown = (d.unknownDepth[c] ?? 0) === 1
    for (const isBid of [true, false]) {
      const prices = isBid ? d.bidPrice : d.askPrice
      const sizes = isBid ? d.bidSize : d.askSize
      const pal = isBid ? bid : ask
      let k = 0
      for (; k < d.depth; k++) {
        const p = prices[o + k] ?? 0
        if (p <= 0) break
        const [top, h] = row(p)
        if (top > H || top + h < 0) continue
        fill(x0, x1, top, h, pal[g.level(sizes[o + k] ?? 0)] ?? 0)
      }
      // Beyond the deepest recorded level nothing is known when the side was cut at the
      // timeline's depth, or when the book reached depth no message described.
      if (k === 0 || (k < d.depth && !isUnknown)) continue
      const [top, h] = row(prices[o + k - 1] ?? 0)
      if (isBid) hatch(x0, x1, top + h, H - (top + h))
      else hatch(x0, x1, 0, Math.max(0, top))
    }
  }
  return img
}

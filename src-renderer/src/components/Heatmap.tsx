// The liquidity heatmap: a canvas drawn in requestAnimationFrame from the engine's columns for the
// window shown. Wheel zooms time around the pointer, drag pans, a click moves the cursor (shared
// with the chart and the ladder), double click shows the whole replay.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { BookSeries } from '../../../src-shared/replay'
import { requestHeatmap, setPriceView, setView, useHeatmap } from '../stores/heatmap'
import { panView, viewAround, wheelView, wholeSpan, type TimeView } from '../timeAxis'
import { HeatmapControls } from './HeatmapControls'
import { useWidth } from './useWidth'
import {
  AXIS_BOTTOM,
  AXIS_RIGHT,
  BACKGROUND,
  columnAt,
  drawHeatmap,
  shownPrices,
  panPrices,
  zoomPrices,
  type PriceRange
} from './heatmapDraw'

interface Props {
  readonly jobId: string
  readonly series: BookSeries
  readonly cursorMs: number | null
  readonly onPick: (timeMs: number) => void
  readonly height: number
}

// The picture is written as pixels (putImageData) and copied for the moved picture: a canvas in
// memory does both as plain copies, where a GPU-backed one uploads and reads back each time (in
// headless Chromium that copy alone was ~17 ms a picture).
const CANVAS: CanvasRenderingContext2DSettings = { willReadFrequently: true }

/** The least time between two windows a gesture commits to the page (see moveTo). */
const COMMIT_MS = 100

/** The replay's whole time span: frames and trades. */
export function fullView(s: BookSeries): TimeView {
  return wholeSpan(s)
}

export function Heatmap({ jobId, series, cursorMs, onPick, height }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const width = useWidth(box)
  const stored = useHeatmap((s) => s.view)
  const contrast = useHeatmap((s) => s.contrast)
  const showTrades = useHeatmap((s) => s.showTrades)
  const priceSpanTicks = useHeatmap((s) => s.priceSpanTicks)
  const priceView = useHeatmap((s) => s.priceView)
  const data = useHeatmap((s) => (s.dataJobId === jobId ? s.data : null))
  const error = useHeatmap((s) => s.error)
  const full = useMemo(() => fullView(series), [series])
  const view = stored ?? full
  const [range, setRange] = useState<PriceRange | null>(null)
  const [drawn, setDrawn] = useState<TimeView | null>(null)
  const last = useRef<{ image: HTMLCanvasElement; view: TimeView } | null>(null)
  const pick = useRef(onPick)
  const viewRef = useRef(view)
  const commit = useRef<{ scheduled: boolean; view: TimeView | null; at: number }>({
    scheduled: false,
    view: null,
    at: 0
  })
  const fullRef = useRef(full)
  const rangeRef = useRef(range)
  const tickRef = useRef(Number(series.tick))
  useLayoutEffect(() => {
    pick.current = onPick
    // A window moved to but not yet committed to the page stays the one the next input moves.
    if (!commit.current.scheduled) viewRef.current = view
    fullRef.current = full
    rangeRef.current = range
    tickRef.current = Number(series.tick)
  })

  const plotW = Math.max(0, width - AXIS_RIGHT)
  useEffect(() => {
    if (plotW <= 0) return
    requestHeatmap({
      jobId,
      fromMs: view.fromMs,
      toMs: view.toMs,
      columns: Math.max(20, Math.min(2000, Math.floor(plotW / 2)))
    })
  }, [jobId, view.fromMs, view.toMs, plotW])

  // The prices shown change with the cursor only when it enters a column with another mid.
  const tick = Number(series.tick)
  const cursorColumn =
    data && cursorMs !== null && priceSpanTicks !== null ? columnAt(data, cursorMs) : null
  const shown = useMemo(
    () => (data ? shownPrices(data, tick, priceView, priceSpanTicks, cursorColumn) : null),
    [data, tick, priceView, priceSpanTicks, cursorColumn]
  )
  const lo = shown?.lo ?? NaN
  const hi = shown?.hi ?? NaN

  useEffect(() => {
    const c = canvas.current
    if (!c || !data || width <= 0) return
    const id = requestAnimationFrame(() => {
      const dpr = window.devicePixelRatio || 1
      c.width = Math.round(width * dpr)
      c.height = Math.round(height * dpr)
      const ctx = c.getContext('2d', CANVAS)
      if (!ctx) return
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
      const r = drawHeatmap(ctx, width, height, {
        data,
        tick: Number(series.tick),
        priceDecimals: series.priceDecimals,
        contrast,
        showTrades,
        range: Number.isNaN(lo) ? null : { lo, hi },
        markers: series.markers
      })
      setRange(r)
      setDrawn({ fromMs: data.fromMs, toMs: data.toMs })
      last.current = { image: copyOf(c, last.current?.image), view: data }
    })
    return () => {
      cancelAnimationFrame(id)
    }
  }, [data, width, height, contrast, showTrades, lo, hi, series])

  // Until the engine answers for a new window, the last picture moved and scaled to it, drawn in
  // the input's own handler: pan and zoom answer at the next frame whatever the round trip. The
  // page (the linked charts, the engine's request) follows after that frame, and at most every
  // COMMIT_MS during a gesture: re-rendering it in the input's frame took that frame past 16 ms.
  const moveTo = (next: TimeView | null): void => {
    const c = canvas.current
    const prev = last.current
    const v = next ?? fullRef.current
    if (c && prev && c.clientWidth > AXIS_RIGHT) {
      const t0 = performance.now()
      previewMoved(c, prev, v, c.clientWidth - AXIS_RIGHT, c.clientHeight - AXIS_BOTTOM)
      // What the moved picture cost this frame (the viewer benchmark reads it).
      c.dataset['previewMs'] = (performance.now() - t0).toFixed(2)
      c.dataset['previewFromMs'] = String(v.fromMs)
      c.dataset['previewToMs'] = String(v.toMs)
    }
    viewRef.current = v
    const pending = commit.current
    pending.view = next
    if (pending.scheduled) return
    pending.scheduled = true
    requestAnimationFrame(() => {
      const wait = Math.max(0, pending.at + COMMIT_MS - performance.now())
      setTimeout(() => {
        pending.scheduled = false
        pending.at = performance.now()
        setView(pending.view)
      }, wait)
    })
  }
  const moveRef = useRef(moveTo)
  const cursorRef = useRef(cursorMs)
  useLayoutEffect(() => {
    moveRef.current = moveTo
    cursorRef.current = cursorMs
  })
  // Stable, so the controls (memo) are not rendered again on every step of a scrub.
  const getCanvas = useCallback(() => canvas.current, [])
  const onWindow = useCallback((ms: number) => {
    if (ms === 0) {
      moveRef.current(null)
      return
    }
    const v = viewRef.current
    const at = cursorRef.current ?? (v.fromMs + v.toMs) / 2
    moveRef.current(viewAround(at, ms, fullRef.current))
  }, [])

  // Wheel: zoom time around the pointer (shift or a horizontal wheel pans). Not passive, so the
  // page does not scroll under the heatmap.
  useEffect(() => {
    const c = canvas.current
    if (!c) return
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault()
      const v = viewRef.current
      const pw = Math.max(1, c.clientWidth - AXIS_RIGHT)
      const r = rangeRef.current
      if (e.offsetX > pw && r) {
        // Over the price axis: zoom prices around the pointer's price.
        const ph = Math.max(1, c.clientHeight - AXIS_BOTTOM)
        const at = r.hi - (e.offsetY / ph) * (r.hi - r.lo)
        setPriceView(zoomPrices(r, at, e.deltaY > 0 ? 1.2 : 1 / 1.2, 4 * tickRef.current))
        return
      }
      moveRef.current(wheelView(e, v, Math.min(pw, e.offsetX) / pw, pw, fullRef.current))
    }
    c.addEventListener('wheel', onWheel, { passive: false })
    return () => {
      c.removeEventListener('wheel', onWheel)
    }
  }, [])
  const drag = useRef<{ x: number; view: TimeView; moved: boolean } | null>(null)
  const priceDrag = useRef<{ y: number; range: PriceRange } | null>(null)
  const timeAt = (offsetX: number): number => {
    const pw = Math.max(1, width - AXIS_RIGHT)
    const v = viewRef.current
    return v.fromMs + (Math.min(pw, offsetX) / pw) * (v.toMs - v.fromMs)
  }

  // The cursor: a line over the canvas, placed in the window on screen (also while a moved
  // picture stands in for the engine's), so moving it redraws nothing.
  const cursorX =
    cursorMs !== null && cursorMs >= view.fromMs && cursorMs <= view.toMs
      ? Math.round(((cursorMs - view.fromMs) / (view.toMs - view.fromMs)) * plotW)
      : null
  return (
    <div className="heatmap" ref={box}>
      {cursorX !== null && (
        <div
          className="heatmap-cursor"
          data-testid="heatmap-cursor"
          data-x={cursorX}
          style={{ transform: `translateX(${cursorX}px)`, height: height - AXIS_BOTTOM }}
        />
      )}
      <canvas
        ref={canvas}
        aria-label="order book heatmap"
        role="img"
        data-testid="heatmap"
        data-state={data && drawn ? 'drawn' : 'loading'}
        data-from-ms={drawn?.fromMs}
        data-to-ms={drawn?.toMs}
        data-price-lo={range?.lo}
        data-price-hi={range?.hi}
        data-columns={data?.columns}
        data-plot-width={plotW}
        data-plot-height={height - AXIS_BOTTOM}
        style={{ width: '100%', height }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId)
          if (e.nativeEvent.offsetX > plotW && range) {
            priceDrag.current = { y: e.nativeEvent.offsetY, range }
            return
          }
          drag.current = { x: e.nativeEvent.offsetX, view, moved: false }
        }}
        onPointerMove={(e) => {
          const pd = priceDrag.current
          if (pd) {
            const dy = e.nativeEvent.offsetY - pd.y
            if (Math.abs(dy) > 1) setPriceView(panPrices(pd.range, dy, height - AXIS_BOTTOM))
            return
          }
          const d = drag.current
          if (!d) return
          const dx = e.nativeEvent.offsetX - d.x
          if (Math.abs(dx) > 3) d.moved = true
          if (!d.moved) return
          const span = d.view.toMs - d.view.fromMs
          moveTo(panView(d.view, (-dx / Math.max(1, plotW)) * span, full))
        }}
        onPointerUp={(e) => {
          priceDrag.current = null
          const d = drag.current
          drag.current = null
          if (d && !d.moved) pick.current(timeAt(e.nativeEvent.offsetX))
        }}
        onDoubleClick={(e) => {
          if (e.nativeEvent.offsetX > plotW) setPriceView(null)
          else moveTo(null)
        }}
      />
      <HeatmapControls jobId={jobId} view={view} canvas={getCanvas} onWindow={onWindow} />
      <div className="heatmap-legend">
        <i className="sw bid" /> bids <i className="sw ask" /> asks <i className="sw unknown" />{' '}
        depth not known (beyond the recorded top 20, or beyond the snapshot: grey strip below)
        <i className="dot buy" /> buy <i className="dot sell" /> sell (area by volume) · colour: log
        size · wheel: zoom time, shift+wheel or drag: pan, click: cursor, double click: all · on the
        price axis: wheel zooms prices, drag pans them, double click fits them
      </div>
      {error && <div className="error">The heatmap could not be loaded: {error}</div>}
    </div>
  )
}

/** A copy of the canvas's pixels (reusing `into`, resized only when the canvas was). */
function copyOf(c: HTMLCanvasElement, into?: HTMLCanvasElement): HTMLCanvasElement {
  const out = into ?? document.createElement('canvas')
  if (out.width !== c.width) out.width = c.width
  if (out.height !== c.height) out.height = c.height
  const ctx = out.getContext('2d', CANVAS)
  if (ctx) {
    ctx.globalCompositeOperation = 'copy'
    ctx.drawImage(c, 0, 0)
  }
  return out
}

/** Draws the last picture's plot area where its times fall in `view` (CSS pixels `pw` × `ph`). */
function previewMoved(
  c: HTMLCanvasElement,
  prev: { image: HTMLCanvasElement; view: TimeView },
  view: TimeView,
  pw: number,
  ph: number
): void {
  const ctx = c.getContext('2d', CANVAS)
  if (!ctx) return
  const dpr = ctx.getTransform().a || 1
  const span = view.toMs - view.fromMs
  const dx = ((prev.view.fromMs - view.fromMs) / span) * pw
  const dw = ((prev.view.toMs - prev.view.fromMs) / span) * pw
  ctx.save()
  ctx.beginPath()
  ctx.rect(0, 0, pw, ph)
  ctx.clip()
  ctx.fillStyle = `rgb(${BACKGROUND.join(',')})`
  ctx.fillRect(0, 0, pw, ph)
  ctx.drawImage(prev.image, 0, 0, pw * dpr, ph * dpr, dx, 0, dw, ph)
  ctx.restore()
}

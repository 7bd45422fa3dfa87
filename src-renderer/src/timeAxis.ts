// The Book page's one time axis: every time-axis chart shows the same window (zoom and pan here),
// labels its ticks in one format (UTC, exchange time, to the millisecond when the ticks are closer
// than a second) and reads typed times the same way. Pure: no DOM, no store.
import { fmtTime } from '../../src-shared/format'
import type { BookSeries } from '../../src-shared/replay'

export interface TimeView {
  readonly fromMs: number
  readonly toMs: number
}

/** The shortest window a zoom reaches. */
export const MIN_SPAN_MS = 200

/** The whole replay's span from a series (the engine's, not its decimated points), at least a second. */
export function wholeSpan(s: BookSeries): TimeView {
  return { fromMs: s.span.fromMs, toMs: Math.max(s.span.toMs, s.span.fromMs + 1000) }
}

/** Keeps a window inside the replay's span (a little margin) without changing its length. */
export function clampView(v: TimeView, full: TimeView): TimeView {
  const span = Math.max(MIN_SPAN_MS, Math.min(v.toMs - v.fromMs, (full.toMs - full.fromMs) * 1.05))
  const margin = (full.toMs - full.fromMs) * 0.025
  let from = Math.max(full.fromMs - margin, v.fromMs)
  from = Math.min(from, full.toMs + margin - span)
  return { fromMs: from, toMs: from + span }
}

/** Zooms by `factor` (> 1 out, < 1 in) keeping the time `atMs` where it is on the axis. */
export function zoomView(v: TimeView, atMs: number, factor: number, full: TimeView): TimeView {
  const span = v.toMs - v.fromMs
  const next = Math.max(MIN_SPAN_MS, span * factor)
  const left = span > 0 ? (atMs - v.fromMs) / span : 0.5
  return clampView({ fromMs: atMs - left * next, toMs: atMs + (1 - left) * next }, full)
}

/** Moves the window by `dMs`. */
export function panView(v: TimeView, dMs: number, full: TimeView): TimeView {
  return clampView({ fromMs: v.fromMs + dMs, toMs: v.toMs + dMs }, full)
}

/**
 * A wheel event on a time axis: zoom around the pointer (at `frac` of the plot's width), or pan
 * with shift or a horizontal wheel. Shared by every time-axis chart of the Book page.
 */
export function wheelView(
  e: { readonly shiftKey: boolean; readonly deltaX: number; readonly deltaY: number },
  v: TimeView,
  frac: number,
  plotWidth: number,
  full: TimeView
): TimeView {
  const span = v.toMs - v.fromMs
  if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
    const d = ((e.shiftKey ? e.deltaY : e.deltaX) / Math.max(1, plotWidth)) * span
    return panView(v, d, full)
  }
  return zoomView(v, v.fromMs + frac * span, Math.exp(e.deltaY / 400), full)
}

/** A window of `spanMs` centred on `atMs`. */
export function viewAround(atMs: number, spanMs: number, full: TimeView): TimeView {
  return clampView({ fromMs: atMs - spanMs / 2, toMs: atMs + spanMs / 2 }, full)
}

const TIME_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000,
  300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000
]

/** A round tick step giving about `count` ticks over `spanMs`. */
export function timeStep(spanMs: number, count: number): number {
  const raw = spanMs / Math.max(1, count)
  return TIME_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000
}

/**
 * A tick label: the page's time format (fmtTime: `YYYY-MM-DD HH:MM:SS.mmm`, UTC) cut to what the
 * step resolves — milliseconds below a second; the date where it changes from the previous tick
 * (or on the first one), on a line of its own.
 */
export function tickLabel(ms: number, stepMs: number, prevMs: number | null): string {
  const full = fmtTime(ms)
  const clock = stepMs < 1000 ? full.slice(11) : full.slice(11, 19)
  const day = full.slice(0, 10)
  return prevMs === null || fmtTime(prevMs).slice(0, 10) !== day ? `${clock}\n${day}` : clock
}

export { parseUtcTime } from '../../src-shared/format'

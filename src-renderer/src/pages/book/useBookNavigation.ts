// The Book page's moves through a replay: the cursor by frame, by time, to checkpoints and
// markers, zoom around the cursor, playback in exchange time, and the keyboard shortcuts for them.
// Every handler reads the latest series, frame and window through one ref, so the listeners are
// installed once.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import type { BookFrame, BookSeries } from '../../../../src-shared/replay'
import { fullView } from '../../components/Heatmap'
import { showFrame, showFrameAt, stepFrame } from '../../stores/book'
import { setView } from '../../stores/heatmap'
import { panView, viewAround, zoomView, type TimeView } from '../../timeAxis'

export function useBookNavigation(
  series: BookSeries | null,
  frame: BookFrame | null,
  heatmapView: TimeView | null,
  /** The go-to-time field that g focuses. */
  gotoInput: RefObject<HTMLInputElement | null>
) {
  const [playing, setPlaying] = useState(false)
  const [speed, setSpeed] = useState<number>(10)
  const [help, setHelp] = useState(false)
  const live = useRef({ series, frame, speed, view: heatmapView })
  useLayoutEffect(() => {
    live.current = { series, frame, speed, view: heatmapView }
  })

  // Stable (they read the ref), so the charts and the marker list need not render again.
  const pickTime = useCallback((ms: number): void => {
    if (live.current.series) showFrameAt(ms)
  }, [])
  const step = stepFrame
  /** Moves the cursor by `dMs` of exchange time (at least one frame). */
  const stepTime = (dMs: number): void => {
    const f = live.current.frame
    if (!live.current.series || !f) return
    showFrameAt(f.timeMs + dMs, dMs > 0 ? 1 : -1)
  }
  /** The cursor on a marker's start and the window around it (kept when it already shows it). */
  const goToMarker = useCallback((ms: number): void => {
    const s = live.current.series
    if (!s) return
    showFrameAt(ms)
    const v = live.current.view
    if (!v || ms < v.fromMs || ms > v.toMs) setView(viewAround(ms, 60_000, fullView(s)))
  }, [])
  const nextMarker = (dir: 1 | -1): void => {
    const s = live.current.series
    if (!s) return
    const at = live.current.frame?.timeMs ?? -Infinity
    const starts = s.markers.map((m) => m.fromMs).sort((a, b) => a - b)
    const next =
      dir > 0 ? starts.find((t) => t > at + 0.5) : starts.reverse().find((t) => t < at - 0.5)
    if (next !== undefined) goToMarker(next)
  }
  const nextCheckpoint = (dir: 1 | -1): void => {
    const s = live.current.series
    if (!s) return
    const at = live.current.frame?.index ?? 0
    const cps = s.checkpoints.frame
    const list = dir > 0 ? cps.filter((f) => f > at) : cps.filter((f) => f < at).reverse()
    if (list[0] !== undefined) showFrame(list[0])
  }
  const zoom = (factor: number): void => {
    const s = live.current.series
    if (!s) return
    const full = fullView(s)
    const v = live.current.view ?? full
    const at = live.current.frame?.timeMs ?? (v.fromMs + v.toMs) / 2
    setView(zoomView(v, at, factor, full))
  }

  // Playback: the cursor runs through exchange time at `speed`× and the window follows it.
  useEffect(() => {
    if (!playing) return
    const s = live.current.series
    if (!s) return
    const full = fullView(s)
    let t = live.current.frame?.timeMs ?? full.fromMs
    let last = performance.now()
    let id = 0
    const tick = (now: number): void => {
      t += (now - last) * live.current.speed
      last = now
      if (t >= full.toMs) {
        pickTime(full.toMs)
        setPlaying(false)
        return
      }
      pickTime(t)
      const v = live.current.view
      if (v && (t > v.toMs || t < v.fromMs)) setView(panView(v, t - (v.fromMs + v.toMs) / 2, full))
      id = requestAnimationFrame(tick)
    }
    id = requestAnimationFrame(tick)
    return () => {
      cancelAnimationFrame(id)
    }
  }, [playing, pickTime])

  // Keyboard shortcuts (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const el = e.target as HTMLElement | null
      if (el && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && e.key !== 'Escape') return
      if (e.ctrlKey || e.metaKey) return
      let done = true
      if (e.key === '?') setHelp((h) => !h)
      else if (e.key === 'Escape') setHelp(false)
      else if (e.key === ' ') setPlaying((p) => !p)
      else if (e.key === 'm' || e.key === 'M') nextMarker(e.key === 'm' ? 1 : -1)
      else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        const dir = e.key === 'ArrowRight' ? 1 : -1
        if (e.shiftKey) stepTime(dir * 1000)
        else if (e.altKey) stepTime(dir * 100)
        else step(dir)
      } else if (e.key === ']') nextCheckpoint(1)
      else if (e.key === '[') nextCheckpoint(-1)
      else if (e.key === '+' || e.key === '=') zoom(0.5)
      else if (e.key === '-') zoom(2)
      else if (e.key === '0') setView(null)
      else if (e.key === 'g') gotoInput.current?.focus()
      else done = false
      if (done) e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
    }
    // The handlers read only refs (live.current) and stores.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  return {
    pickTime,
    step,
    stepTime,
    nextCheckpoint,
    goToMarker,
    playing,
    setPlaying,
    speed,
    setSpeed,
    help,
    setHelp
  }
}

// The rows of the DOM ladder that are in its scroll box (and a few beyond), and the scroll that
// keeps the mid centred while "follow mid" is on. Row height is fixed (styles.css, .dom-table), so
// both come from the scroll offset and the box's height alone: nothing on a scrub step reads the
// layout.
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'

/** The height of a ladder row in CSS pixels (styles.css: .dom-table td). */
export const LADDER_ROW_PX = 18
/** Rows rendered above and below the visible ones, so a wheel turn never shows a gap. */
const OVERSCAN = 4

export interface LadderWindow {
  readonly first: number
  /** One past the last row rendered. */
  readonly last: number
}

interface Box {
  height: number
  head: number
}

const FIRST_BOX: Box = { height: 560, head: 0 }

/** Scrolls the touch row's lower edge (the best ask's, above the best bid) to the box's middle. */
function centreOn(el: HTMLElement, b: Box, touchRow: number): number {
  const top = Math.max(0, b.head + (touchRow + 1) * LADDER_ROW_PX - b.height / 2)
  el.scrollTop = top
  return top
}

function windowAt(top: number, box: Box, rows: number): LadderWindow {
  const from = Math.floor((top - box.head) / LADDER_ROW_PX) - OVERSCAN
  const to = Math.ceil((top - box.head + box.height) / LADDER_ROW_PX) + OVERSCAN
  return { first: Math.max(0, Math.min(rows, from)), last: Math.max(0, Math.min(rows, to)) }
}

export function useLadderWindow(
  scroller: RefObject<HTMLDivElement | null>,
  rows: number,
  touchRow: number,
  follow: boolean,
  /** Another grouping: the rows are new, centre again. */
  group: number
): LadderWindow {
  const box = useRef<Box>(FIRST_BOX)
  const [shown, setWindow] = useState<LadderWindow>(() => windowAt(0, FIRST_BOX, rows))
  const setShown = (w: LadderWindow): void => {
    setWindow((p) => (p.first === w.first && p.last === w.last ? p : w))
  }
  const live = useRef({ rows, touchRow, follow })
  useLayoutEffect(() => {
    live.current = { rows, touchRow, follow }
  })

  // The box's height and its sticky header's, from a ResizeObserver (read after layout, free).
  useEffect(() => {
    const el = scroller.current
    if (!el) return
    const ro = new ResizeObserver(() => {
      box.current = {
        height: el.clientHeight,
        head: el.querySelector('thead')?.offsetHeight ?? 0
      }
      const { rows: n, touchRow: t, follow: f } = live.current
      const top = f && t >= 0 ? centreOn(el, box.current, t) : el.scrollTop
      setShown(windowAt(top, box.current, n))
    })
    ro.observe(el)
    let frame = 0
    const onScroll = (): void => {
      if (frame !== 0) return
      frame = requestAnimationFrame(() => {
        frame = 0
        setShown(windowAt(el.scrollTop, box.current, live.current.rows))
      })
    }
    el.addEventListener('scroll', onScroll, { passive: true })
    return () => {
      ro.disconnect()
      el.removeEventListener('scroll', onScroll)
      cancelAnimationFrame(frame)
    }
  }, [scroller])

  // Scroll only when the touch's row index changes: the rows are built around the touch, so it
  // rarely does from one frame to the next.
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el || !follow || touchRow < 0) return
    setShown(windowAt(centreOn(el, box.current, touchRow), box.current, rows))
  }, [scroller, touchRow, rows, follow, group])

  // Fewer rows than the window assumed (until it is computed again): clamp it.
  return shown.last > rows ? { first: Math.min(shown.first, rows), last: rows } : shown
}

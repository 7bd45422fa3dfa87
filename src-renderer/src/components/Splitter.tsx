// A drag handle between two panes: reports the pointer's travel since the drag began, so the page
// sets the pane's size from the size it had then; double click restores the default. Keyboard:
// arrows move it by 16 px (the handle is a focusable separator).
import { useRef } from 'react'

interface Props {
  /** 'vertical': a bar between side-by-side panes (drag left/right); 'horizontal': up/down. */
  readonly orientation: 'vertical' | 'horizontal'
  readonly label: string
  readonly testId: string
  /** The size of the pane the handle resizes, in CSS pixels, when a drag starts. */
  readonly size: () => number
  readonly onResize: (px: number) => void
  readonly onReset: () => void
  /** +1 when moving right/down grows the pane, -1 when it shrinks it. */
  readonly direction: 1 | -1
}

export function Splitter({
  orientation,
  label,
  testId,
  size,
  onResize,
  onReset,
  direction
}: Props) {
  const start = useRef<{ at: number; size: number } | null>(null)
  const along = (e: { clientX: number; clientY: number }): number =>
    orientation === 'vertical' ? e.clientX : e.clientY
  return (
    <div
      className={`splitter ${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      title={`${label}: drag to resize, double click for the default`}
      tabIndex={0}
      data-testid={testId}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId)
        start.current = { at: along(e), size: size() }
      }}
      onPointerMove={(e) => {
        const s = start.current
        if (s) onResize(s.size + direction * (along(e) - s.at))
      }}
      onPointerUp={() => {
        start.current = null
      }}
      onDoubleClick={onReset}
      onKeyDown={(e) => {
        const back = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp'
        const fwd = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown'
        if (e.key !== back && e.key !== fwd) return
        e.preventDefault()
        e.stopPropagation()
        onResize(size() + direction * (e.key === fwd ? 16 : -16))
      }}
    />
  )
}

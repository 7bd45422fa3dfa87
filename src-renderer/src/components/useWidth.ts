// The CSS width of a box, kept current by a ResizeObserver (canvases are drawn at it). `key`
// re-attaches the observer when the box itself is replaced (rendered only in some states).
import { useEffect, useState, type RefObject } from 'react'

export function useWidth(box: RefObject<HTMLElement | null>, key: unknown = null): number {
  const [width, setWidth] = useState(0)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const ro = new ResizeObserver(() => {
      setWidth(el.clientWidth)
    })
    // A ResizeObserver reports the box's size once when it starts observing: the first width.
    ro.observe(el)
    return () => {
      ro.disconnect()
    }
  }, [box, key])
  return width
}

// The Book page's pane sizes (ladder width, heatmap height), dragged by the researcher and
// remembered in the renderer's localStorage, so a reload or the next start opens the same layout.
import { create } from 'zustand'

export interface Layout {
  /** CSS pixels of the ladder pane; null = the stylesheet's default for the window size. */
  readonly ladderWidth: number | null
  /** CSS pixels of the heatmap; null = about half the window's height. */
  readonly heatmapHeight: number | null
}

const KEY = 'lakebook.layout.v1'
export const LADDER_WIDTH = { min: 260, max: 900 } as const
export const HEATMAP_HEIGHT = { min: 200, max: 1400 } as const

function clamp(v: number, b: { min: number; max: number }): number {
  return Math.round(Math.min(b.max, Math.max(b.min, v)))
}

/** The stored layout, each value checked: a hand-edited or older entry falls back to the default. */
export function parseLayout(text: string | null): Layout {
  const none: Layout = { ladderWidth: null, heatmapHeight: null }
  if (!text) return none
  try {
    const v = JSON.parse(text) as Record<string, unknown>
    const num = (x: unknown, b: { min: number; max: number }): number | null =>
      typeof x === 'number' && Number.isFinite(x) ? clamp(x, b) : null
    return {
      ladderWidth: num(v['ladderWidth'], LADDER_WIDTH),
      heatmapHeight: num(v['heatmapHeight'], HEATMAP_HEIGHT)
    }
  } catch {
    return none
  }
}

function stored(): Layout {
  try {
    return parseLayout(window.localStorage.getItem(KEY))
  } catch {
    return { ladderWidth: null, heatmapHeight: null }
  }
}

export const useLayout = create<Layout>()(() => stored())

useLayout.subscribe((l) => {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(l))
  } catch {
    // Storage refused (private mode, quota): the layout still holds for this session.
  }
})

export function setLadderWidth(px: number | null): void {
  useLayout.setState({ ladderWidth: px === null ? null : clamp(px, LADDER_WIDTH) })
}

export function setHeatmapHeight(px: number | null): void {
  useLayout.setState({ heatmapHeight: px === null ? null : clamp(px, HEATMAP_HEIGHT) })
}

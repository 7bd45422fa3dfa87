// The window's size and position, remembered across starts in <userData>/window-state.json. A
// position that no display shows any more (a monitor unplugged) is dropped, keeping the size.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { screen, type BrowserWindow, type Rectangle } from 'electron'
import { writeFileAtomic } from '../util/atomicWrite'

export interface WindowState {
  readonly x?: number
  readonly y?: number
  readonly width: number
  readonly height: number
  readonly maximized: boolean
}

export const DEFAULT_WINDOW: WindowState = { width: 1400, height: 900, maximized: false }
const MIN = { width: 800, height: 560 }

export const windowStateFile = (dir: string): string => join(dir, 'window-state.json')

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

function visible(r: Rectangle, areas: readonly Rectangle[]): boolean {
  // At least 100×50 px of the title bar area on some display.
  return areas.some(
    (a) =>
      Math.min(r.x + r.width, a.x + a.width) - Math.max(r.x, a.x) >= 100 &&
      Math.min(r.y + 50, a.y + a.height) - Math.max(r.y, a.y) >= 50
  )
}

/** The saved state when it is sane, else the defaults; never throws. */
export function parseWindowState(text: string, areas: readonly Rectangle[]): WindowState {
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(text) as Record<string, unknown>
  } catch {
    return DEFAULT_WINDOW
  }
  const { x, y, width, height, maximized } = raw
  if (!isInt(width) || !isInt(height)) return DEFAULT_WINDOW
  const size = { width: Math.max(MIN.width, width), height: Math.max(MIN.height, height) }
  const state = { ...size, maximized: maximized === true }
  if (isInt(x) && isInt(y) && visible({ x, y, ...size }, areas)) return { x, y, ...state }
  return state
}

export function loadWindowState(dir: string): WindowState {
  const file = windowStateFile(dir)
  if (!existsSync(file)) return DEFAULT_WINDOW
  const areas = screen.getAllDisplays().map((d) => d.workArea)
  return parseWindowState(readFileSync(file, 'utf8'), areas)
}

/** Saves the state when the window moves, resizes (debounced) or closes. */
export function trackWindowState(win: BrowserWindow, dir: string): void {
  let timer: NodeJS.Timeout | undefined
  const save = (): void => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (win.isDestroyed()) return
    // The normal bounds, so a maximized window comes back to its former size when restored.
    const b = win.getNormalBounds()
    const state: WindowState = { ...b, maximized: win.isMaximized() }
    try {
      writeFileAtomic(windowStateFile(dir), `${JSON.stringify(state)}\n`)
    } catch {
      // A read-only profile folder: the window simply opens at the default size next time.
    }
  }
  const later = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, 500)
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('close', save)
}

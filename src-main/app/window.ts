// The app window: sandboxed and isolated, no navigation away and no new windows (guard.ts), at the
// size and place it had last time.
import { join } from 'node:path'
import { BrowserWindow } from 'electron'
import { guardNavigation, type GuardLog } from './guard'
import { loadWindowState, trackWindowState } from './windowState'

export const RENDERER_HTML = join(import.meta.dirname, '../renderer/index.html')

export function createWindow(opts: {
  userData: string
  show?: boolean
  /** Where refused navigations go (the app log; stderr by default). */
  log?: GuardLog
}): BrowserWindow {
  const state = loadWindowState(opts.userData)
  const win = new BrowserWindow({
    ...state,
    minWidth: 800,
    minHeight: 560,
    show: opts.show ?? true,
    title: 'lakebook',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true
    }
  })
  if (state.maximized) win.maximize()
  trackWindowState(win, opts.userData)
  guardNavigation(
    win.webContents,
    opts.log ??
      ((m) => {
        process.stderr.write(`lakebook: ${m}\n`)
      })
  )
  return win
}

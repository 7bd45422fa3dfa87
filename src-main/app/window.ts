// The app window: sandboxed and isolated, no navigation away and no new windows, at the size and
// place it had last time.
import { join } from 'node:path'
import { BrowserWindow } from 'electron'
import { loadWindowState, trackWindowState } from './windowState'

export const RENDERER_HTML = join(import.meta.dirname, '../renderer/index.html')

export function createWindow(opts: { userData: string; show?: boolean }): BrowserWindow {
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
  win.webContents.on('will-navigate', (e) => {
    e.preventDefault()
  })
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  return win
}

// The Electron adapter of the IPC contract: the only main-side module that touches ipcMain.
// Requests are accepted only from our own window's frames and go through the Router's validation.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type IpcMainEvent } from 'electron'
import { commandChannels, invokeChannels } from '../../src-shared/ipc/contract'
import type { Router } from '../ipc/router'

export function bindIpc(router: Router, win: BrowserWindow): () => void {
  const fromOurWindow = (e: IpcMainInvokeEvent | IpcMainEvent): boolean =>
    e.sender.id === win.webContents.id
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (e, payload: unknown) => {
      if (!fromOurWindow(e)) throw new Error('request from an unknown frame')
      return router.invoke(channel, payload)
    })
  }
  for (const channel of commandChannels) {
    ipcMain.on(channel, (e, payload: unknown) => {
      if (fromOurWindow(e)) router.command(channel, payload)
    })
  }
  const detach = router.addSink((channel, payload) => {
    if (!win.isDestroyed()) win.webContents.send(channel, payload)
  })
  return () => {
    detach()
    for (const channel of invokeChannels) ipcMain.removeHandler(channel)
    for (const channel of commandChannels) ipcMain.removeAllListeners(channel)
  }
}

// The Electron adapter of the IPC contract: the only main-side module that touches ipcMain.
// Requests are accepted only from the top frame of our own window showing our own page
// (guard.ts), counted and logged when refused, and go through the Router's validation.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type IpcMainEvent } from 'electron'
import { commandChannels, invokeChannels } from '../../src-shared/ipc/contract'
import type { Router } from '../ipc/router'
import { senderRefusal, type GuardLog } from './guard'
import { RENDERER_HTML } from './window'

/** Refusals logged one by one; after that every 1000th (a page could flood the log). */
const LOGGED_REFUSALS = 20

export function bindIpc(
  router: Router,
  win: BrowserWindow,
  log: GuardLog,
  appHtml: string = RENDERER_HTML
): () => void {
  let refused = 0
  const refusal = (channel: string, e: IpcMainInvokeEvent | IpcMainEvent): string | null => {
    const why = senderRefusal(e, win.webContents.id, appHtml)
    if (why === null) return null
    refused++
    const text = `refused ${channel}: ${why}`
    if (refused <= LOGGED_REFUSALS || refused % 1000 === 0)
      log(`${text} (${refused} refused so far)`)
    return text
  }
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (e, payload: unknown) => {
      const why = refusal(channel, e)
      if (why !== null) throw new Error(why)
      return router.invoke(channel, payload)
    })
  }
  for (const channel of commandChannels) {
    ipcMain.on(channel, (e, payload: unknown) => {
      if (refusal(channel, e) === null) router.command(channel, payload)
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

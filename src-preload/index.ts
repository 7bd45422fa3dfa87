// Electron preload (bundled to CommonJS for the sandbox): exposes window.api over ipcRenderer.
// Listeners get the payload only, never the IpcRendererEvent.
import { contextBridge, ipcRenderer } from 'electron'
import { createApi } from './api'

contextBridge.exposeInMainWorld(
  'api',
  createApi({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
    send: (channel, payload) => {
      ipcRenderer.send(channel, payload)
    },
    on: (channel, listener) => {
      const wrapped = (_event: unknown, payload: unknown): void => {
        listener(payload)
      }
      ipcRenderer.on(channel, wrapped)
      return () => ipcRenderer.removeListener(channel, wrapped)
    },
    // Served by the shell's protocol handler (src-main/app/main.ts), with the same checks.
    evidenceUrl: (path) => `lakebook-evidence://report/?path=${encodeURIComponent(path)}`
  })
)

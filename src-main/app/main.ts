// The Electron shell, kept thin: a sandboxed window with a strict CSP, the IPC binding, the native
// file dialog. Everything else is the engine, shared with the CLI and the browser host.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, protocol, session } from 'electron'
import { EVIDENCE_CSP, evidenceFile } from '../host/evidence'
import { JobManager } from '../jobs/manager'
import workerPath from '../jobs/workerPath'
import { openManifest } from '../lake/manifest'
import { resolveLakeRoot } from '../lake/paths'
import { createRouter } from '../ipc/services'
import { VERSION } from '../version'
import { bindIpc } from './ipc'
import { keychainStore } from './secrets'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src lakebook-evidence:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

function lakeFlag(): string | undefined {
  const i = process.argv.indexOf('--lake')
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function start(): Promise<void> {
  await app.whenReady()
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    // Evidence reports keep their own, stricter policy (set by the protocol handler below).
    if (details.url.startsWith('lakebook-evidence:')) callback({})
    else
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] }
      })
  })
  const lakeRoot = resolveLakeRoot(lakeFlag())
  // Evidence reports for the in-app viewer, with the browser host's checks (host/evidence.ts).
  protocol.handle('lakebook-evidence', async (req) => {
    const found = evidenceFile(lakeRoot, new URL(req.url).searchParams.get('path') ?? '')
    if (!found.ok) return new Response(found.reason, { status: found.status })
    return new Response(await readFile(found.file), {
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': EVIDENCE_CSP
      }
    })
  })
  const db = openManifest(lakeRoot)
  const jobs = new JobManager({ db, lakeRoot, workerPath })

  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'lakebook',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true
    }
  })
  // No navigation away from the app and no new windows.
  win.webContents.on('will-navigate', (e) => {
    e.preventDefault()
  })
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))

  const router = createRouter({
    lakeRoot,
    version: VERSION,
    jobs,
    db,
    secrets: keychainStore(app.getPath('userData')),
    pickFiles: async (title, multi, directory) => {
      const r = await dialog.showOpenDialog(win, {
        title,
        properties: [
          directory ? 'openDirectory' : 'openFile',
          ...(multi ? (['multiSelections'] as const) : [])
        ]
      })
      return r.canceled ? [] : r.filePaths
    }
  })
  const unbind = bindIpc(router, win)
  await win.loadFile(join(import.meta.dirname, '../renderer/index.html'))

  app.on('window-all-closed', () => {
    unbind()
    void jobs.shutdown().finally(() => {
      db.close()
      app.quit()
    })
  })
}

void start()

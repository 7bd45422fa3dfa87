// The Electron shell, kept thin: one instance, a sandboxed window with a strict CSP that remembers
// its size and place, browser permissions denied but notifications (guard.ts), the native menu, a
// log file, the IPC binding, the native file dialog the system's handler for reports and datasets,
// the evidence viewer's protocol. Everything else is the engine, shared with the CLI and the
// browser host. `--smoke` runs the smoke test instead (npm run smoke:electron).
import { readFile } from 'node:fs/promises'
import { app, BrowserWindow, dialog, protocol, session, shell } from 'electron'
import { EVIDENCE_CSP, evidenceFile } from '../host/evidence'
import { JobManager } from '../jobs/manager'
import workerPath from '../worker/workerPath'
import { openManifest, type Db } from '../lake/manifest'
import { resolveLakeRoot } from '../lake/paths'
import { createRouter } from '../ipc/services'
import { startupWorkers } from '../settings/workers'
import { VERSION } from '../version'
import { installPermissionPolicy } from './guard'
import { bindIpc } from './ipc'
import { AppLog } from './logs'
import { installMenu } from './menu'
import { DesktopNotifier } from './notifications'
import { keychainStore } from './secrets'
import { runSmokeInApp } from './smoke'
import { createWindow, RENDERER_HTML } from './window'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src lakebook-evidence:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function start(): Promise<void> {
  // A second start hands over to the running instance, which comes to the front.
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  await app.whenReady()
  const log = new AppLog(app.getPath('logs'))
  const warn = (message: string): void => {
    log.write('warn', message)
  }
  installPermissionPolicy(session.defaultSession, RENDERER_HTML, warn)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    // Evidence reports keep their own, stricter policy (set by the protocol handler below).
    if (details.url.startsWith('lakebook-evidence:')) callback({})
    else
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] }
      })
  })
  const lakeRoot = resolveLakeRoot(flag('--lake'))
  log.write(
    'info',
    `lakebook ${VERSION} starting (Electron ${process.versions.electron}), lake ${lakeRoot}`
  )
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
  let db: Db
  try {
    db = openManifest(lakeRoot)
  } catch (e) {
    // e.g. no better-sqlite3 build for this Electron: one sentence with the command that fixes it.
    const message = e instanceof Error ? e.message : String(e)
    log.write('error', message)
    dialog.showErrorBox('lakebook cannot open its manifest', message)
    app.exit(1)
    return
  }
  const jobs = new JobManager({ db, lakeRoot, workerPath, concurrency: startupWorkers(warn).jobs })
  const recovered = jobs.recoveredText()
  if (recovered !== null) log.write('warn', recovered)
  log.follow(jobs)

  let win: BrowserWindow | null = createWindow({ userData: app.getPath('userData'), log: warn })
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  installMenu({ version: VERSION, lakeRoot, log, window: () => win })

  const router = createRouter({
    lakeRoot,
    version: VERSION,
    jobs,
    db,
    secrets: keychainStore(app.getPath('userData'), { warn }),
    pickFiles: async (title, multi, directory) => {
      const r = await dialog.showOpenDialog(win ?? new BrowserWindow({ show: false }), {
        title,
        properties: [
          directory ? 'openDirectory' : 'openFile',
          ...(multi ? (['multiSelections'] as const) : [])
        ]
      })
      return r.canceled ? [] : r.filePaths
    },
    openPath: (path) => shell.openPath(path),
    alertChannels: [
      new DesktopNotifier({
        lakeRoot,
        appPath: app.getAppPath(),
        resourcesPath: app.isPackaged ? process.resourcesPath : undefined,
        log: warn
      })
    ]
  })
  const unbind = bindIpc(router, win, warn)
  await win.loadFile(RENDERER_HTML)

  app.on('window-all-closed', () => {
    win = null
    unbind()
    log.write('info', 'window closed; stopping jobs')
    void jobs.shutdown().finally(() => {
      db.close()
      app.quit()
    })
  })
}

if (process.argv.includes('--smoke')) {
  void runSmokeInApp({ dataDir: flag('--smoke-data'), workerPath })
} else {
  void start()
}

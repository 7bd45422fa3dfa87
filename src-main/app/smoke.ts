// `npm run smoke:electron` → the app started with --smoke: the window loads the preload and the
// renderer (hidden), then a manifest in a temporary lake and a small capture replay in a worker
// thread (src-main/jobs/smoke.ts), then the app quits: exit 0 when all of it worked, 1 otherwise.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { app } from 'electron'
import { runSmoke } from '../jobs/smoke'
import { createWindow, RENDERER_HTML } from './window'

export async function runSmokeInApp(opts: {
  readonly dataDir: string | undefined
  readonly workerPath: string | URL
}): Promise<void> {
  const say = (s: string): void => {
    process.stdout.write(`lakebook smoke: ${s}\n`)
  }
  // A throwaway profile: the smoke test leaves the user's window state and keys alone.
  app.setPath('userData', mkdtempSync(join(tmpdir(), 'lakebook-smoke-profile-')))
  try {
    await app.whenReady()
    say(`Electron ${process.versions.electron} (NODE_MODULE_VERSION ${process.versions.modules})`)
    const win = createWindow({ userData: app.getPath('userData'), show: false })
    await win.loadFile(RENDERER_HTML)
    say('window, preload and renderer loaded')
    const dataDir = opts.dataDir ?? resolve(app.getAppPath(), '../shared/data/binance-captures')
    const r = await runSmoke({ dataDir, workerPath: opts.workerPath })
    say(
      `manifest opened in a temporary lake; replayed ${r.messages} messages of ${r.file} in a worker in ${r.ms} ms`
    )
    win.destroy()
    say('ok')
    app.exit(0)
  } catch (e) {
    process.stderr.write(`lakebook smoke: failed: ${e instanceof Error ? e.message : String(e)}\n`)
    app.exit(1)
  }
}

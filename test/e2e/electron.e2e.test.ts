// End to end in the Electron window, where the binary exists: the app started by playwright-core's
// Electron support walks the same pages as the browser host (pageTour.ts) on a real capture, the
// Doctor names Electron as the runtime (so better-sqlite3 loaded its Electron build), and the app
// closes cleanly. Machines without the binary (this build machine: it cannot be downloaded here)
// skip it with a loud line; `npm run smoke:electron` is the user's one-command check.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, type ElectronApplication } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/build'
import { captureFiles, hasCaptures } from '../helpers/data'
import { electronBinary } from '../helpers/electron'
import { tourPages } from '../helpers/pageTour'

const binary = electronBinary()
if (!binary) {
  process.stderr.write(
    '\n*** ELECTRON BINARY MISSING: the Electron end-to-end test is SKIPPED (npm start fetches it once where the network allows; then npm run rebuild:electron) ***\n'
  )
}

describe.skipIf(!binary || !hasCaptures)('every page in the Electron window', () => {
  let app: ElectronApplication

  beforeAll(async () => {
    const lake = mkdtempSync(join(tmpdir(), 'lakebook-electron-lake-'))
    const profile = mkdtempSync(join(tmpdir(), 'lakebook-electron-profile-'))
    app = await _electron.launch({
      executablePath: binary ?? '',
      args: [ROOT, '--lake', lake, `--user-data-dir=${profile}`],
      cwd: ROOT,
      timeout: 60_000
    })
  })

  afterAll(async () => {
    await app.close()
  })

  it('opens every page, loads its native modules and replays a real capture', async () => {
    const page = await app.firstWindow()
    const r = await tourPages(page, captureFiles('spot-btcusdt-20240808'))
    expect(r.doctorLine).toMatch(/^Electron \d+\.\d+\.\d+ · lake /)
    expect(await page.getByTestId('doctor-sqlite').locator('td').first().textContent()).toBe('pass')
    expect(r.pageErrors).toEqual([])
  })
})

// The smoke test's engine half on real data (the smallest shared capture file): manifest in a
// temporary lake, a capture replay job in a worker, clean shutdown. And `npm run smoke:electron`
// itself: without the Electron binary (these machines) it says so in one sentence and exits 2;
// where the binary exists it must pass.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSmoke, smokeCaptureFile } from '../../../src-main/jobs/smoke'
import { builtWorkerPath, ROOT } from '../../helpers/build'
import { CAPTURES, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

describe.skipIf(!hasCaptures)('desktop smoke test', () => {
  it('replays the smallest capture file in a worker and removes its temporary lake', async () => {
    const file = smokeCaptureFile(CAPTURES)
    expect(file.endsWith('.gz')).toBe(true)
    const r = await runSmoke({ dataDir: CAPTURES, workerPath: builtWorkerPath() })
    expect(r.file).toBe(file)
    expect(r.messages).toBeGreaterThan(0)
    expect(existsSync(r.lakeRoot)).toBe(false)
    expect(statSync(file).size).toBeLessThan(1024 * 1024)
  })

  it('names the folder when it holds no capture', async () => {
    const empty = tempDir()
    await expect(runSmoke({ dataDir: empty, workerPath: builtWorkerPath() })).rejects.toThrow(
      `no .gz capture files in ${empty}`
    )
  })

  it('npm run smoke:electron: exit 2 with one sentence without Electron, exit 0 with it', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'smoke-electron.mjs')], {
      encoding: 'utf8',
      timeout: 300_000
    })
    if (r.status === 2) {
      expect(r.stderr).toBe(
        'lakebook: smoke:electron needs the Electron binary, which is not on this machine (npm start fetches it once where the network allows).\n'
      )
      expect(existsSync(join(ROOT, 'node_modules', 'electron', 'dist'))).toBe(false)
    } else {
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/lakebook smoke: ok\n/)
    }
  })
})

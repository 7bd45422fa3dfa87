// A job survives the death of the process that ran it: an export of the real vendor-writer files,
// run by the built CLI and SIGKILLed once its first checkpoint is on disk, is marked interrupted
// at the next start and `lakebook jobs again` resumes it from that checkpoint (the app's Jobs page
// and the host call the same JobManager.againSpec through `jobs.again`). A job that finished, or
// is still running, is refused in a sentence.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest } from '../../../src-main/lake/manifest'
import { OUT, builtWorkerPath, runBuilt } from '../../helpers/build'
import { hasVendorWriter } from '../../helpers/data'
import { vendorWriterLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

/** Runs the built CLI and SIGKILLs it as soon as `file` exists (polled every 5 ms). */
function killWhen(args: readonly string[], file: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(OUT, 'main', 'cli.js'), ...args], {
      stdio: 'ignore'
    })
    const watch = setInterval(() => {
      if (existsSync(file)) child.kill('SIGKILL')
    }, 5)
    child.on('error', reject)
    child.on('exit', (_code, signal) => {
      clearInterval(watch)
      resolve(signal)
    })
  })
}

describe.skipIf(!hasVendorWriter)('running a job again after its process died', () => {
  it('resumes a killed export from its checkpoint, and refuses a finished job', async () => {
    const lake = tempDir('lakebook-again-')
    const out = tempDir('lakebook-again-out-')
    const root = vendorWriterLake()
    const args = ['--lake', lake, 'export', '--root', root, '--ungated', '--out', out]
    const signal = await killWhen(
      [...args, '--chunk', '1m', '--fidelity-reference', 'off'],
      join(out, '_export', 'checkpoint.json')
    )
    // Killed after its first checkpoint (a run that finished first would prove nothing).
    expect(signal).toBe('SIGKILL')
    expect(existsSync(join(out, 'certificate.json'))).toBe(false)

    const db = openManifest(lake)
    const jobs = new JobManager({ db, lakeRoot: lake, workerPath: builtWorkerPath() })
    const [killed] = jobs.list(1)
    expect(killed?.state).toBe('interrupted')
    expect(jobs.againSpec(killed?.id ?? '')).toEqual({ kind: 'export', params: killed?.params })
    await jobs.shutdown()
    db.close()

    const again = await runBuilt(['--lake', lake, 'jobs', 'again', killed?.id ?? ''])
    expect(again.err).toMatch(/resumed from the checkpoint at 2024-08-0\dT\d\d:\d\d:00\.000Z/)
    expect(again.out).toMatch(new RegExp(`\\(export, again of ${killed?.id ?? ''}\\): done`))
    expect(again.code).toBe(3) // ungated: finished, not certified
    expect(existsSync(join(out, 'certificate.json'))).toBe(true)

    const db2 = openManifest(lake)
    const jobs2 = new JobManager({ db: db2, lakeRoot: lake, workerPath: builtWorkerPath() })
    const [resumed] = jobs2.list(1)
    expect(resumed?.state).toBe('done')
    expect(() => jobs2.againSpec(resumed?.id ?? '')).toThrow(
      `job ${resumed?.id ?? ''} finished; there is nothing to resume`
    )
    await jobs2.shutdown()
    db2.close()
    const refused = await runBuilt(['--lake', lake, 'jobs', 'again', resumed?.id ?? ''])
    expect(refused.code).toBe(2)
    expect(refused.err.trim()).toBe(
      `lakebook: job ${resumed?.id ?? ''} finished; there is nothing to resume`
    )
    const unknown = await runBuilt(['--lake', lake, 'jobs', 'again', 'no-such-job'])
    expect([unknown.code, unknown.err.trim()]).toEqual([
      2,
      "lakebook: no job no-such-job in this lake's manifest (lakebook jobs lists them)"
    ])
  })
})

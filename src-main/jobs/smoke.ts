// The desktop smoke test's engine half (`npm run smoke:electron` → the app with --smoke): a
// manifest in a temporary lake, one small capture replay as a job in a worker thread, a clean
// shutdown. Plain Node, so the same path is tested without Electron.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDoneJobOf } from '../../src-shared/jobs'
import { openManifest } from '../lake/manifest'
import { JobManager } from './manager'

export interface SmokeResult {
  /** The temporary lake, removed before this returns. */
  readonly lakeRoot: string
  readonly file: string
  readonly jobId: string
  readonly messages: number
  readonly ms: number
}

/** The smallest capture file in `dir` or its sub-folders (one level). */
export function smokeCaptureFile(dir: string): string {
  if (!existsSync(dir)) {
    throw new Error(
      `no capture data at ${dir}; pass --smoke-data <folder with Binance .gz captures>`
    )
  }
  const files = [dir, ...readdirSync(dir).map((f) => join(dir, f))]
    .filter((d) => statSync(d).isDirectory())
    .flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.gz'))
        .map((f) => join(d, f))
    )
    .sort((a, b) => statSync(a).size - statSync(b).size || a.localeCompare(b))
  const first = files[0]
  if (first === undefined) throw new Error(`no .gz capture files in ${dir}`)
  return first
}

export async function runSmoke(opts: {
  readonly dataDir: string
  readonly workerPath: string | URL
}): Promise<SmokeResult> {
  const file = smokeCaptureFile(opts.dataDir)
  const lakeRoot = mkdtempSync(join(tmpdir(), 'lakebook-smoke-'))
  const started = Date.now()
  const db = openManifest(lakeRoot)
  const jobs = new JobManager({ db, lakeRoot, workerPath: opts.workerPath, concurrency: 1 })
  try {
    const jobId = jobs.start({ kind: 'replay-capture', params: { files: [file], timeline: false } })
    const rec = await jobs.wait(jobId)
    if (!isDoneJobOf(rec, 'replay-capture')) {
      throw new Error(`the smoke replay of ${file} ended ${rec.state}: ${rec.error?.message ?? ''}`)
    }
    const result = rec.result
    if (result.messages <= 0) throw new Error(`the smoke replay of ${file} applied no message`)
    return { lakeRoot, file, jobId, messages: result.messages, ms: Date.now() - started }
  } finally {
    await jobs.shutdown()
    db.close()
    rmSync(lakeRoot, { recursive: true, force: true })
  }
}

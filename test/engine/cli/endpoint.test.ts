// Keys inside --endpoint (https://user:pass@host:9000) are refused before anything is sent or
// recorded: every acquisition command of the built CLI exits 2 with one sentence, and the
// password appears nowhere in its output or in the lake. The engine refuses the same URL from
// the job manager (the app's and the host's path) and from the S3 client itself.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest } from '../../../src-main/lake/manifest'
import { createLakeClient } from '../../../src-main/sources/cryptolake/client'
import { builtWorkerPath, runBuilt } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

// Synthetic: no server listens there, and nothing may try.
const PASSWORD = 'S3cretInTheUrl42'
const ENDPOINT = `https://AKIAEXAMPLEKEY0000:${PASSWORD}@127.0.0.1:9`
const SENTENCE =
  'lakebook: --endpoint carries a user name or password, which would be printed, logged and recorded with the job; put the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or an AWS profile (--profile), not in --endpoint (nothing was sent)'

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
}

describe('a password inside --endpoint', () => {
  it('is refused by every command that takes --endpoint, and printed nowhere', async () => {
    const lake = tempDir('lakebook-endpoint-')
    const range = ['--from', '2024-08-08', '--to', '2024-08-08']
    const runs = await Promise.all([
      runBuilt(['--lake', lake, 'download', ...range, '--endpoint', ENDPOINT]),
      runBuilt(['--lake', lake, '--json', 'download', ...range, '--endpoint', ENDPOINT]),
      runBuilt(['--lake', lake, 'verify-access', '--endpoint', ENDPOINT]),
      runBuilt(['--lake', lake, 'inventory', '--endpoint', ENDPOINT]),
      runBuilt(['--lake', lake, 'plan', ...range, '--endpoint', ENDPOINT]),
      runBuilt(['--lake', lake, 'sample', 'fetch', '--endpoint', ENDPOINT])
    ])
    for (const r of runs) {
      expect(r.code).toBe(2)
      expect(r.err.trim()).toBe(SENTENCE)
      expect(r.out).toBe('')
      expect(r.err + r.out).not.toContain(PASSWORD)
    }
    // Refused while the options are read: nothing was written to the lake, no manifest, no job.
    expect(filesUnder(lake)).toEqual([])
  })

  it('is refused by the job manager (app and host) before the job is recorded', async () => {
    const lake = tempDir('lakebook-endpoint-')
    const db = openManifest(lake)
    const jobs = new JobManager({ db, lakeRoot: lake, workerPath: builtWorkerPath() })
    try {
      const spec = {
        kind: 'download' as const,
        params: {
          source: { exchange: 'BINANCE', symbol: 'BTC-USDT', endpoint: ENDPOINT },
          from: '2024-08-08',
          to: '2024-08-08'
        }
      }
      let message = ''
      try {
        jobs.start(spec)
      } catch (e) {
        message = (e as Error).message
      }
      expect(message).toMatch(
        /^invalid download job: params\.source\.endpoint: the endpoint URL carries a user name or password, .*not in the endpoint$/
      )
      expect(message).not.toContain(PASSWORD)
      expect(jobs.list()).toEqual([])
    } finally {
      await jobs.shutdown()
      db.close()
    }
  })

  it('is refused by the S3 client, whoever builds it', () => {
    expect(() =>
      createLakeClient({ credentials: { kind: 'anonymous' }, endpoint: ENDPOINT })
    ).toThrow(/^the endpoint URL carries a user name or password/)
  })
})

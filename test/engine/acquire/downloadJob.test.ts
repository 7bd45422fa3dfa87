// The download job end to end through the job manager and the built worker, against a real
// S3-compatible server holding Lake-format files made from the real capture: verified files in
// staging, outcomes in the manifest, and the credentials never persisted or logged.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DownloadJobResult } from '../../../src-main/sources/cryptolake/downloadJob'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import { builtWorkerPath } from '../../helpers/build'
import { hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_EXCHANGE,
  VENDOR_SYMBOL,
  type VendorServer
} from '../../helpers/vendorBucket'

describe.skipIf(!hasCaptures)('download job', () => {
  let server: VendorServer
  let db: Db
  let jobs: JobManager
  const lakeRoot = tempDir()
  const logs: string[] = []

  beforeAll(async () => {
    server = await startVendorS3({ files: await buildVendorBucketFiles() })
    db = openManifest(lakeRoot)
    jobs = new JobManager({ db, lakeRoot, workerPath: builtWorkerPath() })
    jobs.subscribe({ log: (l) => logs.push(l.message) })
  }, 120_000)

  afterAll(async () => {
    await jobs.shutdown()
    db.close()
    await server.close()
  })

  it('downloads and verifies every file into staging, recording outcomes, without persisting secrets', async () => {
    const id = jobs.start(
      {
        kind: 'download',
        params: {
          source: { exchange: VENDOR_EXCHANGE, symbol: VENDOR_SYMBOL, endpoint: server.endpoint },
          from: '2024-08-08',
          to: '2024-08-09'
        }
      },
      server.credentials
    )
    const done = await jobs.wait(id)
    expect(done.error).toBeNull()
    expect(done.state).toBe('done')
    const r = done.result as DownloadJobResult
    expect(r.plan.decision.kind).toBe('ok')
    expect(r.download?.verified).toBe(6)
    expect(r.download?.failures).toEqual([])
    const rows = db.prepare('SELECT status, path, sha256 FROM acquired_files').all() as {
      status: string
      path: string
      sha256: string
    }[]
    expect(rows).toHaveLength(6)
    for (const row of rows) {
      expect(row.status).toBe('verified')
      // Paths are relative to the lake root, so a lake can move.
      expect(row.path.startsWith('staging/')).toBe(true)
      expect(existsSync(join(lakeRoot, row.path))).toBe(true)
      expect(server.objects.size).toBe(6)
      expect([...server.objects.values()].some((o) => o.sha256 === row.sha256)).toBe(true)
    }
    // Nothing written or logged holds a secret.
    const dump =
      JSON.stringify(db.prepare('SELECT * FROM jobs').all()) +
      JSON.stringify(done) +
      logs.join('\n')
    expect(dump).not.toContain(server.credentials.secretAccessKey)
    expect(dump).not.toContain(server.credentials.accessKeyId)
  })

  it('a second run downloads nothing again (verified files are skipped)', async () => {
    const id = jobs.start(
      {
        kind: 'download',
        params: {
          source: { exchange: VENDOR_EXCHANGE, symbol: VENDOR_SYMBOL, endpoint: server.endpoint },
          from: '2024-08-08',
          to: '2024-08-09'
        }
      },
      server.credentials
    )
    const r = (await jobs.wait(id)).result as DownloadJobResult
    expect(r.plan.toDownload.files).toBe(0)
    expect(r.download?.bytesTransferred).toBe(0)
  })

  it('after the data gate moves the files to ready/, a new run still finds them verified', async () => {
    const v = await jobs.wait(jobs.start({ kind: 'validate', params: {} }))
    expect(v.state).toBe('done')
    const paths = db.prepare('SELECT path FROM acquired_files').all() as { path: string }[]
    expect(
      paths.every((p) => p.path.startsWith('ready/') && existsSync(join(lakeRoot, p.path)))
    ).toBe(true)
    const id = jobs.start(
      {
        kind: 'download',
        params: {
          source: { exchange: VENDOR_EXCHANGE, symbol: VENDOR_SYMBOL, endpoint: server.endpoint },
          from: '2024-08-08',
          to: '2024-08-09'
        }
      },
      server.credentials
    )
    const r = (await jobs.wait(id)).result as DownloadJobResult
    expect(r.plan.toDownload.files).toBe(0)
    expect(r.download?.bytesTransferred).toBe(0)
  })

  it('fails with a clear reason when the credentials are refused', async () => {
    const id = jobs.start(
      {
        kind: 'download',
        params: {
          source: { exchange: VENDOR_EXCHANGE, symbol: VENDOR_SYMBOL, endpoint: server.endpoint },
          from: '2024-08-08',
          to: '2024-08-09'
        }
      },
      {
        accessKeyId: 'AKIAWRONGWRONGWRONG1',
        secretAccessKey: 'definitely-not-the-secret-key-0000000000'
      }
    )
    const done = await jobs.wait(id)
    const r = done.result as DownloadJobResult | null
    // Either the inventory reports the refusal or the job fails: never a silent empty success.
    if (done.state === 'done') expect(r?.inventory.tables.every((t) => t.error !== null)).toBe(true)
    else expect(done.error?.message).toBeTruthy()
    expect(JSON.stringify(done)).not.toContain('definitely-not-the-secret-key')
  })
})

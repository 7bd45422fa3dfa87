// The alerts over IPC (app and browser host alike): the history from the manifest, the ack, and
// an unknown alert refused in a sentence.
import { afterAll, describe, expect, it } from 'vitest'
import { createRouter } from '../../../src-main/ipc/services'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest } from '../../../src-main/lake/manifest'
import { AlertStore } from '../../../src-main/monitor/alertStore'
import { builtWorkerPath } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

const lakeRoot = tempDir('lakebook-alerts-ipc-')
const db = openManifest(lakeRoot)
const jobs = new JobManager({ db, lakeRoot, workerPath: builtWorkerPath() })
const router = createRouter({ lakeRoot, version: 'test', jobs, db })

afterAll(async () => {
  await jobs.shutdown()
  db.close()
})

describe('alerts over IPC', () => {
  it('lists the manifest’s alerts newest first and acknowledges one', async () => {
    new AlertStore(db).apply(
      [{ rule: 'disk-free', key: lakeRoot, severity: 'error', message: '3 GB free' }],
      '2026-12-02T12:00:00.000Z'
    )
    const list = (await router.invoke('alerts.list', {})) as { id: number; rule: string }[]
    expect(list.map((a) => a.rule)).toEqual(['disk-free'])
    const id = list[0]?.id ?? 0
    expect(await router.invoke('alerts.ack', { id })).toBeNull()
    const after = (await router.invoke('alerts.list', { limit: 10 })) as { ackAt: string | null }[]
    expect(after[0]?.ackAt).not.toBeNull()
  })

  it('refuses an unknown alert and a malformed request in sentences', async () => {
    await expect(router.invoke('alerts.ack', { id: 999 })).rejects.toThrow(
      'no alert 999 in this lake'
    )
    await expect(router.invoke('alerts.ack', { id: 'x' })).rejects.toThrow()
  })
})

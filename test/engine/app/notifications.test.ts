// The app's desktop notifications with `electron` mocked: a Lake replay of the REAL vendor-writer
// files with one file truncated fails; the services' alert rules (the same Monitor the app runs
// every 15 s) raise job-failed, which reaches Electron's Notification exactly once however often
// the rules are evaluated again while it stays raised; its click opens the alert's runbook. The
// free-disk rule raised, cleared and raised again notifies twice (a new alert each time), and
// alerts.desktopNotifications = false silences the channel.
import { mkdirSync, readdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { MonitorStatus } from '../../../src-shared/ipc/contract'
import { createRouter } from '../../../src-main/ipc/services'
import type { Router } from '../../../src-main/ipc/router'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import { builtWorkerPath, ROOT, runBuilt } from '../../helpers/build'
import { hasVendorWriter } from '../../helpers/data'
import { vendorWriterLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const h = vi.hoisted(() => ({
  shown: [] as { title: string; body: string; click: (() => void) | null }[],
  opened: [] as string[]
}))

vi.mock('electron', () => {
  class Notification {
    private click: (() => void) | null = null
    constructor(private readonly o: { title: string; body: string }) {}
    static isSupported(): boolean {
      return true
    }
    on(event: string, fn: () => void): this {
      if (event === 'click') this.click = fn
      return this
    }
    show(): void {
      h.shown.push({ ...this.o, click: this.click })
    }
  }
  return {
    Notification,
    shell: {
      openPath: (p: string) => {
        h.opened.push(p)
        return Promise.resolve('')
      }
    }
  }
})

const { DesktopNotifier, runbookFile } = await import('../../../src-main/app/notifications')

describe.skipIf(!hasVendorWriter)(
  'desktop notifications of alerts (real vendor-writer files)',
  () => {
    const lake = tempDir('lakebook-notify-')
    const config = (alerts: Record<string, unknown>): void => {
      writeFileSync(join(lake, 'lakebook.config.json'), JSON.stringify({ alerts }))
    }
    let db: Db
    let jobs: JobManager
    let router: Router
    const status = async (): Promise<MonitorStatus> =>
      (await router.invoke('monitor.status', null)) as MonitorStatus

    beforeAll(async () => {
      config({ diskFreeMinGb: 0 })
      const data = vendorWriterLake({ tables: ['book_delta_v2', 'trades'] })
      const dir = join(
        data,
        'book_delta_v2',
        'exchange=BINANCE',
        'symbol=BTC-USDT',
        'dt=2024-08-09'
      )
      truncateSync(join(dir, readdirSync(dir)[0] ?? ''), 20_000)
      expect((await runBuilt(['--lake', lake, 'replay', data])).code).toBe(1)
      db = openManifest(lake)
      jobs = new JobManager({ db, lakeRoot: lake, workerPath: builtWorkerPath() })
      router = createRouter({
        lakeRoot: lake,
        version: 'test',
        jobs,
        db,
        alertChannels: [new DesktopNotifier({ lakeRoot: lake, appPath: ROOT })]
      })
    })
    afterAll(async () => {
      await jobs.shutdown()
      db.close()
    })

    it('notifies a raised alert once while it stays raised; the click opens its runbook', async () => {
      for (let i = 0; i < 4; i++) await status()
      const s = await status()
      expect(s.firing.map((a) => a.rule)).toEqual(['job-failed'])
      expect(h.shown).toHaveLength(1)
      const [n] = h.shown
      expect(n?.title).toBe('lakebook error: job-failed')
      expect(n?.body).toMatch(
        /^replay-lake job \S+ failed: .*does not end with the Parquet magic.* — click for the runbook \(docs\/runbooks\/job-failed\.md\)$/
      )
      n?.click?.()
      await vi.waitFor(() => {
        expect(h.opened).toEqual([join(ROOT, 'docs', 'runbooks', 'job-failed.md')])
      })
    })

    it('notifies again only when a cleared alert is raised anew, and not when switched off', async () => {
      const before = h.shown.length
      config({ diskFreeMinGb: 1e9 })
      await status()
      await status()
      config({ diskFreeMinGb: 0 })
      await status()
      config({ diskFreeMinGb: 1e9 })
      await status()
      const disk = h.shown.slice(before)
      expect(disk.map((n) => n.title)).toEqual([
        'lakebook error: disk-free',
        'lakebook error: disk-free'
      ])
      disk[1]?.click?.()
      await vi.waitFor(() => {
        expect(h.opened.at(-1)).toBe(join(ROOT, 'docs', 'runbooks', 'disk-free.md'))
      })
      // Off: the same condition cleared and raised again reaches no notification.
      config({ diskFreeMinGb: 0, desktopNotifications: false })
      await status()
      config({ diskFreeMinGb: 1e9, desktopNotifications: false })
      const s = await status()
      expect(s.firing.map((a) => a.rule).sort()).toEqual(['disk-free', 'job-failed'])
      expect(h.shown.length).toBe(before + 2)
    })
  }
)

describe('the runbook a notification opens', () => {
  it('is the packaged copy in the resources when there is one, else the project page', () => {
    const res = tempDir('lakebook-resources-')
    mkdirSync(join(res, 'runbooks'))
    writeFileSync(join(res, 'runbooks', 'drift.md'), '# drift\n')
    const o = { lakeRoot: res, appPath: ROOT, resourcesPath: res }
    expect(runbookFile('docs/runbooks/drift.md', o)).toBe(join(res, 'runbooks', 'drift.md'))
    expect(runbookFile('docs/runbooks/pipeline.md#the-technical-gate', o)).toBe(
      join(ROOT, 'docs', 'runbooks', 'pipeline.md')
    )
  })
})

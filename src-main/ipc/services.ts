// Wires the engine to the IPC contract: one place that says what each channel does. Shared by the
// Electron shell and the browser host, so both behave the same.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { AppInfo } from '../../src-shared/ipc/contract'
import type { JobManager } from '../jobs/manager'
import { lakePaths } from '../lake/paths'
import { TimelineStore } from '../replay/timelineStore'
import { Router } from './router'

export interface ServiceOptions {
  readonly lakeRoot: string
  readonly version: string
  readonly jobs: JobManager
  /** A native file dialog, where the host has one. */
  readonly pickFiles?: ((title: string, multi: boolean) => Promise<string[]>) | undefined
}

/** The shared test corpus beside the project, when present (a convenience for the path entry). */
function sampleCaptureDir(): string | null {
  const dir = resolve(process.cwd(), '../shared/data/binance-captures')
  return existsSync(dir) ? dir : null
}

export function createRouter(opts: ServiceOptions): Router {
  const timelines = new TimelineStore((jobId) => lakePaths.replay(opts.lakeRoot, jobId))
  const info: AppInfo = {
    version: opts.version,
    lakeRoot: opts.lakeRoot,
    canPickFiles: opts.pickFiles !== undefined,
    sampleCaptureDir: sampleCaptureDir()
  }
  const router = new Router(
    {
      'app.info': () => info,
      'jobs.start': (spec) => ({ jobId: opts.jobs.start(spec) }),
      'jobs.list': (req) => opts.jobs.list(req.limit),
      'files.pick': async (req) => (opts.pickFiles ? opts.pickFiles(req.title, req.multi) : []),
      'replay.series': (req) => timelines.series(req.jobId, req.maxPoints),
      'replay.frame': (req) => timelines.frame(req.jobId, req.index)
    },
    {
      'jobs.cancel': (req) => {
        opts.jobs.cancel(req.jobId)
      }
    }
  )
  opts.jobs.subscribe({
    changed: (job) => {
      router.push('jobs.changed', job)
    },
    progress: (p) => {
      router.push('jobs.progress', p)
    },
    log: (entry) => {
      router.push('jobs.log', entry)
    }
  })
  return router
}

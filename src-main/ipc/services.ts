// Wires the engine to the IPC contract: one place that says what each channel does. Shared by the
// Electron shell and the browser host, so both behave the same.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { AppInfo } from '../../src-shared/ipc/contract'
import type { JobManager } from '../jobs/manager'
import { lakePaths } from '../lake/paths'
import { TimelineStore } from '../replay/timelineStore'
import { dataBase, LAKE_TABLE_NAMES, partitionDays, partitionSeries } from '../lake/layout'
import type { LakeListing } from '../../src-shared/ipc/contract'
import { Router } from './router'

export interface ServiceOptions {
  readonly lakeRoot: string
  readonly version: string
  readonly jobs: JobManager
  /** A native file dialog, where the host has one. */
  readonly pickFiles?:
    ((title: string, multi: boolean, directory: boolean) => Promise<string[]>) | undefined
}

/** The shared test corpus beside the project, when present (a convenience for the path entry). */
function sampleCaptureDir(): string | null {
  const dir = resolve(process.cwd(), '../shared/data/binance-captures')
  return existsSync(dir) ? dir : null
}

function listLake(root: string): LakeListing {
  const abs = resolve(root)
  if (!existsSync(abs)) throw new Error(`no such folder: ${abs}`)
  const base = dataBase(abs)
  const keys = new Map<string, { exchange: string; symbol: string }>()
  for (const t of LAKE_TABLE_NAMES)
    for (const s of partitionSeries(base, t)) keys.set(`${s.exchange}/${s.symbol}`, s)
  return {
    root: abs,
    base,
    series: [...keys.values()].map((s) => ({
      ...s,
      days: {
        book_delta_v2: partitionDays(base, 'book_delta_v2', s.exchange, s.symbol),
        trades: partitionDays(base, 'trades', s.exchange, s.symbol),
        book: partitionDays(base, 'book', s.exchange, s.symbol)
      }
    }))
  }
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
      'files.pick': async (req) =>
        opts.pickFiles ? opts.pickFiles(req.title, req.multi, req.directory === true) : [],
      'lake.list': (req) => listLake(req.root),
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

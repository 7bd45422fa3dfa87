// The app's core channels: info, jobs, file picking, lake listing and replay timelines.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { AppInfo, LakeListing } from '../../../src-shared/ipc/contract'
import { runDoctor } from '../../doctor/doctor'
import type { JobRecord, JobSpec } from '../../../src-shared/jobs'
import type { ReplayCover } from '../../../src-shared/replay'
import type { JobManager } from '../../jobs/manager'
import { dataBase, LAKE_TABLE_NAMES, partitionDays, partitionSeries } from '../../lake/layout'
import { lakePaths } from '../../lake/paths'
import { TimelineStore } from '../../replay/timelineStore'
import { withWorkerDefaults, workerSettings } from '../../settings/workers'
import { confineJob, type OutputRoots } from '../outputPaths'
import type { CommandHandlers, InvokeHandlers } from '../router'
import type { SecretStore } from './acquire'

/** The shared test corpus beside the project, when present (a convenience for the path entry). */
function sampleCaptureDir(): string | null {
  const dir = resolve(process.cwd(), '../shared/data/binance-captures')
  return existsSync(dir) ? dir : null
}

export function listLake(root: string, zone?: 'staging'): LakeListing {
  const abs = resolve(root)
  if (!existsSync(abs)) throw new Error(`no such folder: ${abs}`)
  const base = zone === 'staging' ? lakePaths.staging(abs) : dataBase(abs)
  const keys = new Map<string, { exchange: string; symbol: string }>()
  for (const t of LAKE_TABLE_NAMES) {
    for (const s of partitionSeries(base, t)) keys.set(`${s.exchange}/${s.symbol}`, s)
  }
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

export interface CoreOptions {
  readonly lakeRoot: string
  readonly version: string
  readonly jobs: JobManager
  readonly secrets: SecretStore
  readonly pickFiles?:
    ((title: string, multi: boolean, directory: boolean) => Promise<string[]>) | undefined
  /** The system's handler for a file or folder (Electron's shell.openPath: '' or an error). */
  readonly openPath?: ((path: string) => Promise<string>) | undefined
  /** Where jobs requested over IPC may write (the lake, picked folders, --allow-dir). */
  readonly outputRoots: OutputRoots
}

type CoreHandlers = Pick<
  InvokeHandlers,
  | 'app.info'
  | 'app.doctor'
  | 'files.open'
  | 'jobs.start'
  | 'jobs.list'
  | 'jobs.again'
  | 'files.pick'
  | 'lake.list'
  | 'replay.series'
  | 'replay.frame'
  | 'replay.frames'
  | 'replay.find'
  | 'replay.heatmap'
  | 'replay.csv'
>

export function coreHandlers(opts: CoreOptions): {
  invoke: CoreHandlers
  command: CommandHandlers
} {
  const timelines = new TimelineStore((jobId) => lakePaths.replay(opts.lakeRoot, jobId))
  const info: AppInfo = {
    version: opts.version,
    lakeRoot: opts.lakeRoot,
    canPickFiles: opts.pickFiles !== undefined,
    canOpenFiles: opts.openPath !== undefined,
    sampleCaptureDir: sampleCaptureDir()
  }
  // Output paths are confined first (outputPaths.ts: a refusal is the error answer); jobs that
  // reach Crypto Lake get the stored keys here, never through the UI's request.
  const startConfined = (spec: JobSpec): string => {
    confineJob(spec, opts.outputRoots)
    // Worker counts the request left out come from the settings, as for the CLI.
    return opts.jobs.start(
      withWorkerDefaults(spec, workerSettings()),
      spec.kind === 'download' || spec.kind === 'pipeline'
        ? toRecord(opts.secrets.get())
        : undefined
    )
  }
  return {
    invoke: {
      'app.info': () => info,
      'app.doctor': async () => {
        const keys = await opts.secrets.status()
        return runDoctor({
          lakeRoot: opts.lakeRoot,
          keychain: keys.backend === 'keychain' ? keys : null
        })
      },
      'files.open': async (req) => {
        const path = resolve(req.path)
        if (!opts.openPath) throw new Error(`this host cannot open files; the file is at ${path}`)
        if (!existsSync(path)) throw new Error(`no such file or folder: ${path}`)
        const failure = await opts.openPath(path)
        if (failure !== '') throw new Error(`could not open ${path}: ${failure}`)
        return null
      },
      'jobs.start': (spec) => ({ jobId: startConfined(spec) }),
      'jobs.list': (req) => opts.jobs.list(req.limit),
      // The same checks as a new start.
      'jobs.again': (req) => ({ jobId: startConfined(opts.jobs.againSpec(req.jobId)) }),
      // A folder the user picked in the native dialog may receive job outputs from then on.
      'files.pick': async (req) => {
        if (!opts.pickFiles) return []
        const picked = await opts.pickFiles(req.title, req.multi, req.directory === true)
        if (req.directory === true) for (const dir of picked) opts.outputRoots.allowPicked(dir)
        return picked
      },
      'lake.list': (req) => listLake(req.root, req.zone),
      'replay.series': (req) => timelines.series(req.jobId, req.maxPoints, req.fromMs, req.toMs),
      'replay.frame': (req) => timelines.frame(req.jobId, req.index, req.atMs),
      'replay.frames': (req) => timelines.frames(req.jobId, req.from, req.count),
      'replay.find': (req) => findReplays(opts.jobs.list(500), timelines, req.atMs),
      'replay.heatmap': (req) => timelines.heatmap(req.jobId, req),
      'replay.csv': (req) => timelines.csv(req.jobId, req.fromMs, req.toMs)
    },
    command: {
      'jobs.cancel': (req) => {
        opts.jobs.cancel(req.jobId)
      }
    }
  }
}

function toRecord(s: ReturnType<SecretStore['get']>): Record<string, string> | undefined {
  if (!s) return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(s)) if (typeof v === 'string') out[k] = v
  return out
}

/** Finished replays with a timeline covering `atMs` (a second of slack each side), newest first. */
function findReplays(
  jobs: readonly JobRecord[],
  timelines: TimelineStore,
  atMs: number
): ReplayCover[] {
  const out: ReplayCover[] = []
  for (const j of jobs) {
    if (j.state !== 'done' || (j.kind !== 'replay-capture' && j.kind !== 'replay-lake')) continue
    if (j.result.timeline === null) continue
    const c = timelines.cover(j.id)
    if (c && c.fromMs - 1000 <= atMs && atMs <= c.toMs + 1000)
      out.push({ jobId: j.id, kind: j.kind, ...c })
  }
  return out.sort((a, b) => (a.jobId < b.jobId ? 1 : -1))
}

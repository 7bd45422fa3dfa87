// The worker-count settings and where they apply: jobs at once (the app's and the browser host's
// job manager, read at start), and the defaults of a job's own workers (replay and export decode
// workers, download files in flight) filled in where a job's request leaves them out, for jobs
// started from the CLI and from the UI alike. A count given with the job always wins.
import type { JobSpec } from '../../src-shared/jobs'
import { DEFAULT_WORKERS, type WorkerSettings } from '../../src-shared/settings'
import { readUserSettings, userSettingsPath } from './userFile'

/** A start-up's view: the defaults, with the reason, when the file has a problem. */
export function startupWorkers(warn: (message: string) => void): WorkerSettings {
  try {
    return workerSettings()
  } catch (e) {
    warn(`${e instanceof Error ? e.message : String(e)}; using the default worker counts`)
    return DEFAULT_WORKERS
  }
}

export function workerSettings(file: string = userSettingsPath()): WorkerSettings {
  const w = readUserSettings(file).workers ?? {}
  const d = DEFAULT_WORKERS
  return {
    jobs: w.jobs ?? d.jobs,
    replayDecode: w.replayDecode ?? d.replayDecode,
    exportDecode: w.exportDecode ?? d.exportDecode,
    downloads: w.downloads ?? d.downloads
  }
}

export function withWorkerDefaults(spec: JobSpec, w: WorkerSettings): JobSpec {
  switch (spec.kind) {
    case 'replay-lake':
      return { ...spec, params: { ...spec.params, workers: spec.params.workers ?? w.replayDecode } }
    case 'export':
      return {
        ...spec,
        params: { ...spec.params, decodeWorkers: spec.params.decodeWorkers ?? w.exportDecode }
      }
    case 'download':
    case 'pipeline':
      return {
        ...spec,
        params: { ...spec.params, concurrency: spec.params.concurrency ?? w.downloads }
      }
    default:
      return spec
  }
}

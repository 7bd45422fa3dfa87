// Wires the engine to the IPC contract: one place that composes what each channel does, per area
// (handlers/). Shared by the Electron shell and the browser host, so both behave the same.
import type { JobManager } from '../jobs/manager'
import type { Db } from '../lake/manifest'
import { acquireHandlers, defaultChainStore, type SecretStore } from './handlers/acquire'
import { captureHandlers } from './handlers/capture'
import { coreHandlers } from './handlers/core'
import { exportHandlers } from './handlers/export'
import { gateHandlers } from './handlers/gate'
import { gatesHandlers } from './handlers/gates'
import { monitorHandlers } from './handlers/monitor'
import type { AlertChannel } from '../monitor/monitor'
import { pipelineHandlers } from './handlers/pipeline'
import { settingsHandlers } from './handlers/settings'
import { OutputRoots } from './outputPaths'
import { Router, type InvokeHandlers } from './router'

export interface ServiceOptions {
  readonly lakeRoot: string
  readonly version: string
  readonly jobs: JobManager
  readonly db: Db
  /** Where Crypto Lake keys are kept: the OS keychain in Electron, none in the browser host. */
  readonly secrets?: SecretStore | undefined
  /** A native file dialog, where the host has one. */
  readonly pickFiles?:
    ((title: string, multi: boolean, directory: boolean) => Promise<string[]>) | undefined
  /** Opens a file or folder with the system's handler, where the host can. */
  readonly openPath?: ((path: string) => Promise<string>) | undefined
  /**
   * Folders beyond the lake that jobs requested here may write to (the browser host's
   * --allow-dir; see outputPaths.ts). Each must exist.
   */
  readonly allowDirs?: readonly string[] | undefined
  /** The clock of the scheduled progress reports (tests inject one). */
  readonly now?: (() => number) | undefined
  /** Where raised and cleared alerts also go in this process (Electron: desktop notifications). */
  readonly alertChannels?: readonly AlertChannel[] | undefined
}

export function createRouter(opts: ServiceOptions): Router {
  const secrets = opts.secrets ?? defaultChainStore
  const outputRoots = new OutputRoots(opts.lakeRoot, opts.allowDirs ?? [])
  const core = coreHandlers({ ...opts, secrets, outputRoots })
  const invoke: InvokeHandlers = {
    ...core.invoke,
    ...acquireHandlers({ lakeRoot: opts.lakeRoot, db: opts.db, secrets }),
    ...gateHandlers(opts.db),
    ...gatesHandlers(opts.lakeRoot),
    ...captureHandlers({ lakeRoot: opts.lakeRoot, db: opts.db }),
    ...exportHandlers(opts.db),
    ...pipelineHandlers(opts.lakeRoot),
    ...settingsHandlers({ lakeRoot: opts.lakeRoot, secrets }),
    ...monitorHandlers({
      db: opts.db,
      lakeRoot: opts.lakeRoot,
      jobs: opts.jobs,
      now: opts.now,
      channels: opts.alertChannels ?? [],
      push: (c) => {
        router.push('alerts.changed', c)
      }
    })
  }
  const router: Router = new Router(invoke, core.command)
  opts.jobs.subscribe({
    changed: (job) => {
      router.push('jobs.changed', job)
    },
    progress: (p) => {
      router.push('jobs.progress', p)
    },
    log: (entry) => {
      router.push('jobs.log', entry)
    },
    live: (l) => {
      router.push('jobs.live', l)
    }
  })
  return router
}

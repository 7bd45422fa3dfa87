// Typed messages between the job manager and a job worker. One job per worker.
import type { JobError, JobLog, JobProgress, JobSpec } from '../../src-shared/jobs'

export type ToWorker =
  | {
      readonly type: 'start'
      readonly jobId: string
      readonly lakeRoot: string
      readonly spec: JobSpec
      /** Credentials for this run only: posted to the worker, never written to the manifest. */
      readonly secrets?: Readonly<Record<string, string>> | undefined
    }
  | { readonly type: 'cancel' }

export type FromWorker =
  | { readonly type: 'progress'; readonly progress: JobProgress }
  | { readonly type: 'log'; readonly log: JobLog }
  | { readonly type: 'live'; readonly payload: unknown }
  | { readonly type: 'done'; readonly result: unknown }
  | { readonly type: 'failed'; readonly error: JobError & { readonly stack?: string | undefined } }

// Typed messages between the job manager and a job worker. One job per worker.
import type {
  JobError,
  JobKind,
  JobLivePayload,
  JobLog,
  JobProgress,
  JobResultOf,
  JobSpec
} from '../../src-shared/jobs'

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

/** A worker running a job of kind K answers with K's result (the registry's runner for K). */
export type FromWorker<K extends JobKind = JobKind> =
  | { readonly type: 'progress'; readonly progress: JobProgress }
  | { readonly type: 'log'; readonly log: JobLog }
  | { readonly type: 'live'; readonly live: JobLivePayload }
  | { readonly type: 'done'; readonly result: JobResultOf<K> }
  | { readonly type: 'failed'; readonly error: JobError & { readonly stack?: string | undefined } }

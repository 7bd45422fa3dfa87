// A job thread's side of the job protocol (protocol.ts): takes a start message, runs the job with
// `run` in a JobContext that reports through typed messages, and answers cancel. The app's job
// worker runs the registry with it (worker.ts); tests run single kinds with it.
import type { MessagePort } from 'node:worker_threads'
import type { JobSpec } from '../../src-shared/jobs'
import { errorKind, errorMessage } from '../util/errors'
import { clipStrings, clipText } from '../util/clip'
import { createJobContext, type JobContext } from './context'
import type { FromWorker, ToWorker } from './protocol'

export function serveJobs(
  port: MessagePort,
  run: (spec: JobSpec, ctx: JobContext) => Promise<unknown>
): void {
  const controller = new AbortController()
  const post = (m: FromWorker): void => {
    port.postMessage(m)
  }

  port.on('message', (m: ToWorker) => {
    if (m.type === 'cancel') {
      controller.abort()
      return
    }
    const ctx = createJobContext(
      m.jobId,
      m.lakeRoot,
      controller.signal,
      {
        progress: (progress) => {
          post({ type: 'progress', progress })
        },
        log: (log) => {
          post({ type: 'log', log: { ...log, message: clipText(log.message) } })
        },
        live: (live) => {
          post({ type: 'live', live })
        }
      },
      undefined,
      m.secrets
    )
    // A runner that throws before its first await still ends as a failed job.
    Promise.resolve()
      .then(() => run(m.spec, ctx))
      .then(
        (result) => {
          ctx.flush()
          // Bounded before it leaves the thread: results go to the manifest and every client.
          post({ type: 'done', result: clipStrings(result) })
        },
        (e: unknown) => {
          ctx.flush()
          const kind = controller.signal.aborted ? 'cancelled' : errorKind(e)
          post({
            type: 'failed',
            error: {
              kind,
              message: clipText(errorMessage(e)),
              stack: e instanceof Error ? e.stack : undefined
            }
          })
        }
      )
  })
}

// A job thread: runs one job from the registry and reports through typed messages (protocol.ts).
import type { MessagePort } from 'node:worker_threads'
import { errorKind, errorMessage } from '../errors'
import { createJobContext } from './context'
import type { FromWorker, ToWorker } from './protocol'
import { runJob } from './registry'

/** `entry`: the job worker's entry file, which the job's helper threads start from. */
export function runJobWorker(port: MessagePort, entry: URL): void {
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
          post({ type: 'log', log })
        },
        live: (payload) => {
          post({ type: 'live', payload })
        }
      },
      undefined,
      m.secrets
    )
    runJob(m.spec, ctx, entry).then(
      (result) => {
        ctx.flush()
        post({ type: 'done', result })
      },
      (e: unknown) => {
        ctx.flush()
        const kind = controller.signal.aborted ? 'cancelled' : errorKind(e)
        post({
          type: 'failed',
          error: { kind, message: errorMessage(e), stack: e instanceof Error ? e.stack : undefined }
        })
      }
    )
  })
}

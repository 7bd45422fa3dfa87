// Job worker entry: runs one job from the registry and reports through typed messages.
import { parentPort, workerData } from 'node:worker_threads'
import { errorKind, errorMessage } from '../errors'
import { createJobContext } from './context'
import type { FromWorker, ToWorker } from './protocol'
import { runJob } from './registry'
import { DECODE_ROLE, runDecodeWorker } from '../replay/decodeWorker'
import type { MessagePort } from 'node:worker_threads'
import { EXPORT_WRITER_ROLE } from '../export/writerProtocol'
import { runExportWriter } from '../export/writerWorker'

const port = parentPort
if (!port) throw new Error('jobs/worker must run as a worker thread')

const role = (workerData as { role?: string } | null)?.role
if (role === DECODE_ROLE) runDecodeWorker(port)
else if (role === EXPORT_WRITER_ROLE) runExportWriter(port)
else runJobWorker(port)

function runJobWorker(port: MessagePort): void {
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
    runJob(m.spec, ctx).then(
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

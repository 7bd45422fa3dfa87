// A worker that runs export-day jobs over the job protocol (src-main/jobs/protocol.ts), for
// backfills run outside the app's job worker: tests and benchmarks start it from the TypeScript
// sources. In the app the built job worker runs export-day jobs from the registry, so
// workerExecutor works with either.
import type { MessagePort } from 'node:worker_threads'
import { exportDayParams } from '../../src-shared/export'
import { errorKind, errorMessage } from '../errors'
import { createJobContext } from '../jobs/context'
import type { FromWorker, ToWorker } from '../jobs/protocol'
import { runExportDayJob } from './backfillDay'
import type { ExportWorkers } from './exportJob'

export function runExportDayWorker(port: MessagePort, workers: ExportWorkers = {}): void {
  const controller = new AbortController()
  const post = (m: FromWorker): void => {
    port.postMessage(m)
  }
  port.on('message', (m: ToWorker) => {
    if (m.type === 'cancel') {
      controller.abort()
      return
    }
    const ctx = createJobContext(m.jobId, m.lakeRoot, controller.signal, {
      progress: (progress) => {
        post({ type: 'progress', progress })
      },
      log: (log) => {
        post({ type: 'log', log })
      }
    })
    const spec = m.spec
    const run = async (): Promise<unknown> => {
      if (spec.kind !== 'export-day')
        throw new Error(`this worker runs export-day jobs, not ${spec.kind}`)
      return runExportDayJob(exportDayParams.parse(spec.params), ctx, workers)
    }
    run().then(
      (result) => {
        ctx.flush()
        post({ type: 'done', result })
      },
      (e: unknown) => {
        ctx.flush()
        post({
          type: 'failed',
          error: {
            kind: controller.signal.aborted ? 'cancelled' : errorKind(e),
            message: errorMessage(e)
          }
        })
      }
    )
  })
}

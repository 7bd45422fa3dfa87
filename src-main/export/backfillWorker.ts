// A worker that runs export-day jobs over the job protocol (src-main/jobs/protocol.ts), for
// backfills run outside the app's job worker: tests and benchmarks start it from the TypeScript
// sources. In the app the built job worker runs export-day jobs from the registry, so
// workerExecutor works with either.
import type { MessagePort } from 'node:worker_threads'
import { exportDayParams } from '../../src-shared/export'
import { serveJobs } from '../jobs/jobWorker'
import { runExportDayJob } from './backfillDay'
import type { ExportWorkers } from './exportJob'

export function runExportDayWorker(port: MessagePort, workers: ExportWorkers = {}): void {
  serveJobs(port, (spec, ctx) => {
    if (spec.kind !== 'export-day')
      throw new Error(`this worker runs export-day jobs, not ${spec.kind}`)
    return runExportDayJob(exportDayParams.parse(spec.params), ctx, workers)
  })
}

// The built job worker's entry. A thread started from it takes the role in workerData: run a job
// (default), or serve a running job as a decode, export-writer or validate helper. Each role loads only its
// own modules: the job registry pulls in every engine module (S3 client, SQLite, websockets, …),
// which cost ~0.5 s per helper thread to load, measured on the export.
import { parentPort, workerData } from 'node:worker_threads'
import { DECODE_ROLE, EXPORT_WRITER_ROLE, VALIDATE_ROLE } from '../jobs/roles'

const port = parentPort
if (!port) throw new Error('worker/worker must run as a worker thread')

// Messages posted before the role's listener is attached wait in the port's queue.
const role = (workerData as { role?: string } | null)?.role
if (role === DECODE_ROLE) {
  // The export --validate tap runs the gate's rules on the batches this worker decodes.
  const [{ runDecodeWorker }, { validationTap }] = await Promise.all([
    import('../engine/source/decodeWorker'),
    import('../validate/streamValidation')
  ])
  runDecodeWorker(port, validationTap)
} else if (role === EXPORT_WRITER_ROLE)
  (await import('../export/writerWorker')).runExportWriter(port)
else if (role === VALIDATE_ROLE)
  (await import('../validate/validateWorker')).runValidateWorker(port)
else {
  const [{ serveJobs }, { runJob }] = await Promise.all([
    import('../jobs/jobWorker'),
    import('./registry')
  ])
  // Helper threads of a job start from this file (with a role).
  const entry = new URL(import.meta.url)
  serveJobs(port, (spec, ctx) => runJob(spec, ctx, entry))
}

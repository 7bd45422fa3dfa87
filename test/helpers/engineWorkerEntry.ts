// The worker side of engineWorker.ts: picks the role from workerData, as src-main/worker/worker.ts
// does in the built app (decode: Parquet decode for the replay; export-writer: the export's
// writer stage; export-day: one backfill day through the job protocol; validate: the gate's
// file validation).
import { parentPort, workerData } from 'node:worker_threads'
import { runExportDayWorker } from '../../src-main/export/backfillWorker'
import { runExportWriter } from '../../src-main/export/writerWorker'
import { runDecodeWorker } from '../../src-main/engine/source/decodeWorker'
import { runValidateWorker } from '../../src-main/validate/validateWorker'
import { validationTap } from '../../src-main/validate/streamValidation'
import { engineWorker } from './engineWorker'

const port = parentPort
if (!port) throw new Error('engineWorkerEntry must run in a worker thread')
const role = (workerData as { role?: string } | null)?.role
if (role === 'decode') runDecodeWorker(port, validationTap)
else if (role === 'export-writer') runExportWriter(port)
else if (role === 'validate') runValidateWorker(port)
else if (role === 'export-day')
  runExportDayWorker(port, {
    decode: engineWorker('decode'),
    writer: engineWorker('export-writer')
  })
else throw new Error(`unknown worker role ${String(role)}`)

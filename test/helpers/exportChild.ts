// Child process for the export kill test (test/engine/export/kill.test.ts): runs one export of
// the options in EXPORT_CHILD_CFG to completion (resuming whatever an earlier, killed run left),
// printing "started" and a final "done <json>". The test SIGKILLs it at random moments.
//   node --import tsx test/helpers/exportChild.ts
import { exportDataset } from '../../src-main/export/exportJob'
import type { ExportOptions } from '../../src-main/export/pipeline'
import { engineWorker } from './engineWorker'
import { ungated } from './exportData'

interface ChildConfig {
  readonly options: ExportOptions
  /** Run the writer stage in a worker thread (and decode in one). */
  readonly workers: boolean
}

const cfg = JSON.parse(process.env['EXPORT_CHILD_CFG'] ?? '{}') as ChildConfig
process.stdout.write('started\n')
const { result } = await exportDataset(
  {
    ...cfg.options,
    ...(cfg.workers
      ? {
          decodeWorkers: 1,
          decodeWorker: engineWorker('decode'),
          writerWorker: engineWorker('export-writer')
        }
      : { decodeWorkers: 0 })
  },
  ungated(cfg.options)
)
process.stdout.write(
  `done ${JSON.stringify({ resumedFromChunk: result.run.resumedFromChunk, outputHash: result.outputHash })}\n`
)

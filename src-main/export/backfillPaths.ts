// Where a backfill keeps its own files inside the dataset folder: the day certificates and the
// day gates' verdicts in _days/, each running day's checkpoints in _work/D/.
import { join } from 'node:path'

export const DAYS_DIR = '_days'
export const DAY_WORK_DIR = '_work'

export const dayCertificatePath = (dataset: string, day: string): string =>
  join(dataset, DAYS_DIR, `${day}.json`)

/** A --validate backfill's verdicts of one day job (backfillGate.ts). */
export const dayGatePath = (dataset: string, day: string): string =>
  join(dataset, DAYS_DIR, `${day}.gate.json`)

/** What the settlement of a --validate backfill decided (backfillRun.ts). */
export const gateSummaryPath = (dataset: string): string => join(dataset, DAYS_DIR, '_gate.json')

// Child process for the crash-safety test (test/engine/acquire/crash.test.ts): downloads the
// objects named in ACQUIRE_CHILD_CFG into a lake with a SQLite ledger (ACQUISITION_LEDGER_SQL on
// better-sqlite3, WAL, as the manifest would hold it), printing "progress <bytes>" lines and a
// final "done <summary>". The test SIGKILLs it at random points and runs it again.
//   node --import tsx test/helpers/acquireChild.ts
import { join } from 'node:path'
import Database from 'better-sqlite3'
import {
  createLakeClient,
  downloadObjects,
  SqlAcquisitionLedger,
  type LakeObject
} from '../../src-main/sources/cryptolake'
import { ACQUISITION_ETAG_SQL, ACQUISITION_LEDGER_SQL } from '../../src-main/lake/migrations'

export interface ChildConfig {
  readonly endpoint: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  readonly lakeRoot: string
  readonly objects: readonly LakeObject[]
  readonly concurrency: number
}

const cfg = JSON.parse(process.env['ACQUIRE_CHILD_CFG'] ?? '{}') as ChildConfig
const db = new Database(join(cfg.lakeRoot, 'ledger.sqlite'))
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'acquired_files'").get()
if (exists === undefined) {
  db.exec(ACQUISITION_LEDGER_SQL)
  db.exec(ACQUISITION_ETAG_SQL)
}

const client = createLakeClient({
  credentials: { kind: 'keys', ...cfg.credentials },
  endpoint: cfg.endpoint
})
process.stdout.write('started\n')
const summary = await downloadObjects(client, cfg.objects, {
  lakeRoot: cfg.lakeRoot,
  ledger: new SqlAcquisitionLedger(db),
  concurrency: cfg.concurrency,
  stallMs: 5000,
  retry: { baseDelayMs: 20, maxDelayMs: 200 },
  writeBufferBytes: 32 * 1024,
  progressIntervalMs: 50,
  onProgress: (p) => process.stdout.write(`progress ${p.bytesDone}\n`)
})
client.destroy()
db.close()
const { verified, failed, denied, missing, alreadyVerified, bytesTransferred } = summary
process.stdout.write(
  `done ${JSON.stringify({ verified, failed, denied, missing, alreadyVerified, bytesTransferred })}\n`
)

// The ledger's SQL (ACQUISITION_LEDGER_SQL) on real SQLite (better-sqlite3, as the manifest uses
// it), through SqlAcquisitionLedger, against the same behaviour as MemoryLedger.
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import {
  MemoryLedger,
  SqlAcquisitionLedger,
  type AcquisitionLedger,
  type FileRecord
} from '../../../src-main/sources/cryptolake'
import { ACQUISITION_ETAG_SQL, ACQUISITION_LEDGER_SQL } from '../../../src-main/lake/migrations'

const verified: FileRecord = {
  bucket: 'qnt.data',
  key: 'market-data/cryptofeed/trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08/1.snappy.parquet',
  table: 'trades',
  exchange: 'BINANCE',
  symbol: 'BTC-USDT',
  dt: '2024-08-08',
  filename: '1.snappy.parquet',
  status: 'verified',
  reason: null,
  size: 398801,
  etag: '5eb63bbbe01eeed093cb22bb8f5acdc3',
  etagVerified: true,
  etagPartSize: null,
  etagNote: null,
  md5: '5eb63bbbe01eeed093cb22bb8f5acdc3',
  sha256: 'a'.repeat(64),
  rowCount: 19904,
  rowGroups: 2,
  schemaFingerprint: '8fa9fa0d892aecfb',
  schema: [{ name: 'side', type: 'string' }],
  kv: { date: '2024-08-08', contains_gaps: 'No' },
  path: 'staging/trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08/1.snappy.parquet',
  attempts: 2,
  bytesTransferred: 400000,
  recordedAt: '2026-11-25T00:00:00.000Z'
}

function sqlLedger(): { ledger: SqlAcquisitionLedger; db: Database.Database } {
  const db = new Database(':memory:')
  db.exec(ACQUISITION_LEDGER_SQL)
  db.exec(ACQUISITION_ETAG_SQL)
  return { ledger: new SqlAcquisitionLedger(db), db }
}

describe.each([
  ['memory', (): AcquisitionLedger => new MemoryLedger()],
  ['sqlite', (): AcquisitionLedger => sqlLedger().ledger]
])('%s ledger', (_name, make) => {
  it('keeps the latest outcome per object', () => {
    const l = make()
    expect(l.getFile(verified.bucket, verified.key)).toBeUndefined()
    const failed: FileRecord = {
      ...verified,
      status: 'failed',
      reason: 'bytes do not match the ETag',
      sha256: null,
      path: null
    }
    l.recordFile(failed)
    expect(l.getFile(verified.bucket, verified.key)).toEqual(failed)
    l.recordFile(verified)
    expect(l.getFile(verified.bucket, verified.key)).toEqual(verified)
    // A multipart ETag: the part size that reproduced it, or why none did.
    const multipart: FileRecord = {
      ...verified,
      etag: 'b6704cb99f255ab49d114f88f8e00df4-21',
      etagPartSize: 8 * 1024 * 1024
    }
    l.recordFile(multipart)
    expect(l.getFile(verified.bucket, verified.key)).toEqual(multipart)
    const unverified: FileRecord = {
      ...multipart,
      etagVerified: false,
      etagPartSize: null,
      etagNote: 'multipart ETag with 21 parts: no part size among 5/8 MiB reproduces it'
    }
    l.recordFile(unverified)
    expect(l.getFile(verified.bucket, verified.key)).toEqual(unverified)
  })

  it('sums transferred bytes since a time', () => {
    const l = make()
    l.recordTransfer({ at: '2026-10-31T23:59:59.000Z', bucket: 'b', key: 'k', bytes: 10 })
    l.recordTransfer({ at: '2026-11-01T00:00:00.000Z', bucket: 'b', key: 'k', bytes: 20 })
    l.recordTransfer({ at: '2026-11-02T00:00:00.000Z', bucket: 'b', key: 'k', bytes: 0 })
    expect(l.bytesTransferredSince('2026-11-01T00:00:00.000Z')).toBe(20)
    expect(l.bytesTransferredSince('2027-01-01T00:00:00.000Z')).toBe(0)
  })
})

describe('ledger SQL', () => {
  it('refuses a verified row without a hash or path, and unknown statuses', () => {
    const { ledger, db } = sqlLedger()
    expect(() => {
      ledger.recordFile({ ...verified, sha256: null })
    }).toThrow(/CHECK/)
    expect(() => {
      ledger.recordFile({ ...verified, status: 'maybe' as FileRecord['status'] })
    }).toThrow(/CHECK/)
    expect(db.prepare('SELECT COUNT(*) AS n FROM acquired_files').get()).toEqual({ n: 0 })
  })

  it('applies inside a migration transaction as the manifest runs them', () => {
    const db = new Database(':memory:')
    db.transaction(() => {
      db.exec(ACQUISITION_LEDGER_SQL)
      db.pragma('user_version = 2')
    })()
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
      .all()
    expect(names).toEqual([
      { name: 'acquired_files' },
      { name: 'acquired_files_partition' },
      { name: 'acquisition_transfers' },
      { name: 'acquisition_transfers_at' },
      { name: 'sqlite_autoindex_acquired_files_1' }
    ])
  })
})

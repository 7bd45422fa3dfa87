// What acquisition persists, behind a small interface: one record per object (its latest outcome:
// verified, failed, denied or missing, with the evidence) and an append-only log of bytes
// transferred, which is what the vendor's monthly quota counts (failed attempts included).
// ACQUISITION_LEDGER_SQL is the schema for the manifest's migrations; MemoryLedger serves tests
// and dry runs; sqlLedger.ts implements the interface over the manifest's SQLite handle.
import type { ParquetField } from '../../lake/parquet/footer'

export type FileStatus = 'verified' | 'failed' | 'denied' | 'missing'

export interface FileRecord {
  readonly bucket: string
  readonly key: string
  readonly table: string
  readonly exchange: string
  readonly symbol: string
  readonly dt: string
  readonly filename: string
  readonly status: FileStatus
  /** Why it is not verified (null when verified). Safe to show: never holds a secret. */
  readonly reason: string | null
  /** Object size in bytes (the listing's, else the server's), null when never learned. */
  readonly size: number | null
  /** Bare ETag as served. */
  readonly etag: string | null
  /** True when the ETag matched the bytes: a single-part MD5, or multipart at etagPartSize. */
  readonly etagVerified: boolean
  /** The part size (bytes) that reproduced a multipart ETag; null for single-part or unverified. */
  readonly etagPartSize: number | null
  /** Why the ETag was not verified (SSE-KMS, no part size reproduces it…); null when it was. */
  readonly etagNote: string | null
  readonly md5: string | null
  readonly sha256: string | null
  readonly rowCount: number | null
  readonly rowGroups: number | null
  readonly schemaFingerprint: string | null
  readonly schema: readonly ParquetField[] | null
  /** The file's key/value metadata (the vendor writes date, contains_gaps, symbol, event_type, exchange). */
  readonly kv: Readonly<Record<string, string>> | null
  /** Verified file, relative to the lake root ('staging/…'); null unless verified. */
  readonly path: string | null
  readonly attempts: number
  /** Bytes received for this object in the run that produced the record. */
  readonly bytesTransferred: number
  readonly recordedAt: string
}

export interface TransferRecord {
  readonly at: string
  readonly bucket: string
  readonly key: string
  readonly bytes: number
}

export interface AcquisitionLedger {
  /** Upserts the object's latest outcome. */
  recordFile(r: FileRecord): void
  getFile(bucket: string, key: string): FileRecord | undefined
  /** Appends bytes received in one attempt (counted against the quota even when it failed). */
  recordTransfer(t: TransferRecord): void
  /** Bytes received at or after `sinceIso` (e.g. the start of the quota month). */
  bytesTransferredSince(sinceIso: string): number
}

/**
 * The ledger's tables, for the manifest's migrations (SQLite). `acquired_files` holds the latest
 * outcome per object; `acquisition_transfers` is append-only.
 */
export const ACQUISITION_LEDGER_SQL = `CREATE TABLE acquired_files (
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  table_name TEXT NOT NULL,
  exchange TEXT NOT NULL,
  symbol TEXT NOT NULL,
  dt TEXT NOT NULL,
  filename TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('verified', 'failed', 'denied', 'missing')),
  reason TEXT,
  size INTEGER,
  etag TEXT,
  etag_verified INTEGER NOT NULL DEFAULT 0,
  md5 TEXT,
  sha256 TEXT,
  row_count INTEGER,
  row_groups INTEGER,
  schema_fingerprint TEXT,
  schema_json TEXT,
  kv_json TEXT,
  path TEXT,
  attempts INTEGER NOT NULL,
  bytes_transferred INTEGER NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (bucket, key),
  CHECK (status <> 'verified' OR (sha256 IS NOT NULL AND path IS NOT NULL AND reason IS NULL))
);
CREATE INDEX acquired_files_partition ON acquired_files (table_name, exchange, symbol, dt);
CREATE TABLE acquisition_transfers (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  bytes INTEGER NOT NULL CHECK (bytes >= 0)
);
CREATE INDEX acquisition_transfers_at ON acquisition_transfers (at);`

/** A later migration: how the ETag was verified (multipart part size) or why it was not. */
export const ACQUISITION_ETAG_SQL = `ALTER TABLE acquired_files ADD COLUMN etag_part_size INTEGER;
ALTER TABLE acquired_files ADD COLUMN etag_note TEXT;`

/** In-memory ledger for tests and dry runs. */
export class MemoryLedger implements AcquisitionLedger {
  readonly files = new Map<string, FileRecord>()
  readonly transfers: TransferRecord[] = []

  recordFile(r: FileRecord): void {
    this.files.set(`${r.bucket}\n${r.key}`, r)
  }

  getFile(bucket: string, key: string): FileRecord | undefined {
    return this.files.get(`${bucket}\n${key}`)
  }

  recordTransfer(t: TransferRecord): void {
    if (t.bytes > 0) this.transfers.push(t)
  }

  bytesTransferredSince(sinceIso: string): number {
    return this.transfers.filter((t) => t.at >= sinceIso).reduce((s, t) => s + t.bytes, 0)
  }
}

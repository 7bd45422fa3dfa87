// What acquisition persists, behind a small interface: one record per object (its latest outcome:
// verified, failed, denied or missing, with the evidence) and an append-only log of bytes
// transferred, which is what the vendor's monthly quota counts (failed attempts included).
// Its tables are migrations 2 and 7 of lake/migrations.ts; MemoryLedger serves tests
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

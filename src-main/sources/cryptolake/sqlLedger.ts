// The acquisition ledger over an open SQLite handle whose schema includes ACQUISITION_LEDGER_SQL (lake/migrations.ts)
// (the manifest, once the lead adds it to the migrations). The handle is typed structurally so
// this module never imports better-sqlite3 (only the manifest opens the database).
import type { ParquetField } from '../../lake/parquet/footer'
import type { AcquisitionLedger, FileRecord, FileStatus, TransferRecord } from './ledger'

/** The part of better-sqlite3's Database this ledger uses. */
export interface SqlHandle {
  prepare(sql: string): {
    run(...params: unknown[]): unknown
    get(...params: unknown[]): unknown
  }
}

interface Row {
  bucket: string
  key: string
  table_name: string
  exchange: string
  symbol: string
  dt: string
  filename: string
  status: string
  reason: string | null
  size: number | null
  etag: string | null
  etag_verified: number
  etag_part_size: number | null
  etag_note: string | null
  md5: string | null
  sha256: string | null
  row_count: number | null
  row_groups: number | null
  schema_fingerprint: string | null
  schema_json: string | null
  kv_json: string | null
  path: string | null
  attempts: number
  bytes_transferred: number
  recorded_at: string
}

export class SqlAcquisitionLedger implements AcquisitionLedger {
  constructor(private readonly db: SqlHandle) {}

  recordFile(r: FileRecord): void {
    this.db
      .prepare(
        `INSERT INTO acquired_files (bucket, key, table_name, exchange, symbol, dt, filename, status,
           reason, size, etag, etag_verified, etag_part_size, etag_note, md5, sha256, row_count,
           row_groups, schema_fingerprint, schema_json, kv_json, path, attempts, bytes_transferred,
           recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (bucket, key) DO UPDATE SET
           table_name = excluded.table_name, exchange = excluded.exchange, symbol = excluded.symbol,
           dt = excluded.dt, filename = excluded.filename, status = excluded.status,
           reason = excluded.reason, size = excluded.size, etag = excluded.etag,
           etag_verified = excluded.etag_verified, etag_part_size = excluded.etag_part_size,
           etag_note = excluded.etag_note, md5 = excluded.md5, sha256 = excluded.sha256,
           row_count = excluded.row_count, row_groups = excluded.row_groups,
           schema_fingerprint = excluded.schema_fingerprint, schema_json = excluded.schema_json,
           kv_json = excluded.kv_json, path = excluded.path, attempts = excluded.attempts,
           bytes_transferred = excluded.bytes_transferred, recorded_at = excluded.recorded_at`
      )
      .run(
        r.bucket,
        r.key,
        r.table,
        r.exchange,
        r.symbol,
        r.dt,
        r.filename,
        r.status,
        r.reason,
        r.size,
        r.etag,
        r.etagVerified ? 1 : 0,
        r.etagPartSize,
        r.etagNote,
        r.md5,
        r.sha256,
        r.rowCount,
        r.rowGroups,
        r.schemaFingerprint,
        r.schema === null ? null : JSON.stringify(r.schema),
        r.kv === null ? null : JSON.stringify(r.kv),
        r.path,
        r.attempts,
        r.bytesTransferred,
        r.recordedAt
      )
  }

  getFile(bucket: string, key: string): FileRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM acquired_files WHERE bucket = ? AND key = ?')
      .get(bucket, key) as Row | undefined
    if (row === undefined) return undefined
    return {
      bucket: row.bucket,
      key: row.key,
      table: row.table_name,
      exchange: row.exchange,
      symbol: row.symbol,
      dt: row.dt,
      filename: row.filename,
      status: row.status as FileStatus,
      reason: row.reason,
      size: row.size,
      etag: row.etag,
      etagVerified: row.etag_verified === 1,
      etagPartSize: row.etag_part_size,
      etagNote: row.etag_note,
      md5: row.md5,
      sha256: row.sha256,
      rowCount: row.row_count,
      rowGroups: row.row_groups,
      schemaFingerprint: row.schema_fingerprint,
      schema: row.schema_json === null ? null : (JSON.parse(row.schema_json) as ParquetField[]),
      kv: row.kv_json === null ? null : (JSON.parse(row.kv_json) as Record<string, string>),
      path: row.path,
      attempts: row.attempts,
      bytesTransferred: row.bytes_transferred,
      recordedAt: row.recorded_at
    }
  }

  recordTransfer(t: TransferRecord): void {
    if (t.bytes <= 0) return
    this.db
      .prepare('INSERT INTO acquisition_transfers (at, bucket, key, bytes) VALUES (?, ?, ?, ?)')
      .run(t.at, t.bucket, t.key, t.bytes)
  }

  bytesTransferredSince(sinceIso: string): number {
    const row = this.db
      .prepare('SELECT COALESCE(SUM(bytes), 0) AS n FROM acquisition_transfers WHERE at >= ?')
      .get(sinceIso) as { n: number }
    return row.n
  }
}

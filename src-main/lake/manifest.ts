// The SQLite manifest (better-sqlite3, WAL): the only module that opens the database. Repositories
// for each table live beside it and receive the open handle.
import Database from 'better-sqlite3'
import { ACQUISITION_ETAG_SQL, ACQUISITION_LEDGER_SQL } from '../sources/cryptolake/ledger'
import { VALIDATION_SQL } from '../validate/schema'
import { CAPTURE_SESSIONS_SQL } from '../capture/schema'
import { BACKFILL_SQL } from '../export/backfillStore'
import { GATES_SQL } from '../gates/store'
import { explainLoadError, NativeModuleError, sqliteBinding } from '../native/binding'
import { lakePaths } from './paths'
import { makeDir } from '../util/makeDir'

export type Db = Database.Database

/** Schema migrations, applied in order; the index + 1 is stored as PRAGMA user_version. */
const migrations: readonly string[] = [
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     state TEXT NOT NULL,
     params TEXT NOT NULL,
     created_at TEXT NOT NULL,
     started_at TEXT,
     ended_at TEXT,
     result TEXT,
     error TEXT,
     owner_pid INTEGER
   );
   CREATE INDEX jobs_created ON jobs(created_at);`,
  // 2: downloaded files and transferred bytes (src-main/sources/cryptolake/ledger.ts).
  ACQUISITION_LEDGER_SQL,
  // 3: the data gate: validation runs, per-file results, findings, staging/ready files (src-main/validate/schema.ts).
  VALIDATION_SQL,
  // 4: live capture sessions and their gaps (src-main/capture/schema.ts).
  CAPTURE_SESSIONS_SQL,
  BACKFILL_SQL,
  // 6: gate decisions (overrides, budget approval) and the saved data requirement (src-main/gates/).
  GATES_SQL,
  // 7: how each download's ETag was verified (multipart part size) or why not (ledger.ts).
  ACQUISITION_ETAG_SQL
]

export function openManifest(lakeRoot: string): Db {
  makeDir(lakeRoot)
  const db = openSqlite(lakePaths.manifest(lakeRoot))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  migrate(db)
  return db
}

/**
 * Opens a SQLite file (or ':memory:') with the better-sqlite3 build of this runtime; a missing or
 * wrong build is one sentence with the command that fixes it.
 */
export function openSqlite(file: string): Db {
  const nativeBinding = sqliteBinding()
  try {
    return new Database(file, nativeBinding === undefined ? {} : { nativeBinding })
  } catch (e) {
    const plain = explainLoadError('better-sqlite3', e)
    if (plain !== undefined) throw new NativeModuleError(plain)
    throw e
  }
}

/** The SQLite version of the loaded build: proves the binding loads (lakebook doctor). */
export function sqliteVersion(): string {
  const db = openSqlite(':memory:')
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
  } finally {
    db.close()
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new Error(
      `manifest schema version ${current} is newer than this lakebook (${migrations.length}); upgrade lakebook`
    )
  }
  for (let v = current; v < migrations.length; v++) {
    const sql = migrations[v] ?? ''
    db.transaction(() => {
      db.exec(sql)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}

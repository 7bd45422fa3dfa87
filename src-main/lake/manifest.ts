// The SQLite manifest (better-sqlite3, WAL): the only module that opens the database. Repositories
// for each table live beside it and receive the open handle.
import Database from 'better-sqlite3'
import { explainLoadError, NativeModuleError, sqliteBinding } from '../native/binding'
import { MIGRATIONS } from './migrations'
import { lakePaths } from './paths'
import { makeDir } from '../util/makeDir'

export type Db = Database.Database

/** Schema migrations (migrations.ts), applied in order; the index + 1 is stored as PRAGMA user_version. */

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

/** True when the manifest holds table `name` (an older or partly migrated lake may not). */
export function hasTable(db: Db, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  )
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
  if (current > MIGRATIONS.length) {
    throw new Error(
      `manifest schema version ${current} is newer than this lakebook (${MIGRATIONS.length}); upgrade lakebook`
    )
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v] ?? ''
    db.transaction(() => {
      db.exec(sql)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}

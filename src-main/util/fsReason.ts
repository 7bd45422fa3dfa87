// A file system error as words a researcher reads ("permission denied (EACCES)"), not Node's
// "ENOTDIR: not a directory, scandir '…'". Used where an error reaches the user.
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  EIO: 'the disk reported an input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'a symlink loop',
  EBUSY: 'it is in use',
  EXDEV: 'it is on another file system'
}

/** The reason of a Node fs error in words, with its code; other errors by their message. */
export function fsReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code === 'string' && REASONS[code] !== undefined) return `${REASONS[code]} (${code})`
  return e instanceof Error ? e.message : String(e)
}

/**
 * An fs error's whole sentence: "cannot <syscall> <path>: <reason>", or null for an error that is
 * not one (it keeps its own message).
 */
export function fsErrorSentence(e: unknown): string | null {
  const x = e as { code?: unknown; syscall?: unknown; path?: unknown } | null
  if (typeof x?.code !== 'string' || REASONS[x.code] === undefined) return null
  const what = typeof x.syscall === 'string' ? (VERBS[x.syscall] ?? x.syscall) : 'use'
  const where = typeof x.path === 'string' ? ` ${x.path}` : ''
  return `cannot ${what}${where}: ${fsReason(e)}`
}

const VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  scandir: 'list the folder',
  mkdir: 'make the folder',
  rmdir: 'remove the folder',
  unlink: 'remove',
  rename: 'rename',
  stat: 'read',
  lstat: 'read',
  read: 'read',
  write: 'write',
  copyfile: 'copy',
  statfs: 'measure the free disk of'
}

/**
 * A SQLite error of the manifest (better-sqlite3's SqliteError, code SQLITE_…) as a sentence with
 * what to do; null for any other error. SQLite reports a full disk mostly as a write I/O error
 * (SQLITE_IOERR_WRITE), rarely as SQLITE_FULL, so both name the disk.
 */
export function sqliteSentence(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null
  const what = 'the manifest (lakebook.sqlite)'
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'))
    return `${what} could not be written: the disk reported ${code === 'SQLITE_FULL' ? 'that it is full' : 'an input/output error, most often because it is full'} (${code}); free space on the lake's disk (lakebook doctor shows it) and run the command again`
  if (code.startsWith('SQLITE_READONLY'))
    return `${what} is read-only (${code}); fix the permissions of the lake folder or choose another lake`
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return `${what} is damaged (${code}); see docs/runbooks/corrupted-manifest.md`
  if (code.startsWith('SQLITE_BUSY'))
    return `${what} is locked by another lakebook process (${code}); wait for it, or stop it, and run the command again`
  return null
}

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

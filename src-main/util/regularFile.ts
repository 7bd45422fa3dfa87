// Readers read regular files only: a FIFO or a device (or a symlink to one) named like a data
// file would block a reader forever or feed it without end (/dev/zero), and a symlink loop
// cannot be opened at all. Each is refused with a sentence naming what the path is.
import { statSync, type Stats } from 'node:fs'
import { InputError } from './errors'

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  if (st.isSocket()) return 'a socket'
  if (st.isDirectory()) return 'a folder'
  return 'not a regular file'
}

/**
 * Why `path` (symlinks followed) is not a regular file to read, or null when it is one. A path
 * that does not exist is left to the caller's own handling (null).
 */
export function notRegularFile(path: string): string | null {
  let st: Stats
  try {
    st = statSync(path)
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'ELOOP') return 'a symlink loop, refused'
    return null
  }
  return st.isFile() ? null : `${kindOf(st)}, not a regular file; refused`
}

/** Throws an InputError naming the file unless it is a regular file (or absent). */
export function assertRegularFile(path: string): void {
  const problem = notRegularFile(path)
  if (problem !== null) throw new InputError(problem, path)
}

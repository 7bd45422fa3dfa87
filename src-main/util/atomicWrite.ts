// Atomic file writes: temp file in the same folder, fsync, rename. A reader sees the old file or the
// whole new one, never a part.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname, join, basename } from 'node:path'
import { randomBytes } from 'node:crypto'
import { makeDir } from './makeDir'

/** A fresh hidden temp name beside `path` (same folder, so the final rename is atomic). */
export function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
}

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  makeDir(dirname(path))
  const tmp = tempBeside(path)
  const fd = openSync(tmp, 'w')
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    rmSync(tmp, { force: true })
    throw e
  }
  closeSync(fd)
  renameSync(tmp, path)
  fsyncDir(dirname(path))
}

/**
 * Publishes a temp file written through `fd`: fsync, `check` (which may throw: the file is then
 * left, open, to the caller's cleanup), close, rename onto `path`, fsync the folder.
 */
export function publishTemp(fd: number, tmp: string, path: string, check: () => void): void {
  fsyncSync(fd)
  check()
  closeSync(fd)
  renameSync(tmp, path)
  fsyncDir(dirname(path))
}

/** Makes a rename durable: fsync the folder that holds it (no-op where unsupported). */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
  }
}

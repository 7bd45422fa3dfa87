// Makes a folder and its missing parents, one level at a time. Node 20's
// `mkdirSync(…, { recursive: true })` never returns when a parent exists but cannot hold children
// (a folder under /proc, a dangling symlink): it loops between ENOENT and EEXIST at full CPU,
// which hung `export --out /proc/ds`. Here each missing level is made once and a failure is a
// sentence naming the folder and why.
import { lstatSync, mkdirSync, statSync, type Stats } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { InputError } from './errors'
import { fsReason } from './fsReason'

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p)
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw new InputError(`cannot use the folder: ${fsReason(e)}`, p)
  }
}

export function makeDir(dir: string): void {
  const target = resolve(dir)
  const missing: string[] = []
  for (let p = target; ; p = dirname(p)) {
    const st = statOrNull(p)
    if (st !== null) {
      if (!st.isDirectory())
        throw new InputError(
          p === target ? 'not a folder' : `not a folder, so ${target} cannot be made in it`,
          p
        )
      break
    }
    let link = false
    try {
      link = lstatSync(p).isSymbolicLink()
    } catch {
      // Not there at all: made below.
    }
    if (link) throw new InputError('a symlink to a folder that does not exist', p)
    missing.push(p)
    if (dirname(p) === p) break
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p)
    } catch (e) {
      // Made meanwhile by another writer: fine when it is a folder now.
      if ((e as { code?: string }).code === 'EEXIST' && statOrNull(p)?.isDirectory() === true)
        continue
      // ENOENT for a folder whose parent is there: the file system (/proc, …) has no room for it.
      const why =
        (e as { code?: string }).code === 'ENOENT'
          ? 'the file system does not allow a folder here (ENOENT)'
          : fsReason(e)
      throw new InputError(`cannot make the folder: ${why}`, p)
    }
  }
}

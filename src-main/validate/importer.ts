// `lakebook import <dir>`: brings a vendor-layout folder (e.g. captures converted with `lakebook
// convert capture-to-lake`, or files copied from the bucket) into the lake's staging/, so local
// data goes through the same gate as downloads. Each file is hard-linked when the file system
// allows (no copy of large files; the gate's sha256 check then notices if the source is changed
// in place later) or copied, always through a temp name and a rename, hashed, and recorded in the
// manifest (gate_files: zone staging, status staged, source import:<dir>). Files outside the
// layout are listed as skipped, never guessed.
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { ImportParams, ImportResult, ImportedFile } from '../../src-shared/validate'
import { CancelledError, InputError } from '../util/errors'
import { fsyncDir, tempBeside } from '../util/atomicWrite'
import { sha256File } from './integrity'
import { lakeRelative, parsePartitionRel, walkParquet, zoneBase } from './partition'
import type { ValidationStore } from './store'
import { makeDir } from '../util/makeDir'

export interface ImportEnv {
  readonly lakeRoot: string
  readonly store: ValidationStore | null
  readonly signal?: AbortSignal | undefined
  readonly progress?: ((done: number, total: number, message: string) => void) | undefined
  readonly now?: (() => Date) | undefined
}

export async function importToStaging(params: ImportParams, env: ImportEnv): Promise<ImportResult> {
  const dir = resolve(params.dir)
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new InputError(
      'not a folder (expected the vendor layout {table}/exchange=…/symbol=…/dt=…/)',
      dir
    )
  const staging = zoneBase(env.lakeRoot, 'staging')
  const files: ImportedFile[] = []
  const skipped: { path: string; reason: string }[] = []
  const rels = walkParquet(dir, skipped)
  let bytes = 0
  for (const [i, rel] of rels.entries()) {
    if (env.signal?.aborted) throw new CancelledError()
    env.progress?.(i, rels.length, rel)
    const part = parsePartitionRel(rel)
    if (part === null) {
      skipped.push({
        path: rel,
        reason: 'not {book_delta_v2|trades|book}/exchange=…/symbol=…/dt=YYYY-MM-DD/*.parquet'
      })
      continue
    }
    const src = join(dir, ...rel.split('/'))
    const dest = join(staging, ...rel.split('/'))
    if (resolve(src) === resolve(dest)) {
      skipped.push({ path: rel, reason: 'already in staging' })
      continue
    }
    const linked = placeFile(src, dest, params.link !== false)
    const sha256 = await sha256File(dest, env.signal)
    const size = statSync(dest).size
    bytes += size
    const path = lakeRelative(env.lakeRoot, dest)
    files.push({ source: src, path, bytes: size, sha256, linked })
    env.store?.enter({
      ...part,
      zone: 'staging',
      path,
      source: `import:${dir}`,
      sha256,
      bytes: size,
      status: 'staged',
      enteredAt: (env.now ?? (() => new Date()))().toISOString()
    })
  }
  env.progress?.(rels.length, rels.length, 'done')
  return { dir, files, skipped, bytes }
}

/** Links or copies src to dest through a temp name; true when linked. */
function placeFile(src: string, dest: string, tryLink: boolean): boolean {
  makeDir(dirname(dest))
  const tmp = tempBeside(dest)
  let linked = false
  try {
    if (tryLink) {
      try {
        linkSync(src, tmp)
        linked = true
      } catch {
        // Another device or a file system without hard links: copy instead.
      }
    }
    if (!linked) {
      copyFileSync(src, tmp)
      const fd = openSync(tmp, 'r+')
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
    }
    renameSync(tmp, dest)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  fsyncDir(dirname(dest))
  return linked
}

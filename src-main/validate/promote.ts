// Moves a file that passed the gate from staging/ to ready/ under the same partition path: one
// rename(2) within the lake (atomic on one file system: readers see the file in one zone or the
// other, never half), then both folders fsynced so the move survives a crash. A file already in
// ready/ under that name is replaced by the newly validated one.
import { existsSync, renameSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fsyncDir } from '../util/atomicWrite'
import { lakeRelative, partitionRel, zoneBase, type GateFile } from './partition'
import { makeDir } from '../util/makeDir'

export interface Promotion {
  readonly from: string
  /** Lake-relative path in ready/. */
  readonly to: string
  readonly replaced: boolean
}

export function readyPath(lakeRoot: string, f: GateFile): string {
  return join(zoneBase(lakeRoot, 'ready'), ...partitionRel(f).split('/'))
}

export function promote(lakeRoot: string, f: GateFile): Promotion {
  const dest = readyPath(lakeRoot, f)
  makeDir(dirname(dest))
  const replaced = existsSync(dest)
  renameSync(f.abs, dest)
  fsyncDir(dirname(dest))
  fsyncDir(dirname(f.abs))
  return { from: f.rel, to: lakeRelative(lakeRoot, dest), replaced }
}

// Free disk for an export: checked against an estimate of the output before it starts, and again
// after every checkpoint while it runs, so a filling disk stops the export cleanly at a checkpoint
// (rerunning resumes there) instead of failing a write half way with ENOSPC.
import { existsSync, statfsSync } from 'node:fs'
import { dirname } from 'node:path'
import { fmtBytes } from '../../src-shared/format'

/**
 * Output bytes per input byte when nothing better is known: measured on the converted real spot
 * capture with the default tables (7.81 MB out of 3.67 MB in: 2.13), rounded up. Short inputs
 * weigh the fixed per-file costs most, so on a real day this overestimates.
 */
export const DEFAULT_OUTPUT_RATIO = 2.2

/** Below this much free space a running export stops at its next checkpoint. */
export const MIN_FREE_BYTES = 500e6

/** Disk full (or about to be): a disk problem, reported as such (kind io). */
export class DiskSpaceError extends Error {
  override readonly name = 'DiskSpaceError'
  readonly code = 'ENOSPC'
}

/** Free bytes on the disk that holds `path` (its nearest existing folder). */
export function freeBytes(path: string): number {
  let p = path
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p)
  const s = statfsSync(p)
  return s.bavail * s.bsize
}

export function checkDiskBefore(out: string, inputBytes: number, free = freeBytes(out)): void {
  const need = Math.ceil(inputBytes * DEFAULT_OUTPUT_RATIO)
  if (free >= need + MIN_FREE_BYTES) return
  throw new DiskSpaceError(
    `the export needs about ${fmtBytes(need)} (${DEFAULT_OUTPUT_RATIO}× its ${fmtBytes(inputBytes)} of input) ` +
      `and the disk holding ${out} has ${fmtBytes(free)} free; free some space or export to another disk (--out)`
  )
}

export function checkDiskWhile(out: string, at: string, free = freeBytes(out)): void {
  if (free >= MIN_FREE_BYTES) return
  throw new DiskSpaceError(
    `the disk holding ${out} has only ${fmtBytes(free)} free: the export stopped at ${at}, after its last ` +
      'checkpoint; free some space and run it again to resume'
  )
}

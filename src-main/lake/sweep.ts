// Temporary files a crash left behind: an atomic write (util/atomicWrite.ts, the Parquet stream
// writer, the importer) writes `.<name>.<8 hex>.tmp` beside its target and renames it; a process
// killed in between leaves the temp. They are never read, but they take disk and look like data
// to a person browsing the lake. Removed when a job manager starts (CLI, host, app), counted and
// named — only when untouched for an hour, so a write of another live process on the same lake is
// never pulled from under it.
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** `.<target>.<8 hex>.tmp`; the group is the target's name. */
export const TEMP_FILE = /^\.(.+)\.[0-9a-f]{8}\.tmp$/
export const STALE_TEMP_MS = 3_600_000

/** The lake folders holding atomically written files (datasets clean their own work folders). */
const ZONES = ['staging', 'ready', 'certificates']

export function sweepStaleTemps(lakeRoot: string, nowMs = Date.now()): string[] {
  const removed: string[] = []
  const walk = (dir: string): void => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile() && TEMP_FILE.test(e.name)) {
        if (nowMs - statSync(p).mtimeMs < STALE_TEMP_MS) continue
        rmSync(p, { force: true })
        removed.push(relative(lakeRoot, p).split(sep).join('/'))
      }
    }
  }
  for (const z of ZONES) walk(join(lakeRoot, z))
  return removed
}

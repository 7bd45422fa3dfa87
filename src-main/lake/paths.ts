// Where the lake lives and how it is laid out on disk (DESIGN.md, "Storage on disk").
import { join, resolve } from 'node:path'
import envPaths from 'env-paths'
import { readJsonObject, userSettingsPath } from '../settings/userFile'

/** The lake root when nothing chooses another: the user's data folder. */
export function defaultLakeRoot(): string {
  // Same folder for the app and the CLI, so both see one manifest.
  return envPaths('lakebook', { suffix: '' }).data
}

/**
 * The lake root: --lake flag, else LAKEBOOK_LAKE, else the lake.root setting (the user's
 * settings file, settings/userFile.ts), else the user's data folder.
 */
export function resolveLakeRoot(flag?: string): string {
  const chosen = flag ?? process.env['LAKEBOOK_LAKE']
  if (chosen !== undefined && chosen !== '') return resolve(chosen)
  // Only lake.root is read here: a problem elsewhere in the file (an unknown key) must not keep
  // the app or `lakebook config` from starting, where it is shown and can be fixed.
  const lake = readJsonObject(userSettingsPath())['lake']
  const set =
    lake !== null && typeof lake === 'object' ? (lake as { root?: unknown }).root : undefined
  return typeof set === 'string' && set !== '' ? resolve(set) : defaultLakeRoot()
}

export const lakePaths = {
  manifest: (root: string) => join(root, 'lakebook.sqlite'),
  replay: (root: string, jobId: string) => join(root, 'replays', jobId),
  ready: (root: string) => join(root, 'ready'),
  staging: (root: string) => join(root, 'staging'),
  captures: (root: string) => join(root, 'captures'),
  exports: (root: string) => join(root, 'exports'),
  reports: (root: string) => join(root, 'reports'),
  certificates: (root: string) => join(root, 'certificates')
}

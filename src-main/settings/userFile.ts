// The user's settings file: what belongs to the person and the machine rather than to one lake
// (the lake root itself, worker counts, the theme). It cannot live in the lake: it says which lake.
// <config folder>/settings.json (env-paths' config folder, the same for the app, the CLI and the
// browser host), or the folder LAKEBOOK_CONFIG_DIR names (tests, portable setups).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import envPaths from 'env-paths'
import { userSettings, type UserSettings } from '../../src-shared/settings'
import { writeFileAtomic } from '../util/atomicWrite'
import { InputError } from '../util/errors'
import { zodSentence } from '../util/zodSentence'

export const USER_FILE = 'settings.json'

export function userSettingsPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env['LAKEBOOK_CONFIG_DIR']
  return join(
    dir !== undefined && dir !== '' ? dir : envPaths('lakebook', { suffix: '' }).config,
    USER_FILE
  )
}

/** The raw JSON object of a settings file ({} when absent); a sentence when it is not JSON. */
export function readJsonObject(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {}
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new InputError(`is not valid JSON (${(e as Error).message}); fix or remove it`, path)
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError('does not hold a JSON object; fix or remove it', path)
  return raw as Record<string, unknown>
}

export function readUserSettings(path: string = userSettingsPath()): UserSettings {
  const r = userSettings.safeParse(readJsonObject(path))
  if (!r.success) throw new InputError(zodSentence(r.error, ''), path)
  return r.data
}

/** Validates, then replaces the file atomically (a reader sees the old or the new file). */
export function writeUserSettings(path: string, s: UserSettings): void {
  const r = userSettings.safeParse(s)
  if (!r.success) throw new InputError(zodSentence(r.error, ''), path)
  writeFileAtomic(path, `${JSON.stringify(r.data, null, 2)}\n`)
}

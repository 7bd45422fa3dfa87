// Whether Crypto Lake keys are at hand, as "set" / "not set" and where from, never the keys: the
// app's keychain store answers in the app; the CLI (plain Node, no keychain access) sees the
// environment, an AWS profile, and whether the app's encrypted key file exists.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { CredentialStatus } from '../../src-shared/acquire'

export interface CredentialSummary {
  readonly set: boolean
  /** Where they come from, or what to do; never a key. */
  readonly note: string
}

/** Electron's userData folder for the app named lakebook (where secrets.ts keeps its file). */
export function appDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env
): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'lakebook')
  if (platform === 'win32')
    return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'lakebook')
  const xdg = env['XDG_CONFIG_HOME']
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.config'), 'lakebook')
}

function fromEnvironment(env: NodeJS.ProcessEnv): CredentialSummary | null {
  if (env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY'])
    return { set: true, note: 'from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment' }
  if (env['AWS_PROFILE']) return { set: true, note: `from the AWS profile ${env['AWS_PROFILE']}` }
  return null
}

const HOW =
  'store them on the Settings page of the app (OS keychain), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)'

/** What the CLI can tell without the keychain. */
export function cliCredentials(
  env: NodeJS.ProcessEnv = process.env,
  keyFile: string = join(appDataDir(), 'crypto-lake-keys.bin')
): CredentialSummary {
  const e = fromEnvironment(env)
  if (e) return e
  if (existsSync(keyFile)) return { set: true, note: "stored in the app's OS keychain file" }
  return { set: false, note: HOW }
}

/** What the app (or the browser host) knows: its secret store first, then its environment. */
export function hostCredentials(
  s: CredentialStatus,
  env: NodeJS.ProcessEnv = process.env
): CredentialSummary {
  if (s.stored) return { set: true, note: s.warning ?? 'stored in the OS keychain' }
  const e = fromEnvironment(env)
  if (e) return e
  if (s.backend === 'default-chain')
    return {
      set: false,
      note: 'this host keeps no keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) where it runs, or use the desktop app'
    }
  return {
    set: false,
    note:
      s.warning ??
      'enter them here (kept in the OS keychain), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) before starting the app'
  }
}

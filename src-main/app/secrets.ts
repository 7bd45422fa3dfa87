// Crypto Lake keys in the OS keychain through Electron's safeStorage: encrypted at rest, decrypted
// only in main when a job or request needs them, never logged, never sent to the renderer.
// On Linux, safeStorage falls back to a fixed, publicly known password when no secret store
// (gnome-keyring, KWallet) answers: the file would then be readable by anyone who can copy it. So
// there the app refuses to store keys, and warns about keys that are only protected that way.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { safeStorage } from 'electron'
import type { CredentialStatus, LakeSecrets } from '../../src-shared/acquire'
import type { SecretStore } from '../ipc/handlers/acquire'
import { maskKeyId } from '../sources/cryptolake/redact'
import { writeFileAtomic } from '../util/atomicWrite'

const INSTEAD =
  'install or unlock gnome-keyring or KWallet and restart lakebook, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) before starting it, or download with the CLI (`lakebook download`, keys from the environment or --profile)'

/**
 * Why safeStorage cannot protect keys here, or null when it can. Only Linux has weak backends
 * (getSelectedStorageBackend exists only there); macOS and Windows always use the OS keychain.
 */
export function weakBackend(platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux') return null
  const ss = safeStorage as { getSelectedStorageBackend?: () => string }
  if (typeof ss.getSelectedStorageBackend !== 'function') return null
  const backend = ss.getSelectedStorageBackend()
  if (backend === 'basic_text') {
    return 'Electron found no secret store on this Linux desktop (safeStorage backend basic_text), so it would encrypt keys with a fixed, publicly known password'
  }
  if (backend === 'unknown') {
    return 'Electron could not tell which secret store protects keys on this Linux desktop (safeStorage backend unknown)'
  }
  return null
}

/** The keychain answers at once (a SecretStore may answer later). */
type KeychainStore = Omit<SecretStore, 'status' | 'set' | 'clear'> & {
  status(): CredentialStatus
  set(keys: Parameters<SecretStore['set']>[0]): CredentialStatus
  clear(): CredentialStatus
}

export function keychainStore(
  dir: string,
  opts: { platform?: NodeJS.Platform; warn?: (message: string) => void } = {}
): KeychainStore {
  const file = join(dir, 'crypto-lake-keys.bin')
  const warned = new Set<string>()
  // Each warning reaches the log once per start, not on every status poll.
  const warn = (message: string): void => {
    if (warned.has(message)) return
    warned.add(message)
    opts.warn?.(message)
  }
  /** The keys when readable; `warning` says why not, or what is wrong with them. */
  const load = (): { keys?: LakeSecrets; warning: string | null } => {
    const weak = weakBackend(opts.platform)
    if (!existsSync(file)) {
      return {
        warning: weak === null ? null : `lakebook will not store keys: ${weak}; ${INSTEAD}.`
      }
    }
    if (!safeStorage.isEncryptionAvailable()) {
      // Electron itself declines basic_text unless told otherwise: the usual Linux case.
      const warning =
        weak === null
          ? `the stored keys in ${file} cannot be read: the OS keychain is not available; use AWS environment variables or a profile instead`
          : `the stored keys in ${file} cannot be read: ${weak}; Forget them, then ${INSTEAD}.`
      warn(warning)
      return { warning }
    }
    let keys: LakeSecrets
    try {
      keys = JSON.parse(safeStorage.decryptString(readFileSync(file))) as LakeSecrets
    } catch (e) {
      const warning = `the stored keys in ${file} could not be decrypted (${e instanceof Error ? e.message : String(e)}); Forget them and enter them again, or use AWS environment variables or a profile`
      warn(warning)
      return { warning }
    }
    if (weak === null) return { keys, warning: null }
    // Decrypted without a secret store: whoever copies the file can do the same.
    const warning = `the stored keys in ${file} are not protected: ${weak}; Forget them, then ${INSTEAD}.`
    warn(warning)
    return { keys, warning }
  }
  const status = (): CredentialStatus => {
    const { keys, warning } = load()
    return {
      backend: 'keychain',
      // A key file that cannot be read still counts as stored, so the Data page offers Forget.
      stored: existsSync(file),
      keyId: keys?.accessKeyId ? maskKeyId(keys.accessKeyId) : null,
      warning
    }
  }
  return {
    status,
    set: (keys) => {
      // The backend first: it names the cause where Electron only says "not available".
      const weak = weakBackend(opts.platform)
      if (weak !== null) throw new Error(`lakebook will not store keys: ${weak}; ${INSTEAD}.`)
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error(
          'the OS keychain is not available; use AWS environment variables or a profile instead'
        )
      }
      writeFileAtomic(file, safeStorage.encryptString(JSON.stringify(keys)))
      return status()
    },
    clear: () => {
      rmSync(file, { force: true })
      return status()
    },
    get: () => load().keys
  }
}

// Crypto Lake keys in the OS keychain through Electron's safeStorage: encrypted at rest, decrypted
// only in main when a job or request needs them, never logged, never sent to the renderer.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { safeStorage } from 'electron'
import type { LakeSecrets } from '../../src-shared/acquire'
import type { SecretStore } from '../ipc/handlers/acquire'
import { maskKeyId } from '../sources/cryptolake/redact'
import { writeFileAtomic } from '../util/atomicWrite'

export function keychainStore(dir: string): SecretStore {
  const file = join(dir, 'crypto-lake-keys.bin')
  const read = (): LakeSecrets | undefined => {
    if (!existsSync(file) || !safeStorage.isEncryptionAvailable()) return undefined
    return JSON.parse(safeStorage.decryptString(readFileSync(file))) as LakeSecrets
  }
  const status = () => {
    const k = read()
    return {
      backend: 'keychain' as const,
      stored: k !== undefined,
      keyId: k?.accessKeyId ? maskKeyId(k.accessKeyId) : null
    }
  }
  return {
    status,
    set: (keys) => {
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
    get: read
  }
}

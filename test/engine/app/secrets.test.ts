// The app's key store against each safeStorage backend, with `electron` mocked: on Linux the
// fixed-password fallback (basic_text) and an unknown backend are refused with a sentence, keys
// read back under them carry a warning (to the Data page, the doctor and the log, once); macOS and
// Windows keep storing as before (getSelectedStorageBackend exists only on Linux).
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { credentialsCheck } from '../../../src-main/doctor/checks'
import { tempDir } from '../../helpers/synthetic'

const h = vi.hoisted(() => {
  const state: { backend: string | null; available: boolean } = {
    backend: 'gnome_libsecret',
    available: true
  }
  return state
})

vi.mock('electron', () => ({
  // A reversible stand-in for the OS encryption; getSelectedStorageBackend only when set (Linux).
  safeStorage: {
    isEncryptionAvailable: () => h.available,
    get getSelectedStorageBackend() {
      return h.backend === null ? undefined : () => h.backend
    },
    encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
    decryptString: (b: Buffer) => {
      const t = b.toString()
      if (!t.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided')
      return Buffer.from(t.slice(4), 'base64').toString()
    }
  }
}))

const { keychainStore } = await import('../../../src-main/app/secrets')

const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
}

describe('key store and the safeStorage backend', () => {
  beforeEach(() => {
    h.backend = 'gnome_libsecret'
    h.available = true
  })

  it('stores on macOS and Windows whatever the (Linux-only) backend query would say', () => {
    h.backend = 'basic_text'
    for (const platform of ['darwin', 'win32'] as const) {
      const store = keychainStore(tempDir(), { platform })
      expect(store.status()).toMatchObject({ stored: false, warning: null })
      expect(store.set(KEYS)).toEqual({
        backend: 'keychain',
        stored: true,
        keyId: 'AKIA…MPLE',
        warning: null
      })
      expect(store.get()).toEqual(KEYS)
    }
  })

  it('stores on Linux with a real secret store, or an Electron without the backend query', () => {
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6', null]) {
      h.backend = backend
      const store = keychainStore(tempDir(), { platform: 'linux' })
      expect(store.set(KEYS)).toMatchObject({ stored: true, warning: null })
      expect(store.get()).toEqual(KEYS)
    }
  })

  it('refuses basic_text and unknown on Linux in one sentence, writing nothing', () => {
    for (const backend of ['basic_text', 'unknown']) {
      h.backend = backend
      const dir = tempDir()
      const store = keychainStore(dir, { platform: 'linux' })
      expect(() => store.set(KEYS)).toThrow(
        new RegExp(
          `^lakebook will not store keys: .*\\(safeStorage backend ${backend}\\)[^.]*; install or unlock gnome-keyring or KWallet and restart lakebook, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \\(or AWS_PROFILE\\) before starting it, or download with the CLI \\(\`lakebook download\`, keys from the environment or --profile\\)\\.$`
        )
      )
      expect(existsSync(join(dir, 'crypto-lake-keys.bin'))).toBe(false)
      expect(store.status()).toMatchObject({ stored: false, keyId: null })
      expect(store.status().warning).toMatch(/^lakebook will not store keys/)
    }
  })

  it('names the backend where Electron declines it (encryption not available)', () => {
    const dir = tempDir()
    const warnings: string[] = []
    const store = keychainStore(dir, { platform: 'linux', warn: (m) => warnings.push(m) })
    store.set(KEYS)
    // Electron refuses basic_text unless setUsePlainTextEncryption(true): the usual Linux case.
    h.backend = 'basic_text'
    h.available = false
    expect(() => store.set(KEYS)).toThrow(/^lakebook will not store keys: .*basic_text/)
    const st = store.status()
    // Still stored (so Forget is offered), but not readable, and said so.
    expect(st).toMatchObject({ stored: true, keyId: null })
    expect(st.warning).toMatch(
      /^the stored keys in .*crypto-lake-keys\.bin cannot be read: Electron found no secret store .*; Forget them, then install or unlock gnome-keyring/
    )
    expect(store.get()).toBeUndefined()
    expect(warnings).toEqual([st.warning])
    // Where the keychain itself is missing (macOS, Windows): the sentence from before.
    const mac = keychainStore(dir, { platform: 'darwin' })
    expect(mac.status().warning).toMatch(
      /cannot be read: the OS keychain is not available; use AWS/
    )
    expect(() => mac.set(KEYS)).toThrow(/^the OS keychain is not available/)
  })

  it('warns (once) about keys that decrypt without a secret store, and still hands them to jobs', () => {
    const dir = tempDir()
    const warnings: string[] = []
    const store = keychainStore(dir, { platform: 'linux', warn: (m) => warnings.push(m) })
    store.set(KEYS)
    expect(warnings).toEqual([])
    h.backend = 'basic_text'
    const st = store.status()
    expect(st.stored).toBe(true)
    expect(st.warning).toMatch(
      /^the stored keys in .*crypto-lake-keys\.bin are not protected: Electron found no secret store .*basic_text.*; Forget them, then install or unlock/
    )
    expect(store.get()).toEqual(KEYS)
    store.status()
    expect(warnings).toEqual([st.warning])
    expect(warnings.join()).not.toContain(KEYS.secretAccessKey)
    expect(store.clear()).toMatchObject({ stored: false })
  })

  it('names a key file it cannot decrypt instead of failing the status (synthetic file)', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'crypto-lake-keys.bin'), 'not ours (synthetic)')
    const warnings: string[] = []
    const store = keychainStore(dir, { platform: 'linux', warn: (m) => warnings.push(m) })
    const st = store.status()
    expect(st).toMatchObject({ stored: true, keyId: null })
    expect(st.warning).toMatch(
      /^the stored keys in .*crypto-lake-keys\.bin could not be decrypted \(Error while decrypting the ciphertext provided\); Forget them and enter them again/
    )
    expect(store.get()).toBeUndefined()
    expect(warnings).toHaveLength(1)
  })

  it("puts the store's warning into the doctor's credentials check", () => {
    const home = tempDir()
    const warning = 'the stored keys in /x/crypto-lake-keys.bin are not protected: … (synthetic)'
    // Stored keys win over the environment in the app, so their warning comes first.
    const weak = credentialsCheck(
      { AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00000', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) },
      { stored: true, keyId: 'AKIA…MPLE', warning },
      home
    )
    expect(weak).toMatchObject({ status: 'warn', fix: warning })
    expect(weak.detail).toMatch(/not protected by a secret store/)
    const refused = 'lakebook will not store keys: … (synthetic)'
    expect(
      credentialsCheck({}, { stored: false, keyId: null, warning: refused }, home)
    ).toMatchObject({ status: 'warn', fix: refused })
    expect(
      credentialsCheck(
        {},
        { stored: true, keyId: null, warning: 'cannot be read (synthetic)' },
        home
      )
    ).toMatchObject({ status: 'warn', detail: "in the app's key file, which cannot be read" })
    expect(
      credentialsCheck({}, { stored: true, keyId: 'AKIA…MPLE', warning: null }, home).status
    ).toBe('pass')
  })
})

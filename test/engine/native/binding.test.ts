// better-sqlite3 for the runtime it runs in: Node uses the package's build, Electron (mocked here
// through process.versions) a per-runtime build by path; a missing or wrong build is one sentence
// with the fix. The loads below are real (the package's Node build, copied or corrupted).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openSqlite, sqliteVersion } from '../../../src-main/lake/manifest'
import {
  currentRuntime,
  explainLoadError,
  NATIVE_DIR_ENV,
  nativeRoots,
  runtimeFolder,
  SQLITE_BINDING_ENV,
  sqliteBinding
} from '../../../src-main/native/binding'
import { tempDir } from '../../helpers/synthetic'

const electron44 = { node: '24.18.0', electron: '44.11.5', modules: '149' }
const nodeBuild = join(
  dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  'better_sqlite3.node'
)

/** Makes this process look like Electron 44 (ABI 149) until the test ends. */
function pretendElectron(): void {
  for (const [k, v] of Object.entries({ electron: electron44.electron, modules: '149' })) {
    Object.defineProperty(process.versions, k, { value: v, configurable: true, enumerable: true })
  }
}
const realModules = process.versions.modules
afterEach(() => {
  Reflect.deleteProperty(process.versions, 'electron')
  Object.defineProperty(process.versions, 'modules', {
    value: realModules,
    configurable: true,
    enumerable: true
  })
  Reflect.deleteProperty(process.env, NATIVE_DIR_ENV)
  Reflect.deleteProperty(process.env, SQLITE_BINDING_ENV)
})

describe('runtime and binding resolver', () => {
  it('tells Node from Electron by process.versions and names the per-runtime folder', () => {
    const node = currentRuntime({ node: '20.20.2', modules: '115' }, 'linux', 'x64')
    expect(node).toMatchObject({ kind: 'node', version: '20.20.2', abi: '115' })
    const el = currentRuntime(electron44, 'darwin', 'arm64')
    expect(el).toMatchObject({ kind: 'electron', version: '44.11.5', abi: '149' })
    expect(runtimeFolder(el)).toBe('electron-149-darwin-arm64')
  })

  it('leaves Node on the package build and points Electron at its own folder', () => {
    const node = currentRuntime({ node: '20.20.2', modules: '115' })
    expect(sqliteBinding(node, ['/x'], () => true)).toBeUndefined()
    const el = currentRuntime(electron44, 'linux', 'x64')
    const seen: string[] = []
    const path = sqliteBinding(el, ['/env', '/dev-tree'], (p) => {
      seen.push(p)
      return p.startsWith('/dev-tree')
    })
    expect(path).toBe('/dev-tree/electron-149-linux-x64/better_sqlite3.node')
    expect(seen[0]).toBe('/env/electron-149-linux-x64/better_sqlite3.node')
    // Pinned for worker threads: same ABI without process.versions.electron → same file; the
    // Node ABI (a Node child process inheriting the environment) → its own build.
    const worker = currentRuntime({ node: '24.18.0', modules: '149' }, 'linux', 'x64')
    expect(sqliteBinding(worker, [], () => false)).toBe(path)
    expect(sqliteBinding(currentRuntime({ node: '20.20.2', modules: '115' }), [])).toBeUndefined()
  })

  it('looks beside app.asar in a packaged app and in node_modules/.lakebook-native otherwise', () => {
    expect(nativeRoots({}, '/opt/lakebook/resources/app.asar/node_modules')).toEqual([
      '/opt/lakebook/resources/native'
    ])
    expect(nativeRoots({ [NATIVE_DIR_ENV]: '/n' }, '/src/lakebook/node_modules')).toEqual([
      '/n',
      '/src/lakebook/node_modules/.lakebook-native'
    ])
  })

  it('says in one sentence, with the command, that Electron has no build', () => {
    const el = currentRuntime(electron44, 'linux', 'x64')
    expect(() => sqliteBinding(el, ['/dev-tree'], () => false)).toThrow(
      'better-sqlite3 has no build for Electron 44.11.5 (NODE_MODULE_VERSION 149) in /dev-tree/electron-149-linux-x64; run npm run rebuild:electron'
    )
  })

  it('turns an ABI mismatch into one sentence (Node’s own message format, synthetic text)', () => {
    const el = currentRuntime(electron44, 'linux', 'x64')
    const nodeMessage =
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
      'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This ' +
      'version of Node.js requires\nNODE_MODULE_VERSION 149. Please try re-compiling or re-installing\n'
    const s = explainLoadError('better-sqlite3', new Error(nodeMessage), el)
    expect(s).toBe(
      'better-sqlite3 at /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node was ' +
        'built for NODE_MODULE_VERSION 115, but Electron 44.11.5 needs 149; run npm run ' +
        'rebuild:electron (needs internet: Electron headers or a prebuilt binary).'
    )
    expect(explainLoadError('better-sqlite3', new Error('SQLITE_CANTOPEN'), el)).toBeUndefined()
  })
})

describe('openSqlite under a mocked Electron runtime (real loads)', () => {
  it('fails with the sentence when the Electron folder is empty', () => {
    pretendElectron()
    process.env[NATIVE_DIR_ENV] = tempDir()
    expect(() => openSqlite(':memory:')).toThrow(
      /^better-sqlite3 has no build for Electron 44\.11\.5/
    )
  })

  it('loads the build found in the per-runtime folder through nativeBinding', () => {
    const root = tempDir()
    const folder = join(root, runtimeFolder(currentRuntime(electron44)))
    mkdirSync(folder)
    // The Node build stands in for an Electron build: it is the only one that loads here.
    copyFileSync(nodeBuild, join(folder, 'better_sqlite3.node'))
    pretendElectron()
    process.env[NATIVE_DIR_ENV] = root
    expect(sqliteVersion()).toMatch(/^3\.\d+\.\d+$/)
  })

  it('names the file and the fix when the build there is not a loadable binary', () => {
    const root = tempDir()
    const folder = join(root, runtimeFolder(currentRuntime(electron44)))
    mkdirSync(folder)
    writeFileSync(join(folder, 'better_sqlite3.node'), 'not a shared object (synthetic)')
    pretendElectron()
    process.env[NATIVE_DIR_ENV] = root
    expect(() => openSqlite(':memory:')).toThrow(
      /^better-sqlite3 could not be loaded in Electron 44\.11\.5 \(.*better_sqlite3\.node: .*\); run npm run rebuild:electron/
    )
  })
})

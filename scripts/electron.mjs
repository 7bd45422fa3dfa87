// Shared by the scripts that need the Electron binary (start, rebuild:electron, smoke:electron): where
// it is, the one-time fetch where the network allows, and the ABI it loads native modules for.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electronDir = join(root, 'node_modules', 'electron')

export function electronVersion() {
  return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
}

/** The binary's path, or null when it has not been fetched (ELECTRON_OVERRIDE_DIST_PATH wins). */
export function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const pathFile = join(electronDir, 'path.txt')
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  if (override) return join(override, rel ?? 'electron')
  if (rel && existsSync(join(electronDir, 'dist', rel))) return join(electronDir, 'dist', rel)
  return null
}

/** Fetches the binary once (electron's own install.js); false, after one line, when it cannot. */
export function tryFetchElectron() {
  if (process.env.LAKEBOOK_BROWSER === '1' || !existsSync(join(electronDir, 'install.js')))
    return false
  process.stderr.write('lakebook: fetching the Electron binary (first start only)…\n')
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 600_000
  })
  if (r.status === 0) return true
  const cause = (r.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? `exit ${r.status}`
  process.stderr.write(`lakebook: the Electron binary could not be fetched (${cause.trim()}).\n`)
  return false
}

/** The binary, fetching it first if needed; null when there is none. */
export function findOrFetchElectron() {
  return electronBinary() ?? (tryFetchElectron() ? electronBinary() : null)
}

/** Runs the binary as plain Node (ELECTRON_RUN_AS_NODE) and returns what the script printed. */
export function runAsNode(binary, script) {
  const r = spawnSync(binary, ['-e', script], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000
  })
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() }
}

/** NODE_MODULE_VERSION, platform and arch of that binary's Node. */
export function electronRuntime(binary) {
  const r = runAsNode(
    binary,
    'process.stdout.write(JSON.stringify([process.versions.electron, process.versions.modules, process.platform, process.arch]))'
  )
  if (!r.ok) return null
  const [version, abi, platform, arch] = JSON.parse(r.out)
  return { version, abi, platform, arch, folder: `electron-${abi}-${platform}-${arch}` }
}

export const nativeRoot = join(root, 'node_modules', '.lakebook-native')

/** better-sqlite3 for this Electron, built once (rebuild-electron.mjs); false when it could not be. */
export function ensureNativeBuild(binary) {
  const rt = electronRuntime(binary)
  if (rt && existsSync(join(nativeRoot, rt.folder, 'better_sqlite3.node'))) return true
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'rebuild-electron.mjs')], {
    stdio: 'inherit',
    cwd: root
  })
  return r.status === 0
}

// Which better-sqlite3 binary to load, for the runtime this code runs in. Node (CLI, browser host,
// tests) loads the package's own build. Electron has its own Node ABI (NODE_MODULE_VERSION), so the
// app loads an Electron build kept beside it in a per-runtime folder (`npm run rebuild:electron`
// makes it; electron-builder ships it as resources/native/). DuckDB is N-API and parquet-wasm is
// WebAssembly: the same files load in both runtimes, so only better-sqlite3 needs this.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'

export interface Runtime {
  readonly kind: 'node' | 'electron'
  /** Node's or Electron's version. */
  readonly version: string
  /** NODE_MODULE_VERSION: a native addon loads only where it matches. */
  readonly abi: string
  readonly platform: string
  readonly arch: string
}

type Versions = Partial<Record<'node' | 'electron' | 'modules', string>>

export function currentRuntime(
  versions: Versions = process.versions,
  platform: string = process.platform,
  arch: string = process.arch
): Runtime {
  const electron = versions.electron
  return {
    kind: electron === undefined ? 'node' : 'electron',
    version: electron ?? versions.node ?? 'unknown',
    abi: versions.modules ?? 'unknown',
    platform,
    arch
  }
}

export function runtimeLabel(rt: Runtime): string {
  return `${rt.kind === 'electron' ? 'Electron' : 'Node'} ${rt.version}`
}

/** The per-runtime folder name, e.g. `electron-149-linux-x64`. */
export function runtimeFolder(rt: Runtime): string {
  return `${rt.kind}-${rt.abi}-${rt.platform}-${rt.arch}`
}

export const SQLITE_BINARY = 'better_sqlite3.node'
/** A folder holding runtime folders, for a layout the defaults below do not cover. */
export const NATIVE_DIR_ENV = 'LAKEBOOK_NATIVE_DIR'
/**
 * `<abi>:<path>` of the build Electron's main process found, inherited by its worker threads (which
 * may not see process.versions.electron); used only where the ABI matches.
 */
export const SQLITE_BINDING_ENV = 'LAKEBOOK_SQLITE_BINDING'

/** The command that makes a working better-sqlite3 for this runtime. */
export function sqliteFix(rt: Runtime): string {
  return rt.kind === 'electron'
    ? 'npm run rebuild:electron (needs internet: Electron headers or a prebuilt binary)'
    : 'npm rebuild better-sqlite3 (needs python3, make and g++ where no prebuilt binary can be fetched)'
}

/**
 * Folders that may hold runtime folders, best first: $LAKEBOOK_NATIVE_DIR, the packaged app's
 * resources/native (beside app.asar), the development tree's node_modules/.lakebook-native.
 */
export function nativeRoots(
  env: NodeJS.ProcessEnv = process.env,
  nodeModules: string | null = packageNodeModules()
): string[] {
  const roots: string[] = []
  const fromEnv = env[NATIVE_DIR_ENV]
  if (fromEnv !== undefined && fromEnv !== '') roots.push(fromEnv)
  if (nodeModules !== null) {
    const asar = nodeModules.lastIndexOf(`${sep}app.asar${sep}`)
    if (asar >= 0) roots.push(join(nodeModules.slice(0, asar), 'native'))
    else roots.push(join(nodeModules, '.lakebook-native'))
  }
  return roots
}

/** The node_modules folder better-sqlite3 is installed in (main process and workers alike). */
function packageNodeModules(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json')
    return dirname(dirname(pkg))
  } catch {
    return null
  }
}

export class NativeModuleError extends Error {
  override readonly name = 'NativeModuleError'
}

/**
 * better-sqlite3's `nativeBinding` option: undefined under Node (the package's own build), the
 * Electron build's path under Electron. Throws one sentence with the fix when there is none.
 */
export function sqliteBinding(
  rt: Runtime = currentRuntime(),
  roots: readonly string[] = nativeRoots(),
  exists: (path: string) => boolean = existsSync
): string | undefined {
  const pinned = process.env[SQLITE_BINDING_ENV]
  if (pinned?.startsWith(`${rt.abi}:`) === true) return pinned.slice(rt.abi.length + 1)
  if (rt.kind === 'node') return undefined
  const candidates = roots.map((r) => join(r, runtimeFolder(rt), SQLITE_BINARY))
  const found = candidates.find(exists)
  if (found !== undefined) {
    process.env[SQLITE_BINDING_ENV] = `${rt.abi}:${found}`
    return found
  }
  throw new NativeModuleError(
    `better-sqlite3 has no build for ${runtimeLabel(rt)} (NODE_MODULE_VERSION ${rt.abi}) in ` +
      `${candidates.map((c) => dirname(c)).join(' or ') || 'any native folder'}; run ` +
      `${sqliteFix(rt)} and start again.`
  )
}

/**
 * One sentence for a native addon that failed to load (wrong ABI, missing file), or undefined when
 * the error is something else (e.g. SQLite refusing a file), which callers rethrow as it is.
 */
export function explainLoadError(
  moduleName: string,
  e: unknown,
  rt: Runtime = currentRuntime(),
  fix: string = sqliteFix(rt)
): string | undefined {
  const msg = e instanceof Error ? e.message : String(e)
  const abi =
    /module '([^']+)'[\s\S]*?NODE_MODULE_VERSION (\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION (\d+)/.exec(
      msg
    )
  if (abi) {
    return (
      `${moduleName} at ${abi[1] ?? '?'} was built for NODE_MODULE_VERSION ${abi[2] ?? '?'}, but ` +
      `${runtimeLabel(rt)} needs ${abi[3] ?? rt.abi}; run ${fix}.`
    )
  }
  const missing =
    /Could not locate the bindings file/.exec(msg) ??
    /Cannot find module '([^']+\.node)'/.exec(msg) ??
    /([^\s:]+\.node): cannot open shared object file/.exec(msg)
  if (missing) {
    const where = missing[1] === undefined ? '' : ` (${missing[1]})`
    return `${moduleName} has no native build for ${runtimeLabel(rt)}${where}; run ${fix}.`
  }
  if ((e as { code?: unknown } | null)?.code === 'ERR_DLOPEN_FAILED') {
    return `${moduleName} could not be loaded in ${runtimeLabel(rt)} (${firstLine(msg)}); run ${fix}.`
  }
  return undefined
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).trim()
}

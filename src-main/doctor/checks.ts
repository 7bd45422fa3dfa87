// The checks of `lakebook doctor`, each one line with its fix. Plain Node: the app runs the same
// checks (the Electron runtime is read from process.versions, never from 'electron').
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { CheckStatus, DoctorCheck } from '../../src-shared/doctor'
import { fmtBytes } from '../../src-shared/format'
import { sqliteVersion } from '../lake/manifest'
import {
  currentRuntime,
  nativeRoots,
  runtimeLabel,
  SQLITE_BINARY,
  sqliteFix,
  type Runtime
} from '../native/binding'
import { maskKeyId } from '../sources/cryptolake/redact'
import { existingDir, freeDiskBytes } from '../sources/cryptolake/plan'
import { reach } from './reach'

const resolveFrom = createRequire(import.meta.url)

function check(
  id: string,
  title: string,
  required: boolean,
  status: CheckStatus,
  detail: string,
  fix: string | null = null
): DoctorCheck {
  // A check that is not required never fails the report: it warns.
  const s = !required && status === 'fail' ? 'warn' : status
  return { id, title, required, status: s, detail, fix: s === 'pass' ? null : fix }
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''
}

/** package.json "engines": Node 20.19 or later. */
export function runtimeCheck(rt: Runtime = currentRuntime()): DoctorCheck {
  const node = rt.kind === 'electron' ? `Node ${process.versions.node}, ` : ''
  const detail = `${runtimeLabel(rt)} (${node}NODE_MODULE_VERSION ${rt.abi}, ${rt.platform}-${rt.arch})`
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const ok = major > 20 || (major === 20 && minor >= 19)
  return check(
    'runtime',
    'Runtime',
    true,
    ok ? 'pass' : 'fail',
    detail,
    'install Node 20.19 or later'
  )
}

export function sqliteCheck(rt: Runtime = currentRuntime()): DoctorCheck {
  try {
    return check('sqlite', 'better-sqlite3', true, 'pass', `loads (SQLite ${sqliteVersion()})`)
  } catch (e) {
    // openSqlite already words load failures as one sentence with the command.
    return check('sqlite', 'better-sqlite3', true, 'fail', message(e), sqliteFix(rt))
  }
}

/** DuckDB is N-API: one build loads in Node and Electron. Only tests and benchmarks use it. */
export async function duckdbCheck(): Promise<DoctorCheck> {
  try {
    const { DuckDBInstance } = await import('@duckdb/node-api')
    const db = await DuckDBInstance.create(':memory:', { threads: '1' })
    const conn = await db.connect()
    const rows = (await conn.runAndReadAll('SELECT version()')).getRows()
    conn.closeSync()
    db.closeSync()
    return check('duckdb', 'DuckDB', false, 'pass', `loads (${String(rows[0]?.[0])}, N-API)`)
  } catch (e) {
    return check(
      'duckdb',
      'DuckDB',
      false,
      'warn',
      `does not load: ${message(e)} (only the tests and benchmarks use it)`,
      'npm ci (installs @duckdb/node-bindings for this platform)'
    )
  }
}

/** parquet-wasm is WebAssembly: its .wasm file is read beside its JS, in any runtime. */
export async function parquetWasmCheck(): Promise<DoctorCheck> {
  try {
    const wasm = join(dirname(resolveFrom.resolve('parquet-wasm')), 'parquet_wasm_bg.wasm')
    const { wasmMemory } = await import('parquet-wasm')
    // Typed as the WASM Memory, which the node lib types here do not declare (as in ffi.ts).
    const mem = wasmMemory() as unknown as { buffer: ArrayBuffer }
    return check(
      'parquet-wasm',
      'parquet-wasm',
      true,
      'pass',
      `loads (${fmtBytes(mem.buffer.byteLength)} of WASM memory, ${wasm})`
    )
  } catch (e) {
    return check('parquet-wasm', 'parquet-wasm', true, 'fail', message(e), 'npm ci')
  }
}

/**
 * Under Node only: is the Electron binary there, and a better-sqlite3 build for it? Without them
 * `npm start` opens the browser host instead of the app.
 */
export function electronCheck(rt: Runtime = currentRuntime()): DoctorCheck | null {
  if (rt.kind === 'electron') return null
  let dir: string
  try {
    dir = dirname(resolveFrom.resolve('electron/package.json'))
  } catch {
    return null // a packaged CLI has no electron package: nothing to say
  }
  const version = (
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }
  ).version
  const pathTxt = join(dir, 'path.txt')
  const binary =
    existsSync(pathTxt) && existsSync(join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim()))
  if (!binary) {
    return check(
      'electron',
      'Electron',
      false,
      'warn',
      `electron ${version} is installed but its binary was never fetched, so npm start opens the browser host`,
      'run npm start once on a machine with internet (it fetches the binary and builds better-sqlite3 for it)'
    )
  }
  const builds = nativeRoots().flatMap((r) =>
    existsSync(r)
      ? readdirSync(r).filter(
          (f) => f.startsWith('electron-') && existsSync(join(r, f, SQLITE_BINARY))
        )
      : []
  )
  return builds.length > 0
    ? check(
        'electron',
        'Electron',
        false,
        'pass',
        `${version} with better-sqlite3 built for ${builds.join(', ')}`
      )
    : check(
        'electron',
        'Electron',
        false,
        'warn',
        `${version} is present but has no better-sqlite3 build yet`,
        'npm run rebuild:electron (needs internet)'
      )
}

export const CHROMIUM_PATH = '/usr/bin/chromium'

/** The browser end-to-end tests drive Debian's Chromium. */
export function chromiumCheck(
  path = process.env['LAKEBOOK_CHROMIUM'] ?? CHROMIUM_PATH
): DoctorCheck {
  return existsSync(path)
    ? check('chromium', 'Chromium (host tests)', false, 'pass', `found at ${path}`)
    : check(
        'chromium',
        'Chromium (host tests)',
        false,
        'warn',
        `not found at ${path}; only the browser end-to-end tests need it`,
        'apt-get install -y chromium (or set LAKEBOOK_CHROMIUM)'
      )
}

const GiB = 1024 ** 3

/** The lake root must be writable with room to work; a year of Lake data needs far more. */
export function diskCheck(lakeRoot: string, lowBytes = 20 * GiB, minBytes = 1 * GiB): DoctorCheck {
  const dir = existingDir(lakeRoot)
  try {
    accessSync(dir, constants.W_OK)
  } catch {
    return check(
      'disk',
      'Lake root',
      true,
      'fail',
      `${dir} is not writable`,
      `choose another lake root (--lake or LAKEBOOK_LAKE) or fix the permissions of ${dir}`
    )
  }
  const free = freeDiskBytes(lakeRoot)
  const detail = `${fmtBytes(free)} free at ${lakeRoot}`
  if (free < minBytes) {
    return check(
      'disk',
      'Lake root',
      true,
      'fail',
      detail,
      `free space on that disk or choose another lake root (--lake)`
    )
  }
  if (free < lowBytes) {
    return check(
      'disk',
      'Lake root',
      true,
      'warn',
      detail,
      `fine for samples; lakebook plan tells how much a download range needs`
    )
  }
  return check('disk', 'Lake root', true, 'pass', detail)
}

/** Crypto Lake keys: the environment, an AWS profile, or the app's keychain (stored elsewhere). */
export function credentialsCheck(
  env: NodeJS.ProcessEnv = process.env,
  keychain: { stored: boolean; keyId: string | null; warning?: string | null } | null = null,
  home: string = homedir()
): DoctorCheck {
  // Stored keys win over the environment in the app, so keys only a fixed password protects
  // (Linux without a secret store) are reported first.
  if (keychain?.stored === true && (keychain.warning ?? null) !== null) {
    return check(
      'credentials',
      'Crypto Lake keys',
      false,
      'warn',
      keychain.keyId === null
        ? "in the app's key file, which cannot be read"
        : `in the app's key file (${keychain.keyId}), not protected by a secret store`,
      keychain.warning ?? null
    )
  }
  const id = env['AWS_ACCESS_KEY_ID']
  if (id !== undefined && id !== '' && (env['AWS_SECRET_ACCESS_KEY'] ?? '') !== '') {
    return check(
      'credentials',
      'Crypto Lake keys',
      false,
      'pass',
      `from the environment (${maskKeyId(id)})`
    )
  }
  if (keychain?.stored === true) {
    return check(
      'credentials',
      'Crypto Lake keys',
      false,
      'pass',
      `in the OS keychain (${keychain.keyId ?? 'key'})`
    )
  }
  const files = [
    env['AWS_SHARED_CREDENTIALS_FILE'] ?? join(home, '.aws', 'credentials'),
    env['AWS_CONFIG_FILE'] ?? join(home, '.aws', 'config')
  ].filter((f) => existsSync(f))
  const profile = env['AWS_PROFILE'] ?? 'default'
  const has = files.some((f) =>
    new RegExp(`^\\[(profile )?${profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]`, 'm').test(
      readFileSync(f, 'utf8')
    )
  )
  if (has) {
    return check(
      'credentials',
      'Crypto Lake keys',
      false,
      'pass',
      `AWS profile "${profile}" (${files.join(', ')})`
    )
  }
  return check(
    'credentials',
    'Crypto Lake keys',
    false,
    'warn',
    'none found (environment, AWS profile, keychain); only Crypto Lake downloads need them',
    // Where the app cannot keep keys, its sentence says why and what to do instead.
    keychain?.warning ??
      'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a profile in ~/.aws/credentials, or enter the keys on the Data page'
  )
}

export const CRYPTO_LAKE_URL = 'https://s3.eu-west-1.amazonaws.com/'
export const BINANCE_URL = 'https://api.binance.com/api/v3/ping'

export async function reachCheck(
  id: string,
  title: string,
  url: string,
  needFor: string,
  timeoutMs?: number
): Promise<DoctorCheck> {
  const r = await reach(url, timeoutMs)
  return check(
    id,
    title,
    false,
    r.ok ? 'pass' : 'warn',
    `${url} ${r.detail}`,
    `check the network, proxy or firewall; ${needFor} need it, local replays and exports do not`
  )
}

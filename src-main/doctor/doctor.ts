// `lakebook doctor`: every check of this machine at once (network checks in parallel, each bounded),
// in a fixed order. The same report feeds the CLI and the app's Doctor page.
import type { DoctorCheck, DoctorReport } from '../../src-shared/doctor'
import { currentRuntime, runtimeLabel } from '../native/binding'
import {
  BINANCE_URL,
  chromiumCheck,
  credentialsCheck,
  CRYPTO_LAKE_URL,
  diskCheck,
  duckdbCheck,
  electronCheck,
  parquetWasmCheck,
  reachCheck,
  runtimeCheck,
  sqliteCheck
} from './checks'

export interface DoctorOptions {
  readonly lakeRoot: string
  /** The app's keychain, where there is one. */
  readonly keychain?: { stored: boolean; keyId: string | null; warning?: string | null } | null
  /** Overrides for tests (a loopback server); default the real services. */
  readonly urls?: { readonly cryptoLake: string; readonly binance: string }
  readonly timeoutMs?: number
}

export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const rt = currentRuntime()
  const urls = opts.urls ?? { cryptoLake: CRYPTO_LAKE_URL, binance: BINANCE_URL }
  const network = Promise.all([
    reachCheck('crypto-lake', 'Crypto Lake (S3)', urls.cryptoLake, 'downloads', opts.timeoutMs),
    reachCheck('binance', 'Binance (REST)', urls.binance, 'live captures', opts.timeoutMs)
  ])
  const checks: DoctorCheck[] = [runtimeCheck(rt)]
  const electron = electronCheck(rt)
  if (electron) checks.push(electron)
  checks.push(
    sqliteCheck(rt),
    await duckdbCheck(),
    await parquetWasmCheck(),
    chromiumCheck(),
    diskCheck(opts.lakeRoot),
    credentialsCheck(process.env, opts.keychain ?? null),
    ...(await network)
  )
  return {
    at: new Date().toISOString(),
    runtime: runtimeLabel(rt),
    lakeRoot: opts.lakeRoot,
    checks,
    ok: checks.every((c) => c.status !== 'fail')
  }
}

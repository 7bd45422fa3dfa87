// Locates the real shared captures (../shared/data/binance-captures). Tests that need them skip with
// a loud message when the folder is absent — and fail in CI, where it must be present.
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const CAPTURES = resolve(import.meta.dirname, '../../../shared/data/binance-captures')
export const hasCaptures = existsSync(CAPTURES)

if (!hasCaptures) {
  const msg = `\n*** REAL DATA MISSING: ${CAPTURES} not found; tests on real captures are SKIPPED ***\n`
  if (process.env['CI']) throw new Error(msg)
  process.stderr.write(msg)
}

export type CaptureSet =
  | 'spot-btcusdt-20240808'
  | 'usdm-btcusdt-20240718'
  | 'usdm-btcusdt-20240808'
  | 'spot-nexousdt-20240723'

export function captureFiles(set: CaptureSet): string[] {
  const dir = join(CAPTURES, set)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.gz'))
    .sort()
    .map((f) => join(dir, f))
}

/** Files written by Crypto Lake's own open-source writer from the spot capture's rows (README there). */
export const VENDOR_WRITER = resolve(CAPTURES, '../crypto-lake-vendor-writer/spot-btcusdt-20240808')
export const hasVendorWriter = existsSync(VENDOR_WRITER)

if (!hasVendorWriter) {
  const msg = `\n*** REAL DATA MISSING: ${VENDOR_WRITER} not found; tests against the vendor writer's files are SKIPPED ***\n`
  if (process.env['CI']) throw new Error(msg)
  process.stderr.write(msg)
}

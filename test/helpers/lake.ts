// Crypto Lake-shaped data for tests, made from the REAL shared captures by the project's own
// converter (never invented). Converted once per test file into a temp folder.
import { chmodSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { convertCaptureToLake, type ConvertResult } from '../../src-main/convert/captureToLake'
import { VENDOR_WRITER, captureFiles, type CaptureSet } from './data'
import { tempDir } from './synthetic'

export async function convertedLake(
  set: CaptureSet,
  out = tempDir('lakebook-lake-')
): Promise<{ root: string; result: ConvertResult }> {
  const result = await convertCaptureToLake(captureFiles(set), out)
  return { root: out, result }
}

/**
 * A vendor-layout folder holding chosen tables and days of the vendor-writer files (copied into a
 * temp folder, so a test may add, splice or remove files). Default: every table and day.
 */
export function vendorWriterLake(
  pick: { tables?: readonly string[]; days?: readonly string[] } = {},
  out = tempDir('lakebook-vendor-')
): string {
  for (const table of pick.tables ?? ['book_delta_v2', 'trades', 'book']) {
    const src = join(VENDOR_WRITER, table, 'exchange=BINANCE', 'symbol=BTC-USDT')
    for (const dt of readdirSync(src)) {
      if (pick.days && !pick.days.includes(dt.slice(3))) continue
      const dst = join(out, table, 'exchange=BINANCE', 'symbol=BTC-USDT', dt)
      mkdirSync(dst, { recursive: true })
      for (const f of readdirSync(join(src, dt))) {
        copyFileSync(join(src, dt, f), join(dst, f))
        chmodSync(join(dst, f), 0o644)
      }
    }
  }
  return out
}

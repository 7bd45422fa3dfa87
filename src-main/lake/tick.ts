// The price tick of one exchange/symbol, for everything that needs it: the validation gate's
// grid rule (validate/), replay, export, fidelity and reports (replay/lakeSources.ts). One
// function so that the gate and the replay can never pick different ticks for the same data.
// Precedence: the configured tick, else the known instrument table (Binance exchangeInfo,
// lake/instruments.ts), else detected from prices. Detection is a fallback only: on
// a corrupt file it can be fooled into a finer tick, which is why the known table comes first.
// It lives in lake/ because it needs the reader and the layout, and book/ stays dependency-free.
import { detectTickFromFloats } from '../../src-shared/units'
import { errorMessage } from '../util/errors'
import { knownTick } from './instruments'
import { marketOfExchange } from './layout'
import { readLakeTable } from './parquet/reader'
import type { LakeTable } from './parquet/schemas'

/** Prices sampled for detection: the first 10,000 rows of the first readable file. */
export const TICK_SAMPLE_ROWS = 10_000

/** A file detection may read, with its table and day (files are tried oldest day first). */
export interface TickFile {
  readonly path: string
  readonly table: LakeTable
  readonly day: string
}

export type TickResolution =
  | { readonly tick: string; readonly from: 'configured' | 'known' }
  | { readonly tick: string; readonly from: 'detected'; readonly file: string }
  /** No tick: `why` says what was tried (no file, or each unreadable file's first error). */
  | { readonly tick: null; readonly why: string }

/** The known tick for a Crypto Lake exchange/symbol ("BTC-USDT", "BTC-USDT-PERP"), if any. */
export function knownLakeTick(exchange: string, symbol: string): string | undefined {
  const binance = symbol.replace(/-PERP$/, '').replace('-', '')
  return knownTick(marketOfExchange(exchange), binance)
}

// book_delta_v2 first (what replay reads); book and trades only when a partition has no readable
// delta file, which the gate may meet (replay refuses such a selection before it asks).
const DETECT_ORDER: readonly LakeTable[] = ['book_delta_v2', 'book', 'trades']

export async function resolveTick(
  configured: string | undefined,
  exchange: string,
  symbol: string,
  files: readonly TickFile[]
): Promise<TickResolution> {
  if (configured !== undefined) return { tick: configured, from: 'configured' }
  const known = knownLakeTick(exchange, symbol)
  if (known !== undefined) return { tick: known, from: 'known' }
  const candidates = [...files].sort(
    (a, b) =>
      DETECT_ORDER.indexOf(a.table) - DETECT_ORDER.indexOf(b.table) ||
      a.day.localeCompare(b.day) ||
      a.path.localeCompare(b.path)
  )
  let firstError: string | null = null
  for (const f of candidates) {
    try {
      for await (const b of readLakeTable(f.path, f.table, {
        extraColumns: 'ignore',
        maxBatchRows: TICK_SAMPLE_ROWS
      })) {
        const c = b.columns as unknown as Record<string, Float64Array | undefined>
        const px = c['price'] ?? c['bid_0_price']
        if (px) {
          return {
            tick: detectTickFromFloats(px.subarray(0, TICK_SAMPLE_ROWS)),
            from: 'detected',
            file: f.path
          }
        }
      }
    } catch (e) {
      // An unreadable file cannot tell the tick; the next one may (its own rules report it).
      firstError ??= errorMessage(e)
    }
  }
  const why =
    candidates.length === 0
      ? 'no book_delta_v2, book or trades file to detect it from'
      : firstError === null
        ? `none of the ${candidates.length} file(s) holds a price`
        : `no readable file among ${candidates.length} (first error: ${firstError})`
  return { tick: null, why }
}

// The price tick the grid rule checks against: configured, else the known instrument table
// (Binance exchangeInfo, src-main/sources/binance/instruments.ts), else detected from the first
// prices of a readable book or book_delta_v2 file. Detection is a fallback only: on a corrupt
// file it can be fooled into a finer tick, which is why the known table comes first.
import { detectTickFromFloats } from '../book/units'
import { readLakeTable } from '../lake/parquet/reader'
import { marketOfExchange } from '../lake/layout'
import { knownTick } from '../sources/binance/instruments'
import type { GateFile } from './partition'

export function knownLakeTick(exchange: string, symbol: string): string | undefined {
  const binance = symbol.replace(/-PERP$/, '').replace('-', '')
  return knownTick(marketOfExchange(exchange), binance)
}

export async function resolveGateTick(
  configured: string | undefined,
  exchange: string,
  symbol: string,
  files: readonly GateFile[]
): Promise<string | null> {
  if (configured !== undefined) return configured
  const known = knownLakeTick(exchange, symbol)
  if (known !== undefined) return known
  const order = ['book', 'book_delta_v2', 'trades']
  const candidates = [...files].sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table))
  for (const f of candidates) {
    try {
      for await (const b of readLakeTable(f.abs, f.table, {
        extraColumns: 'ignore',
        maxBatchRows: 10_000
      })) {
        const c = b.columns as unknown as Record<string, Float64Array | undefined>
        const px = c['price'] ?? c['bid_0_price']
        if (px) return detectTickFromFloats(px)
      }
    } catch {
      // An unreadable file cannot tell the tick; its own rules report why.
    }
  }
  return null
}

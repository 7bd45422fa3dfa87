// The Hive layout of Crypto Lake tables on local disk, as the vendor's bucket lays them out:
// {base}/{table}/exchange={EXCHANGE}/symbol={SYMBOL}/dt={YYYY-MM-DD}/{file}.parquet
// A lake root keeps verified files under ready/ (DESIGN.md); a folder converted from captures or
// copied from the bucket has the tables at its top. Both are accepted wherever data is read.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export type LakeTableName = 'book_delta_v2' | 'trades' | 'book'
export const LAKE_TABLE_NAMES: readonly LakeTableName[] = ['book_delta_v2', 'trades', 'book']

/** The file name the vendor's writer uses; readers list the folder instead of assuming it. */
export const VENDOR_FILE_NAME = '1.snappy.parquet'

export function partitionDir(
  base: string,
  table: string,
  exchange: string,
  symbol: string,
  day: string
): string {
  return join(base, table, `exchange=${exchange}`, `symbol=${symbol}`, `dt=${day}`)
}

/** Where tables are read from: `<root>/ready` when it exists (a lake root), else the root itself. */
export function dataBase(root: string): string {
  const ready = join(root, 'ready')
  return existsSync(ready) && statSync(ready).isDirectory() ? ready : root
}

/** Parquet files of one partition, sorted by name (several files per day are read in that order). */
export function partitionFiles(
  base: string,
  table: string,
  exchange: string,
  symbol: string,
  day: string
): string[] {
  const dir = partitionDir(base, table, exchange, symbol, day)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.parquet') && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f))
}

/** Days present for a table/exchange/symbol, ascending. */
export function partitionDays(
  base: string,
  table: string,
  exchange: string,
  symbol: string
): string[] {
  const dir = join(base, table, `exchange=${exchange}`, `symbol=${symbol}`)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((d) => /^dt=\d{4}-\d{2}-\d{2}$/.test(d))
    .map((d) => d.slice(3))
    .sort()
}

/** Exchanges and symbols present for a table (for pickers). */
export function partitionSeries(
  base: string,
  table: string
): { exchange: string; symbol: string }[] {
  const out: { exchange: string; symbol: string }[] = []
  const tdir = join(base, table)
  if (!existsSync(tdir)) return out
  for (const e of readdirSync(tdir).filter((x) => x.startsWith('exchange='))) {
    for (const s of readdirSync(join(tdir, e)).filter((x) => x.startsWith('symbol='))) {
      out.push({ exchange: e.slice('exchange='.length), symbol: s.slice('symbol='.length) })
    }
  }
  return out.sort((a, b) => `${a.exchange}/${a.symbol}`.localeCompare(`${b.exchange}/${b.symbol}`))
}

/** "2024-07-18..19" / "2024-07-18..2024-08-02" / "2024-07-18" for a sorted list of days. */
function dayRange(days: readonly string[]): string {
  const a = days[0] ?? ''
  const b = days[days.length - 1] ?? ''
  if (a === b) return a
  return `${a}..${a.slice(0, 8) === b.slice(0, 8) ? b.slice(8) : b}`
}

/**
 * What a base holds instead, for "nothing matched" messages: each exchange and symbol with its
 * day range over the given tables ("BINANCE_FUTURES BTC-USDT-PERP 2024-07-18..19"), or "nothing".
 */
export function describeContents(
  base: string,
  tables: readonly string[] = LAKE_TABLE_NAMES
): string {
  const days = new Map<string, Set<string>>()
  for (const t of tables) {
    for (const { exchange, symbol } of partitionSeries(base, t)) {
      const key = `${exchange} ${symbol}`
      const set = days.get(key) ?? new Set<string>()
      for (const d of partitionDays(base, t, exchange, symbol))
        if (partitionFiles(base, t, exchange, symbol, d).length > 0) set.add(d)
      days.set(key, set)
    }
  }
  const parts = [...days]
    .filter(([, set]) => set.size > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, set]) => `${key} ${dayRange([...set].sort())}`)
  return parts.length > 0 ? parts.join('; ') : 'nothing in the Crypto Lake layout'
}

const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'TUSD', 'BTC', 'ETH', 'BNB', 'EUR', 'TRY']

/** Crypto Lake's names for a Binance market and symbol: BINANCE/BTC-USDT, BINANCE_FUTURES/BTC-USDT-PERP. */
export function lakeNames(
  market: 'spot' | 'usdm',
  binanceSymbol: string
): { exchange: string; symbol: string } {
  const s = binanceSymbol.toUpperCase()
  const quote = QUOTES.find((q) => s.endsWith(q) && s.length > q.length)
  const pair = quote ? `${s.slice(0, -quote.length)}-${quote}` : s
  return market === 'spot'
    ? { exchange: 'BINANCE', symbol: pair }
    : { exchange: 'BINANCE_FUTURES', symbol: `${pair}-PERP` }
}

export function marketOfExchange(exchange: string): 'spot' | 'usdm' {
  return exchange.toUpperCase() === 'BINANCE_FUTURES' ? 'usdm' : 'spot'
}

/** The UTC day (YYYY-MM-DD) of a time in µs. */
export function dayOfUs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 10)
}

export function daysFromTo(from: string, to: string): string[] {
  const out: string[] = []
  const d = new Date(`${from}T00:00:00Z`)
  const end = new Date(`${to}T00:00:00Z`)
  while (d <= end) {
    out.push(d.toISOString().slice(0, 10))
    d.setUTCDate(d.getUTCDate() + 1)
  }
  return out
}

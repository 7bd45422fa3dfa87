// Where Crypto Lake keeps its files and how a key maps to a partition (research notes §1.2):
// s3://qnt.data/market-data/cryptofeed/{table}/exchange={EXCHANGE}/symbol={SYMBOL}/dt={YYYY-MM-DD}/{file}
// Partitions are parsed by exact `name=` prefixes, never with a character-set strip (lakeapi's
// `lstrip('symbol=')` eats the leading letters of symbols such as "SOL-USDT").
import { join, sep } from 'node:path'
import { lakePaths } from '../../lake/paths'

/** A bucket plus the key prefix the vendor's tables live under ('' or ending in '/'). */
export interface LakeLocation {
  readonly bucket: string
  readonly prefix: string
}

/** The paid bucket, read with the subscriber's IAM keys (not requester-pays). */
export const CRYPTO_LAKE: LakeLocation = { bucket: 'qnt.data', prefix: 'market-data/cryptofeed/' }
/** The vendor's free sample bucket: anonymous (unsigned) requests, tables at the bucket root. */
export const CRYPTO_LAKE_SAMPLE: LakeLocation = { bucket: 'sample.crypto.lake', prefix: '' }
export const CRYPTO_LAKE_REGION = 'eu-west-1'

/** The tables this app acquires (the vendor has more; any name that fits the layout works). */
export const ACQUIRE_TABLES = ['trades', 'book', 'book_delta_v2'] as const

/** lakeapi's per-table listing, named .gz but usually a zlib stream. */
export const CONTENTS_FILE = 'contents.json.gz'

/** One object of the lake, as listed; size/etag are null when the listing did not give them. */
export interface LakeObject {
  readonly bucket: string
  readonly key: string
  readonly table: string
  readonly exchange: string
  readonly symbol: string
  /** Partition day, YYYY-MM-DD (the capture machine's receive-time day). */
  readonly dt: string
  readonly filename: string
  readonly size: number | null
  /** The ETag without quotes, e.g. "9b2cf535f27731c974343645a3985328" or "…-12" for multipart. */
  readonly etag: string | null
  readonly lastModified: string | null
}

export interface PartitionKey {
  readonly table: string
  readonly exchange: string
  readonly symbol: string
  readonly dt: string
  readonly filename: string
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/

export function normalisePrefix(prefix: string): string {
  const p = prefix.replace(/^\/+/, '')
  return p === '' || p.endsWith('/') ? p : `${p}/`
}

/** `{prefix}{table}/` */
export function tablePrefix(loc: LakeLocation, table: string): string {
  return `${normalisePrefix(loc.prefix)}${table}/`
}

/** `{prefix}{table}/exchange={EXCHANGE}/symbol={SYMBOL}/` */
export function seriesPrefix(
  loc: LakeLocation,
  table: string,
  exchange: string,
  symbol: string
): string {
  return `${tablePrefix(loc, table)}exchange=${exchange}/symbol=${symbol}/`
}

export function contentsKey(loc: LakeLocation, table: string): string {
  return `${tablePrefix(loc, table)}${CONTENTS_FILE}`
}

export function objectKey(loc: LakeLocation, p: PartitionKey): string {
  return `${seriesPrefix(loc, p.table, p.exchange, p.symbol)}dt=${p.dt}/${p.filename}`
}

function valueAfter(segment: string | undefined, name: string): string | null {
  const head = `${name}=`
  if (segment === undefined || !segment.startsWith(head)) return null
  const v = segment.slice(head.length)
  return v === '' ? null : v
}

/**
 * Parses `{prefix}{table}/exchange=E/symbol=S/dt=D/{file}` into its parts, or null when the key
 * does not have exactly that shape (contents.json.gz itself, folders, other layouts).
 */
export function parsePartitionKey(loc: LakeLocation, key: string): PartitionKey | null {
  const prefix = normalisePrefix(loc.prefix)
  if (!key.startsWith(prefix)) return null
  const parts = key.slice(prefix.length).split('/')
  if (parts.length !== 5) return null
  const [table, ex, sym, day, filename] = parts
  const exchange = valueAfter(ex, 'exchange')
  const symbol = valueAfter(sym, 'symbol')
  const dt = valueAfter(day, 'dt')
  if (!table || !filename || exchange === null || symbol === null || dt === null) return null
  if (!DAY_RE.test(dt)) return null
  return { table, exchange, symbol, dt, filename }
}

/** Throws unless `s` is a real calendar day written YYYY-MM-DD. */
export function assertDay(s: string, what = 'day'): string {
  if (!DAY_RE.test(s) || new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) !== s) {
    throw new RangeError(`${what} must be a date YYYY-MM-DD, got "${s}"`)
  }
  return s
}

/** Every day from..to, both inclusive (UTC calendar days). */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${assertDay(from, 'from')}T00:00:00Z`)
  const end = Date.parse(`${assertDay(to, 'to')}T00:00:00Z`)
  const out: string[] = []
  for (let t = start; t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10))
  return out
}

/** The staging file of an object: `<lake>/staging/{table}/exchange=…/symbol=…/dt=…/{file}`. */
export function stagingPath(lakeRoot: string, p: PartitionKey): string {
  return join(
    lakePaths.staging(lakeRoot),
    p.table,
    `exchange=${p.exchange}`,
    `symbol=${p.symbol}`,
    `dt=${p.dt}`,
    p.filename
  )
}

/** The same path relative to the lake root, with '/' separators (what the ledger stores). */
export function stagingRelPath(lakeRoot: string, p: PartitionKey): string {
  const abs = stagingPath(lakeRoot, p)
  return abs
    .slice(lakeRoot.length)
    .replace(/^[\\/]+/, '')
    .split(sep)
    .join('/')
}

/** S3 ETags come quoted; the ledger and the checks use the bare value. */
export function bareEtag(etag: string | undefined | null): string | null {
  if (etag === undefined || etag === null) return null
  const e = etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '')
  return e === '' ? null : e
}

/** True for a single-part upload's ETag (the object's MD5); multipart ETags end in -<parts>. */
export function isMd5Etag(etag: string | null): etag is string {
  return etag !== null && /^[0-9a-f]{32}$/i.test(etag)
}

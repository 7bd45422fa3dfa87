// inventory: which partitions exist per table for one exchange/symbol, with sizes and ETags, and
// a coverage calendar (present/missing per day). As lakeapi, it reads the table's
// contents.json.gz (a zlib stream despite its name; gzip and plain JSON are accepted too). That
// file has no sizes and may lag the bucket, so the series prefix is then listed (one
// ListObjectsV2 page per 1,000 days, far cheaper than a HEAD per file) and the listing decides
// what exists; if listing is refused, each listed file gets a HEAD instead. Without a usable
// contents.json.gz the prefix is listed alone; with fillSizes: false the contents file is trusted
// alone (quick coverage). Keys named by contents.json.gz that the bucket does not have are
// reported as "absent" (a stale listing), never silently dropped.
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib'
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { CancelledError } from '../../util/errors'
import type { LakeClient } from './client'
import {
  ACQUIRE_TABLES,
  assertDay,
  bareEtag,
  contentsKey,
  daysBetween,
  parsePartitionKey,
  seriesPrefix,
  type LakeObject
} from './layout'
import { redactingLog, type LogFn } from './redact'
import { DEFAULT_RETRY, withRetry, type RetryContext, type RetryPolicy } from './retry'
import { describeS3Error, S3CallError, type FailureKind } from './s3errors'

export interface InventoryOptions {
  readonly exchange: string
  readonly symbol: string
  readonly tables?: readonly string[]
  /** First day, YYYY-MM-DD, inclusive. */
  readonly from?: string
  /** Last day, YYYY-MM-DD, inclusive. */
  readonly to?: string
  /** Read contents.json.gz first (default true). */
  readonly useContents?: boolean
  /** Get sizes/ETags the contents file lacks, by listing or HEAD (default true). */
  readonly fillSizes?: boolean
  /** ListObjectsV2 MaxKeys (default 1000, S3's maximum). */
  readonly pageSize?: number
  /** Parallel HEAD requests when listing is refused (default 8). */
  readonly headConcurrency?: number
  readonly signal?: AbortSignal
  readonly retry?: Partial<RetryPolicy>
  readonly log?: LogFn
}

export interface TableInventory {
  readonly table: string
  /** Where the key list came from. */
  readonly source: 'contents' | 'list' | 'none'
  readonly files: number
  readonly days: number
  /** Sum of known sizes. */
  readonly bytes: number
  readonly unknownSizes: number
  /** Keys named by contents.json.gz that the bucket does not have. */
  readonly absentKeys: readonly string[]
  /** Why this table could not be inventoried, or null. */
  readonly error: { readonly kind: FailureKind; readonly message: string } | null
  /** How the listing went, e.g. "contents.json.gz missing (not found); listed the prefix". */
  readonly notes: readonly string[]
}

export type DayState = 'present' | 'missing' | 'absent'

export interface CoverageCell {
  readonly dt: string
  /** present: ≥1 file; missing: none; absent: contents.json.gz names a file the bucket lacks. */
  readonly state: DayState
  readonly files: number
  readonly bytes: number
}

export interface CoverageRow {
  readonly table: string
  readonly cells: readonly CoverageCell[]
  readonly present: number
  readonly missing: number
}

export interface Coverage {
  readonly from: string
  readonly to: string
  readonly days: readonly string[]
  readonly rows: readonly CoverageRow[]
}

export interface Inventory {
  readonly target: string
  readonly bucket: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string | null
  readonly to: string | null
  readonly tables: readonly TableInventory[]
  /** Existing objects, sorted by table order, then day, then key. */
  readonly objects: readonly LakeObject[]
  /** Null when no range was given and nothing was found. */
  readonly coverage: Coverage | null
}

/** One entry of contents.json.gz: lakeapi writes bare keys; objects with sizes are accepted too. */
export interface ContentsEntry {
  readonly key: string
  readonly size: number | null
  readonly etag: string | null
}

/**
 * The most a contents.json.gz may decompress to. It is a list of keys (about 100 bytes each, a few
 * thousand per table): 256 MiB is millions of keys, far past any real table, and bounds what a
 * hostile or broken body can make this process hold.
 */
export const MAX_CONTENTS_BYTES = 256 * 2 ** 20

/** Decompresses (zlib, gzip or none) and parses a contents.json.gz body. */
export function parseContents(body: Uint8Array, maxBytes = MAX_CONTENTS_BYTES): ContentsEntry[] {
  const b0 = body[0] ?? 0
  const b1 = body[1] ?? 0
  // One byte past the limit, so reaching it is itself the refusal.
  const opts = { maxOutputLength: maxBytes + 1 }
  let text: string
  try {
    if (b0 === 0x1f && b1 === 0x8b) text = gunzipSync(body, opts).toString('utf8')
    else if ((b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0)
      text = inflateSync(body, opts).toString('utf8')
    else if (b0 === 0x7b || b0 === 0x5b) text = Buffer.from(body).toString('utf8')
    else text = inflateRawSync(body, opts).toString('utf8')
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw e
    throw new Error(
      `contents file decompresses past ${maxBytes} bytes from ${body.length} compressed bytes (${Math.round(maxBytes / Math.max(1, body.length))}× or more); refused`
    )
  }
  const json = JSON.parse(text) as unknown
  const list: unknown = Array.isArray(json) ? json : (json as { objects?: unknown } | null)?.objects
  if (!Array.isArray(list)) throw new Error('contents file has no "objects" list')
  const out: ContentsEntry[] = []
  for (const item of list as unknown[]) {
    if (typeof item === 'string') {
      out.push({ key: item, size: null, etag: null })
      continue
    }
    const o = (item ?? {}) as Record<string, unknown>
    const key = o['key'] ?? o['Key']
    if (typeof key !== 'string') continue
    const size = o['size'] ?? o['Size']
    const etag = o['etag'] ?? o['ETag']
    out.push({
      key,
      size: typeof size === 'number' && Number.isFinite(size) ? size : null,
      etag: typeof etag === 'string' ? bareEtag(etag) : null
    })
  }
  return out
}

/** Days × tables: which days have files. `absent` marks days whose only files are absent keys. */
export function coverageCalendar(
  objects: readonly LakeObject[],
  tables: readonly string[],
  from: string,
  to: string,
  absent: readonly LakeObject[] = []
): Coverage {
  const days = daysBetween(from, to)
  const rows = tables.map((table): CoverageRow => {
    const byDay = new Map<string, { files: number; bytes: number }>()
    for (const o of objects) {
      if (o.table !== table) continue
      const c = byDay.get(o.dt) ?? { files: 0, bytes: 0 }
      c.files++
      c.bytes += o.size ?? 0
      byDay.set(o.dt, c)
    }
    const absentDays = new Set(absent.filter((o) => o.table === table).map((o) => o.dt))
    const cells = days.map((dt): CoverageCell => {
      const c = byDay.get(dt)
      if (c !== undefined) return { dt, state: 'present', files: c.files, bytes: c.bytes }
      return { dt, state: absentDays.has(dt) ? 'absent' : 'missing', files: 0, bytes: 0 }
    })
    const present = cells.filter((c) => c.state === 'present').length
    return { table, cells, present, missing: cells.length - present }
  })
  return { from, to, days, rows }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>) {
  const out: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

export async function inventory(client: LakeClient, opts: InventoryOptions): Promise<Inventory> {
  const log = redactingLog(client.redactor, opts.log)
  const tables = opts.tables ?? ACQUIRE_TABLES
  const from = opts.from === undefined ? null : assertDay(opts.from, 'from')
  const to = opts.to === undefined ? null : assertDay(opts.to, 'to')
  if (from !== null && to !== null && from > to)
    throw new RangeError(`from ${from} is after to ${to}`)
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry }
  const { bucket } = client.location
  const abort = opts.signal === undefined ? {} : { abortSignal: opts.signal }
  const retryCtx: RetryContext = {
    policy,
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    onRetry: (f, attempt, wait) => {
      log('warn', `${f.message}; retry ${attempt} in ${wait} ms`)
    }
  }
  const describe = (what: string) => (e: unknown) =>
    describeS3Error(e, client.redactor, what, opts.signal?.aborted)
  const inRange = (dt: string): boolean =>
    (from === null || dt >= from) && (to === null || dt <= to)

  /** Partition-shaped keys of this series in range, as objects. */
  const toObject = (
    table: string,
    key: string,
    size: number | null,
    etag: string | null,
    lastModified: string | null
  ): LakeObject | null => {
    const p = parsePartitionKey(client.location, key)
    if (p === null || p.table !== table || p.exchange !== opts.exchange || p.symbol !== opts.symbol)
      return null
    if (!p.filename.endsWith('.parquet') || !inRange(p.dt)) return null
    return { bucket, key, ...p, size, etag, lastModified }
  }

  const listSeries = async (table: string): Promise<LakeObject[]> => {
    const prefix = seriesPrefix(client.location, table, opts.exchange, opts.symbol)
    const out: LakeObject[] = []
    let token: string | undefined
    let pages = 0
    for (;;) {
      const page = await withRetry(
        () =>
          client.s3.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              MaxKeys: opts.pageSize ?? 1000,
              ...(token === undefined ? {} : { ContinuationToken: token }),
              // Keys sort by day: skip everything before `from` without listing it.
              ...(token === undefined && from !== null ? { StartAfter: `${prefix}dt=${from}` } : {})
            }),
            abort
          ),
        describe(`s3://${bucket}/${prefix}`),
        retryCtx
      )
      pages++
      let pastEnd = false
      for (const o of page.Contents ?? []) {
        const key = o.Key ?? ''
        const obj = toObject(
          table,
          key,
          o.Size ?? null,
          bareEtag(o.ETag),
          o.LastModified?.toISOString() ?? null
        )
        if (obj !== null) out.push(obj)
        else if (
          to !== null &&
          key.startsWith(`${prefix}dt=`) &&
          key.slice(prefix.length + 3, prefix.length + 13) > to
        )
          pastEnd = true
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined
      if (token === undefined || pastEnd) break
    }
    log('debug', `listed ${out.length} files of ${table} in ${pages} page(s)`)
    return out
  }

  const headAll = async (
    objects: LakeObject[]
  ): Promise<{ found: LakeObject[]; absent: LakeObject[] }> => {
    const found: LakeObject[] = []
    const absent: LakeObject[] = []
    const heads = await mapLimit(objects, opts.headConcurrency ?? 8, async (o) => {
      try {
        const h = await withRetry(
          () => client.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: o.key }), abort),
          describe(`s3://${bucket}/${o.key}`),
          retryCtx
        )
        return {
          ...o,
          size: h.ContentLength ?? null,
          etag: bareEtag(h.ETag),
          lastModified: h.LastModified?.toISOString() ?? null
        }
      } catch (e) {
        if (e instanceof S3CallError && e.failure.kind === 'not-found') return null
        if (e instanceof S3CallError) {
          log('warn', `${e.message}; size unknown`)
          return o
        }
        throw e
      }
    })
    heads.forEach((h, i) => {
      if (h === null) absent.push(objects[i] as LakeObject)
      else found.push(h)
    })
    return { found, absent }
  }

  const one = async (
    table: string
  ): Promise<{ inv: TableInventory; objects: LakeObject[]; absent: LakeObject[] }> => {
    const notes: string[] = []
    let fromContents: LakeObject[] | null = null
    if (opts.useContents !== false) {
      const key = contentsKey(client.location, table)
      try {
        const body = await withRetry(
          async () => {
            const r = await client.s3.send(
              new GetObjectCommand({ Bucket: bucket, Key: key }),
              abort
            )
            return r.Body === undefined ? new Uint8Array() : r.Body.transformToByteArray()
          },
          describe(`s3://${bucket}/${key}`),
          retryCtx
        )
        const entries = parseContents(body)
        fromContents = entries
          .map((e) => toObject(table, e.key, e.size, e.etag, null))
          .filter((o): o is LakeObject => o !== null)
        notes.push(
          `${key}: ${entries.length} keys, ${fromContents.length} for this series and range`
        )
      } catch (e) {
        if (e instanceof CancelledError) throw e
        const why =
          e instanceof S3CallError
            ? e.message
            : `${key}: unreadable (${e instanceof Error ? e.message : String(e)})`
        notes.push(`${why}; listing the prefix instead`)
        log('info', notes[notes.length - 1] ?? '')
      }
    }

    let objects: LakeObject[] = []
    let absent: LakeObject[] = []
    let source: TableInventory['source'] = 'none'
    let error: TableInventory['error'] = null
    // fillSizes: false trusts contents.json.gz alone (quick coverage, no sizes). Otherwise the
    // listing decides what exists: the contents file may lag behind the bucket either way.
    if (fromContents !== null && opts.fillSizes === false) {
      objects = fromContents
      source = 'contents'
    } else {
      try {
        const listed = await listSeries(table)
        if (fromContents === null) {
          objects = listed
          source = 'list'
        } else {
          // The listing is the truth about what exists; contents.json.gz may be stale either way.
          const byKey = new Map(listed.map((o) => [o.key, o]))
          const named = new Set(fromContents.map((o) => o.key))
          absent = fromContents.filter((o) => !byKey.has(o.key))
          objects = listed
          source = 'contents'
          const extra = listed.filter((o) => !named.has(o.key)).length
          notes.push(
            `sizes from ListObjectsV2; ${absent.length} listed key(s) absent, ${extra} newer key(s) found`
          )
        }
      } catch (e) {
        if (!(e instanceof S3CallError)) throw e
        if (fromContents !== null && (e.failure.kind === 'denied' || e.failure.kind === 'client')) {
          notes.push(`${e.message}; sizes from HEAD requests instead`)
          const h = await headAll(fromContents)
          objects = h.found
          absent = h.absent
          source = 'contents'
        } else if (fromContents !== null) {
          notes.push(`${e.message}; sizes unknown`)
          objects = fromContents
          source = 'contents'
        } else {
          error = { kind: e.failure.kind, message: e.message }
          log('warn', e.message)
        }
      }
    }
    objects.sort((a, b) => (a.dt === b.dt ? (a.key < b.key ? -1 : 1) : a.dt < b.dt ? -1 : 1))
    const days = new Set(objects.map((o) => o.dt)).size
    const inv: TableInventory = {
      table,
      source,
      files: objects.length,
      days,
      bytes: objects.reduce((s, o) => s + (o.size ?? 0), 0),
      unknownSizes: objects.filter((o) => o.size === null).length,
      absentKeys: absent.map((o) => o.key),
      error,
      notes
    }
    log('info', `${table}: ${inv.files} files over ${days} days, ${inv.bytes} bytes (${source})`)
    return { inv, objects, absent }
  }

  const per = await Promise.all(tables.map(one))
  const objects = per.flatMap((p) => p.objects)
  const absent = per.flatMap((p) => p.absent)
  const allDays = [...objects, ...absent].map((o) => o.dt).sort()
  const cFrom = from ?? allDays[0] ?? null
  const cTo = to ?? allDays[allDays.length - 1] ?? null
  return {
    target: client.describe(),
    bucket,
    exchange: opts.exchange,
    symbol: opts.symbol,
    from,
    to,
    tables: per.map((p) => p.inv),
    objects,
    coverage:
      cFrom === null || cTo === null ? null : coverageCalendar(objects, tables, cFrom, cTo, absent)
  }
}

// verifyAccess: can these credentials list and read each table for one exchange/symbol? Lists the
// series prefix (one small page) and reads the first 4 bytes of one file, because the vendor's
// bucket allows listing and GET on prefixes while refusing HeadBucket (research notes §1.1), and
// because a key that may list but not read is a different problem from one that may do neither.
// Every outcome is a status plus a message a user can act on.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { CancelledError } from '../../util/errors'
import type { LakeClient } from './client'
import { ACQUIRE_TABLES, seriesPrefix } from './layout'
import { redactingLog, type LogFn } from './redact'
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry'
import { describeS3Error, S3CallError, type FailureKind } from './s3errors'

export type AccessStatus = 'ok' | 'denied' | 'expired' | 'wrong-region' | 'not-found' | 'network'

export interface TableAccess {
  readonly table: string
  /** s3://bucket/prefix that was checked. */
  readonly url: string
  readonly status: AccessStatus
  /** What happened and what to do, safe to show and log. */
  readonly message: string
  readonly code: string | null
  readonly httpStatus: number | null
  /** Region S3 named for the bucket (wrong-region). */
  readonly region: string | null
  /** A key that was listed and read, when status is ok. */
  readonly sampleKey: string | null
}

export interface AccessReport {
  readonly target: string
  readonly exchange: string
  readonly symbol: string
  readonly tables: readonly TableAccess[]
  /** Every table ok. */
  readonly ok: boolean
}

export interface VerifyAccessOptions {
  /** Upper case as in the bucket, e.g. BINANCE, BINANCE_FUTURES. */
  readonly exchange: string
  /** e.g. BTC-USDT, BTC-USDT-PERP. */
  readonly symbol: string
  readonly tables?: readonly string[]
  /** Also GET 4 bytes of one file (default true). */
  readonly readProbe?: boolean
  readonly signal?: AbortSignal
  readonly retry?: Partial<RetryPolicy>
  readonly log?: LogFn
}

function statusOf(kind: FailureKind): AccessStatus {
  switch (kind) {
    case 'denied':
    case 'expired':
    case 'wrong-region':
    case 'not-found':
    case 'network':
      return kind
    case 'throttled':
    case 'server':
      return 'network'
    default:
      return 'denied'
  }
}

export async function verifyAccess(
  client: LakeClient,
  opts: VerifyAccessOptions
): Promise<AccessReport> {
  const log = redactingLog(client.redactor, opts.log)
  // Access checks should answer quickly: two tries, short pauses.
  const policy: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 2, baseDelayMs: 300, ...opts.retry }
  const tables = opts.tables ?? ACQUIRE_TABLES
  const { bucket } = client.location
  log('info', `verifying access to ${client.describe()} for ${opts.exchange} ${opts.symbol}`)

  const check = async (table: string): Promise<TableAccess> => {
    const prefix = seriesPrefix(client.location, table, opts.exchange, opts.symbol)
    const url = `s3://${bucket}/${prefix}`
    const base = { table, url, code: null, httpStatus: null, region: null, sampleKey: null }
    const retryCtx = {
      policy,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      onRetry: (f: { message: string }, attempt: number, wait: number) => {
        log('warn', `${f.message}; retry ${attempt} in ${wait} ms`)
      }
    }
    let canList = false
    try {
      const listed = await withRetry(
        () =>
          client.s3.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 20 }),
            {
              ...(opts.signal === undefined ? {} : { abortSignal: opts.signal })
            }
          ),
        (e) => describeS3Error(e, client.redactor, url, opts.signal?.aborted),
        retryCtx
      )
      const keys = (listed.Contents ?? [])
        .map((o) => o.Key ?? '')
        .filter((k) => k.endsWith('.parquet'))
      const first = keys[0]
      canList = true
      if (first === undefined) {
        return {
          ...base,
          status: 'not-found',
          message:
            `${url}: no files. The keys can list this bucket, but nothing is stored for ` +
            `${opts.exchange} ${opts.symbol} in ${table} (names are case-sensitive, e.g. BINANCE, BTC-USDT, BTC-USDT-PERP)`
        }
      }
      if (opts.readProbe !== false) {
        const what = `s3://${bucket}/${first}`
        const got = await withRetry(
          async () => {
            const r = await client.s3.send(
              new GetObjectCommand({ Bucket: bucket, Key: first, Range: 'bytes=0-3' }),
              { ...(opts.signal === undefined ? {} : { abortSignal: opts.signal }) }
            )
            return r.Body === undefined ? new Uint8Array() : r.Body.transformToByteArray()
          },
          (e) => describeS3Error(e, client.redactor, what, opts.signal?.aborted),
          retryCtx
        )
        const magic = Buffer.from(got).toString('latin1')
        if (magic !== 'PAR1') {
          log(
            'warn',
            `${what} does not start with the Parquet magic (got ${JSON.stringify(magic)})`
          )
        }
      }
      return {
        ...base,
        sampleKey: first,
        status: 'ok',
        message: `${url}: can list${opts.readProbe === false ? '' : ' and read'} (e.g. ${first.slice(prefix.length)})`
      }
    } catch (e) {
      if (e instanceof CancelledError) throw e
      if (!(e instanceof S3CallError)) throw e
      const f = e.failure
      return {
        ...base,
        status: statusOf(f.kind),
        message: canList ? `can list but not read: ${f.message}` : f.message,
        code: f.code,
        httpStatus: f.status,
        region: f.region
      }
    }
  }

  const results = await Promise.all(tables.map(check))
  for (const r of results)
    log(r.status === 'ok' ? 'info' : 'warn', `${r.table}: ${r.status}: ${r.message}`)
  return {
    target: client.describe(),
    exchange: opts.exchange,
    symbol: opts.symbol,
    tables: results,
    ok: results.every((r) => r.status === 'ok')
  }
}

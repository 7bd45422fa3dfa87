// Pure parts of acquisition: key layout and partition parsing (by prefix, not lakeapi's
// character-set lstrip), contents.json.gz decoding (zlib, gzip, plain), ETag handling, retry
// timing, error classification and redaction.
import { deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  backoffMs,
  bareEtag,
  coverageCalendar,
  CRYPTO_LAKE,
  CRYPTO_LAKE_SAMPLE,
  daysBetween,
  DEFAULT_RETRY,
  describeS3Error,
  isMd5Etag,
  objectKey,
  parseContents,
  parsePartitionKey,
  parseRetryAfter,
  Redactor,
  seriesPrefix,
  type LakeObject
} from '../../../src-main/sources/cryptolake'

describe('layout', () => {
  it('builds and parses vendor keys by prefix', () => {
    const p = {
      table: 'book_delta_v2',
      exchange: 'BINANCE',
      symbol: 'BTC-USDT',
      dt: '2024-08-08',
      filename: '1.snappy.parquet'
    }
    const key = objectKey(CRYPTO_LAKE, p)
    expect(key).toBe(
      'market-data/cryptofeed/book_delta_v2/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08/1.snappy.parquet'
    )
    expect(parsePartitionKey(CRYPTO_LAKE, key)).toEqual(p)
    expect(seriesPrefix(CRYPTO_LAKE_SAMPLE, 'trades', 'BINANCE', 'BTC-USDT')).toBe(
      'trades/exchange=BINANCE/symbol=BTC-USDT/'
    )
  })

  it('keeps symbols whose first letters are in "symbol=" (lakeapi lstrip bug)', () => {
    // 'symbol=sol-usdt'.lstrip('symbol=') in Python gives '-usdt'; exact prefixes keep the name.
    for (const symbol of ['sol-usdt', 'SOL-USDT', 'bomb-usdt', 'ymo']) {
      const key = `market-data/cryptofeed/trades/exchange=BINANCE/symbol=${symbol}/dt=2024-01-02/x.parquet`
      expect(parsePartitionKey(CRYPTO_LAKE, key)?.symbol).toBe(symbol)
    }
    const ex = 'market-data/cryptofeed/trades/exchange=exchange/symbol=s/dt=2024-01-02/x.parquet'
    expect(parsePartitionKey(CRYPTO_LAKE, ex)).toMatchObject({ exchange: 'exchange', symbol: 's' })
  })

  it('rejects keys that are not partition files', () => {
    const bad = [
      'market-data/cryptofeed/trades/contents.json.gz',
      'market-data/cryptofeed/trades/exchange=BINANCE/symbol=BTC-USDT/',
      'market-data/cryptofeed/trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-8-1/1.parquet',
      'market-data/cryptofeed/trades/exch=BINANCE/symbol=BTC-USDT/dt=2024-08-01/1.parquet',
      'other/trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-01/1.parquet',
      'market-data/cryptofeed/trades/exchange=/symbol=BTC-USDT/dt=2024-08-01/1.parquet'
    ]
    for (const k of bad) expect(parsePartitionKey(CRYPTO_LAKE, k)).toBeNull()
  })

  it('lists days inclusively and rejects impossible dates', () => {
    expect(daysBetween('2024-02-27', '2024-03-01')).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01'
    ])
    expect(() => daysBetween('2024-02-30', '2024-03-01')).toThrow(/YYYY-MM-DD/)
  })

  it('strips ETag quotes and tells single-part from multipart', () => {
    expect(bareEtag('"5eb63bbbe01eeed093cb22bb8f5acdc3"')).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3')
    expect(isMd5Etag('5eb63bbbe01eeed093cb22bb8f5acdc3')).toBe(true)
    expect(isMd5Etag('d41d8cd98f00b204e9800998ecf8427e-12')).toBe(false)
    expect(bareEtag(undefined)).toBeNull()
  })
})

describe('contents.json.gz', () => {
  const keys = [
    'market-data/cryptofeed/trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08/1.snappy.parquet'
  ]
  const json = Buffer.from(JSON.stringify({ objects: keys }))

  it('accepts zlib (what lakeapi decodes), gzip and plain JSON', () => {
    for (const body of [deflateSync(json), gzipSync(json), json]) {
      expect(parseContents(body).map((e) => e.key)).toEqual(keys)
    }
  })

  it('accepts entries with sizes and ETags', () => {
    const body = deflateSync(
      JSON.stringify({ objects: [{ Key: keys[0], Size: 12, ETag: '"abc"' }] })
    )
    expect(parseContents(body)).toEqual([{ key: keys[0], size: 12, etag: 'abc' }])
  })

  it('fails loudly on a body that is not a listing', () => {
    expect(() => parseContents(deflateSync('{"nope": 1}'))).toThrow(/objects/)
    expect(() => parseContents(Buffer.from('garbage that is not compressed'))).toThrow()
  })
})

describe('coverage calendar', () => {
  it('marks present, missing and listed-but-absent days', () => {
    const o = (table: string, dt: string, size: number): LakeObject => ({
      bucket: 'b',
      key: `${table}/${dt}`,
      table,
      exchange: 'E',
      symbol: 'S',
      dt,
      filename: 'f',
      size,
      etag: null,
      lastModified: null
    })
    const c = coverageCalendar(
      [o('trades', '2024-01-01', 5), o('trades', '2024-01-03', 7)],
      ['trades', 'book'],
      '2024-01-01',
      '2024-01-03',
      [o('trades', '2024-01-02', 0)]
    )
    expect(c.days).toEqual(['2024-01-01', '2024-01-02', '2024-01-03'])
    expect(c.rows[0]?.cells.map((x) => x.state)).toEqual(['present', 'absent', 'present'])
    expect(c.rows[0]).toMatchObject({ present: 2, missing: 1 })
    expect(c.rows[1]?.cells.map((x) => x.state)).toEqual(['missing', 'missing', 'missing'])
  })
})

describe('retry timing', () => {
  it('backs off exponentially with jitter, capped', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 }
    expect(backoffMs(p, 1, null, () => 0)).toBe(50)
    expect(backoffMs(p, 1, null, () => 1)).toBe(100)
    expect(backoffMs(p, 3, null, () => 1)).toBe(400)
    expect(backoffMs(p, 10, null, () => 1)).toBe(1000)
    expect(backoffMs(p, 10, null, () => 0)).toBe(500)
  })

  it('honours Retry-After (seconds or a date), capped', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))
    ).toBe(5000)
    expect(parseRetryAfter('soon')).toBeNull()
    const p = { ...DEFAULT_RETRY, maxRetryAfterMs: 3000 }
    expect(backoffMs(p, 1, { retryAfterMs: 2000 }, () => 0)).toBe(2000)
    expect(backoffMs(p, 1, { retryAfterMs: 60_000 }, () => 0)).toBe(3000)
  })
})

describe('error classification', () => {
  const r = new Redactor()
  const s3err = (code: string, status: number, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`${code} message`), {
      name: code,
      Code: code,
      $metadata: { httpStatusCode: status },
      ...extra
    })

  it.each([
    ['AccessDenied', 403, 'denied', false],
    ['InvalidAccessKeyId', 403, 'denied', true],
    ['SignatureDoesNotMatch', 403, 'denied', true],
    ['ExpiredToken', 400, 'expired', true],
    ['PermanentRedirect', 301, 'wrong-region', true],
    ['AuthorizationHeaderMalformed', 400, 'wrong-region', true],
    ['NoSuchBucket', 404, 'not-found', false],
    ['NoSuchKey', 404, 'not-found', false],
    ['SlowDown', 503, 'throttled', false],
    ['InternalError', 500, 'server', false]
  ] as const)('%s → %s', (code, status, kind, credentials) => {
    const f = describeS3Error(s3err(code, status), r, 's3://b/k')
    expect(f.kind).toBe(kind)
    expect(f.credentials).toBe(credentials)
    expect(f.message).toContain(code)
    expect(f.message.startsWith('s3://b/k: ')).toBe(true)
  })

  it('treats errors without an HTTP answer as network, and a fired signal as cancel', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    expect(describeS3Error(reset, r, 'x')).toMatchObject({
      kind: 'network',
      retryable: true,
      code: 'ECONNRESET'
    })
    expect(describeS3Error(reset, r, 'x', true).kind).toBe('cancelled')
  })

  it('names the region S3 reports', () => {
    const e = s3err('PermanentRedirect', 301, {
      $response: { statusCode: 301, headers: { 'x-amz-bucket-region': 'us-east-1' } }
    })
    const f = describeS3Error(e, r, 'x')
    expect(f.region).toBe('us-east-1')
    expect(f.message).toContain('region us-east-1')
  })
})

describe('redaction', () => {
  it('masks registered secrets, URL-encoded forms and signature shapes', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+token=='
    const r = new Redactor([secret, token])
    const text = [
      `secret ${secret}`,
      `url X-Amz-Security-Token=${encodeURIComponent(token)}&x=1`,
      `header x-amz-security-token: ${token}`,
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20240101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
    ].join('\n')
    const out = r.redact(text)
    expect(out).not.toContain(secret)
    expect(out).not.toContain(token)
    expect(out).not.toContain(encodeURIComponent(token))
    expect(out).not.toContain('0123456789abcdef0123456789abcdef')
    expect(out).toContain('Credential=AKIA/')
  })
})

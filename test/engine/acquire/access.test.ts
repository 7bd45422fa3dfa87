// verifyAccess against a real S3-compatible server (s3rver), with the vendor-shaped errors that a
// local server cannot produce (expired token, wrong region, signature mismatch, 403 on one table)
// injected by the fault proxy with S3's own XML bodies. Also the three ways to authenticate.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createLakeClient,
  verifyAccess,
  type LakeClient,
  type LakeClientOptions
} from '../../../src-main/sources/cryptolake'
import { hasCaptures } from '../../helpers/data'
import { FaultProxy } from '../../helpers/faultProxy'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_EXCHANGE as EX,
  VENDOR_SYMBOL as SYM,
  type VendorServer
} from '../../helpers/vendorBucket'

describe.skipIf(!hasCaptures)('verifyAccess', () => {
  let server: VendorServer
  let proxy: FaultProxy
  const clients: LakeClient[] = []
  const client = (o: Partial<LakeClientOptions> = {}): LakeClient => {
    const c = createLakeClient({
      credentials: { kind: 'keys', ...server.credentials },
      endpoint: proxy.url,
      ...o
    })
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    server = await startVendorS3({ files: await buildVendorBucketFiles() })
    proxy = await FaultProxy.start(server.endpoint)
  })
  afterEach(() => {
    proxy.clear()
    for (const c of clients.splice(0)) c.destroy()
  })
  afterAll(async () => {
    await proxy.close()
    await server.close()
  })

  it('reports ok per table when the keys can list and read', async () => {
    const r = await verifyAccess(client(), { exchange: EX, symbol: SYM })
    expect(r.ok).toBe(true)
    expect(r.tables.map((t) => [t.table, t.status])).toEqual([
      ['trades', 'ok'],
      ['book', 'ok'],
      ['book_delta_v2', 'ok']
    ])
    expect(r.tables[0]?.message).toMatch(/can list and read/)
    expect(r.tables[0]?.sampleKey).toMatch(/dt=2024-08-08\/1\.snappy\.parquet$/)
    expect(proxy.log.every((e) => e.signed)).toBe(true)
    expect(proxy.log.some((e) => e.range === 'bytes=0-3')).toBe(true)
  })

  it('reports not-found for a symbol without files and for a missing bucket', async () => {
    const r = await verifyAccess(client(), { exchange: EX, symbol: 'ETH-USDT', tables: ['trades'] })
    expect(r.tables[0]).toMatchObject({ status: 'not-found', sampleKey: null })
    expect(r.tables[0]?.message).toMatch(/nothing is stored for BINANCE ETH-USDT in trades/)
    const nb = await verifyAccess(
      client({ location: { bucket: 'no.such.bucket', prefix: 'x/' } }),
      { exchange: EX, symbol: SYM, tables: ['trades'] }
    )
    expect(nb.tables[0]).toMatchObject({
      status: 'not-found',
      code: 'NoSuchBucket',
      httpStatus: 404
    })
  })

  it('reports an unknown access key id as denied', async () => {
    const r = await verifyAccess(
      client({
        credentials: {
          kind: 'keys',
          accessKeyId: 'AKIANOTAREALKEY00000',
          secretAccessKey: 'x'.repeat(40)
        }
      }),
      { exchange: EX, symbol: SYM, tables: ['trades'] }
    )
    expect(r.ok).toBe(false)
    expect(r.tables[0]).toMatchObject({
      status: 'denied',
      code: 'InvalidAccessKeyId',
      httpStatus: 403
    })
    expect(r.tables[0]?.message).toMatch(/not known to AWS/)
  })

  it.each([
    [{ status: 403, code: 'SignatureDoesNotMatch' }, 'denied', /secret access key does not match/],
    [
      { status: 403, code: 'AccessDenied', message: 'Access Denied' },
      'denied',
      /not allowed to read/
    ],
    [
      { status: 400, code: 'ExpiredToken', message: 'The provided token has expired.' },
      'expired',
      /expired/
    ],
    [
      {
        status: 400,
        code: 'AuthorizationHeaderMalformed',
        message: "the region 'eu-west-1' is wrong; expecting 'us-east-1'",
        extraXml: '<Region>us-east-1</Region>'
      },
      'wrong-region',
      /region us-east-1/
    ],
    [
      {
        status: 301,
        code: 'PermanentRedirect',
        headers: { 'x-amz-bucket-region': 'ap-northeast-1' }
      },
      'wrong-region',
      /region ap-northeast-1/
    ],
    [{ status: 503, code: 'SlowDown' }, 'network', /slow down/]
  ] as const)('maps %o to %s', async (fault, status, message) => {
    proxy.add({ match: 'list-type=2', fault: { kind: 'status', ...fault } })
    const r = await verifyAccess(client(), {
      exchange: EX,
      symbol: SYM,
      tables: ['trades'],
      retry: { baseDelayMs: 1 }
    })
    expect(r.tables[0]?.status).toBe(status)
    expect(r.tables[0]?.message).toMatch(message)
    expect(r.tables[0]?.code).toBe(fault.code)
  })

  it('tells one denied table from the others, and listing from reading', async () => {
    proxy.add({
      match: '/book_delta_v2/',
      method: 'GET',
      fault: { kind: 'status', status: 403, code: 'AccessDenied' }
    })
    proxy.add({
      match: /\/book\/.*\.parquet/,
      method: 'GET',
      fault: { kind: 'status', status: 403, code: 'AccessDenied' }
    })
    const r = await verifyAccess(client(), { exchange: EX, symbol: SYM })
    expect(r.tables.map((t) => t.status)).toEqual(['ok', 'denied', 'denied'])
    expect(r.tables[1]?.message).toMatch(/can list but not read/)
    expect(r.tables[2]?.message).not.toMatch(/can list/)
  })

  it('reports network when nothing answers', async () => {
    const r = await verifyAccess(
      client({ endpoint: 'http://127.0.0.1:1', connectTimeoutMs: 1000 }),
      {
        exchange: EX,
        symbol: SYM,
        tables: ['trades'],
        retry: { baseDelayMs: 1 }
      }
    )
    expect(r.tables[0]).toMatchObject({ status: 'network', code: 'ECONNREFUSED' })
  })

  it('sends unsigned requests in anonymous mode (the sample bucket)', async () => {
    const r = await verifyAccess(client({ credentials: { kind: 'anonymous' } }), {
      exchange: EX,
      symbol: SYM,
      tables: ['trades']
    })
    expect(r.tables[0]?.status).toBe('ok')
    expect(proxy.log.length).toBeGreaterThan(0)
    expect(proxy.log.every((e) => !e.signed)).toBe(true)
  })

  it('uses the default chain: environment variables, or a named profile', async () => {
    const saved = { ...process.env }
    const dir = mkdtempSync(join(tmpdir(), 'lakebook-aws-'))
    try {
      process.env['AWS_ACCESS_KEY_ID'] = server.credentials.accessKeyId
      process.env['AWS_SECRET_ACCESS_KEY'] = server.credentials.secretAccessKey
      const fromEnv = await verifyAccess(client({ credentials: { kind: 'default' } }), {
        exchange: EX,
        symbol: SYM,
        tables: ['trades']
      })
      expect(fromEnv.tables[0]?.status).toBe('ok')
      expect(proxy.log.every((e) => e.signed)).toBe(true)

      delete process.env['AWS_ACCESS_KEY_ID']
      delete process.env['AWS_SECRET_ACCESS_KEY']
      writeFileSync(
        join(dir, 'credentials'),
        `[lakebook]\naws_access_key_id = ${server.credentials.accessKeyId}\naws_secret_access_key = ${server.credentials.secretAccessKey}\n`
      )
      process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials')
      process.env['AWS_CONFIG_FILE'] = join(dir, 'config')
      const c = client({ credentials: { kind: 'default', profile: 'lakebook' } })
      expect(c.describe()).toMatch(/profile lakebook/)
      const fromProfile = await verifyAccess(c, { exchange: EX, symbol: SYM, tables: ['trades'] })
      expect(fromProfile.tables[0]?.status).toBe('ok')

      const none = await verifyAccess(
        client({ credentials: { kind: 'default', profile: 'nobody' } }),
        { exchange: EX, symbol: SYM, tables: ['trades'] }
      )
      expect(none.tables[0]?.status).toBe('denied')
      expect(none.tables[0]?.message).toMatch(/no AWS credentials found|profile/)
    } finally {
      process.env = saved
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

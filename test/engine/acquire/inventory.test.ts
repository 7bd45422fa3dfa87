// inventory() against s3rver holding the vendor layout: contents.json.gz (zlib and gzip) plus
// ListObjectsV2 for sizes, pagination, the HEAD fallback when listing is refused, a stale listing
// (a day named but absent), a missing contents file, and the coverage calendar.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createLakeClient,
  CRYPTO_LAKE,
  inventory,
  objectKey,
  type LakeClient
} from '../../../src-main/sources/cryptolake'
import { hasCaptures } from '../../helpers/data'
import { FaultProxy } from '../../helpers/faultProxy'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_EXCHANGE as EX,
  VENDOR_SYMBOL as SYM,
  type VendorFile,
  type VendorServer
} from '../../helpers/vendorBucket'

const key = (table: string, dt: string): string =>
  objectKey(CRYPTO_LAKE, { table, exchange: EX, symbol: SYM, dt, filename: '1.snappy.parquet' })

describe.skipIf(!hasCaptures)('inventory', () => {
  let files: VendorFile[] = []
  let server: VendorServer
  let proxy: FaultProxy
  let client: LakeClient
  const absent = key('book', '2024-08-10')

  beforeAll(async () => {
    files = await buildVendorBucketFiles()
    server = await startVendorS3({ files, listedButAbsent: [absent] })
    proxy = await FaultProxy.start(server.endpoint)
    client = createLakeClient({
      credentials: { kind: 'keys', ...server.credentials },
      endpoint: proxy.url
    })
  })
  afterEach(() => {
    proxy.clear()
  })
  afterAll(async () => {
    client.destroy()
    await proxy.close()
    await server.close()
  })

  it('lists every partition with the server’s sizes and ETags and a coverage calendar', async () => {
    const inv = await inventory(client, {
      exchange: EX,
      symbol: SYM,
      from: '2024-08-07',
      to: '2024-08-10'
    })
    expect(inv.objects).toHaveLength(6)
    for (const f of files) {
      const o = inv.objects.find((x) => x.key === f.key)
      expect(o).toMatchObject({
        table: f.table,
        dt: f.dt,
        exchange: EX,
        symbol: SYM,
        filename: '1.snappy.parquet',
        size: f.size,
        etag: f.md5
      })
    }
    // Table order as asked, then day.
    expect(inv.objects.map((o) => `${o.table} ${o.dt}`)).toEqual([
      'trades 2024-08-08',
      'trades 2024-08-09',
      'book 2024-08-08',
      'book 2024-08-09',
      'book_delta_v2 2024-08-08',
      'book_delta_v2 2024-08-09'
    ])
    const book = inv.tables.find((t) => t.table === 'book')
    expect(book).toMatchObject({
      source: 'contents',
      files: 2,
      days: 2,
      unknownSizes: 0,
      absentKeys: [absent],
      error: null
    })
    expect(book?.bytes).toBe(
      files.filter((f) => f.table === 'book').reduce((a, f) => a + f.size, 0)
    )
    const cov = inv.coverage
    expect(cov?.days).toEqual(['2024-08-07', '2024-08-08', '2024-08-09', '2024-08-10'])
    expect(cov?.rows.map((r) => [r.table, r.cells.map((c) => c.state).join(',')])).toEqual([
      ['trades', 'missing,present,present,missing'],
      ['book', 'missing,present,present,absent'],
      ['book_delta_v2', 'missing,present,present,missing']
    ])
    expect(proxy.requests('contents.json.gz')).toHaveLength(3)
  })

  it('reads gzip contents files as well as zlib ones', async () => {
    const tradeKeys = files.filter((f) => f.table === 'trades').map((f) => f.key)
    await server.writeContents('trades', tradeKeys, 'gzip')
    try {
      const inv = await inventory(client, {
        exchange: EX,
        symbol: SYM,
        tables: ['trades'],
        fillSizes: false
      })
      expect(inv.tables[0]).toMatchObject({ source: 'contents', files: 2, unknownSizes: 2 })
      // No listing when the caller only wants coverage.
      expect(proxy.requests('list-type=2')).toHaveLength(0)
    } finally {
      await server.writeContents('trades', tradeKeys, 'zlib')
    }
  })

  it('lists the prefix when contents.json.gz is missing or unreadable, page by page', async () => {
    proxy.add({
      match: '/book/contents.json.gz',
      fault: { kind: 'status', status: 404, code: 'NoSuchKey' }
    })
    proxy.add({ match: '/trades/contents.json.gz', fault: { kind: 'corrupt', atByte: 0 } })
    const inv = await inventory(client, {
      exchange: EX,
      symbol: SYM,
      tables: ['book', 'trades'],
      pageSize: 1
    })
    expect(inv.tables.map((t) => [t.table, t.source, t.files])).toEqual([
      ['book', 'list', 2],
      ['trades', 'list', 2]
    ])
    expect(inv.tables[0]?.notes.join(' ')).toMatch(/NoSuchKey.*listing the prefix instead/)
    expect(inv.tables[1]?.notes.join(' ')).toMatch(/unreadable.*listing the prefix instead/)
    // pageSize 1: one page per key plus the last, continuation tokens followed.
    expect(proxy.requests('/book/exchange=BINANCE').length).toBeGreaterThanOrEqual(2)
    expect(proxy.log.some((e) => e.path.includes('continuation-token='))).toBe(true)
    // Without contents.json.gz the absent day cannot be known: it is simply missing.
    expect(inv.tables[0]?.absentKeys).toEqual([])
  })

  it('falls back to HEAD requests when listing is refused', async () => {
    proxy.add({
      match: 'list-type=2',
      fault: { kind: 'status', status: 403, code: 'AccessDenied' }
    })
    const inv = await inventory(client, { exchange: EX, symbol: SYM, tables: ['book'] })
    expect(inv.tables[0]).toMatchObject({
      source: 'contents',
      files: 2,
      unknownSizes: 0,
      absentKeys: [absent]
    })
    expect(inv.tables[0]?.notes.join(' ')).toMatch(/AccessDenied.*sizes from HEAD/)
    for (const o of inv.objects) expect(o.size).toBe(server.objects.get(o.key)?.size)
    expect(proxy.log.filter((e) => e.method === 'HEAD')).toHaveLength(3)
  })

  it('reports a table it cannot read at all', async () => {
    proxy.add({
      match: '/book_delta_v2/',
      fault: { kind: 'status', status: 403, code: 'AccessDenied' }
    })
    const inv = await inventory(client, { exchange: EX, symbol: SYM })
    const t = inv.tables.find((x) => x.table === 'book_delta_v2')
    expect(t).toMatchObject({ source: 'none', files: 0, error: { kind: 'denied' } })
    expect(t?.error?.message).toMatch(/AccessDenied/)
    expect(inv.coverage?.rows[2]?.present).toBe(0)
  })

  it('filters by day range and skips earlier keys server-side', async () => {
    const inv = await inventory(client, {
      exchange: EX,
      symbol: SYM,
      from: '2024-08-09',
      to: '2024-08-09'
    })
    expect(inv.objects.map((o) => o.dt)).toEqual(['2024-08-09', '2024-08-09', '2024-08-09'])
    expect(proxy.log.filter((e) => e.path.includes('start-after=')).length).toBe(3)
    await expect(
      inventory(client, { exchange: EX, symbol: SYM, from: '2024-08-10', to: '2024-08-09' })
    ).rejects.toThrow(/after/)
  })
})

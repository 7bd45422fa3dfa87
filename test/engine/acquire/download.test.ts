// download() against a real S3-compatible server (s3rver) holding real-data Parquet files in the
// vendor's layout, with a fault-injecting proxy in between. Every fault ends in a verified file or
// a recorded, visible failure; nothing partial ever sits at a final path.
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createLakeClient,
  downloadObjects,
  inventory,
  MemoryLedger,
  objectKey,
  CRYPTO_LAKE,
  stagingPath,
  type DownloadOptions,
  type DownloadProgress,
  type LakeClient,
  type LakeObject
} from '../../../src-main/sources/cryptolake'
import { hasCaptures } from '../../helpers/data'
import { FaultProxy } from '../../helpers/faultProxy'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_EXCHANGE,
  VENDOR_SYMBOL,
  type VendorFile,
  type VendorServer
} from '../../helpers/vendorBucket'

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const key = (table: string, dt: string): string =>
  objectKey(CRYPTO_LAKE, {
    table,
    exchange: VENDOR_EXCHANGE,
    symbol: VENDOR_SYMBOL,
    dt,
    filename: '1.snappy.parquet'
  })

/** Every file under the staging folder, split into final files and in-progress ones. */
function stagingFiles(lakeRoot: string): { finals: string[]; parts: string[] } {
  const finals: string[] = []
  const parts: string[] = []
  const walk = (d: string): void => {
    if (!existsSync(d)) return
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.part') || e.name.endsWith('.part.json')) parts.push(p)
      else finals.push(p)
    }
  }
  walk(join(lakeRoot, 'staging'))
  return { finals, parts }
}

describe.skipIf(!hasCaptures)('download', () => {
  let files: VendorFile[] = []
  let server: VendorServer
  let proxy: FaultProxy
  let client: LakeClient
  let objects: LakeObject[] = []
  let lakeRoot = ''
  let ledger: MemoryLedger
  const absentKey = key('trades', '2024-08-10')

  beforeAll(async () => {
    files = await buildVendorBucketFiles()
    server = await startVendorS3({ files, listedButAbsent: [absentKey] })
    proxy = await FaultProxy.start(server.endpoint)
    client = createLakeClient({
      credentials: { kind: 'keys', ...server.credentials },
      endpoint: proxy.url,
      socketTimeoutMs: 5000
    })
    const inv = await inventory(client, { exchange: VENDOR_EXCHANGE, symbol: VENDOR_SYMBOL })
    objects = [...inv.objects]
    expect(objects).toHaveLength(6)
  })

  afterAll(async () => {
    client.destroy()
    await proxy.close()
    await server.close()
  })

  beforeEach(() => {
    proxy.clear()
    lakeRoot = mkdtempSync(join(tmpdir(), 'lakebook-dl-'))
    ledger = new MemoryLedger()
  })
  afterEach(() => {
    rmSync(lakeRoot, { recursive: true, force: true })
  })

  const opts = (extra: Partial<DownloadOptions> = {}): DownloadOptions => ({
    lakeRoot,
    ledger,
    // Generous, so a loaded machine does not stall a healthy request; the stall test sets its own.
    stallMs: 3000,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    writeBufferBytes: 64 * 1024,
    ...extra
  })
  const obj = (table: string, dt: string): LakeObject => {
    const o = objects.find((x) => x.table === table && x.dt === dt)
    if (o === undefined) throw new Error(`no ${table} ${dt}`)
    return o
  }
  /** The final file must be byte-identical to the server's object. */
  const expectVerifiedFile = (o: LakeObject): void => {
    const rec = ledger.getFile(o.bucket, o.key)
    expect(rec?.status, o.key).toBe('verified')
    const bytes = readFileSync(stagingPath(lakeRoot, o))
    expect(sha256(bytes)).toBe(server.objects.get(o.key)?.sha256)
    expect(rec?.sha256).toBe(sha256(bytes))
    expect(rec?.etagVerified).toBe(true)
    expect(stagingFiles(lakeRoot).parts).toEqual([])
  }

  it('downloads every file verified, with progress, and skips them on a second run', async () => {
    const seen: DownloadProgress[] = []
    const s = await downloadObjects(
      client,
      objects,
      opts({ onProgress: (p) => seen.push(p), progressIntervalMs: 0 })
    )
    expect(s).toMatchObject({
      verified: 6,
      failed: 0,
      denied: 0,
      missing: 0,
      cancelled: false,
      stopped: null
    })
    for (const o of objects) expectVerifiedFile(o)
    for (const f of files) {
      const rec = ledger.getFile(server.bucket, f.key)
      expect(rec).toMatchObject({
        rowCount: f.rows,
        size: f.size,
        bytesTransferred: f.size,
        attempts: 1,
        md5: f.md5,
        path: `staging/${f.table}/exchange=BINANCE/symbol=BTC-USDT/dt=${f.dt}/1.snappy.parquet`
      })
      expect(rec?.kv).toMatchObject({
        exchange: 'BINANCE',
        symbol: 'BTC-USDT',
        event_type: f.table,
        date: f.dt,
        contains_gaps: 'No'
      })
    }
    const total = files.reduce((a, f) => a + f.size, 0)
    const last = seen[seen.length - 1]
    expect(last).toMatchObject({
      filesDone: 6,
      filesTotal: 6,
      bytesDone: total,
      bytesTotal: total,
      bytesTransferred: total,
      etaMs: 0
    })
    expect(seen.some((p) => p.bytesPerSec > 0)).toBe(true)
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]?.bytesDone ?? 0).toBeGreaterThanOrEqual(seen[i - 1]?.bytesDone ?? 0)
    expect(ledger.bytesTransferredSince('1970-01-01')).toBe(total)

    proxy.clear()
    const again = await downloadObjects(client, objects, opts())
    expect(again).toMatchObject({ verified: 6, alreadyVerified: 6, bytesTransferred: 0 })
    expect(proxy.log).toEqual([])
  })

  it('resumes with a Range request after a connection cut mid-body', async () => {
    const o = obj('book_delta_v2', '2024-08-08')
    proxy.add({
      match: o.key,
      method: 'GET',
      fault: { kind: 'cut', afterBytes: 300_000 },
      times: 1
    })
    const s = await downloadObjects(client, [o], opts())
    expect(s.verified).toBe(1)
    expectVerifiedFile(o)
    const gets = proxy.requests(o.key)
    expect(gets.map((g) => g.range)).toEqual([null, expect.stringMatching(/^bytes=\d+-$/)])
    const resumedAt = Number(/bytes=(\d+)-/.exec(gets[1]?.range ?? '')?.[1])
    expect(resumedAt).toBeGreaterThan(0)
    expect(resumedAt).toBeLessThanOrEqual(300_000)
    // Bytes received once, except what the cut lost.
    expect(s.bytesTransferred).toBeLessThan((o.size ?? 0) + 300_000)
    expect(ledger.getFile(o.bucket, o.key)?.attempts).toBe(2)
  })

  it('retries 503s with backoff', async () => {
    const o = obj('trades', '2024-08-08')
    proxy.add({
      match: o.key,
      method: 'GET',
      fault: { kind: 'status', status: 503, code: 'SlowDown' },
      times: 2
    })
    const logs: string[] = []
    const s = await downloadObjects(client, [o], opts({ log: (_l, m) => logs.push(m) }))
    expect(s.verified).toBe(1)
    expectVerifiedFile(o)
    expect(proxy.requests(o.key)).toHaveLength(3)
    expect(logs.filter((l) => /SlowDown.*HTTP 503.*retry in/.test(l))).toHaveLength(2)
  })

  it('honours Retry-After on 429', async () => {
    const o = obj('book', '2024-08-09')
    proxy.add({
      match: o.key,
      method: 'GET',
      fault: { kind: 'status', status: 429, retryAfter: '1' },
      times: 1
    })
    const s = await downloadObjects(client, [o], opts())
    expect(s.verified).toBe(1)
    expectVerifiedFile(o)
    const [first, second] = proxy.requests(o.key)
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000)
  })

  it('cuts a stalled body and resumes it', async () => {
    const o = obj('book_delta_v2', '2024-08-09')
    proxy.add({
      match: o.key,
      method: 'GET',
      fault: { kind: 'stall', afterBytes: 200_000 },
      times: 1
    })
    const logs: string[] = []
    const s = await downloadObjects(
      client,
      [o],
      opts({ stallMs: 500, log: (_l, m) => logs.push(m) })
    )
    expect(s.verified).toBe(1)
    expectVerifiedFile(o)
    expect(logs.some((l) => /STALL/.test(l))).toBe(true)
    expect(proxy.requests(o.key)[1]?.range).toMatch(/^bytes=[1-9]\d*-$/)
  })

  it('survives slow bodies', async () => {
    const o = obj('trades', '2024-08-09')
    proxy.add({
      match: o.key,
      method: 'GET',
      fault: { kind: 'slow', chunkBytes: 16_384, delayMs: 5 }
    })
    const s = await downloadObjects(client, [o], opts())
    expect(s.verified).toBe(1)
    expectVerifiedFile(o)
  })

  it('re-downloads bytes that do not match the ETag once, and fails visibly when they never do', async () => {
    const once = obj('trades', '2024-08-08')
    proxy.add({
      match: once.key,
      method: 'GET',
      fault: { kind: 'corrupt', atByte: 1000 },
      times: 1
    })
    const always = obj('book', '2024-08-08')
    proxy.add({ match: always.key, method: 'GET', fault: { kind: 'corrupt', atByte: 5 } })
    const s = await downloadObjects(client, [once, always], opts())
    expect(s).toMatchObject({ verified: 1, failed: 1 })
    expectVerifiedFile(once)
    const rec = ledger.getFile(always.bucket, always.key)
    expect(rec).toMatchObject({ status: 'failed', path: null, attempts: 3 })
    expect(rec?.reason).toMatch(/do not match the ETag/)
    expect(existsSync(stagingPath(lakeRoot, always))).toBe(false)
    expect(stagingFiles(lakeRoot).parts).toEqual([])
  })

  it('records a 0-byte object as failed, never as an empty day', async () => {
    const k = key('trades', '2024-08-11')
    await server.put(k, new Uint8Array())
    try {
      const inv = await inventory(client, {
        exchange: VENDOR_EXCHANGE,
        symbol: VENDOR_SYMBOL,
        tables: ['trades'],
        from: '2024-08-11',
        to: '2024-08-11'
      })
      const listed = inv.objects[0] as LakeObject
      expect(listed.size).toBe(0)
      // Also when the listing did not give a size: the GET shows it.
      for (const o of [listed, { ...listed, size: null }]) {
        const s = await downloadObjects(client, [o], opts())
        expect(s.failed).toBe(1)
        expect(s.results[0]?.reason).toMatch(/empty object \(0 bytes\)/)
      }
      expect(stagingFiles(lakeRoot)).toEqual({ finals: [], parts: [] })
    } finally {
      await server.remove(k)
    }
  })

  it('records a truncated Parquet file as failed without retrying it', async () => {
    const f = files.find((x) => x.table === 'book' && x.dt === '2024-08-09') as VendorFile
    const k = key('book', '2024-08-12')
    const bytes = readFileSync(f.path)
    await server.put(k, bytes.subarray(0, bytes.length - 4096))
    try {
      const inv = await inventory(client, {
        exchange: VENDOR_EXCHANGE,
        symbol: VENDOR_SYMBOL,
        tables: ['book'],
        from: '2024-08-12',
        to: '2024-08-12'
      })
      const s = await downloadObjects(client, inv.objects, opts())
      expect(s.failed).toBe(1)
      const rec = s.results[0]
      expect(rec?.reason).toMatch(
        /not a readable Parquet file: does not end with the Parquet magic "PAR1" \(\d+ bytes\): the file is truncated/
      )
      // The MD5 matched, so the object itself is broken: one attempt, no re-download.
      expect(rec).toMatchObject({ attempts: 1, etagVerified: false, path: null })
      expect(proxy.requests(k).filter((r) => r.method === 'GET')).toHaveLength(1)
      expect(stagingFiles(lakeRoot)).toEqual({ finals: [], parts: [] })
    } finally {
      await server.remove(k)
    }
  })

  it('records a listed but missing day as missing, and a 403 as denied', async () => {
    const inv = await inventory(client, {
      exchange: VENDOR_EXCHANGE,
      symbol: VENDOR_SYMBOL,
      tables: ['trades'],
      useContents: true,
      fillSizes: false
    })
    const listed = inv.objects.find((o) => o.key === absentKey)
    expect(listed).toBeDefined()
    const forbidden = obj('book', '2024-08-09')
    proxy.add({
      match: forbidden.key,
      method: 'GET',
      fault: { kind: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied' }
    })
    const s = await downloadObjects(
      client,
      [listed as LakeObject, forbidden, obj('trades', '2024-08-09')],
      opts()
    )
    expect(s).toMatchObject({ verified: 1, missing: 1, denied: 1, stopped: null })
    expect(ledger.getFile(server.bucket, absentKey)).toMatchObject({
      status: 'missing',
      path: null
    })
    expect(ledger.getFile(server.bucket, absentKey)?.reason).toMatch(/NoSuchKey/)
    expect(ledger.getFile(forbidden.bucket, forbidden.key)).toMatchObject({
      status: 'denied',
      path: null
    })
    expect(ledger.getFile(forbidden.bucket, forbidden.key)?.reason).toMatch(/AccessDenied/)
    expect(stagingFiles(lakeRoot).finals).toHaveLength(1)
  })

  it('stops the run when the credentials expire', async () => {
    proxy.add({
      match: '.parquet',
      method: 'GET',
      fault: {
        kind: 'status',
        status: 400,
        code: 'ExpiredToken',
        message: 'The provided token has expired.'
      }
    })
    const s = await downloadObjects(client, objects, opts({ concurrency: 1 }))
    expect(s).toMatchObject({ denied: 1, verified: 0, notStarted: 5 })
    expect(s.stopped).toMatch(/ExpiredToken/)
    expect(s.results[0]?.reason).toMatch(/credentials have expired/)
  })

  it('gives up after the retry budget and says so', async () => {
    const o = obj('trades', '2024-08-09')
    proxy.add({
      match: o.key,
      method: 'GET',
      fault: { kind: 'status', status: 500, code: 'InternalError' }
    })
    const s = await downloadObjects(
      client,
      [o],
      opts({ retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 } })
    )
    expect(s.failed).toBe(1)
    expect(s.results[0]?.reason).toMatch(/InternalError, HTTP 500.*gave up after 3 attempt/)
    expect(existsSync(stagingPath(lakeRoot, o))).toBe(false)
  })

  it('starts over when the object changed since the listing, or the .part belongs to another version', async () => {
    const a = obj('trades', '2024-08-08')
    const stale = { ...a, etag: '0123456789abcdef0123456789abcdef', size: (a.size ?? 0) + 10 }
    const b = obj('book', '2024-08-08')
    // A .part from "another version": right sidecar, wrong bytes. Only the MD5 can tell.
    const bPath = stagingPath(lakeRoot, b)
    mkdirSync(join(bPath, '..'), { recursive: true })
    writeFileSync(`${bPath}.part`, Buffer.alloc(50_000, 7))
    writeFileSync(`${bPath}.part.json`, JSON.stringify({ key: b.key, etag: b.etag, size: b.size }))
    const logs: string[] = []
    const s = await downloadObjects(client, [stale, b], opts({ log: (_l, m) => logs.push(m) }))
    expect(s.verified).toBe(2)
    expectVerifiedFile(a)
    expectVerifiedFile(b)
    expect(ledger.getFile(a.bucket, a.key)?.etag).toBe(a.etag)
    expect(logs.some((l) => /changed since it was listed/.test(l))).toBe(true)
    expect(logs.some((l) => /resuming at byte 50000/.test(l))).toBe(true)
    expect(logs.some((l) => /do not match the ETag.*downloading it again/.test(l))).toBe(true)
  })

  it('does not take an SSE-KMS ETag for an MD5, and does catch a wrong MD5 ETag', async () => {
    const kms = obj('trades', '2024-08-08')
    const fakeEtag = '"0123456789abcdef0123456789abcdef"'
    proxy.add({
      match: kms.key,
      method: 'GET',
      fault: { kind: 'headers', set: { etag: fakeEtag, 'x-amz-server-side-encryption': 'aws:kms' } }
    })
    const plain = obj('trades', '2024-08-09')
    proxy.add({
      match: plain.key,
      method: 'GET',
      fault: { kind: 'headers', set: { etag: fakeEtag } }
    })
    const s = await downloadObjects(client, [kms, plain], opts())
    expect(ledger.getFile(kms.bucket, kms.key)).toMatchObject({
      status: 'verified',
      etagVerified: false,
      etag: '0123456789abcdef0123456789abcdef'
    })
    expect(sha256(readFileSync(stagingPath(lakeRoot, kms)))).toBe(
      server.objects.get(kms.key)?.sha256
    )
    expect(ledger.getFile(plain.bucket, plain.key)?.reason).toMatch(/do not match the ETag/)
    expect(s).toMatchObject({ verified: 1, failed: 1 })
  })

  it('resumes across runs when the listing had no ETag, using the one the server sent', async () => {
    const inv = await inventory(client, {
      exchange: VENDOR_EXCHANGE,
      symbol: VENDOR_SYMBOL,
      tables: ['book_delta_v2'],
      fillSizes: false,
      from: '2024-08-08',
      to: '2024-08-08'
    })
    const o = inv.objects[0] as LakeObject
    expect(o).toMatchObject({ etag: null, size: null })
    proxy.add({
      match: o.key,
      method: 'GET',
      fault: { kind: 'slow', chunkBytes: 32_768, delayMs: 5 },
      times: 1
    })
    const ac = new AbortController()
    const first = await downloadObjects(
      client,
      [o],
      opts({
        signal: ac.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.bytesDone > 200_000) ac.abort()
        }
      })
    )
    expect(first.cancelled).toBe(true)
    expect(stagingFiles(lakeRoot).parts).toHaveLength(2)
    const again = await downloadObjects(client, [o], opts())
    expect(again.verified).toBe(1)
    expectVerifiedFile(o)
    expect(proxy.requests(o.key)[1]?.range).toMatch(/^bytes=[1-9]\d*-$/)
    expect(again.bytesTransferred).toBeLessThan(files.find((f) => f.key === o.key)?.size ?? 0)
  })

  it('cancels on abort, keeps .part files, and the next run resumes them', async () => {
    const ac = new AbortController()
    proxy.add({
      match: '.parquet',
      method: 'GET',
      fault: { kind: 'slow', chunkBytes: 32_768, delayMs: 10 }
    })
    let fired = false
    const s = await downloadObjects(
      client,
      objects,
      opts({
        signal: ac.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (!fired && p.bytesDone > 300_000) {
            fired = true
            ac.abort()
          }
        }
      })
    )
    expect(s.cancelled).toBe(true)
    const after = stagingFiles(lakeRoot)
    expect(after.parts.length).toBeGreaterThan(0)
    for (const f of after.finals) {
      const o = objects.find((x) => f === stagingPath(lakeRoot, x)) as LakeObject
      expect(sha256(readFileSync(f))).toBe(server.objects.get(o.key)?.sha256)
    }
    proxy.clear()
    const again = await downloadObjects(client, objects, opts())
    expect(again.verified).toBe(6)
    for (const o of objects) expectVerifiedFile(o)
    expect(proxy.log.some((e) => e.range !== null && /^bytes=[1-9]/.test(e.range))).toBe(true)
    expect(statSync(stagingPath(lakeRoot, objects[0] as LakeObject)).size).toBe(objects[0]?.size)
  })
})

// Multipart ETags (etag.ts) through download(), against s3rver holding real vendor-writer Parquet
// files uploaded in parts (CreateMultipartUpload / UploadPart / CompleteMultipartUpload; why not
// lib-storage's Upload and how s3rver is made to serve S3's multipart ETag: vendorBucket.ts).
// The files are 0.9–1.3 MB, so the default part sizes (5 MiB and up) can only meet them as a
// one-part multipart upload ("…-1"); uploads in 256 KiB parts exercise the part arithmetic with
// several parts, checked with injected candidate lists that play the role of 8 MiB and the rest.
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  checkMultipartEtag,
  createLakeClient,
  CRYPTO_LAKE,
  downloadObjects,
  inventory,
  MAX_EXTRA_PASSES,
  MemoryLedger,
  multipartEtagOfFile,
  objectKey,
  PartMd5,
  stagingPath,
  type LakeClient,
  type LakeObject
} from '../../../src-main/sources/cryptolake'
import { hasVendorWriter, vendorWriterFile } from '../../helpers/data'
import { startVendorS3, type VendorServer } from '../../helpers/vendorBucket'

const KiB = 1024
const MiB = 1024 * KiB
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const key = (table: string, dt: string): string =>
  objectKey(CRYPTO_LAKE, {
    table,
    exchange: 'BINANCE',
    symbol: 'BTC-USDT',
    dt,
    filename: '1.snappy.parquet'
  })

describe('PartMd5 (synthetic bytes, chunk boundaries)', () => {
  it('gives the same ETag whatever the chunking, parts included exactly at boundaries', async () => {
    // Synthetic: 10 parts of 1000 bytes plus 7, fed in chunks that straddle part boundaries.
    const bytes = Buffer.from(Array.from({ length: 10_007 }, (_, i) => (i * 7919) % 251))
    const whole = new PartMd5(1000)
    whole.update(bytes)
    const pieces = new PartMd5(1000)
    for (let off = 0; off < bytes.length; off += 333) pieces.update(bytes.subarray(off, off + 333))
    const top = createHash('md5')
    for (let off = 0; off < bytes.length; off += 1000)
      top.update(
        createHash('md5')
          .update(bytes.subarray(off, off + 1000))
          .digest()
      )
    const expected = `${top.digest('hex')}-11`
    expect(whole.etag()).toBe(expected)
    expect(pieces.etag()).toBe(expected)
    const exact = new PartMd5(1000)
    exact.update(bytes.subarray(0, 10_000))
    expect(exact.etag()).toMatch(/-10$/)
    const dir = mkdtempSync(join(tmpdir(), 'lakebook-partmd5-'))
    try {
      const f = join(dir, 'synthetic.bin')
      writeFileSync(f, bytes)
      expect(await multipartEtagOfFile(f, 1000, bytes.length)).toBe(expected)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('checkMultipartEtag (synthetic bytes)', () => {
  it('re-reads the file for at most MAX_EXTRA_PASSES candidate sizes, and says it stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakebook-mpcap-'))
    try {
      // Synthetic: 10,007 bytes; every candidate below cuts them into 11 parts, none was used.
      const f = join(dir, 'synthetic.bin')
      writeFileSync(f, Buffer.alloc(10_007, 7))
      const r = await checkMultipartEtag(
        f,
        10_007,
        { etag: `${'0'.repeat(32)}-11`, parts: 11 },
        null,
        [1000, 995, 990, 985, 980]
      )
      expect(MAX_EXTRA_PASSES).toBe(3)
      expect(r).toEqual({
        verified: false,
        mismatch: true,
        reason:
          'multipart ETag with 11 parts: no part size among 980 bytes, 985 bytes, 990 bytes, 995 bytes, 1000 bytes ' +
          'reproduces it (tried 1000 bytes, 995 bytes, 990 bytes; stopped after 3 re-reads)'
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe.skipIf(!hasVendorWriter)('multipart ETags in download', () => {
  let server: VendorServer
  let client: LakeClient
  let objects: LakeObject[] = []
  let lakeRoot = ''
  let ledger: MemoryLedger
  const etags = new Map<string, string>()
  const onePart = key('book_delta_v2', '2024-08-08')
  const fiveParts = key('book_delta_v2', '2024-08-09')

  beforeAll(async () => {
    server = await startVendorS3({ files: [], contents: 'none' })
    const a = readFileSync(vendorWriterFile('book_delta_v2', '2024-08-08'))
    const b = readFileSync(vendorWriterFile('book_delta_v2', '2024-08-09'))
    etags.set(onePart, await server.putMultipart(onePart, a, 8 * MiB))
    etags.set(fiveParts, await server.putMultipart(fiveParts, b, 256 * KiB))
    client = createLakeClient({
      credentials: { kind: 'keys', ...server.credentials },
      endpoint: server.endpoint
    })
    const inv = await inventory(client, {
      exchange: 'BINANCE',
      symbol: 'BTC-USDT',
      tables: ['book_delta_v2']
    })
    objects = [...inv.objects]
  })
  afterAll(async () => {
    client.destroy()
    await server.close()
  })
  beforeEach(() => {
    lakeRoot = mkdtempSync(join(tmpdir(), 'lakebook-mpetag-'))
    ledger = new MemoryLedger()
  })
  afterEach(() => {
    rmSync(lakeRoot, { recursive: true, force: true })
  })

  const obj = (k: string): LakeObject => {
    const o = objects.find((x) => x.key === k)
    if (o === undefined) throw new Error(`not listed: ${k}`)
    return o
  }

  it('lists the multipart ETags S3 would serve', () => {
    expect(obj(onePart).etag).toBe(etags.get(onePart))
    expect(obj(onePart).etag).toMatch(/^[0-9a-f]{32}-1$/)
    expect(obj(fiveParts).etag).toMatch(/^[0-9a-f]{32}-5$/)
  })

  it('verifies a one-part multipart ETag at 8 MiB, hashed while downloading', async () => {
    const o = obj(onePart)
    const s = await downloadObjects(client, [o], { lakeRoot, ledger })
    expect(s).toMatchObject({ verified: 1, etagUnverified: 0 })
    expect(ledger.getFile(o.bucket, o.key)).toMatchObject({
      status: 'verified',
      etagVerified: true,
      etagPartSize: 8 * MiB,
      etagNote: null
    })
    expect(sha256(readFileSync(stagingPath(lakeRoot, o)))).toBe(server.objects.get(o.key)?.sha256)
  })

  it('tries the next part size that fits the part count when the first does not reproduce it', async () => {
    const o = obj(fiveParts)
    // 300 KiB and 256 KiB both cut 1,244,433 bytes into 5 parts; only 256 KiB was used.
    const s = await downloadObjects(client, [o], {
      lakeRoot,
      ledger,
      partSizes: [300 * KiB, 256 * KiB]
    })
    expect(s).toMatchObject({ verified: 1, etagUnverified: 0 })
    expect(ledger.getFile(o.bucket, o.key)).toMatchObject({
      etagVerified: true,
      etagPartSize: 256 * KiB
    })
  })

  it('keeps a file whose multipart ETag no candidate reproduces, as not verified with the reason', async () => {
    const o = obj(fiveParts)
    const s = await downloadObjects(client, [o], { lakeRoot, ledger, partSizes: [300 * KiB] })
    expect(s).toMatchObject({ verified: 1, etagUnverified: 1 })
    expect(ledger.getFile(o.bucket, o.key)).toMatchObject({
      status: 'verified',
      etagVerified: false,
      etagPartSize: null,
      etagNote:
        'multipart ETag with 5 parts: no part size among 300 KiB reproduces it (tried 300 KiB)'
    })
    // With the default list no size even gives 5 parts for this file: said so, nothing hashed.
    rmSync(join(lakeRoot, 'staging'), { recursive: true, force: true })
    const again = await downloadObjects(client, [o], { lakeRoot, ledger: new MemoryLedger() })
    expect(again.results[0]?.etagNote).toBe(
      'multipart ETag with 5 parts: no part size among 5/8/10/15/16/50/64 MiB gives 5 parts for 1244433 bytes, so it cannot be checked'
    )
    expect(again.etagUnverified).toBe(1)
  })
})

// A local copy of Crypto Lake's bucket for the acquisition tests and the download benchmark:
// - buildVendorBucketFiles() turns the real Binance spot capture spot-btcusdt-20240808 into the
//   vendor's three tables with the project's own converter and writer (lakeRowsFromCapture →
//   writeLakeTable: snappy, 10,000-row groups, the vendor's KV metadata), split into the two real
//   receive-time days it spans (2024-08-08 23:54 → 2024-08-09 00:05 UTC). No invented numbers.
//   The files are cached under the OS temp folder, keyed by the converter's source, so parallel
//   test files build them once.
// - startVendorS3() runs s3rver (a real S3-compatible server) on 127.0.0.1, in a child process,
//   with bucket qnt.data
//   laid out like the vendor's (market-data/cryptofeed/{table}/exchange=BINANCE/symbol=BTC-USDT/
//   dt=…/1.snappy.parquet) plus each table's contents.json.gz, and its own random access keys
//   (or another bucket, e.g. the sample's, with the caller's keys); putMultipart() uploads an
//   object in parts and serves the multipart ETag S3 would (see there).
import { createHash, randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { deflateSync, gzipSync } from 'node:zlib'
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand
} from '@aws-sdk/client-s3'
import { lakeRowsFromCapture, type CaptureTable } from '../../src-main/convert/lakeRows'
import type { LakeTable } from '../../src-main/lake/parquet/schemas'
import { writeLakeTable } from '../../src-main/lake/parquet/writer'
import { CRYPTO_LAKE, objectKey } from '../../src-main/sources/cryptolake/layout'
import { CAPTURES } from './data'

export const VENDOR_EXCHANGE = 'BINANCE'
export const VENDOR_SYMBOL = 'BTC-USDT'
export const VENDOR_DAYS = ['2024-08-08', '2024-08-09'] as const
export const VENDOR_TABLES: readonly LakeTable[] = ['trades', 'book', 'book_delta_v2']
const CAPTURE_SET = 'spot-btcusdt-20240808'
const CAPTURE_FILES = ['btcusdt_20240808.gz', 'btcusdt_20240809.gz']
/** Bump when the layout of the cache changes. */
const CACHE_VERSION = 1

export interface VendorFile {
  readonly table: LakeTable
  readonly dt: string
  readonly filename: string
  readonly key: string
  readonly path: string
  readonly size: number
  readonly rows: number
  readonly md5: string
  readonly sha256: string
}

const hash = (alg: string, b: Uint8Array): string => createHash(alg).update(b).digest('hex')

function cacheKey(): string {
  const h = createHash('sha256').update(String(CACHE_VERSION))
  const src = resolve(import.meta.dirname, '../../src-main/lake/parquet')
  for (const f of [
    '../../convert/lakeRows.ts',
    'writer.ts',
    'schemas.ts',
    'int64.ts',
    '../../convert/captureRows.ts'
  ]) {
    h.update(readFileSync(join(src, f)))
  }
  for (const f of CAPTURE_FILES) h.update(readFileSync(join(CAPTURES, CAPTURE_SET, f)))
  return h.digest('hex').slice(0, 16)
}

type Column = Float64Array | BigInt64Array | Uint8Array | readonly string[]

/** Rows [a, b) of every column. */
function sliceColumns<C>(columns: C, a: number, b: number): C {
  const out: Record<string, Column> = {}
  for (const [name, col] of Object.entries(columns as Record<string, Column>)) {
    out[name] = col.slice(a, b)
  }
  return out as C
}

/** First row whose receive time is at or after `ns` (receive times are in capture order). */
function splitAt(
  t: CaptureTable<{ receipt_timestamp: Float64Array | BigInt64Array }>,
  ns: number
): number {
  const rts = t.columns.receipt_timestamp
  for (let i = 0; i < t.rows; i++) if (Number(rts[i]) >= ns) return i
  return t.rows
}

/**
 * The six real Parquet files (3 tables × 2 days), built once per converter version and cached.
 */
export async function buildVendorBucketFiles(): Promise<VendorFile[]> {
  const root = join(tmpdir(), 'lakebook-vendor-bucket')
  const dir = join(root, cacheKey())
  const manifest = join(dir, 'files.json')
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as VendorFile[]

  mkdirSync(root, { recursive: true })
  // One builder at a time (test files start in parallel); the others wait for its manifest.
  const lock = `${dir}.lock`
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e
      if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as VendorFile[]
      // A lock older than two minutes belongs to a builder that died.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
      if (Date.now() - since > 120_000) rmSync(lock, { recursive: true, force: true })
      await delay(100)
    }
  }
  try {
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as VendorFile[]
    return await buildInto(root, dir)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

async function buildInto(root: string, dir: string): Promise<VendorFile[]> {
  const manifest = join(dir, 'files.json')
  const work = mkdtempSync(join(root, 'build-'))
  const rows = await lakeRowsFromCapture(CAPTURE_FILES.map((f) => join(CAPTURES, CAPTURE_SET, f)))
  const midnight = Date.parse('2024-08-09T00:00:00Z') * 1e6
  const tables = { trades: rows.trades, book: rows.book, book_delta_v2: rows.bookDelta } as const
  const files: VendorFile[] = []
  for (const table of VENDOR_TABLES) {
    const t = tables[table] as CaptureTable<{ receipt_timestamp: Float64Array }>
    const cut = splitAt(t, midnight)
    const parts: [string, number, number][] = [
      ['2024-08-08', 0, cut],
      ['2024-08-09', cut, t.rows]
    ]
    for (const [dt, a, b] of parts) {
      const p = {
        table,
        exchange: VENDOR_EXCHANGE,
        symbol: VENDOR_SYMBOL,
        dt,
        filename: '1.snappy.parquet'
      }
      const path = join(work, table, `dt=${dt}`, p.filename)
      const meta = {
        date: dt,
        containsGaps: false,
        symbol: VENDOR_SYMBOL,
        exchange: VENDOR_EXCHANGE
      }
      // The writer's column types differ per table; the slices keep each table's own shape.
      await writeLakeTable(path, table, meta, [sliceColumns(tables[table].columns, a, b)] as never)
      const bytes = readFileSync(path)
      files.push({
        ...p,
        key: objectKey(CRYPTO_LAKE, p),
        path: join(dir, table, `dt=${dt}`, p.filename),
        size: bytes.length,
        rows: b - a,
        md5: hash('md5', bytes),
        sha256: hash('sha256', bytes)
      })
    }
  }
  writeFileSync(join(work, 'files.json'), JSON.stringify(files, null, 1))
  try {
    renameSync(work, dir)
  } catch {
    // Another test file finished first: use its copy.
    rmSync(work, { recursive: true, force: true })
  }
  return JSON.parse(readFileSync(manifest, 'utf8')) as VendorFile[]
}

// s3rver runs in its own Node process, for two reasons: its ListObjectsV2 continuation tokens
// use DES, which Node 20's OpenSSL 3 only offers with --openssl-legacy-provider (without it every
// truncated listing is a 500), and a server on its own process (the second core) measures the
// client, not a shared event loop. The child exits when its stdin closes, i.e. with the test.
const SERVER_SCRIPT = `
const S3rver = require(process.env.S3RVER_MAIN)
const account = require(process.env.S3RVER_ACCOUNT)
const cfg = JSON.parse(process.env.S3RVER_CFG)
account.DUMMY_ACCOUNT.createKeyPair(cfg.accessKeyId, cfg.secretAccessKey)
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: cfg.directory,
  configureBuckets: [{ name: cfg.bucket }] })
server.run().then((a) => process.stdout.write(JSON.stringify({ port: a.port }) + '\\n'))
const stop = () => server.close().finally(() => process.exit(0))
process.stdin.on('end', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
`

async function spawnS3rver(cfg: {
  accessKeyId: string
  secretAccessKey: string
  directory: string
  bucket: string
}): Promise<{ port: number; child: ChildProcess }> {
  const require = createRequire(import.meta.url)
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      S3RVER_MAIN: require.resolve('s3rver'),
      S3RVER_ACCOUNT: require.resolve('s3rver/lib/models/account.js'),
      S3RVER_CFG: JSON.stringify(cfg)
    }
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n')[0]
      if (out.includes('\n') && line !== undefined)
        resolve((JSON.parse(line) as { port: number }).port)
    })
    child.on('exit', (code) => {
      reject(new Error(`s3rver exited with ${code}`))
    })
  })
  return { port, child }
}

export interface StoredObject {
  readonly key: string
  readonly size: number
  readonly md5: string
  readonly sha256: string
}

export interface VendorServer {
  readonly endpoint: string
  readonly port: number
  readonly bucket: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  /** Every object uploaded (contents files excluded), by key. */
  readonly objects: Map<string, StoredObject>
  put(key: string, body: Uint8Array): Promise<StoredObject>
  /** Uploads `body` in parts of `partSize` bytes; resolves to the multipart ETag it serves. */
  putMultipart(key: string, body: Uint8Array, partSize: number): Promise<string>
  remove(key: string): Promise<void>
  /** (Re)writes {table}/contents.json.gz listing `keys` (zlib as the vendor, or gzip). */
  writeContents(table: string, keys: readonly string[], encoding?: 'zlib' | 'gzip'): Promise<void>
  close(): Promise<void>
}

export interface VendorServerOptions {
  readonly files: readonly VendorFile[]
  /** contents.json.gz per table (default zlib). */
  readonly contents?: 'zlib' | 'gzip' | 'none'
  /** Keys listed in contents.json.gz that are never uploaded (a listed but missing day). */
  readonly listedButAbsent?: readonly string[]
  /** Default qnt.data. */
  readonly bucket?: string
}

export async function startVendorS3(opts: VendorServerOptions): Promise<VendorServer> {
  const credentials = {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64')
  }
  const directory = mkdtempSync(join(tmpdir(), 'lakebook-s3rver-'))
  const bucket = opts.bucket ?? CRYPTO_LAKE.bucket
  const { port, child } = await spawnS3rver({ ...credentials, directory, bucket })
  const endpoint = `http://127.0.0.1:${port}`
  const admin = new S3Client({
    region: 'eu-west-1',
    endpoint,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED'
  })
  const objects = new Map<string, StoredObject>()
  const put = async (key: string, body: Uint8Array): Promise<StoredObject> => {
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))
    const o = { key, size: body.length, md5: hash('md5', body), sha256: hash('sha256', body) }
    if (!key.endsWith('contents.json.gz')) objects.set(key, o)
    return o
  }
  const writeContents = async (
    table: string,
    keys: readonly string[],
    encoding: 'zlib' | 'gzip' = 'zlib'
  ): Promise<void> => {
    const json = Buffer.from(JSON.stringify({ objects: keys }))
    const body = encoding === 'zlib' ? deflateSync(json) : gzipSync(json)
    await put(`${CRYPTO_LAKE.prefix}${table}/contents.json.gz`, body)
  }
  // A real multipart upload (the SDK's own commands: lib-storage's Upload refuses parts under
  // 5 MiB and puts a body smaller than one part in a single PutObject, while the real test files
  // are 0.2–1.3 MB; s3rver accepts parts of any size). s3rver 3.7.1 then answers with the whole
  // object's MD5 as its ETag, where S3 answers md5(the parts' binary MD5s) + "-<parts>": that value
  // is computed from the part ETags s3rver itself returned and written into its store's .md5
  // file, which s3rver serves as the ETag of GET, HEAD and listings.
  const putMultipart = async (key: string, body: Uint8Array, partSize: number): Promise<string> => {
    const { UploadId } = await admin.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key })
    )
    const partEtags: string[] = []
    for (let off = 0; off < body.length; off += partSize) {
      const r = await admin.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId,
          PartNumber: partEtags.length + 1,
          Body: body.subarray(off, off + partSize)
        })
      )
      partEtags.push((r.ETag ?? '').replace(/"/g, ''))
    }
    await admin.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: {
          Parts: partEtags.map((e, i) => ({ PartNumber: i + 1, ETag: `"${e}"` }))
        }
      })
    )
    const top = createHash('md5')
    for (const e of partEtags) top.update(Buffer.from(e, 'hex'))
    const etag = `${top.digest('hex')}-${partEtags.length}`
    const dirs = key.split('/')
    const name = dirs.pop() ?? ''
    writeFileSync(join(directory, bucket, ...dirs, `${name}._S3rver_object.md5`), etag)
    objects.set(key, {
      key,
      size: body.length,
      md5: hash('md5', body),
      sha256: hash('sha256', body)
    })
    return etag
  }
  for (const f of opts.files) await put(f.key, readFileSync(f.path))
  if (opts.contents !== 'none') {
    for (const table of new Set(opts.files.map((f) => f.table))) {
      const keys = [
        ...opts.files.filter((f) => f.table === table).map((f) => f.key),
        ...(opts.listedButAbsent ?? []).filter((k) => k.includes(`/${table}/`))
      ]
      await writeContents(table, keys, opts.contents ?? 'zlib')
    }
  }
  return {
    endpoint,
    port,
    bucket,
    credentials,
    objects,
    put,
    putMultipart,
    remove: async (key) => {
      await admin.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
      objects.delete(key)
    },
    writeContents,
    close: async () => {
      admin.destroy()
      const exited = once(child, 'exit')
      child.stdin?.end()
      await exited
      rmSync(directory, { recursive: true, force: true })
    }
  }
}

// Loopback download benchmark: MB/s of lakebook's downloadObjects (verified: MD5 vs ETag,
// sha256, Parquet footer, fsync + rename) against plain GetObject clients on the same objects
// from the same local S3 server (s3rver, in its own process) in the same run:
//   npx tsx bench/download.bench.ts          (or: npm run bench -- download)
// Env: BENCH_DOWNLOAD_COPIES = day keys per real file (default 8), BENCH_DOWNLOAD_RUNS (default 3).
//
// The objects are the six real-data Parquet files of the acquisition tests (spot-btcusdt-20240808
// converted by the project's writer, test/helpers/vendorBucket.ts), each uploaded under
// BENCH_DOWNLOAD_COPIES day keys so one run moves tens of MB. Loopback measures the client's own
// cost (HTTP parsing, hashing, writes, fsync), not a network: real S3 from a workstation is far
// slower, which is why concurrency matters there more than here.
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { mkdir, open } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import {
  createLakeClient,
  CRYPTO_LAKE,
  downloadObjects,
  inventory,
  objectKey,
  stagingPath,
  type LakeClient,
  type LakeObject
} from '../src-main/sources/cryptolake'
import {
  buildVendorBucketFiles,
  startVendorS3,
  VENDOR_EXCHANGE,
  VENDOR_SYMBOL
} from '../test/helpers/vendorBucket'
import { benchName, fmt, median, printTable, writeReport, type BenchRow } from './lib'

const COPIES = Number(process.env['BENCH_DOWNLOAD_COPIES'] ?? 8)
const RUNS = Number(process.env['BENCH_DOWNLOAD_RUNS'] ?? 3)

/** Plain client: GetObject → file, no checks, `concurrency` at a time; optionally fsynced. */
async function plainGet(
  client: LakeClient,
  objects: readonly LakeObject[],
  root: string,
  concurrency: number,
  durable = false
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const o = objects[next++] as LakeObject
      const path = stagingPath(root, o)
      await mkdir(dirname(path), { recursive: true })
      const r = await client.s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }))
      await pipeline(r.Body as Readable, createWriteStream(path))
      if (durable) {
        const fh = await open(path, 'r+')
        await fh.sync()
        await fh.close()
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

const files = await buildVendorBucketFiles()
const server = await startVendorS3({ files, contents: 'none' })
const client = createLakeClient({
  credentials: { kind: 'keys', ...server.credentials },
  endpoint: server.endpoint
})
try {
  const start = Date.parse('2024-08-08T00:00:00Z')
  for (let c = 1; c < COPIES; c++) {
    for (const f of files) {
      // Same bytes under later day keys (the first copy is the file's own day).
      const dt = new Date(start + (c * 2 + (f.dt === '2024-08-09' ? 1 : 0)) * 86_400_000)
        .toISOString()
        .slice(0, 10)
      await server.put(
        objectKey(CRYPTO_LAKE, {
          table: f.table,
          exchange: VENDOR_EXCHANGE,
          symbol: VENDOR_SYMBOL,
          dt,
          filename: f.filename
        }),
        readFileSync(f.path)
      )
    }
  }
  const objects = (await inventory(client, { exchange: VENDOR_EXCHANGE, symbol: VENDOR_SYMBOL }))
    .objects
  const bytes = objects.reduce((a, o) => a + (o.size ?? 0), 0)
  const mb = bytes / 1e6

  const impls: { name: string; run: (root: string) => Promise<void> }[] = [
    {
      name: 'plain GetObject, sequential',
      run: (root) => plainGet(client, objects, root, 1)
    },
    {
      name: 'plain GetObject, 4 at a time',
      run: (root) => plainGet(client, objects, root, 4)
    },
    {
      name: 'plain GetObject + fsync, sequential',
      run: (root) => plainGet(client, objects, root, 1, true)
    },
    {
      name: 'downloadObjects, 1 at a time (verified)',
      run: async (root) => {
        const s = await downloadObjects(client, objects, { lakeRoot: root, concurrency: 1 })
        if (s.verified !== objects.length) throw new Error(`only ${s.verified} verified`)
      }
    },
    {
      name: 'downloadObjects, 4 at a time (verified)',
      run: async (root) => {
        const s = await downloadObjects(client, objects, { lakeRoot: root, concurrency: 4 })
        if (s.verified !== objects.length) throw new Error(`only ${s.verified} verified`)
      }
    }
  ]
  const samples = new Map<string, number[]>(impls.map((i) => [i.name, []]))
  // Warm-up (connections, JIT, page cache on the server side), then interleaved timed runs.
  for (const impl of impls) {
    const root = mkdtempSync(join(tmpdir(), 'lakebook-bench-dl-'))
    await impl.run(root)
    rmSync(root, { recursive: true, force: true })
  }
  const loadBefore = loadavg()[0] ?? 0
  for (let r = 0; r < RUNS; r++) {
    for (const impl of impls) {
      const root = mkdtempSync(join(tmpdir(), 'lakebook-bench-dl-'))
      const t0 = performance.now()
      await impl.run(root)
      const s = (performance.now() - t0) / 1000
      rmSync(root, { recursive: true, force: true })
      samples.get(impl.name)?.push(mb / s)
    }
  }

  const caseName = `loopback s3rver · ${objects.length} objects · ${fmt(mb)} MB`
  const baseline = impls[0]?.name ?? ''
  const base = median(samples.get(baseline) ?? [])
  const rows: BenchRow[] = impls.map((impl) => {
    const xs = samples.get(impl.name) ?? []
    const v = median(xs)
    return {
      case: caseName,
      impl: impl.name,
      metric: 'MB/s',
      value: Math.round(v * 10) / 10,
      lowerIsBetter: false,
      ...(impl.name === baseline
        ? {}
        : { vsBaseline: Math.round((v / base) * 100) / 100, baseline }),
      details: {
        runsMBps: xs.map((x) => Math.round(x * 10) / 10),
        objects: objects.length,
        bytes,
        secondsMedian: Math.round((mb / v) * 1000) / 1000
      }
    }
  })
  printTable(
    ['impl', 'MB/s', 'vs sequential'],
    rows.map((r) => [r.impl, fmt(r.value), r.vsBaseline === undefined ? '' : `${r.vsBaseline}×`])
  )
  const out = writeReport(benchName(import.meta.url), rows, [
    `Objects: the 6 real-data Parquet files (spot-btcusdt-20240808 via lakeRowsFromCapture + writeLakeTable), each under ${COPIES} day keys; MB = 1e6 bytes.`,
    `s3rver 3.7.1 in its own Node process on 127.0.0.1 (the second core); ${RUNS} timed runs per impl after a warm-up, interleaved; value = median.`,
    'downloadObjects verifies every file (size, MD5 = ETag, Parquet footer, sha256), writes .part files, fsyncs and renames; the plain clients only stream to a file.',
    'Loopback: measures client cost, not a network; real S3 throughput depends on the link.',
    `Load average (1 min) before / after the timed runs: ${loadBefore.toFixed(2)} / ${loadavg()[0]?.toFixed(2) ?? '?'} on ${availableParallelism()} cores (other work on the machine shows up as noise).`
  ])
  console.log(`wrote ${out}`)
} finally {
  client.destroy()
  await server.close()
}

// `lakebook sample fetch`: the vendor's three public sample objects, fetched anonymously with the
// download engine (resumable .part files, multipart ETag check) into <lake>/sample-download/,
// each checked against what is recorded of it (sample.ts: bytes, ETag, sha256, footer rows),
// then — only when all three hold — imported into the lake (hard links, the import path),
// validated day by day, and the delta day replayed with progressive seeding (it has no `book`).
// Import, validation and replay are steps the caller supplies (the CLI runs them as jobs; tests
// call the runners), so this module only decides what runs and in which order.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ReplayLakeParams } from '../../../src-shared/jobs'
import type { LakeReplayResult } from '../../../src-shared/lake'
import type {
  ImportResult,
  ValidateParams,
  ValidationRunResult
} from '../../../src-shared/validate'
import { CancelledError, errorMessage } from '../../util/errors'
import { lakePaths } from '../../lake/paths'
import { readFooter } from '../../lake/parquet/footer'
import { createLakeClient } from './client'
import { downloadObjects, type DownloadProgress } from './download'
import { partSizeLabel } from './etag'
import {
  CRYPTO_LAKE_REGION,
  CRYPTO_LAKE_SAMPLE,
  parsePartitionKey,
  type LakeObject
} from './layout'
import type { FileRecord } from './ledger'
import { MemoryLedger } from './ledger'
import type { LogFn } from './redact'
import {
  SAMPLE_EXCHANGE,
  SAMPLE_OBJECTS,
  SAMPLE_SYMBOL,
  sampleReplayDay,
  type SampleObject
} from './sample'

export interface SampleFetchOptions {
  readonly lakeRoot: string
  /** An S3-compatible server instead of AWS (tests). */
  readonly endpoint?: string
  readonly signal?: AbortSignal
  readonly onProgress?: (p: DownloadProgress) => void
  readonly log?: LogFn
}

export interface SampleObjectCheck {
  readonly key: string
  readonly table: string
  readonly dt: string
  readonly verified: boolean
  /** One plain sentence per check that failed (empty when verified). */
  readonly problems: readonly string[]
  readonly bytes: number | null
  readonly etag: string | null
  /** The part size that reproduced the multipart ETag, e.g. "8 MiB". */
  readonly etagPartSize: string | null
  readonly sha256: string | null
  readonly rows: number | null
}

export interface SampleFetchResult {
  readonly source: string
  /** Where the objects were downloaded (the vendor layout under its staging/). */
  readonly downloadDir: string
  readonly objects: readonly SampleObjectCheck[]
  readonly verified: boolean
  readonly bytesTransferred: number
  readonly elapsedMs: number
  readonly cancelled: boolean
}

/** <lake>/sample-download: the download engine writes into its staging/ subfolder. */
export const sampleDownloadRoot = (lakeRoot: string): string => join(lakeRoot, 'sample-download')

function lakeObject(o: SampleObject): LakeObject {
  const p = parsePartitionKey(CRYPTO_LAKE_SAMPLE, o.key)
  if (p === null) throw new Error(`sample key ${o.key} is not in the vendor layout`)
  // The recorded size and ETag stand in for a listing: the progress bar gets its total, a file
  // left by an earlier run is re-checked against them, and a server holding another object is
  // logged as "changed", fetched anyway and reported by checkObject.
  return {
    bucket: CRYPTO_LAKE_SAMPLE.bucket,
    key: o.key,
    ...p,
    size: o.bytes,
    etag: o.etag,
    lastModified: null
  }
}

async function checkObject(
  o: SampleObject,
  rec: FileRecord | undefined,
  downloadDir: string
): Promise<SampleObjectCheck> {
  const base = { key: o.key, table: o.table, dt: o.dt }
  if (rec === undefined || rec.status !== 'verified' || rec.path === null) {
    return {
      ...base,
      verified: false,
      problems: [
        rec === undefined
          ? 'It was not downloaded (the run stopped or was cancelled first).'
          : `The download ${rec.status === 'failed' ? 'failed' : `was ${rec.status}`}: ${rec.reason ?? 'no reason given'}.`
      ],
      bytes: rec?.size ?? null,
      etag: rec?.etag ?? null,
      etagPartSize: null,
      sha256: rec?.sha256 ?? null,
      rows: null
    }
  }
  const problems: string[] = []
  if (rec.size !== o.bytes)
    problems.push(`Its size is ${rec.size ?? '?'} bytes, the recorded object has ${o.bytes}.`)
  if (rec.etag !== o.etag)
    problems.push(`The server's ETag is ${rec.etag ?? 'missing'}, the recorded one ${o.etag}.`)
  if (!rec.etagVerified)
    problems.push(`Its ETag was not verified against the bytes: ${rec.etagNote ?? 'no reason'}.`)
  if (rec.sha256 !== o.sha256)
    problems.push(`Its sha256 is ${rec.sha256 ?? '?'}, the recorded one ${o.sha256}.`)
  let rows: number | null = null
  try {
    rows = (await readFooter(join(downloadDir, rec.path))).rows
    if (rows !== o.rows)
      problems.push(`Its Parquet footer holds ${rows} rows, the recorded object ${o.rows}.`)
  } catch (e) {
    problems.push(`Its Parquet footer could not be read: ${errorMessage(e)}.`)
  }
  return {
    ...base,
    verified: problems.length === 0,
    problems,
    bytes: rec.size,
    etag: rec.etag,
    etagPartSize: rec.etagPartSize === null ? null : partSizeLabel(rec.etagPartSize),
    sha256: rec.sha256,
    rows
  }
}

/**
 * Downloads and checks the sample objects. `expected` replaces the recorded table (tests only:
 * a local server cannot hold the vendor's bytes).
 */
export async function fetchSample(
  opts: SampleFetchOptions,
  expected: readonly SampleObject[] = SAMPLE_OBJECTS
): Promise<SampleFetchResult> {
  const client = createLakeClient({
    credentials: { kind: 'anonymous' },
    location: CRYPTO_LAKE_SAMPLE,
    region: CRYPTO_LAKE_REGION,
    // The bucket name has dots: virtual-host TLS would not match S3's certificate.
    forcePathStyle: true,
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint })
  })
  const downloadDir = sampleDownloadRoot(opts.lakeRoot)
  const ledger = new MemoryLedger()
  try {
    const s = await downloadObjects(client, expected.map(lakeObject), {
      lakeRoot: downloadDir,
      ledger,
      concurrency: 3,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
      ...(opts.log === undefined ? {} : { log: opts.log })
    })
    const objects: SampleObjectCheck[] = []
    for (const o of expected)
      objects.push(
        await checkObject(o, ledger.getFile(CRYPTO_LAKE_SAMPLE.bucket, o.key), downloadDir)
      )
    return {
      source: client.describe(),
      downloadDir,
      objects,
      verified: !s.cancelled && objects.every((o) => o.verified),
      bytesTransferred: s.bytesTransferred,
      elapsedMs: s.elapsedMs,
      cancelled: s.cancelled
    }
  } finally {
    client.destroy()
  }
}

/** What the flow needs done after the fetch; each step fails by throwing (a plain sentence). */
export interface SampleSteps {
  importDir(dir: string): Promise<ImportResult>
  validate(params: ValidateParams): Promise<ValidationRunResult>
  replay(params: ReplayLakeParams): Promise<LakeReplayResult>
}

export type Verdict = 'pass' | 'warn' | 'fail'

export interface SampleFlowResult {
  readonly lakeRoot: string
  readonly fetch: SampleFetchResult
  readonly imported: ImportResult | null
  readonly validation: {
    readonly verdict: Verdict
    readonly runs: readonly ValidationRunResult[]
  } | null
  readonly replayDay: string | null
  readonly replay: LakeReplayResult | null
  /** Why the flow stopped before its end (a plain sentence), or null when it ran through. */
  readonly stopped: string | null
}

function verdictOf(runs: readonly ValidationRunResult[]): Verdict {
  const fail = runs.some((r) => r.counts.fail > 0 || r.rules.some((x) => x.status === 'fail'))
  if (fail) return 'fail'
  const warn = runs.some((r) => r.counts.warn > 0 || r.rules.some((x) => x.status === 'warn'))
  return warn ? 'warn' : 'pass'
}

/** fetch → (all verified) import → validate per day → replay the delta day, progressive seed. */
export async function runSampleFlow(
  opts: SampleFetchOptions,
  steps: SampleSteps,
  expected: readonly SampleObject[] = SAMPLE_OBJECTS
): Promise<SampleFlowResult> {
  const fetch = await fetchSample(opts, expected)
  const day = sampleReplayDay(expected)
  const result = {
    lakeRoot: opts.lakeRoot,
    fetch,
    imported: null,
    validation: null,
    replayDay: day,
    replay: null
  }
  if (fetch.cancelled) return { ...result, stopped: 'The download was cancelled.' }
  if (!fetch.verified) {
    const bad = fetch.objects.filter((o) => !o.verified).map((o) => o.key)
    return {
      ...result,
      stopped: `Not imported: ${bad.length} of ${fetch.objects.length} sample objects did not pass their checks (${bad.join(', ')}).`
    }
  }
  const imported = await steps.importDir(join(fetch.downloadDir, 'staging'))
  const runs: ValidationRunResult[] = []
  // One run per day with that day's tables: the sample's days are 18 months apart, and a range
  // over both would report every day between them as missing.
  for (const dt of [...new Set(expected.map((o) => o.dt))].sort()) {
    const tables = [...new Set(expected.filter((o) => o.dt === dt).map((o) => o.table))]
    runs.push(
      await steps.validate({
        exchange: SAMPLE_EXCHANGE,
        symbol: SAMPLE_SYMBOL,
        from: dt,
        to: dt,
        tables
      })
    )
  }
  const validation = { verdict: verdictOf(runs), runs }
  const done = { ...result, imported, validation }
  if (day === null) return { ...done, stopped: 'No book_delta_v2 object, so no day to replay.' }
  // The replay reads ready/: the delta file must be there (this run promoted it, or an earlier).
  const delta = expected.find((o) => o.table === 'book_delta_v2' && o.dt === day)
  if (delta === undefined || !existsSync(join(lakePaths.ready(opts.lakeRoot), delta.key)))
    return {
      ...done,
      stopped: `The book_delta_v2 file of ${day} did not pass validation, so it was not replayed.`
    }
  try {
    const replay = await steps.replay({
      root: opts.lakeRoot,
      exchange: SAMPLE_EXCHANGE,
      symbol: SAMPLE_SYMBOL,
      from: day,
      to: day,
      policy: { seed: 'progressive' },
      workers: 1,
      timeline: true
    })
    return { ...done, replay, stopped: null }
  } catch (e) {
    if (e instanceof CancelledError) throw e
    return { ...done, stopped: `The replay of ${day} failed: ${errorMessage(e)}` }
  }
}

// download: fetches objects into the lake's staging area, verified, resumable and bounded.
// - A few files at a time (default 4; anchors §6: 4–8 on a 2-core machine).
// - Bytes go to `<staging path>.part` with a sidecar naming the object's ETag (partFile.ts); a
//   later run, or a retry, continues with an HTTP Range request (If-Match the ETag, so a changed
//   object restarts from 0 instead of splicing two versions).
// - Retries with exponential backoff and jitter on 5xx, 429 (Retry-After honoured), timeouts and
//   stalls (no bytes for stallMs); attempts that made progress do not use up the retry budget.
// - 403 is recorded as denied and 404 as missing, never as an empty day; a 0-byte or truncated
//   object, or bytes that do not match their single-part ETag, as failed with the reason.
// - A multipart ETag is checked with the first candidate part size (8 MiB) hashed as the bytes
//   arrive, then other sizes (etag.ts); when none reproduces it the file is kept, recorded with
//   etagVerified false and the reason, logged as a warning and counted in etagUnverified.
// - Each file is checked before it takes its final name (fileCheck.ts), then fsynced and renamed;
//   nothing partial ever sits at a final path, and the ledger hears of a file only after that.
// - Progress (bytes and files done/total, throughput, ETA) through a callback; an AbortSignal
//   cancels, keeping .part files for the next run.
import { existsSync, rmSync, statSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { CancelledError } from '../../util/errors'
import type { ProgressStep } from '../../jobs/context'
import { isLakeTable, VENDOR_FINGERPRINTS } from '../../lake/parquet/schemas'
import type { LakeClient } from './client'
import { isMultipartEtag, PART_SIZE_CANDIDATES } from './etag'
import { checkDownloadedFile, FileHashes, type CheckResult } from './fileCheck'
import { bareEtag, stagingPath, stagingRelPath, type LakeObject } from './layout'
import type { AcquisitionLedger, FileRecord, FileStatus } from './ledger'
import { PartFile } from './partFile'
import { redactingLog, type LogFn } from './redact'
import { backoffMs, DEFAULT_RETRY, sleep, type RetryPolicy } from './retry'
import { describeS3Error, StallError, type S3Failure } from './s3errors'
import { makeDir } from '../../util/makeDir'

export interface DownloadOptions {
  /** Files go to `<lakeRoot>/staging/{table}/exchange=…/symbol=…/dt=…/{file}`. */
  readonly lakeRoot: string
  /** Files in flight at once (default 4). */
  readonly concurrency?: number
  readonly retry?: Partial<RetryPolicy>
  /** A request that delivers no bytes for this long is cut and retried (default 30 s). */
  readonly stallMs?: number
  readonly signal?: AbortSignal
  readonly onProgress?: (p: DownloadProgress) => void
  /** Progress callbacks at most this often (default 200 ms; file completions always report). */
  readonly progressIntervalMs?: number
  readonly log?: LogFn
  /** Where outcomes and transferred bytes are recorded; files verified there are skipped. */
  readonly ledger?: AcquisitionLedger
  /** Re-hash files the ledger holds as verified instead of trusting ledger + size (default false). */
  readonly recheckVerified?: boolean
  /** Bytes buffered per download before a write (default 1 MiB). */
  readonly writeBufferBytes?: number
  /** Fresh downloads after a size/ETag mismatch before giving up (default 2). */
  readonly integrityRetries?: number
  /** Part sizes tried for multipart ETags, the first hashed while downloading (etag.ts). */
  readonly partSizes?: readonly number[]
}

export interface DownloadProgress {
  readonly filesDone: number
  readonly filesTotal: number
  readonly filesFailed: number
  /** Bytes on disk for the files of this run (resumed and skipped ones included). */
  readonly bytesDone: number
  /** Sum of the known sizes. */
  readonly bytesTotal: number
  /** Bytes received in this run. */
  readonly bytesTransferred: number
  /** Recent receive rate (last ~5 s). */
  readonly bytesPerSec: number
  readonly etaMs: number | null
  /** Keys in flight. */
  readonly active: readonly string[]
}

/** DownloadProgress as a JobContext progress step (bytes, with files in the message). */
export function toJobProgress(p: DownloadProgress): ProgressStep {
  return {
    done: p.bytesDone,
    total: p.bytesTotal,
    unit: 'bytes',
    message: `${p.filesDone}/${p.filesTotal} files${p.filesFailed > 0 ? `, ${p.filesFailed} not verified` : ''}`
  }
}

export interface DownloadSummary {
  /** One record per file that reached an outcome (cancelled files have none). */
  readonly results: readonly FileRecord[]
  readonly verified: number
  /** Verified files whose ETag could not be checked (their records say why). */
  readonly etagUnverified: number
  readonly failed: number
  readonly denied: number
  readonly missing: number
  /** Verified files that were already in the ledger (no bytes fetched). */
  readonly alreadyVerified: number
  /** Files never started (cancel, or the run stopped on a credentials or disk problem). */
  readonly notStarted: number
  readonly bytesTransferred: number
  readonly elapsedMs: number
  /** bytesTransferred over the time spent transferring. */
  readonly bytesPerSec: number
  readonly cancelled: boolean
  /** Why the run stopped early (expired or refused credentials, local disk), or null. */
  readonly stopped: string | null
}

/** A local file-system error (as opposed to S3 or the network). */
class LocalIoError extends Error {
  override readonly name = 'LocalIoError'
  constructor(
    readonly path: string,
    readonly code: string | null,
    cause: unknown
  ) {
    super(`${path}: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

/** A download in progress: the .part holds exactly `offset` bytes, all fed to `hashes`. */
interface FileState {
  offset: number
  hashes: FileHashes
  etag: string | null
  size: number | null
  /** x-amz-server-side-encryption once a response (or the sidecar) told it. */
  sse: string | null | undefined
}

type FetchOutcome = (
  | { readonly kind: 'ok' }
  | { readonly kind: 'failed'; readonly failure: S3Failure; readonly progressed: boolean }
  | { readonly kind: 'changed'; readonly etag: string | null; readonly size: number | null }
  | { readonly kind: 'io'; readonly error: LocalIoError }
) & {
  /** Bytes this request received (the run's counters are shared by all workers). */
  readonly received: number
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

type PassedCheck = Extract<CheckResult, { ok: true }>

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/

/** Recent throughput: bytes in 100 ms buckets over the last ~5 s (O(1) per chunk). */
class Meter {
  private readonly buckets = new Float64Array(50)
  private head = 0 // index of the current bucket
  private headAt = 0 // its 100 ms slot number
  add(bytes: number, now = performance.now()): void {
    this.advance(now)
    this.buckets[this.head] = (this.buckets[this.head] ?? 0) + bytes
  }
  rate(startedAt: number, now = performance.now()): number {
    this.advance(now)
    const span = Math.min(this.buckets.length * 100, now - startedAt) / 1000
    if (span <= 0) return 0
    let n = 0
    for (const b of this.buckets) n += b
    return n / span
  }
  private advance(now: number): void {
    const slot = Math.floor(now / 100)
    const steps = Math.min(slot - this.headAt, this.buckets.length)
    for (let i = 0; i < steps; i++) {
      this.head = (this.head + 1) % this.buckets.length
      this.buckets[this.head] = 0
    }
    this.headAt = slot
  }
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off)
    off += bytesWritten
  }
}

export async function downloadObjects(
  client: LakeClient,
  requested: readonly LakeObject[],
  opts: DownloadOptions
): Promise<DownloadSummary> {
  // The same key twice would have two workers writing one .part.
  const objects = [...new Map(requested.map((o) => [`${o.bucket}\n${o.key}`, o])).values()]
  const log = redactingLog(client.redactor, opts.log)
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry }
  const concurrency = Math.max(1, opts.concurrency ?? 4)
  const stallMs = opts.stallMs ?? 30_000
  const writeBuffer = opts.writeBufferBytes ?? 1 << 20
  const maxIntegrityRetries = opts.integrityRetries ?? 2
  const signal = opts.signal
  const ledger = opts.ledger
  const partSizes = opts.partSizes ?? PART_SIZE_CANDIDATES
  /** Hashers for an object with this ETag: part MD5s only when the ETag is multipart. */
  const partSizeFor = (etag: string | null): number | undefined =>
    isMultipartEtag(etag) ? partSizes[0] : undefined
  // A function, not `signal?.aborted` inline: TypeScript would keep an earlier narrowing of it.
  const aborted = (): boolean => signal?.aborted === true

  const started = performance.now()
  const meter = new Meter()
  const results: FileRecord[] = []
  const active = new Set<string>()
  const bytesTotal = objects.reduce((s, o) => s + (o.size ?? 0), 0)
  let bytesDone = 0
  let bytesSettled = 0 // bytes of files that ended without being verified (for the ETA)
  let transferred = 0
  let filesDone = 0
  let filesFailed = 0
  let alreadyVerified = 0
  // A holder, not a `let`: it is set inside closures, where TypeScript would not see it change.
  const run: { stopped: string | null } = { stopped: null }
  let lastProgress = -Infinity

  const progress = (force = false): void => {
    if (opts.onProgress === undefined) return
    const now = performance.now()
    if (!force && now - lastProgress < (opts.progressIntervalMs ?? 200)) return
    lastProgress = now
    const rate = meter.rate(started, now)
    const remaining = Math.max(0, bytesTotal - bytesDone - bytesSettled)
    opts.onProgress({
      filesDone,
      filesTotal: objects.length,
      filesFailed,
      bytesDone,
      bytesTotal,
      bytesTransferred: transferred,
      bytesPerSec: rate,
      etaMs: rate > 0 ? (remaining / rate) * 1000 : remaining === 0 ? 0 : null,
      active: [...active]
    })
  }

  log(
    'info',
    `downloading ${objects.length} file(s), ${bytesTotal} bytes, from ${client.describe()} ` +
      `to ${opts.lakeRoot}, ${concurrency} at a time`
  )

  /** One GET from `offset` into the .part; hashes and offset advance only with written bytes. */
  const fetchInto = async (o: LakeObject, part: PartFile, st: FileState): Promise<FetchOutcome> => {
    const out = (o: DistributiveOmit<FetchOutcome, 'received'>): FetchOutcome => ({
      ...o,
      received: got
    })
    const what = `s3://${o.bucket}/${o.key}`
    const ac = new AbortController()
    const onAbort = (): void => {
      ac.abort()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const stall = { fired: false } // a holder: set inside the timer callback
    let body: Readable | null = null
    const timer = setTimeout(() => {
      stall.fired = true
      const err = new StallError(stallMs)
      ac.abort(err)
      body?.destroy(err)
    }, stallMs)
    let got = 0
    let fh: FileHandle | null = null
    const pending: Buffer[] = []
    let pendingBytes = 0
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return
      const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending)
      pending.length = 0
      pendingBytes = 0
      try {
        fh ??= await open(part.part, 'a')
        await writeAll(fh, buf)
      } catch (e) {
        throw new LocalIoError(part.part, (e as { code?: string }).code ?? null, e)
      }
      st.hashes.update(buf)
      st.offset += buf.length
      bytesDone += buf.length
    }
    try {
      const ranged = st.offset > 0
      const res = await client.s3.send(
        new GetObjectCommand({
          Bucket: o.bucket,
          Key: o.key,
          ...(ranged ? { Range: `bytes=${st.offset}-` } : {}),
          ...(ranged && st.etag !== null ? { IfMatch: `"${st.etag}"` } : {})
        }),
        { abortSignal: ac.signal }
      )
      body = (res.Body ?? null) as Readable | null
      const resEtag = bareEtag(res.ETag)
      const m = CONTENT_RANGE.exec(res.ContentRange ?? '')
      const total = m ? (m[3] === '*' ? null : Number(m[3])) : (res.ContentLength ?? null)
      if (ranged && (m === null || Number(m[1]) !== st.offset)) {
        // The server ignored or moved our range: start clean rather than guess.
        body?.destroy()
        return out({ kind: 'changed', etag: resEtag, size: total })
      }
      if (
        (st.etag !== null && resEtag !== null && resEtag !== st.etag) ||
        (st.size !== null && total !== null && total !== st.size)
      ) {
        body?.destroy()
        log(
          'warn',
          `${what} changed since it was listed (ETag ${st.etag ?? '?'} → ${resEtag ?? '?'}, size ${st.size ?? '?'} → ${total ?? '?'}); starting over`
        )
        return out({ kind: 'changed', etag: resEtag, size: total })
      }
      const sse = res.ServerSideEncryption ?? null
      if (
        (st.etag === null && resEtag !== null) ||
        (st.size === null && total !== null) ||
        st.sse !== sse
      ) {
        st.etag ??= resEtag
        st.size ??= total
        st.sse = sse
        part.writeSidecar({ key: o.key, etag: st.etag, size: st.size, sse })
        // An ETag first learned here: hash its parts from the start when nothing is hashed yet.
        if (st.offset === 0 && st.hashes.parts === null && partSizeFor(st.etag) !== undefined)
          st.hashes = new FileHashes(partSizeFor(st.etag))
      }
      if (body === null) throw new Error('response without a body')
      for await (const chunk of body as AsyncIterable<Buffer>) {
        timer.refresh()
        got += chunk.length
        transferred += chunk.length
        meter.add(chunk.length)
        pending.push(chunk)
        pendingBytes += chunk.length
        if (pendingBytes >= writeBuffer) await flush()
        progress()
      }
      await flush()
      if (st.size !== null && st.offset < st.size) {
        // The body ended cleanly but short (a proxy that closed early): a network failure.
        throw Object.assign(new Error(`body ended at byte ${st.offset} of ${st.size}`), {
          code: 'ERR_STREAM_PREMATURE_CLOSE'
        })
      }
      return out({ kind: 'ok' })
    } catch (e) {
      if (e instanceof LocalIoError) return out({ kind: 'io', error: e })
      // Keep what arrived intact before the failure: the next attempt continues after it.
      try {
        await flush()
      } catch (w) {
        if (w instanceof LocalIoError) return out({ kind: 'io', error: w })
        throw w
      }
      const failure = describeS3Error(
        stall.fired ? new StallError(stallMs) : e,
        client.redactor,
        what,
        aborted()
      )
      return out({ kind: 'failed', failure, progressed: got > 0 })
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      await (fh as FileHandle | null)?.close()
      if (got > 0) {
        ledger?.recordTransfer({
          at: new Date().toISOString(),
          bucket: o.bucket,
          key: o.key,
          bytes: got
        })
      }
    }
  }

  /** Accounting of one file's bytes in bytesDone, so a restart or failure can settle it. */
  const account = {
    add: (a: { done: number }, n: number): void => {
      a.done += n
      bytesDone += n
    }
  }

  /** Downloads and verifies one object; null when cancelled. */
  const runOne = async (
    o: LakeObject,
    acct: { done: number }
  ): Promise<{ rec: FileRecord; reused: boolean } | null> => {
    const finalPath = stagingPath(opts.lakeRoot, o)
    const relPath = stagingRelPath(opts.lakeRoot, o)
    const what = `s3://${o.bucket}/${o.key}`
    let attempts = 0
    let got = 0
    const record = (
      status: FileStatus,
      reason: string | null,
      extra: Partial<FileRecord> = {}
    ): { rec: FileRecord; reused: boolean } => ({
      reused: false,
      rec: {
        bucket: o.bucket,
        key: o.key,
        table: o.table,
        exchange: o.exchange,
        symbol: o.symbol,
        dt: o.dt,
        filename: o.filename,
        status,
        reason: reason === null ? null : client.redactor.redact(reason),
        size: o.size,
        etag: o.etag,
        etagVerified: false,
        etagPartSize: null,
        etagNote: null,
        md5: null,
        sha256: null,
        rowCount: null,
        rowGroups: null,
        schemaFingerprint: null,
        schema: null,
        kv: null,
        path: null,
        attempts,
        bytesTransferred: got,
        recordedAt: new Date().toISOString(),
        ...extra
      }
    })
    const verified = (c: PassedCheck, etag: string | null, size: number) => {
      const f = c.footer
      if (isLakeTable(o.table) && f.fingerprint !== VENDOR_FINGERPRINTS[o.table]) {
        log(
          'warn',
          `${what}: schema fingerprint ${f.fingerprint} differs from the vendor's ` +
            `${VENDOR_FINGERPRINTS[o.table]} for ${o.table}`
        )
      }
      const expect = { exchange: o.exchange, symbol: o.symbol, event_type: o.table, date: o.dt }
      for (const [k, want] of Object.entries(expect)) {
        const v = f.kv[k]
        if (v !== undefined && v !== want)
          log('warn', `${what}: file metadata ${k}=${v}, the path says ${want}`)
      }
      return record('verified', null, {
        size,
        etag,
        etagVerified: c.etagVerified,
        etagPartSize: c.etagPartSize,
        etagNote: c.etagNote,
        md5: c.md5,
        sha256: c.sha256,
        rowCount: f.rows,
        rowGroups: f.rowGroups.length,
        schemaFingerprint: f.fingerprint,
        schema: f.columns.map(({ name, type }) => ({ name, type })),
        kv: f.kv,
        path: relPath
      })
    }
    const localFailure = (e: unknown, path: string) => {
      const err = e instanceof LocalIoError ? e : new LocalIoError(path, null, e)
      run.stopped ??= `local disk: ${err.message}`
      log('error', `local disk: ${err.message}`)
      return record('failed', `local disk: ${err.message}`)
    }

    // Verified in an earlier run: trust ledger + size unless asked to re-check. The ledger's path
    // is where the file is now (the data gate moves it from staging/ to ready/ and updates it).
    const prev = ledger?.getFile(o.bucket, o.key)
    const recorded = prev?.path ? join(opts.lakeRoot, prev.path) : finalPath
    if (
      opts.recheckVerified !== true &&
      prev?.status === 'verified' &&
      (o.etag === null || prev.etag === o.etag) &&
      existsSync(recorded) &&
      statSync(recorded).size === prev.size
    ) {
      account.add(acct, prev.size)
      return { rec: prev, reused: true }
    }

    try {
      makeDir(dirname(finalPath))
      PartFile.cleanLeftovers(finalPath)
    } catch (e) {
      return localFailure(e, dirname(finalPath))
    }
    const part = new PartFile(finalPath)

    // A file at the final path the ledger does not vouch for (killed between rename and record,
    // or an earlier version of the object): check it where it is.
    if (existsSync(finalPath)) {
      const hashes = await FileHashes.ofFile(finalPath, undefined, partSizeFor(o.etag))
      const size = hashes.bytes
      const c = await checkDownloadedFile(finalPath, hashes, {
        size: o.size,
        etag: o.etag,
        partSizes
      })
      if (c.ok) {
        part.discard()
        account.add(acct, size)
        return verified(c, o.etag, size)
      }
      log('warn', `${finalPath} is not the listed object (${c.reason}); downloading it again`)
      rmSync(finalPath, { force: true })
    }

    if (o.size === 0) {
      part.discard()
      return record('failed', `${what}: empty object (0 bytes): no data for this partition`)
    }

    const st: FileState = {
      offset: 0,
      hashes: new FileHashes(partSizeFor(o.etag)),
      etag: o.etag,
      size: o.size,
      sse: undefined
    }
    try {
      const r = part.resume({ key: o.key, etag: st.etag, size: st.size })
      st.offset = r.offset
      st.etag = r.id.etag
      st.size = r.id.size
      st.sse = r.id.sse
      if (st.offset > 0) {
        st.hashes = await FileHashes.ofFile(part.part, st.offset, partSizeFor(st.etag))
        account.add(acct, st.offset)
        log('info', `${what}: resuming at byte ${st.offset} of ${st.size ?? '?'}`)
      }
    } catch (e) {
      return localFailure(e, part.part)
    }
    const restart = (etag: string | null, size: number | null): void => {
      account.add(acct, -acct.done)
      st.offset = 0
      st.hashes = new FileHashes(partSizeFor(etag))
      st.etag = etag
      st.size = size
      st.sse = undefined
      part.reset({ key: o.key, etag, size })
    }

    let failures = 0
    let integrity = 0
    for (;;) {
      if (aborted()) return null
      if (attempts >= policy.maxTotalAttempts) {
        return record('failed', `${what}: gave up after ${attempts} attempts`)
      }
      if (st.size === null || st.offset < st.size) {
        // Bytes past the hashed prefix (a write cut short) are not trusted: cut them off.
        const len = part.length()
        if (len > st.offset) part.truncate(st.offset)
        else if (len < st.offset) restart(st.etag, st.size)
        attempts++
        const doneBefore = st.offset
        const out = await fetchInto(o, part, st)
        got += out.received
        acct.done += st.offset - doneBefore // fetchInto already added these to bytesDone
        if (out.kind === 'io') return localFailure(out.error, part.part)
        if (out.kind === 'changed') {
          restart(out.etag, out.size)
          continue
        }
        if (out.kind === 'failed') {
          const f = out.failure
          if (f.kind === 'cancelled' || aborted()) return null
          if (f.kind === 'not-found') {
            part.discard()
            return record('missing', f.message)
          }
          if (f.kind === 'denied' || f.kind === 'expired' || f.kind === 'wrong-region') {
            if (f.credentials) run.stopped ??= f.message
            return record('denied', f.message)
          }
          if (f.kind === 'precondition' || f.kind === 'range') {
            log('warn', `${f.message}; starting over`)
            restart(null, null)
            continue
          }
          if (!f.retryable) {
            part.discard()
            return record('failed', f.message)
          }
          failures = out.progressed ? 1 : failures + 1
          if (failures >= policy.maxAttempts) {
            return record('failed', `${f.message}; gave up after ${attempts} attempt(s)`)
          }
          const wait = backoffMs(policy, failures, f)
          log('warn', `${f.message}; retry in ${wait} ms (attempt ${attempts})`)
          try {
            await sleep(wait, signal)
          } catch (e) {
            if (e instanceof CancelledError) return null
            throw e
          }
          continue
        }
        failures = 0
        st.size ??= st.offset
      }

      const c = await checkDownloadedFile(part.part, st.hashes, {
        size: st.size,
        etag: st.etag,
        sse: st.sse ?? null,
        partSizes
      })
      if (!c.ok) {
        if (c.transfer && integrity < maxIntegrityRetries) {
          integrity++
          log(
            'warn',
            `${what}: ${c.reason}; downloading it again (${integrity}/${maxIntegrityRetries})`
          )
          restart(st.etag, st.size)
          continue
        }
        part.discard()
        return record('failed', `${what}: ${c.reason}`, {
          md5: c.md5,
          sha256: c.sha256,
          size: st.size,
          etag: st.etag
        })
      }
      try {
        await part.commit()
      } catch (e) {
        return localFailure(e, finalPath)
      }
      return verified(c, st.etag, st.size)
    }
  }

  let next = 0
  let cancelledFiles = 0
  const worker = async (): Promise<void> => {
    while (next < objects.length && run.stopped === null && !aborted()) {
      const o = objects[next++] as LakeObject
      const acct = { done: 0 }
      active.add(o.key)
      let out: { rec: FileRecord; reused: boolean } | null
      try {
        out = await runOne(o, acct)
      } finally {
        active.delete(o.key)
      }
      if (out === null) {
        cancelledFiles++
        continue
      }
      const r = out.rec
      results.push(r)
      if (out.reused) alreadyVerified++
      else ledger?.recordFile(r)
      if (r.status === 'verified') filesDone++
      else {
        filesFailed++
        bytesSettled += Math.max(0, (o.size ?? 0) - acct.done)
      }
      if (r.status === 'verified' && !r.etagVerified)
        log(
          'warn',
          `${o.table} ${o.dt} ${o.filename}: ETag ${r.etag ?? '(none)'} not verified: ${r.etagNote ?? 'recorded without an ETag check'}`
        )
      log(
        r.status === 'verified' ? 'info' : 'warn',
        r.status === 'verified'
          ? `verified ${o.table} ${o.dt} ${o.filename}: ${r.size ?? 0} bytes, ${r.rowCount ?? 0} rows, ` +
              `sha256 ${(r.sha256 ?? '').slice(0, 16)}…${out.reused ? ' (already)' : ''}`
          : `${r.status}: ${r.reason ?? ''}`
      )
      progress(true)
    }
  }
  const workers = Math.min(concurrency, Math.max(1, objects.length))
  await Promise.all(Array.from({ length: workers }, worker))

  const elapsedMs = performance.now() - started
  const count = (s: FileStatus): number => results.filter((r) => r.status === s).length
  const summary: DownloadSummary = {
    results,
    verified: count('verified'),
    etagUnverified: results.filter((r) => r.status === 'verified' && !r.etagVerified).length,
    failed: count('failed'),
    denied: count('denied'),
    missing: count('missing'),
    alreadyVerified,
    notStarted: objects.length - results.length - cancelledFiles,
    bytesTransferred: transferred,
    elapsedMs,
    bytesPerSec: transferred / Math.max(elapsedMs / 1000, 1e-9),
    cancelled: aborted(),
    stopped: run.stopped
  }
  progress(true)
  log(
    summary.verified === objects.length ? 'info' : 'warn',
    `done: ${summary.verified} verified (${alreadyVerified} already; ETag not verified ${summary.etagUnverified}), ${summary.failed} failed, ` +
      `${summary.denied} denied, ${summary.missing} missing, ${summary.notStarted} not started; ` +
      `${transferred} bytes in ${(elapsedMs / 1000).toFixed(1)} s` +
      `${summary.cancelled ? '; cancelled' : ''}${run.stopped === null ? '' : `; stopped: ${run.stopped}`}`
  )
  return summary
}

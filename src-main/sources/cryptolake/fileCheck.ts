// The checks a downloaded file must pass before it may take its final name: size as listed, MD5
// equal to a single-part ETag, Parquet magic at both ends and a readable footer (row count,
// schema → fingerprint), plus its sha256 for the manifest. Crypto Lake publishes no checksums
// (research notes §1.6), so the ETag and the footer are all the evidence there is; a 0-byte or
// truncated object is a failure to record, never an empty day. The footer is read by the
// project's one footer reader (lake/parquet/footer.ts), the same one validation uses.
// A multipart ETag (etag.ts) is checked with the part sizes that fit its part count; when none
// reproduces it the file still passes (size and footer held; the part size may simply be one we
// do not know) but with etagVerified false and the reason, which download reports and counts.
import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { checkMultipartEtag, etagForm, PART_SIZE_CANDIDATES, PartMd5 } from './etag'
import { InputError, errorMessage } from '../../util/errors'
import { readFooter, type LakeFooter } from '../../lake/parquet/footer'

/**
 * sha256 of a byte stream, fed as it arrives, plus what the ETag is checked with: the whole
 * MD5, or for a multipart ETag (`partSize` given) the part MD5s instead — the whole MD5 proves
 * nothing there, and one MD5 pass instead of two keeps hashing at its single-part cost.
 */
export class FileHashes {
  private readonly md5: Hash | null
  private readonly sha: Hash = createHash('sha256')
  /** Part MD5s for a multipart ETag, at the first candidate part size; null when not asked. */
  readonly parts: PartMd5 | null
  bytes = 0

  constructor(partSize?: number) {
    this.parts = partSize === undefined ? null : new PartMd5(partSize)
    this.md5 = partSize === undefined ? createHash('md5') : null
  }

  update(chunk: Uint8Array): void {
    this.md5?.update(chunk)
    this.sha.update(chunk)
    this.parts?.update(chunk)
    this.bytes += chunk.length
  }

  /** The whole MD5 is null when part MD5s were computed instead. */
  digest(): { md5: string | null; sha256: string } {
    return { md5: this.md5?.digest('hex') ?? null, sha256: this.sha.digest('hex') }
  }

  /** Hashes the first `length` bytes of a file (a resumed .part). */
  static async ofFile(path: string, length?: number, partSize?: number): Promise<FileHashes> {
    const h = new FileHashes(partSize)
    if (length === 0) return h
    const stream = createReadStream(path, {
      highWaterMark: 1 << 20,
      ...(length === undefined ? {} : { start: 0, end: length - 1 })
    })
    for await (const chunk of stream as AsyncIterable<Buffer>) h.update(chunk)
    return h
  }
}

export type CheckResult =
  | {
      readonly ok: true
      /** The whole file's MD5; null for a multipart ETag (part MD5s were computed instead). */
      readonly md5: string | null
      readonly sha256: string
      /** The ETag was checked against the bytes (a single-part MD5, or multipart at a part size). */
      readonly etagVerified: boolean
      /** The part size that reproduced a multipart ETag; null otherwise. */
      readonly etagPartSize: number | null
      /** Why the ETag could not be verified; null when it was. */
      readonly etagNote: string | null
      readonly footer: LakeFooter
    }
  | {
      readonly ok: false
      readonly reason: string
      /** The failure may come from the transfer (worth one fresh download), not the object. */
      readonly transfer: boolean
      readonly md5: string | null
      readonly sha256: string | null
    }

/**
 * Checks the file at `path` whose hashes were computed while writing it. `size`/`etag` are what
 * the server says the object is.
 */
export async function checkDownloadedFile(
  path: string,
  hashes: FileHashes,
  expected: {
    readonly size: number | null
    readonly etag: string | null
    /** x-amz-server-side-encryption of the object, if known: SSE-KMS ETags are not MD5s. */
    readonly sse?: string | null
    /** Part sizes to try for a multipart ETag (default PART_SIZE_CANDIDATES). */
    readonly partSizes?: readonly number[]
  }
): Promise<CheckResult> {
  const bytes = hashes.bytes
  const digest = hashes.digest()
  const sha256 = digest.sha256
  let md5 = digest.md5
  const fail = (reason: string, transfer: boolean): CheckResult => ({
    ok: false,
    reason,
    transfer,
    md5,
    sha256
  })
  if (expected.size !== null && bytes !== expected.size) {
    return fail(`size ${bytes} bytes, the listing says ${expected.size}`, true)
  }
  if (bytes === 0) return fail('empty object (0 bytes): no data for this partition', false)
  const kms = expected.sse?.startsWith('aws:kms') === true
  const form = etagForm(expected.etag)
  let etagVerified = false
  let etagPartSize: number | null = null
  let etagNote: string | null = null
  if (kms) etagNote = 'ETag is not an MD5 (SSE-KMS)'
  else if (form.kind === 'none') etagNote = 'the server sent no ETag'
  else if (form.kind === 'other')
    etagNote = `ETag ${form.etag} is neither an MD5 nor a multipart ETag`
  else if (form.kind === 'md5') {
    // Hashed for a multipart ETag but served an MD5 one: the whole MD5 needs one more read.
    md5 ??= (await FileHashes.ofFile(path, bytes)).digest().md5
    if (md5 !== form.md5)
      return fail(
        `bytes do not match the ETag (MD5 ${md5 ?? '?'}, ETag ${expected.etag ?? ''})`,
        true
      )
    etagVerified = true
  } else {
    const m = await checkMultipartEtag(
      path,
      bytes,
      form,
      hashes.parts,
      expected.partSizes ?? PART_SIZE_CANDIDATES
    )
    if (m.verified) {
      etagVerified = true
      etagPartSize = m.partSize
    } else etagNote = m.reason
  }
  let footer: LakeFooter
  try {
    footer = await readFooter(path)
  } catch (e) {
    // When the MD5 matched, the object itself is broken: fetching it again will not help.
    return fail(`not a readable Parquet file: ${footerReason(e, path)}`, !etagVerified)
  }
  return { ok: true, md5, sha256, etagVerified, etagPartSize, etagNote, footer }
}

/**
 * The footer reader's cause without its leading "<path>: ": the caller's reason already names
 * the object, and `path` is often a staging .part that is gone by the time anyone reads it.
 */
function footerReason(e: unknown, path: string): string {
  const msg = errorMessage(e)
  const prefix = `${path}: `
  return e instanceof InputError && e.file === path && msg.startsWith(prefix)
    ? msg.slice(prefix.length)
    : msg
}

// S3 ETags as evidence about a file's bytes. A single-part upload's ETag is the object's MD5; a
// multipart upload's is md5(concatenation of every part's binary MD5) + "-<parts>", so checking it
// needs the part size the uploader used, which S3 does not tell. Every real Crypto Lake day file
// is multipart with 8 MiB parts (research/crypto-lake-formats.md, "Corrections"), so 8 MiB is
// hashed while the bytes arrive; other common tool defaults are tried afterwards, one re-read of
// the file each, only for sizes that give the ETag's part count, and at most MAX_EXTRA_PASSES.
import { createHash, type Hash } from 'node:crypto'
import { open } from 'node:fs/promises'

const KiB = 1024
const MiB = 1024 * KiB

/**
 * Part sizes tried for a multipart ETag, in this order:
 * 8 MiB   AWS CLI and boto3/s3transfer (multipart_chunksize), the vendor's uploads;
 * 5 MiB   S3's minimum part, AWS SDKs' managed uploads (JS lib-storage, Go s3manager), rclone;
 * 16 MiB  MinIO client / minio-go (its minimum part);
 * 15 MiB  s3cmd (multipart_chunk_size_mb);
 * 10 MiB  Apache Arrow's S3 file system (pyarrow), s3fs-fuse;
 * 64 MiB  Hadoop S3A (fs.s3a.multipart.size);
 * 50 MiB  s5cmd.
 */
export const PART_SIZE_CANDIDATES: readonly number[] = [8, 5, 16, 15, 10, 64, 50].map(
  (m) => m * MiB
)

/** Re-reads of a file for part sizes other than the one hashed while downloading. */
export const MAX_EXTRA_PASSES = 3

export type EtagForm =
  | { readonly kind: 'none' }
  | { readonly kind: 'md5'; readonly md5: string }
  | { readonly kind: 'multipart'; readonly etag: string; readonly parts: number }
  | { readonly kind: 'other'; readonly etag: string }

const MULTIPART_RE = /^[0-9a-f]{32}-(\d{1,5})$/i

/** What kind of evidence a bare ETag is. S3 allows 1..10,000 parts. */
export function etagForm(etag: string | null): EtagForm {
  if (etag === null) return { kind: 'none' }
  if (/^[0-9a-f]{32}$/i.test(etag)) return { kind: 'md5', md5: etag.toLowerCase() }
  const m = MULTIPART_RE.exec(etag)
  const parts = m ? Number(m[1]) : 0
  if (parts >= 1 && parts <= 10_000) return { kind: 'multipart', etag: etag.toLowerCase(), parts }
  return { kind: 'other', etag }
}

export function isMultipartEtag(etag: string | null): boolean {
  return etagForm(etag).kind === 'multipart'
}

/** "8 MiB", "256 KiB" or "1000 bytes". */
export function partSizeLabel(bytes: number): string {
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`
  if (bytes % KiB === 0) return `${bytes / KiB} KiB`
  return `${bytes} bytes`
}

/** "5/8/10/15/16/50/64 MiB" when every size is whole MiB, else the labels with commas. */
function sizesLabel(sizes: readonly number[]): string {
  const sorted = [...sizes].sort((a, b) => a - b)
  if (sorted.every((s) => s % MiB === 0)) return `${sorted.map((s) => s / MiB).join('/')} MiB`
  return sorted.map(partSizeLabel).join(', ')
}

/**
 * The multipart ETag of a byte stream cut into parts of `partSize`, fed as it arrives: one MD5
 * running, 16 bytes kept per finished part, chunks split by subarray (no copies).
 */
export class PartMd5 {
  private hash: Hash = createHash('md5')
  private inPart = 0
  private readonly digests: Buffer[] = []
  private result: string | null = null

  constructor(readonly partSize: number) {}

  update(chunk: Uint8Array): void {
    let off = 0
    while (off < chunk.length) {
      const take = Math.min(this.partSize - this.inPart, chunk.length - off)
      this.hash.update(take === chunk.length ? chunk : chunk.subarray(off, off + take))
      this.inPart += take
      off += take
      if (this.inPart === this.partSize) {
        this.digests.push(this.hash.digest())
        this.hash = createHash('md5')
        this.inPart = 0
      }
    }
  }

  /** `<md5 of the part MD5s>-<parts>`; ends the stream (later updates are not allowed). */
  etag(): string {
    if (this.result === null) {
      if (this.inPart > 0 || this.digests.length === 0) this.digests.push(this.hash.digest())
      const top = createHash('md5')
      for (const d of this.digests) top.update(d)
      this.result = `${top.digest('hex')}-${this.digests.length}`
    }
    return this.result
  }
}

/** The multipart ETag of the first `bytes` bytes of a file, read once through one 1 MiB buffer. */
export async function multipartEtagOfFile(
  path: string,
  partSize: number,
  bytes: number
): Promise<string> {
  const h = new PartMd5(partSize)
  const buf = Buffer.allocUnsafe(Math.min(MiB, Math.max(1, bytes)))
  const fh = await open(path, 'r')
  try {
    let pos = 0
    while (pos < bytes) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, bytes - pos), pos)
      if (bytesRead === 0) throw new Error(`${path} ended at byte ${pos} of ${bytes}`)
      h.update(buf.subarray(0, bytesRead))
      pos += bytesRead
    }
  } finally {
    await fh.close()
  }
  return h.etag()
}

export type MultipartCheck =
  | { readonly verified: true; readonly partSize: number }
  | { readonly verified: false; readonly reason: string; readonly mismatch: boolean }

/**
 * Checks a downloaded file against a multipart ETag: the part size hashed while downloading first
 * (`streamed`, when it gives the ETag's part count), then the other candidates that do, re-reading
 * the file for each. `mismatch` is true when some candidate fitted the part count and none
 * reproduced the ETag (bad bytes, or a part size outside the list); false when none fitted.
 */
export async function checkMultipartEtag(
  path: string,
  bytes: number,
  etag: { readonly etag: string; readonly parts: number },
  streamed: PartMd5 | null,
  candidates: readonly number[] = PART_SIZE_CANDIDATES
): Promise<MultipartCheck> {
  const fits = (s: number): boolean => Math.ceil(bytes / s) === etag.parts
  const what = `multipart ETag with ${etag.parts} part${etag.parts === 1 ? '' : 's'}`
  const tried: number[] = []
  if (streamed !== null && fits(streamed.partSize)) {
    tried.push(streamed.partSize)
    if (streamed.etag() === etag.etag) return { verified: true, partSize: streamed.partSize }
  }
  let passes = 0
  let capped = false
  for (const s of candidates) {
    if (!fits(s) || tried.includes(s)) continue
    if (passes >= MAX_EXTRA_PASSES) {
      capped = true
      break
    }
    passes++
    tried.push(s)
    if ((await multipartEtagOfFile(path, s, bytes)) === etag.etag)
      return { verified: true, partSize: s }
  }
  if (tried.length === 0) {
    return {
      verified: false,
      mismatch: false,
      reason: `${what}: no part size among ${sizesLabel(candidates)} gives ${etag.parts} part${etag.parts === 1 ? '' : 's'} for ${bytes} bytes, so it cannot be checked`
    }
  }
  return {
    verified: false,
    mismatch: true,
    reason:
      `${what}: no part size among ${sizesLabel(candidates)} reproduces it ` +
      `(tried ${tried.map(partSizeLabel).join(', ')}${capped ? `; stopped after ${MAX_EXTRA_PASSES} re-reads` : ''})`
  }
}

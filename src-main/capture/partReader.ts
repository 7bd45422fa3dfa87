// A tolerant reader for the capture's own part files (gzip members with an "LB" length field,
// gzipMember.ts): reads member by member, checks each member's CRC and length, and when one is
// damaged counts it and continues with the next member; a member cut short at the end of the file
// (a crash while it was written) yields its complete lines and counts the rest.
//
// Why a variant: readCaptureLines (engine/source/captureReader.ts) streams the whole file through
// one gunzip. It handles concatenated members and a truncated LAST member well (every complete
// line is yielded, then `truncated-file` and `partial-line` are counted), but a damaged member
// FOLLOWED by more data ends the stream with `corrupt-file` — everything after the damage is lost,
// and so are the lines of the same 256 KiB output chunk before it. Files without the LB field (the
// shared captures, any other gzip) are delegated to readCaptureLines unchanged.
//
// Each member is inflated in one piece, with an output cap from util/expansion.ts: a member (or
// the file so far) that expands past the ratio or the bytes per file refuses the file with an
// InputError, before a bomb is held in memory.
import { open, type FileHandle } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import { constants, crc32, inflateRawSync } from 'node:zlib'
import { InputError } from '../util/errors'
import type { IssueLog } from '../util/issueLog'
import {
  expansionLimits,
  expansionProblem,
  outputCap,
  type ExpansionLimits
} from '../util/expansion'
import { assertRegularFile } from '../util/regularFile'
import { parseLocalTs, readCaptureLines, type CaptureLine } from '../engine/source/captureReader'
import { HEADER_BYTES, memberLength, TRAILER_BYTES } from './gzipMember'

export interface PartLine extends CaptureLine {
  /** The receive timestamp exactly as written (19 digits = ns). */
  readonly ts: string
}

export interface PartReadStats {
  /** Members read and verified, members skipped as damaged, a cut last member. */
  members: number
  damagedMembers: number
  truncatedTail: boolean
  /** Bytes that belonged to no readable member. */
  skippedBytes: number
  lines: number
  /** True when the file was not in the member format and went through readCaptureLines. */
  foreign: boolean
}

const SCAN_CHUNK = 1 << 20

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len)
  let got = 0
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, pos + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return got === len ? buf : buf.subarray(0, got)
}

/** The next offset ≥ from where a member header with a plausible length starts, or -1. */
async function scanForMember(
  fh: FileHandle,
  from: number,
  size: number,
  limit = size
): Promise<number> {
  for (let pos = from; pos < limit; pos += SCAN_CHUNK - HEADER_BYTES) {
    const chunk = await readAt(fh, pos, Math.min(SCAN_CHUNK, size - pos))
    for (let i = chunk.indexOf(0x1f); i >= 0; i = chunk.indexOf(0x1f, i + 1)) {
      if (i + HEADER_BYTES > chunk.length) break
      const len = memberLength(chunk, i)
      if (len !== null && pos + i + len <= size) return pos + i
    }
    if (pos + chunk.length >= size) break
  }
  return -1
}

export async function* readCapturePart(
  file: string,
  issues: IssueLog,
  stats: PartReadStats = {
    members: 0,
    damagedMembers: 0,
    truncatedTail: false,
    skippedBytes: 0,
    lines: 0,
    foreign: false
  },
  limits: ExpansionLimits = expansionLimits()
): AsyncGenerator<PartLine> {
  assertRegularFile(file)
  const fh = await open(file, 'r')
  let line = 0
  let decompressed = 0
  /** Inflates one member's deflate body within the limits, or refuses the file. */
  const inflate = (body: Buffer, at: number, memberBytes: number, flush?: number): Buffer => {
    const cap = outputCap(at, decompressed, memberBytes, limits)
    let out: Buffer
    try {
      out = inflateRawSync(body, {
        maxOutputLength: cap,
        ...(flush === undefined ? {} : { finishFlush: flush })
      })
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw e
      const problem =
        expansionProblem(at + memberBytes, decompressed + cap, limits) ??
        `the member at offset ${at} decompresses past ${cap} bytes, more than one piece may hold; the file is refused`
      throw new InputError(problem, file, line + 1)
    }
    decompressed += out.length
    const problem = expansionProblem(at + memberBytes, decompressed, limits)
    if (problem !== null) throw new InputError(problem, file, line + 1)
    return out
  }
  try {
    const size = (await fh.stat()).size
    if (size === 0) return
    const head = await readAt(fh, 0, Math.min(HEADER_BYTES, size))
    // Not ours when no member header appears in the first MiB (a damaged first member of our own
    // file still has intact members after it).
    if (memberLength(head, 0) === null && (await scanForMember(fh, 0, size, SCAN_CHUNK)) < 0) {
      stats.foreign = true
      await fh.close()
      for await (const l of readCaptureLines(
        file,
        issues,
        undefined,
        undefined,
        undefined,
        limits
      )) {
        stats.lines++
        // readCaptureLines keeps µs only; foreign files carry that value as their ts.
        yield { ...l, ts: String(l.localUs) }
      }
      return
    }
    let pos = 0
    while (pos < size) {
      const hdr = await readAt(fh, pos, Math.min(HEADER_BYTES, size - pos))
      const len = memberLength(hdr, 0)
      if (len === null) {
        if (hdr.length < HEADER_BYTES && isHeaderPrefix(hdr)) {
          // A member whose header alone was written: the crash came right there.
          stats.truncatedTail = true
          stats.skippedBytes += size - pos
          issues.add('truncated-file', file, line + 1, `file ends inside a member header`)
          break
        }
        const next = await scanForMember(fh, pos + 1, size)
        const skipped = (next < 0 ? size : next) - pos
        stats.skippedBytes += skipped
        stats.damagedMembers++
        issues.add(
          'corrupt-file',
          file,
          line + 1,
          `${skipped} bytes at offset ${pos} are not a capture member; skipped`
        )
        if (next < 0) break
        pos = next
        continue
      }
      if (pos + len > size) {
        // The last member was cut by a crash: its deflate data decodes up to the cut, so its
        // complete lines are kept; the rest is counted.
        stats.truncatedTail = true
        const body = await readAt(fh, pos + HEADER_BYTES, size - pos - HEADER_BYTES)
        let text = ''
        try {
          text = inflate(body, pos, size - pos, constants.Z_SYNC_FLUSH).toString('utf8')
        } catch (e) {
          if (e instanceof InputError) throw e
          text = ''
        }
        const cut = text.lastIndexOf('\n') + 1
        for (const l of splitLines(file, text.slice(0, cut), line, issues)) {
          line = l.line
          stats.lines++
          yield l
        }
        issues.add(
          'truncated-file',
          file,
          line + 1,
          `last member cut after ${size - pos} of ${len} bytes; ${cut < text.length ? 'a partial line and ' : ''}the rest of it is missing`
        )
        stats.skippedBytes += size - pos
        break
      }
      const member = await readAt(fh, pos, len)
      const raw = decode(member, (body) => inflate(body, pos, len))
      if (raw === null) {
        stats.damagedMembers++
        stats.skippedBytes += len
        issues.add(
          'corrupt-file',
          file,
          line + 1,
          `member at offset ${pos} (${len} bytes) fails its CRC or length check; skipped`
        )
        const nextHdr = await readAt(fh, pos + len, Math.min(HEADER_BYTES, size - pos - len))
        if (pos + len < size && memberLength(nextHdr, 0) === null) {
          const next = await scanForMember(fh, pos + len, size)
          if (next < 0) {
            stats.skippedBytes += size - pos - len
            break
          }
          stats.skippedBytes += next - pos - len
          pos = next
        } else pos += len
        continue
      }
      stats.members++
      const text = new StringDecoder('utf8').end(raw)
      const cut = text.lastIndexOf('\n') + 1
      for (const l of splitLines(file, text.slice(0, cut), line, issues)) {
        line = l.line
        stats.lines++
        yield l
      }
      if (cut < text.length) {
        line++
        issues.add('partial-line', file, line, 'member ends without a newline; line skipped')
      }
      pos += len
    }
  } finally {
    await fh.close().catch(() => undefined)
  }
}

function isHeaderPrefix(b: Buffer): boolean {
  return b.length === 0 || (b[0] === 0x1f && (b.length < 2 || b[1] === 0x8b))
}

/**
 * Inflates one whole member and checks CRC32 and ISIZE; null when anything is off. A refusal by
 * the limits (InputError) is not damage and goes on up.
 */
function decode(member: Buffer, inflate: (body: Buffer) => Buffer): Buffer | null {
  try {
    const body = member.subarray(HEADER_BYTES, member.length - TRAILER_BYTES)
    const raw = inflate(body)
    const crc = member.readUInt32LE(member.length - 8)
    const isize = member.readUInt32LE(member.length - 4)
    if (crc32(raw) >>> 0 !== crc || raw.length >>> 0 !== isize) return null
    return raw
  } catch (e) {
    if (e instanceof InputError) throw e
    return null
  }
}

function* splitLines(
  file: string,
  text: string,
  startLine: number,
  issues: IssueLog
): Generator<PartLine> {
  let line = startLine
  let start = 0
  for (;;) {
    const nl = text.indexOf('\n', start)
    if (nl < 0) return
    line++
    const s = text.slice(start, nl)
    start = nl + 1
    const sp = s.indexOf(' ')
    const ts = sp > 0 ? s.slice(0, sp) : ''
    const localUs = ts === '' ? NaN : parseLocalTs(ts)
    if (!Number.isFinite(localUs)) {
      issues.add('malformed-line', file, line, 'line does not start with a receive timestamp')
      continue
    }
    yield { file, line, localUs, json: s.slice(sp + 1), ts }
  }
}

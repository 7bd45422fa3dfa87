// Streams a capture file (gzip lines of `<local receive ts> <raw JSON>`, the hftbacktest collector
// format in ../shared/data/binance-captures/README.md) line by line, never holding the file whole.
// A truncated or corrupt file ends the stream early with a counted issue, never a crash; a final
// line without its newline is counted as partial and skipped. A line past MAX_LINE_CHARS, or a
// gzip that expands past the limits of util/expansion.ts (ratio, bytes per file), refuses the
// file with an InputError naming it.
import { createReadStream, openSync, readSync, closeSync, type ReadStream } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { createGunzip, type Gunzip } from 'node:zlib'
import { InputError } from '../../util/errors'
import type { IssueLog } from '../../util/issueLog'
import { expansionLimits, expansionProblem, type ExpansionLimits } from '../../util/expansion'
import { assertRegularFile } from '../../util/regularFile'

/**
 * The longest line read (characters of decompressed text). Real lines are a few kB (a 1000-level
 * snapshot ~60 kB); past this the file is refused rather than buffered without end (a gzip bomb
 * without newlines, a corrupt file).
 */
export const MAX_LINE_CHARS = 64 << 20

export interface CaptureLine {
  readonly file: string
  /** 1-based line number in the decompressed file. */
  readonly line: number
  /** Local receive time in integer microseconds (ns files are truncated to µs). */
  readonly localUs: number
  /** The raw JSON text after the timestamp. */
  readonly json: string
}

export interface ReadProgress {
  /** Compressed bytes consumed so far in this file. */
  bytes: number
  /** Decompressed bytes so far (gzip files only; set when present). */
  decompressed?: number
}

export function isGzip(file: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(2)
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b
  } finally {
    closeSync(fd)
  }
}

/** Receive time in µs from the line's leading integer: 19 digits = ns, 16 = µs, 13 = ms. */
export function parseLocalTs(digits: string): number {
  switch (digits.length) {
    case 19:
      return Number(digits.slice(0, 16))
    case 16:
      return Number(digits)
    case 13:
      return Number(digits) * 1000
    default:
      return NaN
  }
}

/**
 * The lines of one decoded chunk, without a string per line: line i is
 * `text[i].slice(start[i], end[i])` (the chunk's text, or the joined carry for a line that
 * began in an earlier chunk). The arrays are reused: valid until the next batch.
 */
export interface LineBatch {
  count: number
  /** 1-based number of the batch's first line. */
  firstLine: number
  readonly text: string[]
  readonly start: number[]
  readonly end: number[]
}

export async function* readCaptureLines(
  file: string,
  issues: IssueLog,
  progress?: ReadProgress,
  signal?: AbortSignal,
  maxLineChars = MAX_LINE_CHARS,
  limits: ExpansionLimits = expansionLimits()
): AsyncGenerator<CaptureLine> {
  const batches = readCaptureBatches(file, issues, progress, signal, maxLineChars, limits)
  for await (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const line = b.firstLine + i
      const body = (b.text[i] ?? '').slice(b.start[i], b.end[i])
      const parsed = splitLine(file, line, body, issues)
      if (parsed) yield parsed
    }
  }
}

/**
 * The reader itself, a chunk of lines at a time (the capture scanner takes lines from here
 * without an object or a string per line; readCaptureLines splits them). A line too long is
 * thrown after the lines before it in its chunk have been yielded.
 */
export async function* readCaptureBatches(
  file: string,
  issues: IssueLog,
  progress?: ReadProgress,
  signal?: AbortSignal,
  maxLineChars = MAX_LINE_CHARS,
  limits: ExpansionLimits = expansionLimits()
): AsyncGenerator<LineBatch> {
  const { raw, gzip, source } = openCaptureStream(file)
  const decoder = new StringDecoder('utf8')
  // The start of an unfinished line, in pieces: only each new chunk is searched for a newline,
  // so a long line costs linear time (re-joining and re-searching it per chunk was quadratic).
  let carry: string[] = []
  let carryChars = 0
  let line = 0
  let decompressed = 0
  const batch: LineBatch = { count: 0, firstLine: 1, text: [], start: [], end: [] }
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (signal?.aborted) return
      if (progress) progress.bytes = raw.bytesRead
      const text = decoder.write(chunk)
      let start = 0
      let refusal: InputError | null = null
      batch.count = 0
      batch.firstLine = line + 1
      for (;;) {
        const nl = text.indexOf('\n', start)
        if (nl < 0) break
        line++
        const k = batch.count
        if (carry.length > 0) {
          const body = carry.join('') + text.slice(start, nl)
          batch.text[k] = body
          batch.start[k] = 0
          batch.end[k] = body.length
        } else {
          batch.text[k] = text
          batch.start[k] = start
          batch.end[k] = nl
        }
        if (carry.length > 0) carry = []
        carryChars = 0
        start = nl + 1
        if ((batch.end[k] ?? 0) - (batch.start[k] ?? 0) > maxLineChars) {
          refusal = tooLong(file, line, maxLineChars)
          break
        }
        batch.count++
      }
      if (batch.count > 0) yield batch
      if (refusal) throw refusal
      if (start < text.length) {
        carry.push(text.slice(start))
        carryChars += text.length - start
        if (carryChars > maxLineChars) {
          throw tooLong(file, line + 1, maxLineChars)
        }
      }
      if (gzip) {
        // After the chunk's lines, so a long line without newlines is refused by the line cap
        // first. The compressed side is what gunzip has consumed (bytesWritten), not what was
        // read from disk: a whole small bomb is read at once, which would hide its ratio.
        decompressed += chunk.length
        if (progress) progress.decompressed = decompressed
        const problem = expansionProblem((source as Gunzip).bytesWritten, decompressed, limits)
        if (problem !== null) throw new InputError(problem, file, line + 1)
      }
    }
  } catch (e) {
    decompressFailure(e, file, line, issues)
  } finally {
    // Ending the gunzip (a refusal, a consumer that stops early) does not close the file it reads.
    raw.destroy()
    batch.text.length = 0
  }
  if (progress) progress.bytes = raw.bytesRead
  const rest = decoder.end()
  partialLine(carryChars + rest.length, file, line, issues)
}

export function tooLong(file: string, line: number, max: number): InputError {
  return new InputError(
    `a line longer than ${max} characters (the capture line limit); the file is refused from this line`,
    file,
    line
  )
}

export function splitLine(
  file: string,
  line: number,
  text: string,
  issues: IssueLog
): CaptureLine | null {
  const sp = text.indexOf(' ')
  const localUs = sp > 0 ? parseLocalTs(text.slice(0, sp)) : NaN
  if (!Number.isFinite(localUs)) {
    if (text.trim().length > 0) {
      issues.add('malformed-line', file, line, 'line does not start with a receive timestamp')
    } else issues.add('malformed-line', file, line, 'empty line')
    return null
  }
  return { file, line, localUs, json: text.slice(sp + 1) }
}

/** A gzip stream that broke off or is corrupt after `line` lines: counted, the file's lines so far kept. */
export function decompressFailure(e: unknown, file: string, line: number, issues: IssueLog): void {
  if (e instanceof InputError) throw e
  const code = (e as { code?: string }).code
  const truncated = code === 'Z_BUF_ERROR' || /unexpected end/i.test(String(e))
  issues.add(
    truncated ? 'truncated-file' : 'corrupt-file',
    file,
    line + 1,
    truncated
      ? `file ends inside the compressed stream after line ${line}; the rest is missing`
      : `cannot decompress after line ${line}: ${String(e)}`
  )
}

/** Text after the last newline (`chars` of it): a partial line, counted and skipped. */
export function partialLine(chars: number, file: string, line: number, issues: IssueLog): void {
  if (chars > 0)
    issues.add('partial-line', file, line + 1, `last line has no newline (${chars} bytes), skipped`)
}

/** The capture stream's settings: bytes read at a time, and gunzip's output chunk. */
export const READ_BYTES = 1 << 20
export const GUNZIP_CHUNK = 1 << 18

/** A capture file's bytes, gunzipped when it is gzip; a read error ends the stream with it. */
export function openCaptureStream(file: string): {
  raw: ReadStream
  gzip: boolean
  source: ReadStream | Gunzip
} {
  assertRegularFile(file)
  const raw = createReadStream(file, { highWaterMark: READ_BYTES })
  const gzip = isGzip(file)
  const source = gzip ? raw.pipe(createGunzip({ chunkSize: GUNZIP_CHUNK })) : raw
  raw.on('error', (e) => source.destroy(e))
  return { raw, gzip, source }
}

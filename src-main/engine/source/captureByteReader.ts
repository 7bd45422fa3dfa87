// readCaptureBatches for the capture scanner: the same lines, refusals and issues, but an ASCII
// chunk (all real captures) is split as bytes and never decoded, so the scanner reads the bytes
// and only the lines it does not recognise become strings (the decode was ~6% of a scanned
// replay). From the first chunk that is not pure ASCII on, the file is decoded exactly as
// readCaptureBatches does (a StringDecoder that has seen only ASCII holds no state, so the text
// and every line are the same) and its lines come as strings.
//
// A gzip file is inflated in a worker thread by default (inflateWorker.ts: the same chunks, errors
// and lines); `inflate: 'thread'` inflates it here, as readCaptureBatches does.
import { isAscii } from 'node:buffer'
import { StringDecoder } from 'node:string_decoder'
import type { Gunzip } from 'node:zlib'
import { isGzip } from './captureReader'
import { WorkerInflate } from './inflateWorker'
import { assertRegularFile } from '../../util/regularFile'
import { InputError } from '../../util/errors'
import type { IssueLog } from '../../util/issueLog'
import { expansionLimits, expansionProblem, type ExpansionLimits } from '../../util/expansion'
import {
  decompressFailure,
  MAX_LINE_CHARS,
  openCaptureStream,
  partialLine,
  tooLong,
  type ReadProgress
} from './captureReader'

/**
 * Line i is bytes[i][start[i], end[i]) — ASCII, with a newline at end[i] — or, when bytes[i] is
 * null, text[i].slice(start[i], end[i]). Arrays reused: valid until the next batch.
 */
export interface ByteBatch {
  count: number
  firstLine: number
  readonly bytes: (Buffer | null)[]
  readonly text: string[]
  readonly start: number[]
  readonly end: number[]
}

/** Where a gzip file is inflated: a worker thread (the default) or the reader's own thread. */
export type InflateWhere = 'worker' | 'thread'

/** The file's bytes and the counters the reader reads (as openCaptureStream's raw and source). */
interface ByteSource {
  readonly gzip: boolean
  readonly chunks: AsyncIterable<Buffer>
  /** File bytes read, and compressed bytes gunzip consumed. */
  read(): number
  written(): number
  close(): void
}

function openBytes(file: string, inflate: InflateWhere): ByteSource {
  assertRegularFile(file)
  if (inflate === 'worker' && isGzip(file)) {
    const w = new WorkerInflate(file)
    return {
      gzip: true,
      chunks: w,
      read: () => w.bytesRead,
      written: () => w.bytesWritten,
      close: () => {
        w.destroy()
      }
    }
  }
  const { raw, gzip, source } = openCaptureStream(file)
  return {
    gzip,
    chunks: source as AsyncIterable<Buffer>,
    read: () => raw.bytesRead,
    written: () => (source as Gunzip).bytesWritten,
    close: () => raw.destroy()
  }
}

export async function* readCaptureByteBatches(
  file: string,
  issues: IssueLog,
  progress?: ReadProgress,
  signal?: AbortSignal,
  maxLineChars = MAX_LINE_CHARS,
  limits: ExpansionLimits = expansionLimits(),
  inflate: InflateWhere = 'worker'
): AsyncGenerator<ByteBatch> {
  const src = openBytes(file, inflate)
  const gzip = src.gzip
  const decoder = new StringDecoder('utf8')
  let ascii = true
  // The unfinished line: bytes while every chunk was ASCII, then strings (as readCaptureBatches).
  let carryBytes: Buffer[] = []
  let carry: string[] = []
  let carryChars = 0
  let line = 0
  let decompressed = 0
  const b: ByteBatch = { count: 0, firstLine: 1, bytes: [], text: [], start: [], end: [] }
  try {
    for await (const chunk of src.chunks) {
      if (signal?.aborted) return
      if (progress) progress.bytes = src.read()
      if (ascii && !isAscii(chunk)) {
        ascii = false
        carry = carryBytes.map((c) => c.toString('latin1'))
        carryBytes = []
      }
      let start = 0
      let refusal: InputError | null = null
      b.count = 0
      b.firstLine = line + 1
      let size = chunk.length
      const text = ascii ? '' : decoder.write(chunk)
      if (!ascii) size = text.length
      for (;;) {
        const nl = ascii ? chunk.indexOf(10, start) : text.indexOf('\n', start)
        if (nl < 0) break
        line++
        const k = b.count
        if (ascii) {
          b.text[k] = ''
          if (carryBytes.length > 0) {
            carryBytes.push(chunk.subarray(start, nl + 1))
            const whole = Buffer.concat(carryBytes)
            b.bytes[k] = whole
            b.start[k] = 0
            b.end[k] = whole.length - 1
          } else {
            b.bytes[k] = chunk
            b.start[k] = start
            b.end[k] = nl
          }
        } else {
          b.bytes[k] = null
          const body = carry.length > 0 ? carry.join('') + text.slice(start, nl) : text
          b.text[k] = body
          b.start[k] = carry.length > 0 ? 0 : start
          b.end[k] = carry.length > 0 ? body.length : nl
        }
        // Two fresh empty arrays per line were ~25% of a scanned replay's garbage.
        if (carryBytes.length > 0) carryBytes = []
        if (carry.length > 0) carry = []
        carryChars = 0
        start = nl + 1
        if ((b.end[k] ?? 0) - (b.start[k] ?? 0) > maxLineChars) {
          refusal = tooLong(file, line, maxLineChars)
          break
        }
        b.count++
      }
      if (b.count > 0) yield b
      if (refusal) throw refusal
      if (start < size) {
        if (ascii) carryBytes.push(Buffer.from(chunk.subarray(start)))
        else carry.push(text.slice(start))
        carryChars += size - start
        if (carryChars > maxLineChars) throw tooLong(file, line + 1, maxLineChars)
      }
      if (gzip) {
        decompressed += chunk.length
        if (progress) progress.decompressed = decompressed
        const problem = expansionProblem(src.written(), decompressed, limits)
        if (problem !== null) throw new InputError(problem, file, line + 1)
      }
    }
  } catch (e) {
    decompressFailure(e, file, line, issues)
  } finally {
    src.close()
    b.bytes.length = 0
    b.text.length = 0
  }
  if (progress) progress.bytes = src.read()
  const rest = decoder.end()
  partialLine(carryChars + rest.length, file, line, issues)
}

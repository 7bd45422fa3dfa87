// The capture scanner's gzip inflated in a worker thread (source/inflateWorker.ts): the same
// bytes, lines and issues as inflating on the reader's thread, including when the file is
// truncated or corrupt, when the worker is killed mid-file (the rest is inflated here), and when
// the reader stops early. Real shared captures where the bytes are the point; SYNTHETIC files
// built here for the damaged ones and for a bookTicker that waits past its chunk's reuse.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import {
  readCaptureByteBatches,
  type InflateWhere
} from '../../../src-main/engine/source/captureByteReader'
import { WorkerInflate } from '../../../src-main/engine/source/inflateWorker'
import { IssueLog } from '../../../src-main/util/issueLog'
import { CAPTURES, hasCaptures } from '../../helpers/data'
import {
  bookTicker,
  depth,
  line,
  snapshot,
  tempDir,
  trade,
  writeCapture
} from '../../helpers/synthetic'

const REAL = join(CAPTURES, 'usdm-btcusdt-20240718', 'btcusdt_20240718.gz')

/** Every line of a file as the scanner's reader gives it, and the issues it counted. */
async function readLines(
  file: string,
  inflate: InflateWhere
): Promise<{ lines: string[]; issues: IssueLog }> {
  const issues = new IssueLog()
  const lines: string[] = []
  for await (const b of readCaptureByteBatches(
    file,
    issues,
    undefined,
    undefined,
    undefined,
    undefined,
    inflate
  )) {
    for (let k = 0; k < b.count; k++) {
      const bytes = b.bytes[k]
      lines.push(
        bytes
          ? bytes.toString('latin1', b.start[k], b.end[k])
          : (b.text[k] ?? '').slice(b.start[k], b.end[k])
      )
    }
  }
  return { lines, issues }
}

function sameIssues(a: IssueLog, b: IssueLog): void {
  expect(a.counts).toEqual(b.counts)
  expect(a.kept).toEqual(b.kept)
}

describe.skipIf(!hasCaptures)('gzip inflated in a worker thread (real capture)', () => {
  it('gives the bytes of gunzip, in the chunks of the reader thread', async () => {
    const w = new WorkerInflate(REAL)
    const chunks: Buffer[] = []
    for await (const c of w) chunks.push(Buffer.from(c))
    expect(Buffer.concat(chunks).equals(gunzipSync(readFileSync(REAL)))).toBe(true)
    // The same chunk boundaries as openCaptureStream's gunzip (1 MiB reads, 256 KiB chunks).
    expect(chunks.every((c) => c.length <= 1 << 18)).toBe(true)
    expect(w.bytesRead).toBe(readFileSync(REAL).length)
  })

  it('a worker killed mid-file: the rest is inflated on this thread, the bytes are the same', async () => {
    const w = new WorkerInflate(REAL)
    const chunks: Buffer[] = []
    let killed = false
    for await (const c of w) {
      chunks.push(Buffer.from(c))
      if (chunks.length === 3) {
        killed = true
        await w.thread?.terminate()
      }
    }
    expect(killed).toBe(true)
    expect(w.thread).toBeNull()
    expect(Buffer.concat(chunks).equals(gunzipSync(readFileSync(REAL)))).toBe(true)
  })

  it('the same lines and no issues as the thread path; a reader that stops early frees the worker', async () => {
    const a = await readLines(REAL, 'worker')
    const b = await readLines(REAL, 'thread')
    expect(a.lines).toEqual(b.lines)
    expect(a.issues.total).toBe(0)
    // Stop after the first batch, then read again: the worker is reused and reads whole.
    for await (const _ of readCaptureByteBatches(REAL, new IssueLog())) break
    expect((await readLines(REAL, 'worker')).lines.length).toBe(b.lines.length)
  })
})

describe('damaged gzip through the worker (synthetic files)', () => {
  // Lines that compress to a few hundred kB, so a cut lands inside the deflate stream.
  const lines = Array.from({ length: 40_000 }, (_, i) =>
    line(trade(i + 1, `${100 + (i % 97) / 100}`, `0.${(i * 7919) % 1000}`, i % 2 === 0))
  )
  const gz = gzipSync(Buffer.from(lines.join('\n') + '\n'))

  const cases: [string, (dir: string) => string][] = [
    [
      'truncated',
      (dir) => {
        const p = join(dir, 'synthetic-truncated.gz')
        writeFileSync(p, gz.subarray(0, gz.length - 1000))
        return p
      }
    ],
    [
      'corrupt',
      (dir) => {
        const p = join(dir, 'synthetic-corrupt.gz')
        const b = Buffer.from(gz)
        for (let i = 50_000; i < 50_016; i++) b[i] = (b[i] ?? 0) ^ 0xff
        writeFileSync(p, b)
        return p
      }
    ],
    [
      'not gzip after its magic',
      (dir) => {
        const p = join(dir, 'synthetic-bad-header.gz')
        writeFileSync(p, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x00]), gz.subarray(3, 200)]))
        return p
      }
    ]
  ]

  it.each(cases)(
    '%s: the same lines and the same issue as on the reader thread',
    async (_, make) => {
      const p = make(tempDir('lakebook-inflate-'))
      const a = await readLines(p, 'worker')
      const b = await readLines(p, 'thread')
      expect(b.issues.total).toBeGreaterThan(0)
      expect(a.lines).toEqual(b.lines)
      sameIssues(a.issues, b.issues)
    }
  )

  it('truncated, with the worker killed mid-file: still the same lines and issue', async () => {
    const p = cases[0]?.[1](tempDir('lakebook-inflate-')) ?? ''
    const w = new WorkerInflate(p)
    const chunks: Buffer[] = []
    let error: unknown = null
    try {
      for await (const c of w) {
        chunks.push(Buffer.from(c))
        if (chunks.length === 2) await w.thread?.terminate()
      }
    } catch (e) {
      error = e
    }
    // As zlib's own error on this thread: the code and text decompressFailure reads.
    const own = ((): { code?: string } | null => {
      try {
        gunzipSync(gz.subarray(0, gz.length - 1000))
      } catch (e) {
        return e as { code?: string }
      }
      return null
    })()
    expect((error as { code?: string } | null)?.code).toBe(own?.code)
    const text = Buffer.concat(chunks).toString('latin1')
    expect(text.length).toBeGreaterThan(0)
    expect((lines.join('\n') + '\n').startsWith(text)).toBe(true)
  })
})

describe('a bookTicker that waits while its chunk is reused (synthetic capture)', () => {
  it('keeps its own line: the mismatch detail is the same as on the JSON path', async () => {
    const dir = tempDir()
    // The bookTicker (u 200) waits for its diff behind ~3 MB of trades (a dozen chunks, so its
    // chunk's buffer has gone back to the worker and been refilled), then disagrees with it.
    const filler = Array.from({ length: 16_000 }, (_, i) =>
      line(trade(i + 1, '100.00', `0.${String(i + 1).padStart(6, '0')}`, true))
    )
    const f = writeCapture(dir, 'synthetic-wait.gz', [
      line(depth(101, 103, [['100.00', '1']], [])),
      line(snapshot(102, [['100.00', '2']], [['100.02', '5']])),
      line(depth(104, 106, [['100.00', '1.5']], [])),
      line(bookTicker(200, '100.00', '9', '100.02', '5')),
      ...filler,
      line(depth(107, 200, [['100.00', '1.5']], []))
    ])
    const json = await replayCapture([f], { market: 'spot', tick: '0.01', parser: 'json' })
    const scan = await replayCapture([f], { market: 'spot', tick: '0.01' })
    expect(json.bbo.mismatches).toHaveLength(1)
    expect(json.bbo.mismatches[0]?.detail).toMatch(/^bookTicker 100\.00x9 \/ 100\.02x5, book/)
    const { elapsedMs: _a, eventsPerSecond: _b, ...s } = scan
    const { elapsedMs: _c, eventsPerSecond: _d, ...j } = json
    expect(s).toEqual(j)
  })
})

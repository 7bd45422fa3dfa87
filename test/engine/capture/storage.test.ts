// Storage guarantees of the capture writer (src-main/capture/writer.ts) and what the readers do
// with damaged files: lines round-trip byte for byte through readCaptureLines (the project's
// reader) and the tolerant part reader; files roll at UTC midnight; nothing is ever opened over an
// existing file; pending lines reach the file within the flush interval without a close; a
// member cut at ANY byte is detected and counted, every complete line before it kept; a damaged
// member in the middle is skipped by the part reader, which continues after it.
import {
  existsSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  appendFileSync
} from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { gzipMemberSync, memberLength } from '../../../src-main/capture/gzipMember'
import { readCapturePart, type PartReadStats } from '../../../src-main/capture/partReader'
import { CaptureWriter, partName } from '../../../src-main/capture/writer'
import { IssueLog } from '../../../src-main/util/issueLog'
import { readCaptureLines } from '../../../src-main/engine/source/captureReader'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

const T0 = 1_723_161_590_000_000_000n // 2024-08-08T23:59:50Z

function message(i: number): Buffer {
  return Buffer.from(
    `{"stream":"btcusdt@trade","data":{"e":"trade","E":${1723161590000 + i},"s":"BTCUSDT","t":${i},"p":"61000.${String(i % 100).padStart(2, '0')}000000","q":"0.00100000","T":${1723161590000 + i},"m":true,"M":true}}`
  )
}

async function readAll(file: string): Promise<{ lines: string[]; issues: IssueLog }> {
  const issues = new IssueLog()
  const lines: string[] = []
  for await (const l of readCaptureLines(file, issues)) lines.push(l.json)
  return { lines, issues }
}

async function readPart(
  file: string
): Promise<{ lines: string[]; ts: string[]; issues: IssueLog; stats: PartReadStats }> {
  const issues = new IssueLog()
  const stats: PartReadStats = {
    members: 0,
    damagedMembers: 0,
    truncatedTail: false,
    skippedBytes: 0,
    lines: 0,
    foreign: false
  }
  const lines: string[] = []
  const ts: string[] = []
  for await (const l of readCapturePart(file, issues, stats)) {
    lines.push(l.json)
    ts.push(l.ts)
  }
  return { lines, ts, issues, stats }
}

/** A file of `members` members of `per` lines each, the way the writer makes them. */
function memberFile(
  dir: string,
  members: number,
  per: number
): { file: string; lines: string[]; ends: number[] } {
  const file = join(dir, `m${members}x${per}.gz`)
  const lines: string[] = []
  const parts: Buffer[] = []
  const ends: number[] = []
  let size = 0
  for (let m = 0; m < members; m++) {
    const text: string[] = []
    for (let k = 0; k < per; k++) {
      const i = m * per + k
      lines.push(message(i).toString())
      text.push(`${T0 + BigInt(i) * 1_000_000n} ${message(i).toString()}\n`)
    }
    const b = gzipMemberSync(Buffer.from(text.join('')))
    parts.push(b)
    size += b.length
    ends.push(size)
  }
  writeFileSync(file, Buffer.concat(parts))
  return { file, lines, ends }
}

describe('capture writer', () => {
  it('writes lines byte for byte in the shared capture format, one gzip member per flush', async () => {
    const dir = tempDir('lakebook-capture-w-')
    const w = new CaptureWriter({ dir, prefix: 'btcusdt', firstPart: 0, fsync: true })
    const sent: Buffer[] = []
    for (let i = 0; i < 500; i++) {
      const b = message(i)
      sent.push(b)
      const at = w.append(T0 + BigInt(i) * 1_000_000n, b)
      expect(at.line).toBe(i + 1)
      if (i === 249) await w.flush()
    }
    await w.close()
    const [info] = w.files()
    expect(info?.name).toBe(partName('btcusdt', '2024-08-08', 0))
    expect(info?.members).toBe(2)
    const file = join(dir, info?.name ?? '')
    expect(statSync(file).size).toBe(info?.bytes)
    // Standard gzip: gunzip (multi-member) gives exactly the lines.
    const text = gunzipSync(readFileSync(file)).toString()
    expect(text).toBe(
      sent.map((b, i) => `${T0 + BigInt(i) * 1_000_000n} ${b.toString()}\n`).join('')
    )
    const viaReader = await readAll(file)
    expect(viaReader.issues.total).toBe(0)
    expect(viaReader.lines).toEqual(sent.map((b) => b.toString()))
    const viaPart = await readPart(file)
    expect(viaPart.lines).toEqual(viaReader.lines)
    expect(viaPart.ts[0]).toBe(String(T0))
    expect(viaPart.stats.members).toBe(2)
  })

  it('rolls to a new file at UTC midnight (receive time)', async () => {
    const dir = tempDir('lakebook-capture-w-')
    const w = new CaptureWriter({ dir, prefix: 'btcusdt', firstPart: 7, fsync: false })
    // 23:59:50 … 00:00:09.9, one line every 100 ms.
    for (let i = 0; i < 200; i++) w.append(T0 + BigInt(i) * 100_000_000n, message(i))
    await w.close()
    const files = w.files()
    expect(files.map((f) => [f.name, f.day, f.lines])).toEqual([
      ['btcusdt_20240808.0007.gz', '2024-08-08', 100],
      ['btcusdt_20240809.0008.gz', '2024-08-09', 100]
    ])
    const a = await readPart(join(dir, 'btcusdt_20240808.0007.gz'))
    const b = await readPart(join(dir, 'btcusdt_20240809.0008.gz'))
    expect(a.ts.every((t) => BigInt(t) < 1_723_161_600_000_000_000n)).toBe(true)
    expect(b.ts.every((t) => BigInt(t) >= 1_723_161_600_000_000_000n)).toBe(true)
  })

  it('never opens an existing file: a part number in use refuses, the file stays as it was', async () => {
    const dir = tempDir('lakebook-capture-w-')
    const name = partName('btcusdt', '2024-08-08', 3)
    writeFileSync(join(dir, name), 'earlier data')
    const w = new CaptureWriter({ dir, prefix: 'btcusdt', firstPart: 3, fsync: false })
    expect(() => w.append(T0, message(0))).toThrow(/EEXIST/)
    await w.close().catch(() => undefined)
    expect(readFileSync(join(dir, name), 'utf8')).toBe('earlier data')
  })

  it('puts pending lines on disk within the flush interval, without a close', async () => {
    const dir = tempDir('lakebook-capture-w-')
    const w = new CaptureWriter({ dir, prefix: 'btcusdt', firstPart: 0, flushIntervalMs: 200 })
    w.append(T0, message(1))
    const file = join(dir, partName('btcusdt', '2024-08-08', 0))
    expect(existsSync(file)).toBe(true)
    await new Promise((r) => setTimeout(r, 350))
    expect((await readAll(file)).lines).toEqual([message(1).toString()])
    // A busy process whose timers run late: an append past the interval flushes by itself.
    w.append(T0 + 1n, message(2))
    const t = Date.now()
    while (Date.now() - t < 220) {
      // Busy: no timer can run.
    }
    w.append(T0 + 2n, message(3))
    expect((await readAll(file)).lines).toHaveLength(3)
    await w.close()
  })
})

describe('reading damaged capture files', () => {
  it('readCaptureLines and the part reader keep every complete line before a cut at any byte', async () => {
    const dir = tempDir('lakebook-capture-cut-')
    const { file, lines, ends } = memberFile(dir, 3, 40)
    const full = readFileSync(file)
    const lastStart = ends[1] ?? 0
    // Every cut inside the last member (a crash while it was written).
    for (let cut = lastStart + 1; cut < full.length; cut += 7) {
      writeFileSync(file, full.subarray(0, cut))
      const a = await readAll(file)
      const b = await readPart(file)
      // The first two members always come back whole, and never a wrong line.
      expect(a.lines.slice(0, 80)).toEqual(lines.slice(0, 80))
      expect(a.lines).toEqual(lines.slice(0, a.lines.length))
      expect(b.lines).toEqual(lines.slice(0, b.lines.length))
      expect(b.lines.length).toBeGreaterThanOrEqual(80)
      expect(a.issues.count('truncated-file')).toBe(1)
      expect(b.issues.count('truncated-file')).toBe(1)
      expect(b.stats.truncatedTail).toBe(true)
    }
    // A cut exactly at a member boundary is a shorter, valid file.
    writeFileSync(file, full.subarray(0, lastStart))
    expect((await readAll(file)).issues.total).toBe(0)
    expect((await readAll(file)).lines).toEqual(lines.slice(0, 80))
  })

  it('a damaged member followed by more: readCaptureLines stops, the part reader skips it', async () => {
    const dir = tempDir('lakebook-capture-bad-')
    const { file, lines, ends } = memberFile(dir, 4, 40)
    const buf = readFileSync(file)
    // Flip bytes inside the deflate data of member 2 (index 1).
    const at = (ends[0] ?? 0) + 40
    for (let i = 0; i < 8; i++) buf[at + i] = (buf[at + i] ?? 0) ^ 0xff
    writeFileSync(file, buf)
    const a = await readAll(file)
    expect(a.issues.count('corrupt-file')).toBe(1)
    // readCaptureLines loses the damaged member and everything after it.
    expect(a.lines.length).toBeLessThan(120)
    const b = await readPart(file)
    expect(b.stats.damagedMembers).toBe(1)
    expect(b.issues.count('corrupt-file')).toBe(1)
    expect(b.lines).toEqual([...lines.slice(0, 40), ...lines.slice(80)])
  })

  it('garbage or zeros after the last member (power loss) are counted by the part reader', async () => {
    const dir = tempDir('lakebook-capture-tail-')
    const { file, lines } = memberFile(dir, 2, 10)
    appendFileSync(file, Buffer.alloc(300))
    const z = await readPart(file)
    expect(z.lines).toEqual(lines)
    expect(z.stats.damagedMembers).toBe(1)
    expect(z.stats.skippedBytes).toBe(300)
    // readCaptureLines accepts a zero tail silently (zlib ends at the first non-gzip byte).
    expect((await readAll(file)).lines).toEqual(lines)
    const g = memberFile(dir, 2, 10)
    appendFileSync(g.file, 'partial garbage')
    const gg = await readPart(g.file)
    expect(gg.lines).toEqual(g.lines)
    expect(gg.issues.count('corrupt-file')).toBe(1)
  })

  it('a member header carries its own length (standard readers ignore it)', () => {
    const m = gzipMemberSync(Buffer.from('1 {}\n'))
    expect(memberLength(m, 0)).toBe(m.length)
    expect(gunzipSync(m).toString()).toBe('1 {}\n')
  })

  it.skipIf(!hasCaptures)(
    'reads other gzip files (the shared captures) through readCaptureLines',
    async () => {
      const f = captureFiles('usdm-btcusdt-20240718')[0] ?? ''
      const a = await readAll(f)
      const b = await readPart(f)
      expect(b.stats.foreign).toBe(true)
      expect(b.lines).toEqual(a.lines)
    }
  )

  it('truncateSync on a real writer file: the interrupted member is the only loss', async () => {
    const dir = tempDir('lakebook-capture-trunc-')
    const w = new CaptureWriter({ dir, prefix: 'btcusdt', firstPart: 0, fsync: false })
    for (let i = 0; i < 100; i++) {
      w.append(T0 + BigInt(i), message(i))
      if (i % 25 === 24) await w.flush()
    }
    await w.close()
    const f = join(dir, partName('btcusdt', '2024-08-08', 0))
    truncateSync(f, statSync(f).size - 10)
    const r = await readPart(f)
    expect(r.lines.length).toBeGreaterThanOrEqual(75)
    expect(r.lines).toEqual(Array.from({ length: r.lines.length }, (_, i) => message(i).toString()))
  })
})

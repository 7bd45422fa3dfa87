// Decompression limits (util/expansion.ts): SYNTHETIC gzip bombs built here (members of one
// repeated line, concatenated, so building them is cheap) are refused by the capture reader, the
// part reader and the contents parser with a sentence naming the file, the bytes and the ratio;
// the replay reports it as a failed job. The control: every real capture reads within the limits,
// with the ratio judged from the first byte.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { gzipMemberSync } from '../../../src-main/capture/gzipMember'
import { readCapturePart } from '../../../src-main/capture/partReader'
import { IssueLog } from '../../../src-main/util/issueLog'
import { readCaptureLines, type ReadProgress } from '../../../src-main/engine/source/captureReader'
import { parseContents } from '../../../src-main/sources/cryptolake/inventory'
import {
  expansionLimits,
  MAX_EXPANSION_RATIO,
  type ExpansionLimits
} from '../../../src-main/util/expansion'
import { runBuilt } from '../../helpers/build'
import { CAPTURES, hasCaptures } from '../../helpers/data'
import { depth, line, tempDir } from '../../helpers/synthetic'

const MiB = 2 ** 20

/** 1 MiB of one repeated ~1 kB capture line (synthetic: a fixed timestamp, a padding field). */
function block(): Buffer {
  const one = `1723161253000000 {"synthetic":"${'x'.repeat(1000)}"}\n`
  return Buffer.from(one.repeat(Math.floor(MiB / one.length)))
}

/** A SYNTHETIC gzip bomb: `mib` copies of one compressed 1 MiB block (gzip allows members). */
function bomb(
  name: string,
  mib: number,
  member: (b: Buffer) => Buffer = gzipSync,
  head: Buffer[] = []
): string {
  const file = join(tempDir('lakebook-synthetic-bomb-'), name)
  const one = member(block())
  writeFileSync(file, Buffer.concat([...head, ...Array.from({ length: mib }, () => one)]))
  return file
}

async function countLines(file: string, limits?: ExpansionLimits, progress?: ReadProgress) {
  let n = 0
  const gen = readCaptureLines(file, new IssueLog(), progress, undefined, undefined, limits)
  for await (const _l of gen) n++
  return n
}

async function countParts(file: string, limits?: ExpansionLimits): Promise<number> {
  let n = 0
  for await (const _l of readCapturePart(file, new IssueLog(), undefined, limits)) n++
  return n
}

const RATIO_REFUSAL =
  /:\d+: expands more than 200× \(real captures expand about 7–9×\): \d+ bytes \([\d.]+ MiB\) decompressed from \d+ compressed bytes read so far, \d+× expansion; the file is refused as a likely gzip bomb$/

describe('expansion limits on synthetic gzip bombs', () => {
  it('the capture reader refuses a 256 MiB bomb of lines soon after 64 MiB, naming the file', async () => {
    const file = bomb('synthetic-bomb-lines.gz', 256)
    expect(statSync(file).size).toBeLessThan(2 * MiB)
    const err = await countLines(file).catch((e: unknown) => e as Error)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).name).toBe('InputError')
    expect((err as Error).message.startsWith(`${file}:`)).toBe(true)
    expect((err as Error).message).toMatch(RATIO_REFUSAL)
    // Stopped right past the 64 MiB where the ratio starts to count, not at the end (256 MiB).
    const bytes = Number(/: (\d+) bytes \(/.exec((err as Error).message)?.[1])
    expect(bytes).toBeGreaterThan(64 * MiB)
    expect(bytes).toBeLessThan(66 * MiB)
  })

  it('the part reader refuses the same bomb in its own member format', async () => {
    const file = bomb('synthetic-bomb-members.gz', 256, (b) => gzipMemberSync(b))
    await expect(countParts(file)).rejects.toThrow(RATIO_REFUSAL)
  })

  it('the part reader caps one member up front instead of inflating it whole', async () => {
    const file = join(tempDir('lakebook-synthetic-bomb-'), 'synthetic-one-member.gz')
    writeFileSync(file, gzipMemberSync(Buffer.concat(Array.from({ length: 16 }, block))))
    const small: ExpansionLimits = { maxRatio: 200, ratioAfterBytes: MiB, maxBytes: 2 ** 36 }
    await expect(countParts(file, small)).rejects.toThrow(/^.*:1: expands more than 200×/)
    expect(await countParts(file)).toBe(16 * block().toString().split('\n').length - 16)
  })

  it('refuses a file past the bytes per file, at any ratio (real capture, 2 MiB limit)', async () => {
    if (!hasCaptures) return
    const file = join(CAPTURES, 'usdm-btcusdt-20240718', 'btcusdt_20240718.gz')
    const limits: ExpansionLimits = { ...expansionLimits(), maxBytes: 2 * MiB }
    await expect(countLines(file, limits)).rejects.toThrow(
      new RegExp(
        `^${file}:\\d+: decompresses past 2097152 bytes \\(2\\.0 MiB\\), the most one file may \\(LAKEBOOK_MAX_DECOMPRESSED_GIB raises it\\): \\d+ bytes .* [78]× expansion; the file is refused$`
      )
    )
    await expect(countParts(file, limits)).rejects.toThrow(/decompresses past 2097152 bytes/)
  })

  it('LAKEBOOK_MAX_DECOMPRESSED_GIB sets the bytes per file; a bad value is a sentence', () => {
    expect(expansionLimits({}).maxBytes).toBe(64 * 2 ** 30)
    expect(expansionLimits({ LAKEBOOK_MAX_DECOMPRESSED_GIB: '0.5' }).maxBytes).toBe(2 ** 29)
    expect(() => expansionLimits({ LAKEBOOK_MAX_DECOMPRESSED_GIB: 'lots' })).toThrow(
      'LAKEBOOK_MAX_DECOMPRESSED_GIB=lots is not a positive number of GiB'
    )
  })

  it('a contents.json.gz that decompresses past its limit is refused with the bytes', () => {
    const body = gzipSync(Buffer.alloc(2 * MiB, 0x20))
    expect(() => parseContents(body, MiB)).toThrow(
      new RegExp(`^contents file decompresses past 1048576 bytes from ${body.length} compressed`)
    )
  })

  it('the replay fails with the sentence, as for any input error (exit 1)', async () => {
    // A synthetic depth update first, so the replay finds its market and symbol.
    const first = gzipSync(`${line(depth(1, 2, [['100.00', '1']], [['101.00', '1']]))}\n`)
    const file = bomb('synthetic-bomb-replay.gz', 256, gzipSync, [first])
    const r = await runBuilt(['--lake', tempDir(), 'replay-capture', '--market', 'spot', file])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(
      /^lakebook: failed: .*synthetic-bomb-replay\.gz:\d+: expands more than 200×/m
    )
    expect(r.err).not.toMatch(/\n\s+at /)
  })
})

describe.skipIf(!hasCaptures)('control: real captures read within the limits', () => {
  // The ratio judged from the first byte (not only past 64 MiB, which no shared file reaches).
  const strict: ExpansionLimits = { ...expansionLimits(), ratioAfterBytes: 0 }
  const files = readdirSync(CAPTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(CAPTURES, d.name))
        .filter((f) => f.endsWith('.gz'))
        .map((f) => join(CAPTURES, d.name, f))
    )

  it('finds every shared capture', () => {
    expect(files.length).toBeGreaterThanOrEqual(8)
  })

  it.each(files)('%s reads whole, below 10× (the measured 6.8–8.8×)', async (file) => {
    const progress: ReadProgress = { bytes: 0 }
    const lines = await countLines(file, strict, progress)
    expect(lines).toBeGreaterThan(0)
    const ratio = (progress.decompressed ?? 0) / statSync(file).size
    expect(ratio).toBeGreaterThan(6)
    expect(ratio).toBeLessThan(10)
    expect(ratio).toBeLessThan(MAX_EXPANSION_RATIO / 20)
    // The part reader (these files are not in its member format: delegated) agrees.
    expect(await countParts(file, strict)).toBe(lines)
  })

  it('a real capture rewritten in the part format reads within the limits', async () => {
    const src = join(CAPTURES, 'spot-btcusdt-20240808', 'btcusdt_20240808.gz')
    const text = (await import('node:zlib')).gunzipSync(readFileSync(src))
    // Members of about 256 KiB of whole lines, as the capture writer flushes them.
    const members: Buffer[] = []
    for (let at = 0; at < text.length;) {
      const nl = text.indexOf(0x0a, Math.min(text.length - 1, at + 256 * 1024))
      const end = nl < 0 ? text.length : nl + 1
      members.push(gzipMemberSync(text.subarray(at, end)))
      at = end
    }
    const file = join(tempDir(), 'real-as-parts.gz')
    writeFileSync(file, Buffer.concat(members))
    expect(await countParts(file, strict)).toBe(await countLines(src))
  })
})

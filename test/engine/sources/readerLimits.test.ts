// Readers with limits (synthetic inputs built here): a capture line past the limit is refused
// with file and line, in linear time; FIFOs, devices and symlinks to them or in a loop are refused
// by name; import lists what it skipped and why.
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { openParquet } from '../../../src-main/lake/parquet/footer'
import { IssueLog } from '../../../src-main/util/issueLog'
import { readCaptureLines } from '../../../src-main/engine/source/captureReader'
import { readCaptureByteBatches } from '../../../src-main/engine/source/captureByteReader'
import { importToStaging } from '../../../src-main/validate/importer'
import { tempDir } from '../../helpers/synthetic'

async function readAll(file: string, maxLineChars?: number): Promise<number> {
  let n = 0
  for await (const _l of readCaptureLines(file, new IssueLog(), undefined, undefined, maxLineChars))
    n++
  return n
}

/** The scanner's reader: the same lines and the same refusals. */
async function readAllBytes(file: string, maxLineChars?: number): Promise<number> {
  let n = 0
  const issues = new IssueLog()
  for await (const b of readCaptureByteBatches(file, issues, undefined, undefined, maxLineChars))
    n += b.count
  return n
}

describe('capture line limit', () => {
  it("the scanner's byte reader refuses the same lines the same way", async () => {
    const file = join(tempDir(), 'synthetic-long-line-bytes.gz')
    const ok = '1723161253000000 {"a":1}'
    writeFileSync(file, gzipSync(`${ok}\n${ok}\n1723161253000001 ${'x'.repeat(5000)}\n`))
    expect(await readAllBytes(file, 10_000)).toBe(3)
    await expect(readAllBytes(file, 1000)).rejects.toThrow(
      `${file}:3: a line longer than 1000 characters (the capture line limit)`
    )
    const none = join(tempDir(), 'synthetic-no-newlines-bytes.gz')
    writeFileSync(none, gzipSync(Buffer.alloc(300_000, 0x30)))
    await expect(readAllBytes(none, 100_000)).rejects.toThrow(
      /:1: a line longer than 100000 characters/
    )
  })

  it('refuses a line past the limit, naming file and line', async () => {
    const file = join(tempDir(), 'synthetic-long-line.gz')
    const ok = '1723161253000000 {"a":1}'
    writeFileSync(file, gzipSync(`${ok}\n${ok}\n1723161253000001 ${'x'.repeat(5000)}\n`))
    expect(await readAll(file, 10_000)).toBe(3)
    await expect(readAll(file, 1000)).rejects.toThrow(
      `${file}:3: a line longer than 1000 characters (the capture line limit)`
    )
  })

  it('the default limit (64 MiB) stops a gzip that expands without newlines', async () => {
    const file = join(tempDir(), 'synthetic-no-newlines.gz')
    writeFileSync(file, gzipSync(Buffer.alloc((64 << 20) + (1 << 20), 0x30)))
    await expect(readAll(file)).rejects.toThrow(/:1: a line longer than 67108864 characters/)
  })
})

describe('only regular files', () => {
  const dir = tempDir()
  const fifo = join(dir, 'pipe.gz')
  execFileSync('mkfifo', [fifo])
  symlinkSync(fifo, join(dir, 'link-to-pipe.gz'))
  symlinkSync('/dev/zero', join(dir, 'zero.gz'))
  symlinkSync(join(dir, 'loop-b.gz'), join(dir, 'loop-a.gz'))
  symlinkSync(join(dir, 'loop-a.gz'), join(dir, 'loop-b.gz'))

  it.each([
    ['pipe.gz', 'a FIFO (named pipe), not a regular file; refused'],
    ['link-to-pipe.gz', 'a FIFO (named pipe), not a regular file; refused'],
    ['zero.gz', 'a character device, not a regular file; refused'],
    ['loop-a.gz', 'a symlink loop, refused']
  ])('capture replay refuses %s', async (name, reason) => {
    await expect(readAll(join(dir, name))).rejects.toThrow(`${join(dir, name)}: ${reason}`)
  })

  it('the Parquet reader refuses a FIFO', () => {
    expect(() => openParquet(fifo)).toThrow(`${fifo}: a FIFO (named pipe), not a regular file`)
  })

  it('import skips FIFOs and device links named *.parquet and says why', async () => {
    const src = tempDir()
    const part = join(src, 'trades', 'exchange=BINANCE', 'symbol=BTC-USDT', 'dt=2024-08-08')
    mkdirSync(part, { recursive: true })
    execFileSync('mkfifo', [join(part, 'a.parquet')])
    symlinkSync('/dev/zero', join(part, 'b.parquet'))
    const r = await importToStaging({ dir: src }, { lakeRoot: tempDir(), store: null })
    expect(r.files).toHaveLength(0)
    expect(r.skipped).toEqual([
      {
        path: 'trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08/a.parquet',
        reason: 'a FIFO (named pipe), not a regular file; refused'
      },
      {
        path: 'trades/exchange=BINANCE/symbol=BTC-USDT/dt=2024-08-08/b.parquet',
        reason: 'a character device, not a regular file; refused'
      }
    ])
  })
})

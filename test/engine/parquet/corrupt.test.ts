// Broken files (SYNTHETIC: made here by cutting or overwriting the bytes of a small valid file)
// give an InputError naming the file and saying what is wrong, from readFooter and from
// readLakeTable alike: never a crash, never a silent empty result. Also: cancellation.
import { beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { readFileSync, writeFileSync } from 'node:fs'
import { CancelledError, InputError } from '../../../src-main/util/errors'
import { readFooter } from '../../../src-main/lake/parquet/footer'
import { readLakeTable } from '../../../src-main/lake/parquet/reader'
import { writeLakeTable } from '../../../src-main/lake/parquet/writer'
import { META, quote, scratch, sql } from './helpers'

const N = 25_000

/** A synthetic book_delta_v2 table: deterministic, not market data. */
function syntheticDeltas() {
  const ts = new Float64Array(N)
  const seq = new Float64Array(N)
  const side = new Uint8Array(N)
  const px = new Float64Array(N)
  const sz = new Float64Array(N)
  for (let i = 0; i < N; i++) {
    ts[i] = 1_700_000_000_000_000_000 + Math.floor(i / 4) * 100_000_000 * 1024
    seq[i] = 1000 + Math.floor(i / 4)
    side[i] = i & 1
    px[i] = 30_000 + (i % 50) / 100
    sz[i] = (i % 9) / 10
  }
  return {
    timestamp: ts,
    receipt_timestamp: ts,
    sequence_number: seq,
    side_is_bid: side,
    price: px,
    size: sz
  }
}

async function expectBad(path: string, pattern: RegExp): Promise<void> {
  const a = await readFooter(path).catch((e: unknown) => e)
  let rows = 0
  const b = await (async () => {
    for await (const batch of readLakeTable(path, 'book_delta_v2')) rows += batch.rows
  })().catch((e: unknown) => e)
  for (const e of [a, b]) {
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).file).toBe(path)
    expect((e as Error).message.startsWith(`${path}: `)).toBe(true)
    expect((e as Error).message).toMatch(pattern)
  }
  expect(rows).toBe(0)
}

describe('corrupt files (synthetic)', () => {
  let dir = ''
  let good = new Uint8Array(0)
  let goodPath = ''

  beforeAll(async () => {
    dir = scratch('corrupt')
    goodPath = join(dir, 'good.parquet')
    await writeLakeTable(goodPath, 'book_delta_v2', META, [syntheticDeltas()])
    good = new Uint8Array(readFileSync(goodPath))
  })

  const variant = (name: string, bytes: Uint8Array): string => {
    const p = join(dir, name)
    writeFileSync(p, bytes)
    return p
  }

  it('the valid file reads', async () => {
    let rows = 0
    for await (const b of readLakeTable(goodPath, 'book_delta_v2')) rows += b.rows
    expect(rows).toBe(N)
  })

  it('0-byte file', async () => {
    await expectBad(variant('empty.parquet', new Uint8Array(0)), /empty \(0 bytes\)/)
  })

  it('a few bytes', async () => {
    await expectBad(
      variant('tiny.parquet', new TextEncoder().encode('PAR1PAR')),
      /7 bytes, too short/
    )
  })

  it('no magic at the start', async () => {
    const b = good.slice()
    b.set(new TextEncoder().encode('PK\u0003\u0004'), 0)
    await expectBad(variant('nomagic.parquet', b), /does not start with the Parquet magic/)
  })

  it('truncated: the tail is missing', async () => {
    await expectBad(
      variant('cut-tail.parquet', good.slice(0, good.length - 100)),
      /does not end with the Parquet magic.*truncated/
    )
    await expectBad(variant('cut-half.parquet', good.slice(0, good.length >> 1)), /truncated/)
  })

  it('footer length larger than the file', async () => {
    const b = good.slice()
    new DataView(b.buffer).setUint32(b.length - 8, 0x7fffffff, true)
    await expectBad(variant('longfooter.parquet', b), /footer length 2147483647 does not fit/)
  })

  it('footer bytes that do not parse', async () => {
    const b = good.slice()
    const len = new DataView(b.buffer).getUint32(b.length - 8, true)
    b.fill(0xff, b.length - 8 - len, b.length - 8)
    await expectBad(variant('badfooter.parquet', b), /cannot parse the Parquet footer/)
  })

  it('damaged pages fail the read, naming the row group, and leave the decoder usable', async () => {
    const pages = await sql(
      `SELECT row_group_id::INT AS g, data_page_offset::BIGINT AS data, dictionary_page_offset::BIGINT AS dict
       FROM parquet_metadata(${quote(goodPath)}) WHERE column_id = 4`
    )
    const second = pages.find((p) => p['g'] === 1)
    const cases: [string, number][] = [
      ['badpage.parquet', Number(second?.['data'])],
      ['baddict.parquet', Number(second?.['dict'])]
    ]
    for (const [name, at] of cases) {
      const b = good.slice()
      b.fill(0xff, at, at + 8)
      const path = variant(name, b)
      // The footer is intact, so readFooter succeeds; reading stops at row group 1 with an error.
      expect((await readFooter(path)).rows).toBe(N)
      const seen: number[] = []
      const e = await (async () => {
        for await (const batch of readLakeTable(path, 'book_delta_v2')) seen.push(batch.rowGroup)
      })().catch((x: unknown) => x)
      expect(e).toBeInstanceOf(InputError)
      expect((e as Error).message).toContain(
        `${path}: cannot decode row group 1 (rows 10000–19999): `
      )
      expect(seen).toEqual([0])
    }
    // parquet-wasm's async reader would have trapped the wasm instance here; ours keeps working.
    let rows = 0
    for await (const b of readLakeTable(goodPath, 'book_delta_v2')) rows += b.rows
    expect(rows).toBe(N)
  })

  it('stops with CancelledError once the signal aborts', async () => {
    const ac = new AbortController()
    const seen: number[] = []
    const e = await (async () => {
      for await (const b of readLakeTable(goodPath, 'book_delta_v2', { signal: ac.signal })) {
        seen.push(b.rowGroup)
        ac.abort()
      }
    })().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(CancelledError)
    expect(seen).toEqual([0])
  })

  it('a missing file', async () => {
    const e = await readFooter(join(dir, 'nope.parquet')).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(InputError)
    expect((e as Error).message).toMatch(
      /nope\.parquet: cannot open: it does not exist \(ENOENT\)$/
    )
  })
})

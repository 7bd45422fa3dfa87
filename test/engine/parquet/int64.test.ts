// Exactness of the BigInt-free int64 conversions (int64.ts) at their boundaries and on random
// values against a BigInt reference, then end to end through a Parquet file. Convention under
// test: µs = floor(ns / 1000) — the vendor's float artefacts are kept, not rounded away.
// Inputs are SYNTHETIC edge values (plus the vendor's documented example timestamp).
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { InputError } from '../../../src-main/util/errors'
import { float64ToInt64, int64ToFloat64, nsToUsFloor } from '../../../src-main/lake/parquet/int64'
import { readLakeTable } from '../../../src-main/lake/parquet/reader'
import { writeLakeTable } from '../../../src-main/lake/parquet/writer'
import { META, scratch, usRef } from './helpers'

const TWO53 = 2n ** 53n
const I64_MAX = 2n ** 63n - 1n
const I64_MIN = -(2n ** 63n)

function us(values: bigint[]): { out: number[]; bad: number } {
  const dst = new Float64Array(values.length)
  const bad = nsToUsFloor(BigInt64Array.from(values), dst)
  return { out: Array.from(dst), bad }
}

// Deterministic PRNG so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('ns → µs (floor), exact', () => {
  it('the vendor example keeps its float artefact', () => {
    // lakeapi shows 2022-10-01 00:00:00.032999936 = int(1664582400.033 * 1e9).
    expect((1664582400033 / 1000) * 1e9).toBe(1664582400032999936)
    expect(us([1664582400032999936n]).out).toEqual([1664582400032999])
    expect(us([1664582400043000064n]).out).toEqual([1664582400043000])
  })

  it('edge values', () => {
    const max = (TWO53 - 1n) * 1000n + 999n // largest ns whose µs is below 2^53
    const cases: [bigint, number][] = [
      [0n, 0],
      [999n, 0],
      [1000n, 1],
      [1001n, 1],
      [-1n, -1],
      [-999n, -1],
      [-1000n, -1],
      [-1001n, -2],
      [4294967295n, 4294967], // lo = 2^32 - 1, hi = 0
      [4294967296n, 4294967], // hi = 1, lo = 0
      [4294967296000n, 4294967296],
      [1723161253937085768n, 1723161253937085],
      [max, Number(TWO53 - 1n)],
      [-(TWO53 - 1n) * 1000n, -Number(TWO53 - 1n)]
    ]
    for (const [ns, want] of cases) {
      const r = us([ns])
      expect(r.bad, `ns ${ns}`).toBe(-1)
      expect(usRef(ns), `reference for ns ${ns}`).toBe(want)
      expect(r.out[0], `ns ${ns}`).toBe(want)
    }
  })

  it('refuses results of 2^53 µs or more', () => {
    expect(us([0n, TWO53 * 1000n]).bad).toBe(1)
    expect(us([I64_MAX]).bad).toBe(0)
    expect(us([I64_MIN]).bad).toBe(0)
    expect(us([-(TWO53 - 1n) * 1000n - 1n]).bad).toBe(0)
  })

  it('matches BigInt on 200,000 random values across the whole safe range', () => {
    const r = rng(7)
    const vals: bigint[] = []
    const limit = TWO53 * 1000n
    for (let i = 0; i < 200_000; i++) {
      const hi = BigInt(Math.floor(r() * 2 ** 21)) // covers up to 2^53 µs · 1000
      const lo = BigInt(Math.floor(r() * 2 ** 32))
      let v = (hi << 32n) | lo
      if (v >= limit) v = v % limit
      vals.push(r() < 0.1 ? -v : v)
    }
    const got = us(vals)
    expect(got.bad).toBe(-1)
    for (let i = 0; i < vals.length; i++) {
      if (got.out[i] !== usRef(vals[i]!))
        expect.fail(`ns ${vals[i]}: ${got.out[i]} vs ${usRef(vals[i]!)}`)
    }
  })
})

describe('int64 ↔ Float64, exact', () => {
  it('int64ToFloat64 accepts [-2^53, 2^53) and refuses beyond', () => {
    const ok = [0n, 1n, -1n, TWO53 - 1n, -TWO53, 50093239218n, 4294967296n, 4294967295n]
    const dst = new Float64Array(ok.length)
    expect(int64ToFloat64(BigInt64Array.from(ok), dst)).toBe(-1)
    expect(Array.from(dst)).toEqual(ok.map(Number))
    expect(int64ToFloat64(BigInt64Array.from([1n, TWO53]), new Float64Array(2))).toBe(1)
    expect(int64ToFloat64(BigInt64Array.from([-TWO53 - 1n]), new Float64Array(1))).toBe(0)
  })

  it('float64ToInt64 is exact for integers in [-2^63, 2^63) and refuses the rest', () => {
    const vals = [0, -1, 2 ** 53 + 2, 1664582400032999936, -(2 ** 63), 2 ** 63 - 1024, 4294967296.0]
    const dst = new BigInt64Array(vals.length)
    expect(float64ToInt64(Float64Array.from(vals), 0, vals.length, dst)).toBe(-1)
    expect(Array.from(dst)).toEqual(vals.map((v) => BigInt(v)))
    for (const bad of [0.5, NaN, Infinity, 2 ** 63, -(2 ** 64)]) {
      expect(
        float64ToInt64(Float64Array.from([1, bad]), 0, 2, new BigInt64Array(2)),
        `${bad}`
      ).toBe(1)
    }
  })
})

describe('through a Parquet file', () => {
  const deltas = (ts: BigInt64Array) => ({
    timestamp: ts,
    receipt_timestamp: ts,
    sequence_number: BigInt64Array.from(ts, (_, i) => BigInt(i)),
    side_is_bid: new Uint8Array(ts.length),
    price: new Float64Array(ts.length).fill(1),
    size: new Float64Array(ts.length)
  })

  it('edge timestamps come back as exact µs', async () => {
    const edges = [
      0n,
      999n,
      1664582400032999936n,
      1723161253937085768n,
      (TWO53 - 1n) * 1000n + 999n,
      -1n
    ]
    const path = join(scratch('int64'), 'edges.parquet')
    await writeLakeTable(path, 'book_delta_v2', META, [deltas(BigInt64Array.from(edges))])
    const got: number[] = []
    for await (const b of readLakeTable(path, 'book_delta_v2')) got.push(...b.columns.origin_time)
    expect(got).toEqual(edges.map(usRef))
  })

  it('a time beyond 2^53 µs is refused, naming file, column and row', async () => {
    const path = join(scratch('int64'), 'far.parquet')
    await writeLakeTable(path, 'book_delta_v2', META, [
      deltas(BigInt64Array.from([5n, 6n, TWO53 * 1000n]))
    ])
    const e = await (async () => {
      for await (const _ of readLakeTable(path, 'book_delta_v2')) {
        // drain
      }
    })().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(InputError)
    expect((e as Error).message).toBe(
      `${path}: column "timestamp" row 2: ${TWO53 * 1000n} ns is 2^53 µs or more, beyond exact Float64`
    )
  })
})

// SYNTHETIC capture files for edge-case tests only (gaps, crossings, corrupt input). Built in the
// test that uses them, in the real line format, and never mistaken for market data.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export function tempDir(prefix = 'lakebook-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

let clock = 1_723_161_253_000_000_000n

/** A capture line `<ns receive ts> <json>`; each call advances the fake clock by 1 ms. */
export function line(msg: unknown): string {
  clock += 1_000_000n
  return `${clock} ${JSON.stringify(msg)}`
}

export function depth(
  U: number,
  u: number,
  bids: [string, string][],
  asks: [string, string][],
  E = 1_723_161_255_000 + u
) {
  return {
    stream: 'btcusdt@depth@100ms',
    data: { e: 'depthUpdate', E, s: 'BTCUSDT', U, u, b: bids, a: asks }
  }
}

export function snapshot(lastUpdateId: number, bids: [string, string][], asks: [string, string][]) {
  return { lastUpdateId, bids, asks }
}

export function bookTicker(u: number, b: string, B: string, a: string, A: string) {
  return { stream: 'btcusdt@bookTicker', data: { u, s: 'BTCUSDT', b, B, a, A } }
}

export function trade(t: number, p: string, q: string, m: boolean, T = 1_723_161_255_000 + t) {
  return {
    stream: 'btcusdt@trade',
    data: { e: 'trade', E: T, s: 'BTCUSDT', t, p, q, T, m, M: true }
  }
}

export function writeCapture(
  dir: string,
  name: string,
  lines: string[],
  opts: { truncateBytes?: number; noFinalNewline?: boolean } = {}
): string {
  const text = lines.join('\n') + (opts.noFinalNewline ? '' : '\n')
  let gz = gzipSync(Buffer.from(text))
  if (opts.truncateBytes !== undefined) gz = gz.subarray(0, gz.length - opts.truncateBytes)
  const path = join(dir, name)
  writeFileSync(path, gz)
  return path
}

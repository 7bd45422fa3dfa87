// Shared fixtures for the Parquet-layer tests: Crypto Lake rows derived from the REAL Binance spot
// capture (spot-btcusdt-20240808, first lines only so each test file stays fast), a DuckDB
// connection used as an independent second reader, and file-byte helpers.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { lakeRowsFromCapture, type CaptureLakeRows } from '../../../src-main/convert/lakeRows'
import type { LakeFileMeta } from '../../../src-main/lake/parquet/writer'
import { captureFiles } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

export const META: LakeFileMeta = {
  date: '2024-08-08',
  containsGaps: false,
  symbol: 'BTC-USDT',
  exchange: 'BINANCE'
}

const cache = new Map<number, Promise<CaptureLakeRows>>()

/** Lake rows from the first `maxLines` lines of the real spot capture (memoised per count). */
export function realRows(maxLines = 6000): Promise<CaptureLakeRows> {
  let p = cache.get(maxLines)
  if (!p) {
    p = lakeRowsFromCapture(captureFiles('spot-btcusdt-20240808'), { maxLines })
    cache.set(maxLines, p)
  }
  return p
}

export function scratch(name: string): string {
  const dir = join(tempDir('lakebook-parquet-'), name)
  mkdirSync(dir, { recursive: true })
  return dir
}

let duck: Promise<DuckDBConnection> | null = null

export function duckdb(): Promise<DuckDBConnection> {
  duck ??= DuckDBInstance.create(':memory:', { threads: '1' }).then((db) => db.connect())
  return duck
}

/** Rows of a query as JSON-friendly values (BIGINT as strings). */
export async function sql(query: string): Promise<Record<string, unknown>[]> {
  const c = await duckdb()
  return (await c.runAndReadAll(query)).getRowObjectsJson()
}

export const quote = (path: string): string => `'${path.replaceAll("'", "''")}'`

/** ns → µs, floor, computed with BigInt: the reference the fast path must match. */
export function usRef(ns: bigint): number {
  const q = ns / 1000n
  return Number(ns % 1000n < 0n ? q - 1n : q)
}

export function bytesOf(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path))
}

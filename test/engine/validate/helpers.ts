// Shared by the gate's tests: a lake root with its manifest (whose migrations hold the gate's
// tables), a lake with converted capture files staged, staging paths, and a JobContext stand-in
// for calling the runners directly.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { JobContext } from '../../../src-main/jobs/context'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import { writeTrustOverrides } from '../../../src-main/lake/trustConfig'
import { importToStaging, ValidationStore } from '../../../src-main/validate'
import { tempDir } from '../../helpers/synthetic'

export function lakeWithManifest(prefix = 'lakebook-gate-'): {
  root: string
  db: Db
  store: ValidationStore
} {
  const root = tempDir(prefix)
  const db = openManifest(root)
  return { root, db, store: new ValidationStore(db) }
}

/**
 * The converted files of `vendor` imported into the lake's staging/, the lake told to accept
 * short days: the shared captures are minutes long (every report records the override).
 */
export async function stageCapture(
  lakeRoot: string,
  vendor: string,
  store?: ValidationStore,
  now?: () => Date
): Promise<void> {
  const db = store === undefined ? openManifest(lakeRoot) : null
  try {
    const env = { lakeRoot, store: store ?? new ValidationStore(db as Db) }
    await importToStaging({ dir: vendor }, now === undefined ? env : { ...env, now })
  } finally {
    db?.close()
  }
  writeTrustOverrides(lakeRoot, { validation: { daySpanFailShare: 0, daySpanWarnShare: 0 } })
}

/** A new lake with its manifest and the converted files of `vendor` staged (stageCapture). */
export async function stagedCaptureLake(
  vendor: string,
  prefix: string,
  now?: () => Date
): Promise<ReturnType<typeof lakeWithManifest>> {
  const lake = lakeWithManifest(prefix)
  await stageCapture(lake.root, vendor, lake.store, now)
  return lake
}

export function partitionPath(
  root: string,
  zone: 'staging' | 'ready',
  table: string,
  day: string,
  file = '1.snappy.parquet',
  exchange = 'BINANCE',
  symbol = 'BTC-USDT'
): string {
  const p = join(root, zone, table, `exchange=${exchange}`, `symbol=${symbol}`, `dt=${day}`, file)
  mkdirSync(dirname(p), { recursive: true })
  return p
}

/** Every Parquet file under a folder (recursive), relative paths. */
export function parquetUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  const visit = (d: string, rel: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e)
      if (statSync(p).isDirectory()) visit(p, `${rel}${e}/`)
      else if (e.endsWith('.parquet')) out.push(`${rel}${e}`)
    }
  }
  visit(dir, '')
  return out.sort()
}

export function fakeContext(
  lakeRoot: string,
  jobId = 'job-test'
): JobContext & {
  logs: string[]
} {
  const logs: string[] = []
  return {
    jobId,
    lakeRoot,
    signal: new AbortController().signal,
    logs,
    progress: () => undefined,
    log: (level, message) => {
      logs.push(`${level}: ${message}`)
    },
    checkCancelled: () => undefined
  }
}

/** Every gate row runs leave in the manifest, in a stable order. */
export function manifestRows(db: Db): unknown {
  const all = (sql: string): unknown[] => db.prepare(sql).all()
  return {
    runs: all(
      'SELECT id, kind, created_at, exchange, symbol, day_from, day_to, summary_json FROM validation_runs ORDER BY id'
    ),
    files: all('SELECT * FROM validation_files ORDER BY run_id, path'),
    findings: all('SELECT * FROM validation_findings ORDER BY run_id, scope, rule'),
    gate: all('SELECT * FROM gate_files ORDER BY table_name, dt, filename, zone')
  }
}

// Shared fixtures of the export tests: the real spot capture converted to Crypto Lake format
// once per test file (convertedLake), export options over it, and helpers to compare datasets.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { planBackfill } from '../../src-main/export/backfillPlan'
import { inThreadExecutor, runBackfill } from '../../src-main/export/backfillRun'
import { BackfillStore } from '../../src-main/export/backfillStore'
import type { ExportOptions } from '../../src-main/export/pipeline'
import { openManifest } from '../../src-main/lake/manifest'
import type { BackfillStatusView } from '../../src-shared/export'
import { tempDir } from './synthetic'

export const SPOT = { exchange: 'BINANCE', symbol: 'BTC-USDT' } as const

/** Options for an export of the converted spot capture (2024-08-08 23:54 → 08-09 00:05). */
export function spotOptions(root: string, over: Partial<ExportOptions> = {}): ExportOptions {
  return {
    root,
    ...SPOT,
    from: '2024-08-08',
    to: '2024-08-09',
    warmupDays: 0,
    gridUs: 100_000,
    chunkUs: 60_000_000,
    tables: { events: true, book: true, bookEvents: true, features: true },
    out: tempDir('lakebook-export-'),
    decodeWorkers: 0,
    ...over
  }
}

/**
 * A backfill of the converted spot capture into `lake`'s manifest, 2024-08-08 → 08-10 (08-10
 * has no file and is accepted as missing), 1-minute chunks, ungated, in this thread.
 */
export async function spotBackfill(lake: string, root: string): Promise<BackfillStatusView> {
  const db = openManifest(lake)
  try {
    const store = new BackfillStore(db)
    const plan = planBackfill(
      {
        root,
        ...SPOT,
        from: '2024-08-08',
        to: '2024-08-10',
        out: join(tempDir('lakebook-backfill-ds-'), 'ds'),
        chunk: '1m',
        grid: '100ms',
        tables: ['events', 'book', 'features'],
        decodeWorkers: 0,
        ungated: true,
        fidelityReference: 'off'
      },
      { lakeRoot: lake, store }
    )
    return await runBackfill(store, plan.id, {
      parallel: 1,
      executor: inThreadExecutor({ lakeRoot: lake, workers: {} }),
      acceptMissing: true,
      gates: { lakeRoot: lake }
    })
  } finally {
    db.close()
  }
}

/** Every file under dir (relative path → sha256), the work folder excluded. */
export function treeHashes(
  dir: string,
  skip: readonly string[] = ['_export']
): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      const rel = relative(dir, p)
      if (skip.includes(rel)) continue
      if (statSync(p).isDirectory()) walk(p)
      else out.set(rel, createHash('sha256').update(readFileSync(p)).digest('hex'))
    }
  }
  walk(dir)
  return out
}

/** certificate.json without its timestamp, for comparing two exports. */
export function certificateWithoutTime(dir: string): unknown {
  const c = JSON.parse(readFileSync(join(dir, 'certificate.json'), 'utf8')) as Record<
    string,
    unknown
  >
  delete c['createdAt']
  return c
}

/**
 * Gate options for tests of the export machinery itself (a vendor folder, no certificates): no
 * readiness gate, no fidelity comparison; the dataset is then `certified: false`.
 */
export function ungated(o: { root: string }): {
  gates: { lakeRoot: string; ungated: true; fidelity: 'off' }
} {
  return { gates: { lakeRoot: o.root, ungated: true, fidelity: 'off' } }
}

// Planning a backfill: the range split into day jobs (recorded in the manifest, queued), and what
// it will take — input rows and bytes per day from the local files' footers, days not present
// locally, time at the measured day-job rate, output disk at the measured output/input ratio,
// free disk, and the download those missing days would cost against the vendor's monthly quota.
// Rates come from days already done (any backfill in this manifest); before the first day is
// done, from the assumptions below, and the plan says which it used.
import { existsSync, statfsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { BackfillPlanParams, BackfillPlanView } from '../../src-shared/export'
import { InputError } from '../util/errors'
import { dataBase, daysFromTo, partitionFiles } from '../lake/layout'
import { readFooterSync } from '../lake/parquet/footer'
import { lakePaths } from '../lake/paths'
import { assertBackfillOnePass } from './backfillGate'
import type { BackfillStore } from './backfillStore'
import { assertNotExportDataset } from './certificate'
import {
  datasetIdOf,
  DEFAULT_CHUNK,
  DEFAULT_GRID,
  labelAndSplitOptions,
  tablesOf
} from './exportJob'
import { checkLabelGrid } from './labels'
import { parseDuration } from './time'
import { TABLE_ORDER } from './inputs'

/**
 * Assumed until a day has been measured: input rows per second of one day job (the export
 * benchmark's order of magnitude on a loaded 2-core machine, bench-results/export.json), and
 * output bytes per input byte with the default tables (events, 100 ms book and features), as
 * measured on tiled real data.
 */
export const ASSUMED_ROWS_PER_SECOND = 400_000
export const ASSUMED_OUTPUT_RATIO = 2.4
export const DEFAULT_QUOTA_GB = 300

export interface PlanEnv {
  readonly lakeRoot: string
  readonly store: BackfillStore | null
  /** Bytes already downloaded this quota month (the acquisition ledger), when known. */
  readonly usedThisMonthBytes?: number | undefined
  /** Day jobs at once, for the time estimate. */
  readonly parallel?: number | undefined
  readonly now?: Date | undefined
}

/** The settings a backfill's day jobs run with (its id hashes them). */
export function backfillSettings(p: BackfillPlanParams, lakeRoot: string): BackfillPlanParams {
  return {
    ...p,
    root: resolve(p.root ?? lakeRoot),
    grid: p.grid ?? DEFAULT_GRID,
    chunk: p.chunk ?? DEFAULT_CHUNK,
    tables: p.tables ?? ['events', 'book', 'features'],
    warmupDays: p.warmupDays ?? 1
  }
}

function freeBytes(path: string): number {
  let p = resolve(path)
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p)
  const s = statfsSync(p)
  return s.bavail * s.bsize
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2
}

export function planBackfill(params: BackfillPlanParams, env: PlanEnv): BackfillPlanView {
  if (params.from > params.to)
    throw new InputError(`--from ${params.from} is after --to ${params.to}`)
  const settings = backfillSettings(params, env.lakeRoot)
  // Labels and split are made when every day is done; bad options are refused now.
  const tables = tablesOf(settings.tables)
  const gridUs = settings.grid === 'off' ? null : parseDuration(settings.grid ?? DEFAULT_GRID)
  const { labels, split } = labelAndSplitOptions(settings, tables, gridUs)
  if ((labels || split) && !tables.features)
    throw new InputError(
      'labels and splits are computed from the features table; add it to --tables'
    )
  if (labels) checkLabelGrid(labels, gridUs)
  const root = settings.root ?? env.lakeRoot
  // --validate: the day jobs read staging/, where every file of the range must wait.
  if (settings.validate === true)
    assertBackfillOnePass(params, resolve(env.lakeRoot), params.from, params.to)
  const base = settings.validate === true ? lakePaths.staging(env.lakeRoot) : dataBase(root)
  const days = daysFromTo(params.from, params.to)
  const { quotaGb: _q, usedGb: _u, parallel: _p, ...identity } = settings
  const id = `backfill_${datasetIdOf(params.exchange, params.symbol, params.from, params.to, {
    ...identity,
    tables: tablesOf(settings.tables)
  })}`
  const dataset = resolve(params.out ?? join(lakePaths.exports(env.lakeRoot), id))
  assertNotExportDataset(dataset)

  const perDay = days.map((day) => {
    let rows = 0
    let bytes = 0
    let hasDeltas = false
    for (const t of TABLE_ORDER) {
      for (const f of partitionFiles(base, t, params.exchange, params.symbol, day)) {
        if (t === 'book_delta_v2') hasDeltas = true
        rows += readFooterSync(f).rows
        bytes += statSync(f).size
      }
    }
    return { day, inputRows: rows, inputBytes: bytes, hasDeltas }
  })
  const present = perDay.filter((d) => d.hasDeltas)
  const missing = perDay.filter((d) => !d.hasDeltas).map((d) => d.day)
  const inputRows = perDay.reduce((a, d) => a + d.inputRows, 0)
  const inputBytes = perDay.reduce((a, d) => a + d.inputBytes, 0)
  const dayBytes = median(present.map((d) => d.inputBytes))
  const dayRows = median(present.map((d) => d.inputRows))

  const measured = env.store?.measuredRates() ?? { rowsPerSecond: null, outputRatio: null, days: 0 }
  const rate = measured.rowsPerSecond ?? ASSUMED_ROWS_PER_SECOND
  const ratio = measured.outputRatio ?? ASSUMED_OUTPUT_RATIO
  const parallel = Math.max(1, params.parallel ?? env.parallel ?? 1)
  // Missing days count at the median present day's size: they are to be downloaded first.
  const allRows = inputRows + missing.length * dayRows
  const downloadBytes = missing.length * dayBytes
  const outputBytes = Math.round((inputBytes + downloadBytes) * ratio)
  const free = freeBytes(dataset)
  const quotaBytesPerMonth = (params.quotaGb ?? DEFAULT_QUOTA_GB) * 1e9
  const used = params.usedGb !== undefined ? params.usedGb * 1e9 : (env.usedThisMonthBytes ?? 0)

  let created = false
  if (env.store) {
    created = env.store.create(
      {
        id,
        dataset,
        exchange: params.exchange,
        symbol: params.symbol,
        from: params.from,
        to: params.to,
        params: settings,
        createdAt: (env.now ?? new Date()).toISOString()
      },
      perDay.map((d) => ({ day: d.day, inputRows: d.inputRows, inputBytes: d.inputBytes }))
    )
  }
  return {
    id,
    dataset,
    from: params.from,
    to: params.to,
    days: days.length,
    daysWithData: present.length,
    daysMissingLocally: missing,
    input: { rows: inputRows, bytes: inputBytes },
    validate: settings.validate === true,
    estimate: {
      rowsPerSecond: rate,
      rateSource:
        measured.rowsPerSecond !== null
          ? `measured over ${measured.days} done day job(s)`
          : `assumed (${ASSUMED_ROWS_PER_SECOND.toLocaleString('en-US')} rows/s per day job) until a day is done`,
      parallel,
      seconds: allRows / (rate * parallel),
      outputRatio: ratio,
      outputBytes,
      diskFreeBytes: free,
      diskOk: outputBytes < free,
      downloadBytes,
      quotaBytesPerMonth,
      quotaUsedBytes: used,
      quotaShare: downloadBytes / quotaBytesPerMonth,
      quotaOk: used + downloadBytes <= quotaBytesPerMonth
    },
    created
  }
}

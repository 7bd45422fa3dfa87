// `lakebook report technical`: the go/no-go report. Every pipeline stage runs over the same real
// sample (a range of Lake-format files), one after the other, each timed on its own: reading the
// bytes, validating, decoding Parquet, the replay, the export with Parquet writing, and the same
// export with every rule of the gate run on its own read (export --validate's one pass). Rates are
// put in input rows per second so they compare and extrapolate (technicalTargets.ts); peak memory
// is the process's (all threads). Each stage runs twice and its second run is timed (see timed),
// so the read stage measures the page cache when the sample fits in memory — the report says so.
// The newest `lakebook bench` result in the lake's reports folder, when there is one, gives a
// second twelve-month estimate at its rates (report/benchFigures.ts); the verdict stays this run's.
import { createReadStream, rmSync, statfsSync, statSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import type { LakeTable } from '../lake/parquet/schemas'
import {
  DEFAULT_EVENTS_PER_HOUR,
  type StageMeasurement,
  type StageName,
  type TechnicalReport,
  type TechnicalReportParams
} from '../../src-shared/report'
import { exportDataset, exportOptions, type ExportWorkers } from '../export/exportJob'
import type { ExportOptions } from '../export/pipeline'
import type { JobContext } from '../jobs/context'
import { readFooterSync } from '../lake/parquet/footer'
import { readLakeTable } from '../lake/parquet/reader'
import { lakePaths } from '../lake/paths'
import { runLakeReplay } from '../replay/lakeJob'
import { resolveLakeTick, resolveSelection } from '../engine/source/lakeSources'
import { writeFileAtomic } from '../util/atomicWrite'
import { checkFiles } from '../validate/gate'
import { outsideFile } from '../validate/partition'
import { measuringTap } from '../export/validatedExport'
import { VERSION } from '../version'
import { loadTrustConfig } from '../lake/trustConfig'
import { benchFigures, latestBench } from './benchFigures'
import { technicalHtml } from './technicalHtml'
import { evaluate, pivots, recommendation } from './technicalTargets'
import { makeDir } from '../util/makeDir'

const TABLES: readonly LakeTable[] = ['book_delta_v2', 'trades', 'book']

function stage(
  name: StageName,
  what: string,
  units: number,
  unit: string,
  seconds: number,
  rows: number
): StageMeasurement {
  return {
    stage: name,
    what,
    units,
    unit,
    seconds,
    perSecond: units / seconds,
    rowsPerSecond: rows / seconds
  }
}

/**
 * Runs a stage twice and times the second run: the first warms the JIT, the page cache and the
 * worker threads' module loading, so a short sample measures the stage, not the start-up.
 */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  await fn()
  const t0 = performance.now()
  const v = await fn()
  return [v, (performance.now() - t0) / 1000]
}

async function readBytes(path: string, signal: AbortSignal): Promise<number> {
  let n = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20, signal }))
    n += (chunk as Buffer).length
  return n
}

export async function runTechnicalReport(
  params: TechnicalReportParams,
  ctx: JobContext,
  workers: ExportWorkers = {}
): Promise<TechnicalReport> {
  const root = resolve(params.root ?? ctx.lakeRoot)
  const config = loadTrustConfig(ctx.lakeRoot)
  const exchange = params.exchange ?? 'BINANCE'
  const symbol = params.symbol ?? 'BTC-USDT'
  const sel = resolveSelection({ root, exchange, symbol, from: params.from, to: params.to })
  const files = TABLES.flatMap((table) =>
    sel.files[table].map((f) => ({ table, ...f, bytes: statSync(f.path).size }))
  )
  const rows = { book_delta_v2: 0, trades: 0, book: 0 }
  for (const f of files) rows[f.table] += readFooterSync(f.path).rows
  const totalRows = rows.book_delta_v2 + rows.trades + rows.book
  const totalBytes = files.reduce((a, f) => a + f.bytes, 0)
  const step = (i: number, message: string): void => {
    ctx.progress({ done: i, total: 6, unit: 'stages', message })
  }
  const stages: StageMeasurement[] = []

  step(0, 'reading the files')
  const [readTotal, readS] = await timed(async () => {
    let n = 0
    for (const f of files) n += await readBytes(f.path, ctx.signal)
    return n
  })
  stages.push(stage('read', 'sequential file read', readTotal, 'bytes', readS, totalRows))

  step(1, 'validating')
  const tick = await resolveLakeTick(sel)
  const gateFiles = files.map((f) => outsideFile(f, exchange, symbol))
  const [, validateS] = await timed(() =>
    checkFiles(gateFiles, { t: config.validation, tick, store: null, signal: ctx.signal })
  )
  stages.push(
    stage('validate', 'every rule of the data gate', totalRows, 'rows', validateS, totalRows)
  )

  step(2, 'decoding Parquet')
  const [decoded, decodeS] = await timed(async () => {
    let n = 0
    for (const f of files)
      for await (const b of readLakeTable(f.path, f.table, { signal: ctx.signal })) n += b.rows
    return n
  })
  stages.push(stage('decode', 'Parquet to columns, one thread', decoded, 'rows', decodeS, decoded))

  step(3, 'replaying')
  const [replay, replayS] = await timed(() =>
    runLakeReplay(
      { root, exchange, symbol, from: params.from, to: params.to },
      {
        workers: workers.decode ? 1 : 0,
        decodeWorker: workers.decode,
        signal: ctx.signal
      }
    )
  )
  const replayRows = replay.events.deltaRows + replay.events.trades + replay.events.bookRows
  stages.push(
    stage(
      'replay',
      'unified replay into the book, drift at every book row',
      replayRows,
      'rows',
      replayS,
      replayRows
    )
  )

  step(4, 'exporting')
  const outDir = resolve(params.out ?? lakePaths.reports(ctx.lakeRoot))
  makeDir(outDir)
  const scratch = join(outDir, `.technical-export-${process.pid}`)
  const o = exportOptions(
    // A measurement, not a dataset: no gates, no fidelity comparison.
    {
      root,
      exchange,
      symbol,
      from: params.from,
      to: params.to,
      ungated: true,
      fidelityReference: 'off'
    },
    ctx.lakeRoot,
    workers,
    { out: scratch, signal: ctx.signal }
  )
  /** The export timed into the scratch folder, which goes when it is done. */
  const timedExport = async (opts: ExportOptions) => {
    try {
      return await timed(() => {
        rmSync(scratch, { recursive: true, force: true })
        return exportDataset(opts, {
          gates: { lakeRoot: ctx.lakeRoot, ungated: true, fidelity: 'off' }
        })
      })
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }
  const exported = await timedExport(o)
  const [{ result: ex }, exportS] = exported
  stages.push(
    stage(
      'export',
      'events, 100 ms book and features to Parquet + certificate',
      ex.run.events,
      'events',
      exportS,
      ex.run.events
    )
  )

  step(5, 'exporting in one pass')
  // The gate's rules on the export's read, as export --validate runs them (nothing recorded).
  const [{ result: onePass }, onePassS] = await timedExport({
    ...o,
    tap: measuringTap(gateFiles, { t: config.validation, tick })
  })
  stages.push(
    stage(
      'one-pass',
      'the same export with every rule of the gate on its read (export --validate)',
      onePass.run.events,
      'events',
      onePassS,
      onePass.run.events
    )
  )
  step(6, 'done')

  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  const fs = statfsSync(outDir)
  const diskFreeBytes = fs.bavail * fs.bsize
  const exportOutputRatio = ex.outputs.bytes / Math.max(1, totalBytes)
  const eventsPerHour = params.eventsPerHour ?? DEFAULT_EVENTS_PER_HOUR
  const outputBytes = ex.outputs.bytes
  const eventsBytes = exported[0].run.parts
    .filter((p) => p.table === 'events')
    .reduce((a, p) => a + p.bytes, 0)
  const inputs = {
    stages,
    sampleRows: totalRows,
    sampleBytes: totalBytes,
    exportOutputRatio,
    eventsPerHour,
    peakRssMb,
    diskFreeBytes,
    eventsOutputShare: outputBytes > 0 ? eventsBytes / outputBytes : 0
  }
  const judged = evaluate(inputs, config.technical)
  const measuredPivots = pivots(inputs, config.technical)
  const found = latestBench(lakePaths.reports(ctx.lakeRoot))
  const bench = found.bench === null ? null : benchFigures(found.bench, inputs)
  for (const skip of found.skipped) ctx.log('warn', `bench result skipped: ${skip}`)
  const first = replay.firstReceiveTime
  const last = replay.lastReceiveTime
  const stamp = new Date().toISOString()
  const base = join(outDir, `technical-${stamp.replace(/[:.]/g, '-')}`)
  const report: TechnicalReport = {
    createdAt: stamp,
    codeVersion: VERSION,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version
    },
    sample: {
      root,
      exchange,
      symbol,
      days: sel.days,
      files: files.length,
      bytes: totalBytes,
      rows,
      firstReceiveTime: first,
      lastReceiveTime: last,
      hours: first && last ? (Date.parse(last) - Date.parse(first)) / 3_600_000 : 0
    },
    stages,
    peakRssMb,
    exportOutputRatio,
    eventsPerHour,
    ...judged,
    recommendation: recommendation(judged.verdict, judged.targets, measuredPivots),
    pivots: measuredPivots,
    targetConfig: { ...config.technical },
    bench,
    benchSkipped: found.skipped,
    diskFreeBytes,
    json: `${base}.json`,
    html: `${base}.html`
  }
  writeFileAtomic(report.json, `${JSON.stringify(report, null, 2)}\n`)
  writeFileAtomic(report.html, technicalHtml(report))
  ctx.log('info', `verdict: ${report.verdict}; report ${report.html}`)
  return report
}

// The export and verify-dataset jobs: (params, ctx) runners for the job registry and the CLI.
// An export resolves its selection and defaults, runs the pipeline (resuming a checkpoint left in
// the dataset folder by an interrupted run), writes certificate.json and removes its work folder.
import { existsSync, rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import type {
  DatasetVerification,
  ExportParams,
  ExportResult,
  VerifyDatasetParams
} from '../../src-shared/export'
import { InputError } from '../util/errors'
import type { JobContext } from '../jobs/context'
import { openManifest } from '../lake/manifest'
import { lakePaths } from '../lake/paths'
import { resolveSelection } from '../engine/source/lakeSources'
import type { DecodeWorkerSpec } from '../engine/source/parallelSources'
import { GateStore } from '../gates/store'
import { ValidationStore } from '../validate/store'
import { assertReady, datasetTrust, type ExportGateOptions } from '../gates/exportGates'
import {
  certificateDays,
  certificateRun,
  CERTIFICATE_FILE,
  gateSummary,
  runCertificate,
  writeCertificate,
  type DatasetCertificate
} from './certificate'
import { WORK_DIR } from './checkpoint'
import { manifestLookup, type ManifestLookup } from './inputs'
import {
  checkDatasetFolder,
  defaultTables,
  runExportPipeline,
  shiftDay,
  type ExportOptions,
  type ExportRun,
  type ExportTables
} from './pipeline'
import { runLabelPass, type LabelPassResult } from './labelPass'
import { DEFAULT_HORIZONS, labelOptions, type LabelOptions } from './labels'
import { DATASET_TABLES, SPLITS_FILE } from './schema'
import { splitOptions, type SplitOptions } from './split'
import { parseDuration } from './time'
import { verifyDataset } from './verify'
import type { WorkerSpec } from './writerStage'
import { InPassValidation, inPassSummary } from './validatedExport'

/** The worker threads an export may use (the built job worker in the app, with a role each). */
export interface ExportWorkers {
  readonly decode?: DecodeWorkerSpec | undefined
  readonly writer?: WorkerSpec | undefined
}

export const DEFAULT_GRID = '100ms'
export const DEFAULT_CHUNK = '1h'

export function tablesOf(list: readonly string[] | undefined): ExportTables {
  if (list === undefined) return defaultTables()
  return {
    events: list.includes('events'),
    book: list.includes('book'),
    bookEvents: list.includes('book_events'),
    features: list.includes('features')
  }
}

/** Pipeline options from job params: defaults resolved, paths absolute. */
export function exportOptions(
  p: ExportParams,
  lakeRoot: string,
  workers: ExportWorkers,
  extra: Partial<ExportOptions> = {}
): ExportOptions & { datasetId: string } {
  const root = resolve(p.root ?? lakeRoot)
  // export --validate reads the lake's staged files (validatedExport.ts), and a warm-up day
  // already through the gate from ready/.
  const base = p.validate === true ? lakePaths.staging(lakeRoot) : undefined
  const fallback = p.validate === true ? lakePaths.ready(lakeRoot) : undefined
  const sel = resolveSelection({
    root,
    exchange: p.exchange,
    symbol: p.symbol,
    from: p.from,
    to: p.to,
    base
  })
  const from = p.from ?? sel.days[0] ?? ''
  const to = p.to ?? sel.days[sel.days.length - 1] ?? ''
  const grid = p.grid ?? DEFAULT_GRID
  const tables = tablesOf(p.tables)
  const gridUs = grid === 'off' ? null : parseDuration(grid)
  const chunkUs = parseDuration(p.chunk ?? DEFAULT_CHUNK)
  const datasetId = datasetIdOf(p.exchange, p.symbol, from, to, { grid, chunkUs, tables, p })
  const decodeWorkers = p.decodeWorkers ?? (workers.decode ? 1 : 0)
  const { labels, split } = labelAndSplitOptions(p, tables, gridUs)
  return {
    root,
    exchange: p.exchange,
    symbol: p.symbol,
    from,
    to,
    warmupDays: p.warmupDays ?? 0,
    tick: p.tick,
    policy: p.policy,
    gridUs: tables.book || tables.features ? gridUs : null,
    chunkUs,
    tables,
    labels,
    split,
    out: resolve(p.out ?? join(lakePaths.exports(lakeRoot), datasetId)),
    base,
    fallback,
    decodeWorkers: workers.decode ? decodeWorkers : 0,
    decodeWorker: workers.decode,
    writerWorker: workers.writer,
    ...extra,
    datasetId
  }
}

/**
 * Labels and split from job params. Labels by default whenever the features table is written, at
 * the default horizons the grid can express (a 1s grid: 1s, 10s, 60s); asked for without
 * features, an error (pipeline.ts).
 */
export function labelAndSplitOptions(
  p: Pick<ExportParams, 'labels' | 'deadZone' | 'split' | 'splitDates' | 'purge' | 'embargo'>,
  tables: ExportTables,
  gridUs: number | null
): { labels: LabelOptions | null; split: SplitOptions | null } {
  const fitting = DEFAULT_HORIZONS.filter((h) => gridUs !== null && parseDuration(h) % gridUs === 0)
  const labels =
    p.labels === 'off' ||
    (p.labels === undefined && (!tables.features || gridUs === null || fitting.length === 0))
      ? null
      : labelOptions(p.labels ?? fitting, p.deadZone)
  const split = splitOptions({
    split: p.split,
    splitDates: p.splitDates,
    purge: p.purge,
    embargo: p.embargo,
    longestHorizonUs: Math.max(0, ...(labels?.horizonsUs ?? []))
  })
  return { labels, split }
}

/** A readable, stable dataset id: exchange, symbol, range and a short hash of the settings. */
export function datasetIdOf(
  exchange: string,
  symbol: string,
  from: string,
  to: string,
  settings: unknown
): string {
  const h = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 8)
  return `${exchange}_${symbol}_${from}_${to}_${h}`.replace(/[^A-Za-z0-9_.-]/g, '-')
}

/** Summary of a finished export for job results and the CLI. */
export function exportResult(
  run: ExportRun,
  out: string,
  cert: DatasetCertificate,
  pass: LabelPassResult | null = null
): ExportResult {
  const rows: Record<string, number> = {}
  let bytes = 0
  const parts = [...run.parts, ...(pass?.parts ?? [])]
  for (const p of parts) {
    rows[p.table] = (rows[p.table] ?? 0) + p.rows
    bytes += p.bytes
  }
  const issues = run.recorder.issues.counts
  const days = certificateDays(run.recorder.days, parts, run.config.from, run.config.to)
  return {
    dataset: out,
    certificate: join(out, CERTIFICATE_FILE),
    exchange: run.config.exchange,
    symbol: run.config.symbol,
    from: run.config.from,
    to: run.config.to,
    outputs: { files: parts.length, bytes, rows },
    inputs: { files: run.inputs.length, bytes: run.inputs.reduce((a, f) => a + f.bytes, 0) },
    outputHash: run.replay.outputHash,
    days: days.map((d) => ({ date: d.date, entry: d.entry, rows: d.outputRows })),
    issues: { ...issues },
    // An input file without rows is not a complete input (the replay gate says which).
    complete: Object.values(issues).every((n) => n === 0) && run.inputs.every((f) => f.rows > 0),
    certified: cert.certified === true,
    verdict: cert.verdict ?? 'fail',
    notCertifiedBecause: cert.notCertifiedBecause,
    gates: gateSummary(cert),
    labels: pass?.counts ?? null,
    split: pass?.split
      ? {
          rows: {
            ...Object.fromEntries(
              Object.entries(pass.split.manifest.splits).map(([k, v]) => [k, v.rows])
            ),
            ...pass.split.manifest.excluded
          },
          file: join(out, SPLITS_FILE)
        }
      : null,
    run: run.run
  }
}

/**
 * Runs one export to completion (resuming an interrupted one) and certifies it. The readiness
 * gate binds before anything is read (unless `gates.ungated`); every gate is judged again at the
 * end for the certificate.
 */
export async function exportDataset(
  o: ExportOptions,
  opts: {
    force?: boolean | undefined
    gates: ExportGateOptions
    /** export --validate: the gate runs on the export's own read (validatedExport.ts). */
    validate?: InPassValidation | undefined
  }
): Promise<{ run: ExportRun; result: ExportResult }> {
  const range = { root: o.root, exchange: o.exchange, symbol: o.symbol, from: o.from, to: o.to }
  const inPass = opts.validate
  // In one pass the readiness gate can only be judged at the end, once the files are through.
  if (inPass === undefined) assertReady(range, opts.gates)
  const cert = join(o.out, CERTIFICATE_FILE)
  if (existsSync(cert)) {
    if (opts.force !== true)
      throw new InputError(`${o.out} already holds a finished dataset; use --force to replace it`)
    checkDatasetFolder(o.out, [CERTIFICATE_FILE])
    for (const t of [...DATASET_TABLES, WORK_DIR, CERTIFICATE_FILE, SPLITS_FILE])
      rmSync(join(o.out, t), { recursive: true, force: true })
  }
  checkDatasetFolder(o.out)
  let run: ExportRun
  try {
    run = await runExportPipeline(
      inPass === undefined
        ? o
        : { ...o, base: inPass.base, tap: (inputs, sel) => inPass.tap(inputs, sel) }
    )
  } catch (e) {
    throw inPass === undefined ? e : await inPass.afterFailure(e)
  }
  // The checkpoint names staged paths that promotion is about to move (validatedExport.ts).
  if (inPass !== undefined)
    rmSync(o.workDir ?? join(o.out, WORK_DIR), { recursive: true, force: true })
  // Labels and split: a second pass over the written features rows (labelPass.ts).
  let pass: LabelPassResult | null = null
  if ((o.labels || o.split) && run.config.gridUs !== null) {
    o.onProgress?.({ phase: 'labelling', done: 0, total: 1, unit: 'passes' })
    pass = await runLabelPass({
      out: o.out,
      gridUs: run.config.gridUs,
      tick: run.config.tick,
      labels: o.labels ?? null,
      split: o.split ?? null,
      features: run.parts.filter((p) => p.table === 'features'),
      signal: o.signal
    })
  }
  const gate = inPass === undefined ? null : await inPass.settle()
  const { trust, fidelity } = await datasetTrust({
    range,
    dataset: o.out,
    inputs: run.inputs,
    runs: [certificateRun(run)],
    gates: opts.gates,
    signal: o.signal
  })
  const certificate = runCertificate(run, o.from, o.to, trust, fidelity, pass)
  writeCertificate(o.out, certificate)
  rmSync(o.workDir ?? join(o.out, WORK_DIR), { recursive: true, force: true })
  const result = exportResult(run, o.out, certificate, pass)
  return { run, result: gate === null ? result : { ...result, validation: inPassSummary(gate) } }
}

interface ManifestHandles {
  readonly lookup: ManifestLookup
  readonly decisions: GateStore
  readonly validation: ValidationStore
}

function withManifest<T>(lakeRoot: string, fn: (m: ManifestHandles) => Promise<T>): Promise<T> {
  const db = openManifest(lakeRoot)
  return fn({
    lookup: manifestLookup(db),
    decisions: new GateStore(db),
    validation: new ValidationStore(db)
  }).finally(() => {
    db.close()
  })
}

export async function runExportJob(
  params: ExportParams,
  ctx: JobContext,
  workers: ExportWorkers = {}
): Promise<ExportResult> {
  return withManifest(ctx.lakeRoot, async (m) => {
    const o = exportOptions(params, ctx.lakeRoot, workers, {
      manifest: m.lookup,
      signal: ctx.signal,
      onProgress: (p) => {
        ctx.progress({
          done: p.done,
          total: p.total,
          unit: p.unit,
          message: p.phase,
          metrics: p.metrics
        })
      }
    })
    const validate = params.validate === true ? await inPass(params, o, ctx, m) : undefined
    ctx.log(
      'info',
      `exporting ${o.exchange} ${o.symbol} ${o.from}…${o.to} to ${o.out}` +
        (validate ? ', validating the staged files in the same pass' : '')
    )
    const { result } = await exportDataset(o, {
      force: params.force,
      validate,
      gates: {
        lakeRoot: ctx.lakeRoot,
        ungated: params.ungated,
        fidelity: params.fidelityReference,
        decisions: m.decisions
      }
    })
    if (!result.certified)
      ctx.log('warn', `not certified: ${result.notCertifiedBecause.join('; ')}`)
    if (result.run.resumedFromChunk !== null)
      ctx.log('info', `resumed from the checkpoint at ${result.run.resumedFromChunk}`)
    for (const [k, n] of Object.entries(result.issues))
      if (n > 0) ctx.log('warn', `${n} input rows refused (${k}); listed in the certificate`)
    for (const k of result.validation?.kept ?? [])
      ctx.log('warn', `kept in staging: ${k.path}: ${k.reasons.join('; ')}`)
    return result
  })
}

/** export --validate: the range's staged files, read from staging/ by the export itself. */
function inPass(
  params: ExportParams,
  o: ExportOptions,
  ctx: JobContext,
  m: ManifestHandles
): Promise<InPassValidation> {
  if (resolve(o.root) !== resolve(ctx.lakeRoot))
    throw new InputError(
      `--validate exports the lake's own staged files; --root ${o.root} is not the lake (${ctx.lakeRoot})`
    )
  if (params.ungated === true)
    throw new InputError('--validate and --ungated do not go together: --validate is the gate')
  return InPassValidation.open(
    {
      exchange: o.exchange,
      symbol: o.symbol,
      readFrom: shiftDay(o.from, -o.warmupDays),
      from: o.from,
      to: o.to,
      tick: o.tick
    },
    {
      lakeRoot: ctx.lakeRoot,
      store: m.validation,
      runId: ctx.jobId,
      signal: ctx.signal,
      log: (level, message) => {
        ctx.log(level, message)
      }
    }
  )
}

export async function runVerifyDatasetJob(
  params: VerifyDatasetParams,
  ctx: JobContext
): Promise<DatasetVerification> {
  return verifyDataset(resolve(params.dir), {
    checkInputs: params.checkInputs,
    requireInputs: params.requireInputs,
    inputsRoot: params.inputsRoot,
    signal: ctx.signal,
    onProgress: (done, total) => {
      ctx.progress({ done, total, unit: 'files', message: 'verifying' })
    }
  })
}

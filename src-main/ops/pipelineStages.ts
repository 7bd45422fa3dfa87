// The pipeline's six stages, each the core of its own command run as is (download, validate,
// certify, report technical, backfill plan + run, verify-dataset) followed by that stage's gate.
// A gate that fails throws GateStop: the pipeline stops there with a sentence naming the gate and
// its runbook. Nothing here re-implements a stage: it calls the runners the job registry uses.
import { createHash } from 'node:crypto'
import type { PipelineParams, PipelineStage } from '../../src-shared/pipeline'
import { fmtBytes, fmtInt } from '../../src-shared/format'
import type { JobContext } from '../jobs/context'
import { openManifest } from '../lake/manifest'
import { runDownloadJob } from '../sources/cryptolake/downloadJob'
import { runCertifyJob, runValidateJob } from '../validate/runners'
import { runTechnicalReport } from '../report/technical'
import { latestTechnicalReport, technicalGate } from '../gates/technical'
import { GateStore } from '../gates/store'
import { backfillPlanOf, runBackfillRunJob, type BackfillExecution } from '../export/backfillJob'
import type { ExportWorkers } from '../export/exportJob'
import { readCertificate } from '../export/certificate'
import { verifyDataset } from '../export/verify'
import { EmptySelectionError, errorMessage } from '../util/errors'
import { assertBackfillOnePass } from '../export/backfillGate'
import { lakePaths } from '../lake/paths'
import { dirname } from 'node:path'
import type { StageFile } from './pipelineFile'
import type { WorkerSpec } from '../util/workerLifecycle'

/** Threads the stages may use (the job worker's roles); none = everything in this thread. */
export interface PipelineExecution {
  /** Decode and writer threads of the technical report's export. */
  readonly workers?: ExportWorkers | undefined
  /** The job worker that runs a backfill's day jobs. */
  readonly dayWorker?: BackfillExecution['dayWorker']
  /** The validate stage's file-validation threads (one per file, up to the cores). */
  readonly validateWorker?: WorkerSpec | undefined
  /** The clock the due scheduled progress reports are judged on (tests inject one). */
  readonly now?: (() => number) | undefined
}

export interface StageEnv {
  readonly params: PipelineParams
  /** The stage's own context: its progress becomes the pipeline's (stage i of n). */
  readonly ctx: JobContext
  readonly exec: PipelineExecution
  /** The stage file as it stands (earlier stages' outputs). */
  readonly file: StageFile
  /** True when an earlier run started this stage and did not finish it. */
  readonly resumed: boolean
}

export interface StageOutcome {
  readonly summary: string
  readonly outputs: Readonly<Record<string, string | number | boolean | null>>
}

/** A gate that failed: the pipeline stops at this stage. */
export class GateStop extends Error {
  override readonly name = 'GateStop'
  constructor(
    readonly gate: string,
    readonly runbook: string,
    readonly detail: string
  ) {
    super(detail)
  }
}

/** Each stage's gate and the runbook page that says what to do when it fails. */
export const STAGE_GATES: Readonly<Record<PipelineStage, { gate: string; runbook: string }>> = {
  download: { gate: 'download', runbook: 'docs/runbooks/download-failing.md' },
  validate: { gate: 'data', runbook: 'docs/runbooks/validation-failures.md' },
  certify: { gate: 'readiness', runbook: 'docs/runbooks/validation-failures.md' },
  'technical-report': {
    gate: 'technical',
    runbook: 'docs/runbooks/pipeline.md#the-technical-gate'
  },
  backfill: { gate: 'backfill', runbook: 'docs/runbooks/job-failed.md' },
  'dataset-certificate': {
    gate: 'dataset certificate',
    runbook: 'docs/runbooks/pipeline.md#the-dataset-certificate'
  }
}

const stop = (stage: PipelineStage, detail: string): GateStop =>
  new GateStop(STAGE_GATES[stage].gate, STAGE_GATES[stage].runbook, detail)

const selection = (p: PipelineParams) => ({
  exchange: p.source.exchange,
  symbol: p.source.symbol,
  from: p.from,
  to: p.to,
  ...(p.tables ? { tables: p.tables } : {}),
  ...(p.tick ? { tick: p.tick } : {})
})

async function download(env: StageEnv): Promise<StageOutcome> {
  const p = env.params
  const r = await runDownloadJob(
    {
      source: p.source,
      from: p.from,
      to: p.to,
      ...(p.tables ? { tables: p.tables } : {}),
      ...(p.concurrency ? { concurrency: p.concurrency } : {}),
      ...(p.quotaGb ? { quotaGb: p.quotaGb } : {}),
      start: 'now'
    },
    env.ctx
  )
  const d = r.download
  if (d === null) throw stop('download', 'the download did not run')
  if (r.plan.files === 0) throw stop('download', `${r.target} has no file for ${p.from} → ${p.to}`)
  const bad = d.failed + d.denied + d.missing + d.notStarted + d.etagUnverified
  if (bad > 0 || d.stopped !== null) {
    const first = d.failures[0]
    throw stop(
      'download',
      `${fmtInt(bad)} of ${fmtInt(r.plan.files)} files were not verified (failed ${d.failed}, denied ${d.denied}, missing ${d.missing}, not started ${d.notStarted}, ETag not verified ${d.etagUnverified})${first ? `; first: ${first.status} ${first.key}${first.reason ? `: ${first.reason}` : ''}` : ''}${d.stopped ? `; stopped: ${d.stopped}` : ''}`
    )
  }
  return {
    summary: `${fmtInt(d.verified)} files verified (${fmtInt(d.alreadyVerified)} already), ${fmtBytes(d.bytesTransferred)} fetched`,
    outputs: { files: d.verified, bytes: d.bytesTransferred }
  }
}

/** One pass: nothing is read here; what the backfill's read needs is checked now. */
function onePassStage(env: StageEnv, what: string): StageOutcome {
  const p = env.params
  const lakeRoot = env.ctx.lakeRoot
  try {
    assertBackfillOnePass(
      {
        exchange: p.source.exchange,
        symbol: p.source.symbol,
        tick: p.tick,
        warmupDays: p.warmupDays
      },
      lakeRoot,
      p.from,
      p.to
    )
  } catch (e) {
    throw stop('validate', errorMessage(e).replace(/\.$/, ''))
  }
  return {
    summary: `one pass: ${what} in the backfill's own read of the staged files`,
    outputs: { onePass: true }
  }
}

async function validate(env: StageEnv): Promise<StageOutcome> {
  if (env.params.validate === true)
    return onePassStage(env, 'the files are validated (and promoted when every day is done)')
  const run = (includeReady: boolean) =>
    runValidateJob(
      { ...selection(env.params), promote: true, includeReady },
      env.ctx,
      env.exec.validateWorker
    )
  // A resumed stage re-checks what the killed run already promoted, so its verdict covers the
  // whole range; a first run whose files are all in ready/ already (moved by an earlier run)
  // checks them there.
  let r
  try {
    r = await run(env.resumed)
  } catch (e) {
    if (!(e instanceof EmptySelectionError) || env.resumed) throw e
    env.ctx.log('info', 'nothing of the range in staging: checking the files in ready/')
    r = await run(true)
  }
  const rangeFails = r.rules.filter((x) => x.status === 'fail')
  const dayFails = r.days.flatMap((d) =>
    d.rules
      .filter((x) => x.status === 'fail')
      .map((x) => `${d.table} ${d.day}: ${x.rule}: ${x.measured}`)
  )
  if (r.counts.fail > 0 || rangeFails.length > 0) {
    const k = r.kept[0]
    throw stop(
      'validate',
      `${r.counts.fail} of ${r.files.length} files failed validation and stay in staging${k ? ` (first: ${k.path}: ${k.reasons.join('; ')})` : ''}${rangeFails.length > 0 ? `; range: ${rangeFails.map((x) => `${x.rule}: ${x.measured}`).join('; ')}` : ''}${dayFails.length > 0 && !k ? `; ${dayFails[0] ?? ''}` : ''}`
    )
  }
  return {
    summary: `${r.files.length} files: pass ${r.counts.pass}, warn ${r.counts.warn}; ${r.promoted.length} moved to ready`,
    outputs: { files: r.files.length, promoted: r.promoted.length }
  }
}

async function certify(env: StageEnv): Promise<StageOutcome> {
  if (env.params.validate === true)
    return {
      summary:
        "one pass: the range is certified from the backfill's verdicts when every day is done",
      outputs: { onePass: true }
    }
  const r = await runCertifyJob(selection(env.params), env.ctx)
  if (r.verdict !== 'pass') {
    const failing = r.certificate.gates.filter((g) => g.status === 'fail')
    throw stop(
      'certify',
      `the readiness certificate of ${env.params.from} → ${env.params.to} says FAIL (${failing.map((g) => `${g.gate}: ${g.detail}`).join('; ')}); certificate ${r.json}`
    )
  }
  return {
    summary: `readiness PASS, ${r.certificate.totals.files} files; certificate ${r.json}`,
    outputs: { certificate: r.json, contentSha256: r.contentSha256 }
  }
}

async function technical(env: StageEnv): Promise<StageOutcome> {
  const p = env.params
  const lakeRoot = env.ctx.lakeRoot
  // A report this pipeline's killed run finished writing is not measured again.
  const last = env.resumed ? latestTechnicalReport(lakeRoot) : null
  const reuse =
    last !== null &&
    last.report.createdAt >= env.file.createdAt &&
    last.report.sample.days[0] === p.from &&
    last.report.sample.days.at(-1) === p.to
  if (reuse)
    env.ctx.log('info', `the report ${last.path} of an earlier run of this pipeline is used`)
  else
    await runTechnicalReport(
      {
        // One pass: the sample is the staged files (nothing is in ready/ before the backfill).
        root: p.validate === true ? lakePaths.staging(lakeRoot) : lakeRoot,
        exchange: p.source.exchange,
        symbol: p.source.symbol,
        from: p.from,
        to: p.to,
        ...(p.eventsPerHour ? { eventsPerHour: p.eventsPerHour } : {})
      },
      env.ctx,
      env.exec.workers ?? {}
    )
  const db = openManifest(lakeRoot)
  try {
    const gate = technicalGate(lakeRoot, new GateStore(db))
    const report = latestTechnicalReport(lakeRoot)
    if (gate.verdict === 'fail')
      throw stop('technical-report', gate.missing.map((m) => m.replace(/\.$/, '')).join('; '))
    return {
      summary: `${(report?.report.verdict ?? 'no report').toUpperCase()} (gate ${gate.verdict}); report ${report?.path ?? ''}`,
      outputs: { report: report?.path ?? null, verdict: report?.report.verdict ?? null }
    }
  } finally {
    db.close()
  }
}

async function backfill(env: StageEnv): Promise<StageOutcome> {
  const p = env.params
  const lakeRoot = env.ctx.lakeRoot
  // Planning the same range and settings again finds the backfill an earlier run planned.
  const plan = backfillPlanOf(lakeRoot, {
    root: lakeRoot,
    exchange: p.source.exchange,
    symbol: p.source.symbol,
    from: p.from,
    to: p.to,
    ...(p.grid ? { grid: p.grid } : {}),
    ...(p.chunk ? { chunk: p.chunk } : {}),
    ...(p.exportTables ? { tables: p.exportTables } : {}),
    ...(p.warmupDays !== undefined ? { warmupDays: p.warmupDays } : {}),
    ...(p.parallel ? { parallel: p.parallel } : {}),
    ...(p.fidelityReference ? { fidelityReference: p.fidelityReference } : {}),
    ...(p.quotaGb ? { quotaGb: p.quotaGb } : {}),
    ...(p.tick ? { tick: p.tick } : {}),
    ...(p.validate === true ? { validate: true } : {})
  })
  env.ctx.log(
    'info',
    `backfill ${plan.id}${plan.created ? ' planned' : ' (planned by an earlier run)'}: ${plan.days} days into ${plan.dataset}`
  )
  const s = await runBackfillRunJob(
    {
      id: plan.id,
      ...(p.parallel ? { parallel: p.parallel } : {}),
      ...(p.acceptMissing ? { acceptMissing: true } : {}),
      // Days a stopped run left failed are tried again when the pipeline is run again.
      ...(env.resumed ? { retryFailed: true } : {})
    },
    env.ctx,
    env.exec
  )
  if (s.counts.failed > 0) {
    const d = s.dayList.find((x) => x.state === 'failed')
    throw stop(
      'backfill',
      `${s.counts.failed} of ${s.days} days failed${d ? ` (first: ${d.day}: ${d.reason ?? 'no reason recorded'})` : ''}`
    )
  }
  if (s.certificate === null)
    throw stop(
      'backfill',
      `every day is done but no dataset certificate was written in ${s.dataset}`
    )
  // One pass: the data and readiness gates were judged at the end of the backfill's read.
  if (p.validate === true) onePassGates(s.certificate)
  return {
    summary: `${s.counts.done} days done, ${fmtBytes(s.outputBytes)} in ${s.dataset}`,
    outputs: { backfill: s.id, dataset: s.dataset, certificate: s.certificate }
  }
}

/** The data gate of a one-pass backfill, from the readiness verdict its certificate records. */
function onePassGates(certificate: string): void {
  const readiness = readCertificate(dirname(certificate)).gates?.readiness
  if (readiness === undefined || readiness.verdict !== 'fail') return
  const failing = readiness.rules.filter((r) => r.verdict === 'fail')
  throw new GateStop(
    'data',
    STAGE_GATES.validate.runbook,
    `the staged files did not all pass the gate in the backfill's read: ${failing.map((r) => `${r.id}: ${r.measured}`).join('; ')}; the files that failed stay in staging (lakebook validate lists them)`
  )
}

/** sha256 of the dataset's files as the certificate lists them: the same bytes, the same hash. */
export function datasetHash(dir: string): string {
  const outputs = [...readCertificate(dir).outputs].sort((a, b) => (a.path < b.path ? -1 : 1))
  const h = createHash('sha256')
  for (const o of outputs) h.update(`${o.path}\t${o.bytes}\t${o.rows}\t${o.sha256}\n`)
  return h.digest('hex')
}

async function datasetCertificate(env: StageEnv): Promise<StageOutcome> {
  const dataset = env.file.stages.backfill.outputs['dataset']
  if (typeof dataset !== 'string')
    throw stop('dataset-certificate', 'the backfill recorded no dataset')
  const v = await verifyDataset(dataset, {
    signal: env.ctx.signal,
    onProgress: (done, total) => {
      env.ctx.progress({ done, total, unit: 'files', message: 'verifying the dataset' })
    }
  })
  if (!v.ok)
    throw stop(
      'dataset-certificate',
      `verify-dataset found ${v.problems.length} problem(s) in ${dataset} (first: ${v.problems[0]?.path ?? ''}: ${v.problems[0]?.message ?? ''})`
    )
  const hash = datasetHash(dataset)
  // The certificate's verdict is the pipeline's outcome, not a gate to a later stage: a dataset
  // the fidelity or replay gate does not certify is kept, verified and reported as not certified
  // with the reasons (the CLI exits 3), as `export` and `backfill run` do.
  const certified = v.certified === true
  const because = v.notCertifiedBecause.join('; ') || 'its certificate has no verdict'
  return {
    summary: `${certified ? `certified (${v.verdict ?? ''})` : `NOT certified: ${because}`}; ${v.checked.outputs} files re-hashed; dataset hash ${hash}`,
    outputs: {
      certificate: `${dataset}/certificate.json`,
      certified,
      notCertifiedBecause: certified ? null : because,
      datasetHash: hash
    }
  }
}

export const STAGES: Readonly<Record<PipelineStage, (env: StageEnv) => Promise<StageOutcome>>> = {
  download,
  validate,
  certify,
  'technical-report': technical,
  backfill,
  'dataset-certificate': datasetCertificate
}

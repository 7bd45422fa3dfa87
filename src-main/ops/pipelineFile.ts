// The pipeline's stage file, <lake>/pipelines/<id>.json: what each stage of one pipeline (its
// parameters hashed into the id) has done, written atomically on every change, so a pipeline
// killed anywhere restarts with the finished stages skipped. A stage left `running` by a dead
// process is started again (its own core resumes: verified downloads, promoted files, backfill
// days and their checkpoints are not redone).
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import {
  PIPELINE_STAGES,
  type PipelineParams,
  type PipelineStage,
  type PipelineStageView,
  type PipelineStatusView,
  type PipelineStop
} from '../../src-shared/pipeline'
import { processAlive } from '../export/backfillRun'
import { writeFileAtomic } from '../util/atomicWrite'
import { InputError } from '../util/errors'

const stageRecord = z.object({
  state: z.enum(['pending', 'running', 'done', 'failed']),
  attempts: z.number().int().min(0),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  seconds: z.number().nullable(),
  summary: z.string().nullable(),
  /** What later stages need from this one (the backfill's id, the dataset, its hash). */
  outputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
})
export type StageRecord = z.infer<typeof stageRecord>

const stageFile = z.object({
  format: z.literal('lakebook-pipeline'),
  version: z.literal(1),
  id: z.string(),
  createdAt: z.string(),
  runs: z.number().int().min(0),
  params: z.unknown(),
  stages: z.record(z.enum(PIPELINE_STAGES), stageRecord),
  stopped: z
    .object({
      stage: z.enum(PIPELINE_STAGES),
      gate: z.string(),
      runbook: z.string(),
      sentence: z.string()
    })
    .nullable(),
  /** The process running the pipeline now (absent or null when none). */
  owner: z.object({ pid: z.number().int(), jobId: z.string(), since: z.string() }).nullish()
})
export type StageFile = z.infer<typeof stageFile>

/** The pipeline's id: its range and a hash of everything that decides what it makes. */
export function pipelineId(p: PipelineParams): string {
  // Sorted keys: the same options in another order are the same pipeline.
  const canon = JSON.stringify(p, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))
        )
      : v
  )
  const h = createHash('sha256').update(canon).digest('hex').slice(0, 10)
  return `${p.from}_${p.to}_${h}`
}

export const pipelinesDir = (lakeRoot: string): string => join(lakeRoot, 'pipelines')
export const stageFilePath = (lakeRoot: string, id: string): string =>
  join(pipelinesDir(lakeRoot), `${id}.json`)

function fresh(id: string, params: PipelineParams): StageFile {
  const empty = (): StageRecord => ({
    state: 'pending',
    attempts: 0,
    startedAt: null,
    endedAt: null,
    seconds: null,
    summary: null,
    outputs: {}
  })
  return {
    format: 'lakebook-pipeline',
    version: 1,
    id,
    createdAt: new Date().toISOString(),
    runs: 0,
    params,
    stages: Object.fromEntries(PIPELINE_STAGES.map((s) => [s, empty()])) as StageFile['stages'],
    stopped: null,
    owner: null
  }
}

/** Reads a stage file; a damaged one is a sentence naming it (never silently started over). */
export function readStageFile(path: string): StageFile {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new InputError(
      `the pipeline's stage file cannot be read (${e instanceof Error ? e.message : String(e)}); move it away to start the pipeline over (docs/runbooks/pipeline.md)`,
      path
    )
  }
  const r = stageFile.safeParse(raw)
  if (!r.success)
    throw new InputError(
      "the pipeline's stage file is not one this version writes; move it away to start the pipeline over (docs/runbooks/pipeline.md)",
      path
    )
  return r.data
}

/** The pipeline's stage file, made when it is new. */
export function openStageFile(
  lakeRoot: string,
  params: PipelineParams
): { path: string; file: StageFile } {
  const id = pipelineId(params)
  const path = stageFilePath(lakeRoot, id)
  if (existsSync(path)) return { path, file: readStageFile(path) }
  const file = fresh(id, params)
  writeStageFile(path, file)
  return { path, file }
}

export function writeStageFile(path: string, file: StageFile): void {
  writeFileAtomic(path, `${JSON.stringify(file, null, 1)}\n`)
}

/** A stage's view; `skipped` marks the stages this run found done. */
export function stageViews(
  file: StageFile,
  skipped: ReadonlySet<PipelineStage> = new Set()
): PipelineStageView[] {
  return PIPELINE_STAGES.map((stage) => {
    const s = file.stages[stage]
    return {
      stage,
      state: s.state,
      attempts: s.attempts,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      seconds: s.seconds,
      summary: s.summary,
      skippedBecauseDone: skipped.has(stage)
    }
  })
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** What the stage file says of the pipeline (`lakebook pipeline status`, the result). */
export function statusView(
  path: string,
  file: StageFile,
  skipped: ReadonlySet<PipelineStage> = new Set()
): PipelineStatusView {
  const params = file.params as PipelineParams
  const bf = file.stages.backfill.outputs
  const cert = file.stages['dataset-certificate'].outputs
  const stopped: PipelineStop | null = file.stopped
  return {
    id: file.id,
    file: path,
    from: params.from,
    to: params.to,
    runs: file.runs,
    stages: stageViews(file, skipped),
    owner: file.owner
      ? { pid: file.owner.pid, jobId: file.owner.jobId, alive: processAlive(file.owner.pid) }
      : null,
    stopped,
    dataset: str(bf['dataset']),
    certificate: str(cert['certificate']),
    certified: typeof cert['certified'] === 'boolean' ? cert['certified'] : null,
    notCertifiedBecause: str(cert['notCertifiedBecause']),
    datasetHash: str(cert['datasetHash'])
  }
}

/** Every pipeline of the lake from its stage file, the most recently started first. */
export function listPipelines(lakeRoot: string): PipelineStatusView[] {
  const dir = pipelinesDir(lakeRoot)
  if (!existsSync(dir)) return []
  const views = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => {
      const path = join(dir, f)
      const file = readStageFile(path)
      const last = Object.values(file.stages)
        .map((s) => s.startedAt ?? '')
        .reduce((a, b) => (a > b ? a : b), file.createdAt)
      return { last, view: statusView(path, file) }
    })
  return views.sort((a, b) => (a.last < b.last ? 1 : -1)).map((v) => v.view)
}

/**
 * Claims the pipeline for this process: refused with a sentence while another live process runs
 * it (two runs of one pipeline would run its stages twice). A process that died (a kill) leaves
 * its claim behind; it is taken over.
 */
export function claim(file: StageFile, jobId: string, pid = process.pid): void {
  const o = file.owner
  if (o && o.pid !== pid && processAlive(o.pid))
    throw new InputError(
      `the pipeline ${file.id} is already running in process ${o.pid} (job ${o.jobId}, since ${o.since}); wait for it or stop it first`
    )
  file.owner = { pid, jobId, since: new Date().toISOString() }
}

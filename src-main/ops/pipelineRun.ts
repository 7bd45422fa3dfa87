// `lakebook pipeline run`: the six stages of pipelineStages.ts one after the other as one job.
// Before a stage starts, and when it ends, the stage file is written atomically (pipelineFile.ts),
// so a run killed at any point restarts where it was: finished stages are skipped and counted as
// skipped-because-done, a stage left running starts again and its own core resumes. A failing
// gate stops the pipeline with one sentence naming the gate and the runbook; nothing after it runs.
// Progress is the whole pipeline's: stage i of n and the stage's own share, with an ETA over the
// stages this run still has to do. When a stage ends (done or stopped by its gate) the scheduled
// progress reports that are due are written, by the scheduler the app and the browser host use
// (report/scheduler.ts over report/schedule.ts, also `lakebook report progress --schedule`), so a
// year-long run on a machine without the app still leaves its daily and weekly reports.
import {
  PIPELINE_STAGES,
  type PipelineParams,
  type PipelineResult,
  type PipelineStage
} from '../../src-shared/pipeline'
import type { JobContext, ProgressStep } from '../jobs/context'
import { openManifest, type Db } from '../lake/manifest'
import { ReportScheduler } from '../report/scheduler'
import { CancelledError, errorMessage, InputError } from '../util/errors'
import { claim, openStageFile, statusView, writeStageFile, type StageFile } from './pipelineFile'
import { GateStop, STAGES, STAGE_GATES, type PipelineExecution } from './pipelineStages'

/**
 * The pipeline's progress is in percent of the stages this run has to do: those done + the
 * running one's own share (the stage's message says which stage and how far it is).
 */
const PCT = 100

/** The sentence a failing gate stops the pipeline with. */
export function stopSentence(
  stage: PipelineStage,
  gate: string,
  runbook: string,
  detail: string
): string {
  const i = PIPELINE_STAGES.indexOf(stage) + 1
  const next = PIPELINE_STAGES.slice(i)
  return `The pipeline stopped at the ${gate} gate (stage ${i} of ${PIPELINE_STAGES.length}, ${stage}): ${detail}. ${next.length > 0 ? `Nothing after it ran (${next.join(', ')}).` : 'It was the last stage.'} See ${runbook}; run the same \`lakebook pipeline run\` again once it is fixed.`
}

/** A stage's context: its progress and logs become the pipeline's. */
function stageContext(
  ctx: JobContext,
  stage: PipelineStage,
  index: number,
  base: { first: number; total: number }
): JobContext {
  const label = `stage ${index + 1}/${PIPELINE_STAGES.length} ${stage}`
  return {
    jobId: ctx.jobId,
    lakeRoot: ctx.lakeRoot,
    signal: ctx.signal,
    secrets: ctx.secrets,
    progress(step: ProgressStep) {
      const share =
        step.total !== null && step.total !== undefined && step.total > 0
          ? Math.min(1, step.done / step.total)
          : 0
      const pct = step.total ? ` ${(100 * share).toFixed(0)}%` : ''
      ctx.progress({
        done: ((index - base.first + share) * PCT) / base.total,
        total: PCT,
        unit: '%',
        message: `${label}: ${step.message ?? ''}${pct}`
      })
    },
    log(level, message) {
      ctx.log(level, `${stage}: ${message}`)
    },
    checkCancelled() {
      ctx.checkCancelled()
    }
  }
}

function save(path: string, file: StageFile): void {
  writeStageFile(path, file)
}

/**
 * The run's scheduled reports: one manifest connection and one scheduler for the whole run (a
 * failure, a full disk, is logged once, never thrown into the pipeline).
 */
function reportsOf(ctx: JobContext, now: () => number): { due(): void; close(): void } {
  let db: Db | null = null
  let scheduler: ReportScheduler | null = null
  return {
    due() {
      try {
        db ??= openManifest(ctx.lakeRoot)
      } catch (e) {
        ctx.log('warn', `scheduled progress reports not written: ${errorMessage(e)}`)
        return
      }
      scheduler ??= new ReportScheduler(db, ctx.lakeRoot, now, (m) => {
        ctx.log('info', m.replace(/^lakebook: /, ''))
      })
      scheduler.tick()
    },
    close() {
      db?.close()
      db = null
    }
  }
}

export async function runPipeline(
  params: PipelineParams,
  ctx: JobContext,
  exec: PipelineExecution = {}
): Promise<PipelineResult> {
  const { path, file } = openStageFile(ctx.lakeRoot, params)
  claim(file, ctx.jobId)
  file.runs += 1
  file.stopped = null
  save(path, file)
  const skipped = new Set<PipelineStage>()
  for (const s of PIPELINE_STAGES) if (file.stages[s].state === 'done') skipped.add(s)
  // The first stage this run has to do; the ETA covers it and those after it.
  const first = PIPELINE_STAGES.findIndex((s) => file.stages[s].state !== 'done')
  const base = {
    first: first < 0 ? PIPELINE_STAGES.length : first,
    total: Math.max(1, PIPELINE_STAGES.length - skipped.size)
  }
  if (skipped.size > 0)
    ctx.log(
      'info',
      `${skipped.size} of ${PIPELINE_STAGES.length} stages skipped because an earlier run finished them: ${[...skipped].join(', ')}`
    )
  let ran = 0
  const reports = reportsOf(ctx, exec.now ?? Date.now)
  try {
    for (const [index, stage] of PIPELINE_STAGES.entries()) {
      const rec = file.stages[stage]
      if (rec.state === 'done') {
        ctx.log(
          'info',
          `stage ${index + 1}/${PIPELINE_STAGES.length} ${stage}: skipped, done at ${rec.endedAt ?? '?'} (${rec.summary ?? ''})`
        )
        continue
      }
      ctx.checkCancelled()
      const resumed = rec.attempts > 0
      rec.state = 'running'
      rec.attempts += 1
      rec.startedAt = new Date().toISOString()
      rec.endedAt = null
      rec.summary = null
      save(path, file)
      ctx.log(
        'info',
        `stage ${index + 1}/${PIPELINE_STAGES.length} ${stage}: ${resumed ? `started again (attempt ${rec.attempts})` : 'started'}`
      )
      const t0 = performance.now()
      const sub = stageContext(ctx, stage, index, base)
      sub.progress({ done: 0, total: 1, unit: 'stage', message: 'starting' })
      try {
        const out = await STAGES[stage]({ params, ctx: sub, exec, file, resumed })
        rec.state = 'done'
        rec.outputs = { ...out.outputs }
        rec.summary = out.summary
        rec.seconds = (performance.now() - t0) / 1000
        rec.endedAt = new Date().toISOString()
        save(path, file)
        ran++
        ctx.log(
          'info',
          `stage ${index + 1}/${PIPELINE_STAGES.length} ${stage}: done: ${out.summary}`
        )
      } catch (e) {
        if (e instanceof CancelledError || ctx.signal.aborted) {
          // Left as a stage to start again, like a kill.
          rec.state = 'pending'
          file.owner = null
          save(path, file)
          throw e instanceof CancelledError ? e : new CancelledError()
        }
        // Any stage that fails is its gate failing: its own error is the sentence's detail.
        const g = e instanceof GateStop ? e : { ...STAGE_GATES[stage], detail: errorMessage(e) }
        const sentence = stopSentence(stage, g.gate, g.runbook, g.detail.replace(/\.$/, ''))
        rec.state = 'failed'
        rec.summary = g.detail
        rec.seconds = (performance.now() - t0) / 1000
        rec.endedAt = new Date().toISOString()
        file.stopped = { stage, gate: g.gate, runbook: g.runbook, sentence }
        file.owner = null
        save(path, file)
        // What the run did until its gate stopped it is reported too.
        reports.due()
        throw new InputError(sentence)
      }
      reports.due()
    }
  } finally {
    reports.close()
  }
  file.owner = null
  save(path, file)
  ctx.progress({ done: PCT, total: PCT, unit: '%', message: 'pipeline done' })
  return { ...statusView(path, file, skipped), ran, skippedBecauseDone: skipped.size }
}

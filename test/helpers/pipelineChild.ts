// Child process for the pipeline tests (test/engine/ops/pipeline.test.ts): runs
// `lakebook pipeline run`'s job runner for the lake and parameters in PIPELINE_CHILD_CFG, in this
// thread (the backfill's day jobs too), printing "started", one "log <message>" per job log line, "progress <eta ms> <message>"
// and a final "done <result json>" or "failed <sentence>". The kill test SIGKILLs it at random
// moments and starts it again.
//   node --import tsx test/helpers/pipelineChild.ts
import { createJobContext } from '../../src-main/jobs/context'
import { runPipeline } from '../../src-main/ops/pipelineRun'
import { errorMessage } from '../../src-main/util/errors'
import type { PipelineParams } from '../../src-shared/pipeline'

interface ChildConfig {
  readonly lake: string
  readonly params: PipelineParams
  readonly secrets: Readonly<Record<string, string>>
  /** The scheduled reports' clock runs this far ahead of the real one (0: the real clock). */
  readonly clockAheadMs?: number
}

const cfg = JSON.parse(process.env['PIPELINE_CHILD_CFG'] ?? '{}') as ChildConfig
const ctx = createJobContext(
  'pipeline-child',
  cfg.lake,
  new AbortController().signal,
  {
    progress: (p) => {
      process.stdout.write(`progress ${p.etaMs ?? -1} ${p.message}\n`)
    },
    log: (l) => {
      process.stdout.write(`log ${l.message.replace(/\n/g, ' ')}\n`)
    }
  },
  undefined,
  cfg.secrets
)
process.stdout.write('started\n')
try {
  const ahead = cfg.clockAheadMs ?? 0
  const r = await runPipeline(cfg.params, ctx, ahead ? { now: () => Date.now() + ahead } : {})
  process.stdout.write(`done ${JSON.stringify(r)}\n`)
} catch (e) {
  process.stdout.write(`failed ${errorMessage(e)}\n`)
  process.exitCode = 1
}

// lakebook pipeline run|status: download → validate → certify → technical report → backfill →
// dataset certificate as one resumable job (src-main/ops/pipelineRun.ts). Run the same command
// again after a kill, a crash or a failing gate: finished stages are skipped.
import { existsSync } from 'node:fs'
import { type Command } from 'commander'
import type { ExportTableName } from '../../../src-shared/export'
import type { PipelineParams, PipelineStatusView } from '../../../src-shared/pipeline'
import { fmtDuration } from '../../../src-shared/format'
import { resolveLakeRoot } from '../../lake/paths'
import {
  listPipelines,
  pipelineId,
  readStageFile,
  stageFilePath,
  statusView
} from '../../ops/pipelineFile'
import { dayArg, EXIT, finish, runJob, type GlobalOpts } from '../run'
import { parseTables, source, sourceOptions, type SourceOpts } from './acquire'
import { tablesOption } from './export'

const int = (v: string): number => Number.parseInt(v, 10)

export function pipelineText(s: PipelineStatusView): string {
  const lines = [`pipeline ${s.id}: ${s.from} → ${s.to} (run ${s.runs}; stage file ${s.file})`]
  for (const [i, x] of s.stages.entries()) {
    const gone = x.state === 'running' && s.owner !== null && !s.owner.alive ? s.owner : null
    const state = x.skippedBecauseDone
      ? 'skipped (done before)'
      : gone
        ? `interrupted (process ${gone.pid} is gone; run the pipeline again to resume)`
        : x.state
    const time = x.seconds === null ? '' : ` in ${fmtDuration(x.seconds * 1000)}`
    const tries = x.attempts > 1 ? `, ${x.attempts} attempts` : ''
    lines.push(
      `  ${i + 1}/${s.stages.length} ${x.stage.padEnd(20)} ${state}${time}${tries}${x.summary ? `: ${x.summary}` : ''}`
    )
  }
  if (s.stopped) lines.push(s.stopped.sentence)
  if (s.datasetHash)
    lines.push(
      `dataset ${s.dataset ?? ''}`,
      `certificate ${s.certificate ?? ''}: ${s.certified === true ? 'CERTIFIED' : `NOT CERTIFIED: ${s.notCertifiedBecause ?? ''}`}`,
      `dataset hash ${s.datasetHash}`
    )
  return lines.join('\n')
}

interface RunOpts extends SourceOpts {
  from: string
  to: string
  tables?: PipelineParams['tables']
  concurrency?: number
  quotaGb?: number
  tick?: string
  eventsPerHour?: number
  grid?: string
  chunk?: string
  exportTables?: ExportTableName[]
  warmupDays?: number
  parallel?: number
  fidelityReference?: string
  acceptMissing?: boolean
  validate?: boolean
}

export function pipelineParamsOf(o: RunOpts): PipelineParams {
  return {
    source: source(o),
    from: o.from,
    to: o.to,
    ...(o.tables ? { tables: o.tables } : {}),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    ...(o.quotaGb !== undefined ? { quotaGb: o.quotaGb } : {}),
    ...(o.tick ? { tick: o.tick } : {}),
    ...(o.eventsPerHour !== undefined ? { eventsPerHour: o.eventsPerHour } : {}),
    ...(o.grid ? { grid: o.grid } : {}),
    ...(o.chunk ? { chunk: o.chunk } : {}),
    ...(o.exportTables ? { exportTables: o.exportTables } : {}),
    ...(o.warmupDays !== undefined ? { warmupDays: o.warmupDays } : {}),
    ...(o.parallel !== undefined ? { parallel: o.parallel } : {}),
    ...(o.fidelityReference ? { fidelityReference: o.fidelityReference } : {}),
    ...(o.acceptMissing ? { acceptMissing: true } : {}),
    ...(o.validate ? { validate: true } : {})
  }
}

export function register(program: Command): void {
  const pipeline = program
    .command('pipeline')
    .description(
      'download → validate → certify → technical report → backfill → dataset certificate, resumable'
    )

  sourceOptions(
    pipeline
      .command('run')
      .description('run the whole pipeline for a range; run it again to resume after a stop')
  )
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD', dayArg)
    .requiredOption('--to <day>', 'last day, YYYY-MM-DD', dayArg)
    .option('--tables <list>', 'tables to download and certify (default all three)', parseTables)
    .option('--concurrency <n>', 'downloads in flight', int)
    .option('--quota-gb <n>', 'monthly download quota, GB (default 300)', Number)
    .option('--tick <size>', 'price tick (default: known symbol table, else detected)')
    .option('--events-per-hour <n>', 'volume the technical report extrapolates to', Number)
    .option('--grid <step>', "grid of the dataset's book and features tables (default 100ms)")
    .option('--chunk <length>', 'part files and checkpoints every chunk (default 1h)')
    .option('--export-tables <list>', 'events,book,features,book_events', tablesOption)
    .option('--warmup-days <n>', 'days replayed before each day (default 1)', int)
    .option('--parallel <n>', 'backfill day jobs at once (default 1)', int)
    .option('--fidelity-reference <source>', 'what the exported book is compared with, or "off"')
    .option('--accept-missing', 'days the vendor never had count as gaps in the certificate')
    .option(
      '--validate',
      "one pass: validate and certify in the backfill's own read of the staged files (backfill plan --validate)"
    )
    .action(async (o: RunOpts) => {
      const g = program.opts<GlobalOpts>()
      const params = pipelineParamsOf(o)
      const record = await runJob({ kind: 'pipeline', params }, g)
      finish(
        record,
        g,
        (r) => {
          process.stdout.write(`${pipelineText(r)}\n`)
        },
        (r) => r.certified !== true
      )
      if (record.state !== 'done' && g.json !== true) {
        // The stages as the stage file has them, under the sentence finish() printed.
        const path = stageFilePath(resolveLakeRoot(g.lake), pipelineId(params))
        if (existsSync(path)) {
          const s = statusView(path, readStageFile(path))
          process.stderr.write(`${pipelineText({ ...s, stopped: null })}\n`)
        }
      }
    })

  pipeline
    .command('status')
    .description(
      'the stages of every pipeline in this lake (most recently started first), from their stage files'
    )
    .action(() => {
      const g = program.opts<GlobalOpts>()
      const views = listPipelines(resolveLakeRoot(g.lake))
      if (g.json === true) process.stdout.write(`${JSON.stringify(views)}\n`)
      else if (views.length === 0) process.stdout.write('no pipeline has run in this lake\n')
      else process.stdout.write(`${views.map(pipelineText).join('\n\n')}\n`)
      if (views.some((v) => v.stopped !== null)) process.exitCode = EXIT.failed
    })
}

// lakebook sample fetch: the vendor's three public sample objects, downloaded anonymously with a
// progress bar (resumable), checked against their recorded bytes, multipart ETag, sha256 and
// footer rows, then imported, validated and the delta day replayed as jobs in the sample's lake
// (sources/cryptolake/sampleFetch.ts decides the order).
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { fmtBytes, fmtDuration } from '../../../src-shared/format'
import type { JobKind, JobRecord } from '../../../src-shared/jobs'
import type { LakeReplayResult } from '../../../src-shared/lake'
import { CancelledError } from '../../util/errors'
import { resolveLakeRoot } from '../../lake/paths'
import { toJobProgress } from '../../sources/cryptolake/download'
import {
  runSampleFlow,
  type SampleFlowResult,
  type SampleSteps
} from '../../sources/cryptolake/sampleFetch'
import { StderrProgress } from '../progress'
import { endpointArg, EXIT, runJob, STOP_SIGNALS, type GlobalOpts } from '../run'

const n = (v: number): string => v.toLocaleString('en-US')

/** The replay in one line: events, seeds, what was skipped, crossings, completeness, hash. */
export function replayLine(r: LakeReplayResult): string {
  return (
    `${n(r.events.deltaRows)} delta rows in ${n(r.events.deltaMessages)} messages, ` +
    `${n(r.events.trades)} trades, ${n(r.events.bookRows)} book rows; applied ${n(r.appliedMessages)} messages; ` +
    `seeds ${n(r.seeds.fromBook)} from book, ${n(r.seeds.fromBurst)} from bursts; ` +
    `${n(r.skipped.beforeSeedRows)} rows before the first seed; crossed ${n(r.crossedMs)} ms; ` +
    `${r.complete ? 'complete' : 'INCOMPLETE'}; output hash ${r.outputHash}`
  )
}

function summary(r: SampleFlowResult): string {
  const f = r.fetch
  const lines = [
    `sample objects from ${f.source}: ${fmtBytes(f.bytesTransferred)} fetched in ${fmtDuration(f.elapsedMs)}`
  ]
  for (const o of f.objects) {
    if (o.verified)
      lines.push(
        `  VERIFIED ${o.table} ${o.dt}: ${n(o.bytes ?? 0)} bytes, ${n(o.rows ?? 0)} rows, ETag ${o.etag ?? ''}` +
          `${o.etagPartSize === null ? '' : ` (${o.etagPartSize} parts)`}, sha256 ${(o.sha256 ?? '').slice(0, 16)}…`
      )
    else {
      lines.push(`  NOT VERIFIED ${o.table} ${o.dt} (${o.key}):`)
      for (const p of o.problems) lines.push(`    ${p}`)
    }
  }
  if (r.imported !== null) {
    const linked = r.imported.files.filter((x) => x.linked).length
    const skipped = r.imported.skipped.map((s) => `${s.path}: ${s.reason}`)
    lines.push(
      `imported ${r.imported.files.length} files into ${r.lakeRoot} (${linked} hard-linked)` +
        (skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : '')
    )
  }
  if (r.validation !== null) {
    const runs = r.validation.runs
    const sum = (k: 'pass' | 'warn' | 'fail'): number => runs.reduce((s, x) => s + x.counts[k], 0)
    lines.push(
      `validation: ${r.validation.verdict.toUpperCase()} (files pass ${sum('pass')}, warn ${sum('warn')}, fail ${sum('fail')}; ` +
        `moved to ready ${runs.reduce((s, x) => s + x.promoted.length, 0)})`
    )
    for (const x of runs)
      for (const k of x.kept) lines.push(`  kept ${k.path}: ${k.reasons.join('; ')}`)
  }
  if (r.replay !== null)
    lines.push(
      `replay ${r.replayDay ?? '?'} (seed ${r.replay.policy.seed}): ${replayLine(r.replay)}`
    )
  if (r.stopped !== null) lines.push(`STOPPED: ${r.stopped}`)
  lines.push(`lake: ${r.lakeRoot}`)
  return lines.join('\n')
}

/** True when the flow ran through and every check held. */
export function sampleFlowOk(r: SampleFlowResult): boolean {
  return r.stopped === null && r.validation?.verdict !== 'fail' && r.replay?.complete === true
}

export function register(program: Command): void {
  const sample = program.command('sample').description("Crypto Lake's free sample")
  sample
    .command('fetch')
    .description(
      'download the three public sample objects, verify them, import, validate and replay the delta day'
    )
    .option('--out <dir>', 'the lake to fill (default: "sample" under the lake root)')
    .option(
      '--endpoint <url>',
      'an S3-compatible server instead of AWS (no keys inside)',
      endpointArg
    )
    .action(async (o: { out?: string; endpoint?: string }) => {
      const g = program.opts<GlobalOpts>()
      const lakeRoot =
        o.out !== undefined ? resolve(o.out) : join(resolveLakeRoot(g.lake), 'sample')
      const jobOpts: GlobalOpts = { ...g, lake: lakeRoot }
      const progress = new StderrProgress(process.stderr, g.quiet === true)
      // Signals cancel the download here; once the jobs start, runJob handles them.
      const ac = new AbortController()
      const onSignal = (signal: NodeJS.Signals): void => {
        progress.log(`${signal}: cancelling…`)
        ac.abort()
      }
      for (const s of STOP_SIGNALS) process.once(s, onSignal)
      const endFetch = (): void => {
        for (const s of STOP_SIGNALS) process.off(s, onSignal)
        progress.end()
      }
      const job = async <J extends JobRecord>(
        kind: JobKind,
        run: () => Promise<J>
      ): Promise<Extract<J, { state: 'done' }>['result']> => {
        endFetch()
        const rec = await run()
        if (rec.state === 'cancelled') throw new CancelledError()
        if (rec.state !== 'done')
          throw new Error(`the ${kind} job ${rec.state}: ${rec.error?.message ?? ''}`)
        return rec.result
      }
      const steps: SampleSteps = {
        importDir: (dir) =>
          job('import', () => runJob({ kind: 'import', params: { dir, link: true } }, jobOpts)),
        validate: (params) => job('validate', () => runJob({ kind: 'validate', params }, jobOpts)),
        replay: (params) =>
          job('replay-lake', () => runJob({ kind: 'replay-lake', params }, jobOpts))
      }
      let r: SampleFlowResult
      try {
        r = await runSampleFlow(
          {
            lakeRoot,
            ...(o.endpoint === undefined ? {} : { endpoint: o.endpoint }),
            signal: ac.signal,
            onProgress: (p) => {
              const step = toJobProgress(p)
              progress.update({
                jobId: 'sample',
                done: step.done,
                total: step.total ?? null,
                unit: step.unit,
                rate: p.bytesPerSec,
                etaMs: p.etaMs,
                message: `sample ${step.message ?? ''}`
              })
            },
            log: (level, message) => {
              if (level !== 'debug' && (level !== 'info' || g.json !== true))
                progress.log(`[${level}] ${message}`)
            }
          },
          steps
        )
      } catch (e) {
        if (e instanceof CancelledError) {
          process.stderr.write('lakebook: cancelled\n')
          process.exitCode = EXIT.cancelled
          return
        }
        throw e
      } finally {
        endFetch()
      }
      process.stdout.write(g.json === true ? `${JSON.stringify(r)}\n` : `${summary(r)}\n`)
      if (r.fetch.cancelled) process.exitCode = EXIT.cancelled
      else if (!sampleFlowOk(r)) process.exitCode = EXIT.dataIssues
    })
}

// Shared by every CLI command: global options, running a job through the job manager (so it is
// recorded in the manifest) with progress on stderr, and printing its outcome.
import { InvalidArgumentError } from 'commander'
import { urlHasCredentials } from '../../src-shared/acquire'
import type { JobKind, JobRecord, JobRecordOf, JobSpec } from '../../src-shared/jobs'
import { isJobOf } from '../../src-shared/jobs'
import { InputError } from '../util/errors'
import { dayProblem } from '../../src-shared/params'
import { JobManager } from '../jobs/manager'
import workerPath from '../worker/workerPath'
import { openManifest } from '../lake/manifest'
import { resolveLakeRoot } from '../lake/paths'
import { withWorkerDefaults, workerSettings } from '../settings/workers'
import { StderrProgress } from './progress'

/** Exit codes: 0 ok, 1 failed, 2 usage, 3 finished but the input had counted problems, 130 cancelled. */
export const EXIT = { ok: 0, failed: 1, usage: 2, dataIssues: 3, cancelled: 130 } as const

/** Signals that cancel the running job like Ctrl-C. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

export interface GlobalOpts {
  lake?: string
  json?: boolean
  quiet?: boolean
}

/** Commander parser for `--from` / `--to`: a real calendar day, or a usage error in a sentence. */
export function dayArg(text: string): string {
  const problem = dayProblem(text)
  if (problem !== null) throw new InvalidArgumentError(`${problem}.`)
  return text
}

/**
 * Commander parser for `--endpoint`: a URL with a user name or password is refused before anything
 * is sent or recorded. InputError rather than commander's InvalidArgumentError, whose message
 * would repeat the value (the password) on stderr.
 */
export function endpointArg(text: string): string {
  if (urlHasCredentials(text)) {
    throw new InputError(
      '--endpoint carries a user name or password, which would be printed, logged and recorded with the job; put the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or an AWS profile (--profile), not in --endpoint (nothing was sent)'
    )
  }
  return text
}

/** Runs one job in a worker thread through the job manager, so it is recorded in the manifest. */
export async function runJob<K extends JobKind>(
  spec: Extract<JobSpec, { kind: K }>,
  g: GlobalOpts
): Promise<JobRecordOf<K>> {
  const lakeRoot = resolveLakeRoot(g.lake)
  const db = openManifest(lakeRoot)
  const jobs = new JobManager({ db, lakeRoot, workerPath, concurrency: 1 })
  const progress = new StderrProgress(process.stderr, g.quiet === true)
  const recovered = jobs.recoveredText()
  if (recovered !== null) progress.log(`[warn] ${recovered}`)
  jobs.subscribe({
    progress: (p) => {
      progress.update(p)
    },
    log: (l) => {
      if (l.level !== 'info' || g.json !== true) progress.log(`[${l.level}] ${l.message}`)
    }
  })
  // Worker counts the command left out come from the settings (`lakebook config`).
  const id = jobs.start(withWorkerDefaults(spec, workerSettings()))
  // Ctrl-C, `kill` and a closed terminal all cancel the same way, so a capture gets its final
  // flush and its session is not left `running` (a second signal of a kind ends the process).
  const onSignal = (signal: NodeJS.Signals): void => {
    progress.log(`${signal}: cancelling…`)
    jobs.cancel(id)
  }
  for (const s of STOP_SIGNALS) process.once(s, onSignal)
  // Never exit silently: if the event loop empties while the job has no outcome (a bug that left
  // it waiting on a thread that is gone), say so and fail.
  const onEmptyLoop = (): void => {
    process.stderr.write(`lakebook: job ${id} ended without an outcome (internal error)\n`)
    process.exitCode = EXIT.failed
  }
  process.once('beforeExit', onEmptyLoop)
  const record = await jobs.wait(id)
  process.off('beforeExit', onEmptyLoop)
  for (const s of STOP_SIGNALS) process.off(s, onSignal)
  progress.end()
  await jobs.shutdown()
  db.close()
  if (!isJobOf(record, spec.kind)) throw new Error(`job ${id} is not a ${spec.kind} job`)
  return record
}

/** Prints a job's outcome; `human` and `incomplete` see the result of the record's kind. */
export function finish<J extends JobRecord>(
  record: J,
  g: GlobalOpts,
  human: (result: Extract<J, { state: 'done' }>['result']) => void,
  incomplete: (result: Extract<J, { state: 'done' }>['result']) => boolean
): void {
  if (record.state !== 'done') {
    const err = record.error ?? { kind: 'internal', message: record.state }
    if (g.json === true)
      process.stdout.write(
        `${JSON.stringify({ job: record.id, state: record.state, error: err })}\n`
      )
    const what = err.kind === 'empty-selection' ? 'nothing to do' : record.state
    process.stderr.write(`lakebook: ${what}: ${err.message}\n`)
    process.exitCode =
      record.state === 'cancelled'
        ? EXIT.cancelled
        : err.kind === 'empty-selection'
          ? EXIT.usage
          : EXIT.failed
    return
  }
  if (g.json === true) process.stdout.write(`${JSON.stringify(record.result)}\n`)
  else human(record.result)
  if (incomplete(record.result)) process.exitCode = EXIT.dataIssues
}

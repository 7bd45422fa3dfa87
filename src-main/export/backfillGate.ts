// backfill --validate: the data gate in the day jobs' own read of the staged files. Each day job
// reads its day (and its warm-up days) from staging/ with the gate's rules on its own day's files
// as a tap, like `export --validate`, but moves nothing: several days run at once and read the same warm-up
// files, so promotion waits. The day's verdicts are kept beside its day certificate
// (_days/D.gate.json). When every day is done, the backfill settles them exactly as `validate`
// settles its own (promotion, the manifest's records), certifies the range from the same reports
// and only then judges the dataset's gates (backfillRun.ts). A verdict is reused only for the
// very file it judged (same size and modification time) under the same rules; any other staged
// file of the range is validated on its own, as a resumed export's are.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ExportParams } from '../../src-shared/export'
import type { ValidationThresholds } from '../../src-shared/validate'
import { GATE_TABLES } from '../../src-shared/validate'
import { writeFileAtomic } from '../util/atomicWrite'
import { InputError } from '../util/errors'
import { certifyLake } from '../validate/certificate'
import type { ValidatedFile } from '../validate/fileChecker'
import { zoneFiles } from '../validate/partition'
import type { ValidationStore } from '../validate/store'
import { daysFromTo } from '../lake/layout'
import { dayGatePath } from './backfillPaths'
import type { BackfillRecord } from './backfillStore'
import { shiftDay } from './pipeline'
import {
  assertOnePass,
  InPassValidation,
  type InPassEnv,
  type InPassOutcome,
  type InPassRange
} from './validatedExport'

const GATE_VERSION = 1

interface DayGateFile {
  readonly version: typeof GATE_VERSION
  readonly day: string
  readonly t: ValidationThresholds
  readonly tick: string | null
  readonly files: readonly {
    readonly verdict: ValidatedFile
    readonly size: number
    readonly mtimeMs: number
  }[]
}

type Range = Pick<ExportParams, 'exchange' | 'symbol' | 'tick' | 'warmupDays'>

function rangeOf(p: Range, from: string, to: string): InPassRange {
  return {
    exchange: p.exchange,
    symbol: p.symbol,
    readFrom: shiftDay(from, -(p.warmupDays ?? 1)),
    from,
    to,
    tick: p.tick
  }
}

/** What `backfill plan --validate` refuses: a lake other than this one, ungated, files in ready/. */
export function assertBackfillOnePass(
  p: Range & Pick<ExportParams, 'root' | 'ungated'>,
  lakeRoot: string,
  from: string,
  to: string
): void {
  if (p.root !== undefined && resolve(p.root) !== resolve(lakeRoot))
    throw new InputError(
      `--validate backfills the lake's own staged files; --root ${p.root} is not the lake (${lakeRoot})`
    )
  if (p.ungated === true)
    throw new InputError('--validate and --ungated do not go together: --validate is the gate')
  assertOnePass(rangeOf(p, from, to), lakeRoot)
}

export interface DayGateEnv {
  readonly lakeRoot: string
  readonly store: ValidationStore | undefined
  readonly log?: InPassEnv['log']
}

/**
 * A day job's gate: the rules over its read of its own day's files. Its warm-up days are read too
 * but judged by their own day jobs (so each file is judged once); the first day's warm-up files
 * have none and are validated on their own at the settlement.
 */
export function openDayGate(p: Range, day: string, env: DayGateEnv): Promise<InPassValidation> {
  if (env.store === undefined)
    throw new InputError(
      `a --validate backfill records its verdicts in the lake's manifest, and ${env.lakeRoot} has none`
    )
  return InPassValidation.plan(rangeOf({ ...p, warmupDays: 0 }, day, day), {
    lakeRoot: env.lakeRoot,
    store: env.store,
    runId: `backfill-day-${day}`,
    log: env.log
  })
}

/** The day's verdicts, kept for the settlement (written before the day certificate). */
export function writeDayGate(dataset: string, day: string, gate: InPassValidation): void {
  const files = gate.verdicts().flatMap((verdict) => {
    if (!existsSync(verdict.file.abs)) return []
    const st = statSync(verdict.file.abs)
    return [{ verdict, size: st.size, mtimeMs: st.mtimeMs }]
  })
  const body: DayGateFile = {
    version: GATE_VERSION,
    day,
    t: gate.plan.t,
    tick: gate.plan.tick,
    files
  }
  writeFileAtomic(dayGatePath(dataset, day), `${JSON.stringify(body)}\n`)
}

function readDayGate(dataset: string, day: string): DayGateFile | null {
  const p = dayGatePath(dataset, day)
  if (!existsSync(p)) return null
  try {
    // Written by writeDayGate; a file of another version is not read.
    const g = JSON.parse(readFileSync(p, 'utf8')) as { readonly version?: unknown }
    return g.version === GATE_VERSION ? (g as DayGateFile) : null
  } catch {
    // A damaged verdict file is only a lost shortcut: its files are validated on their own.
    return null
  }
}

/** Whether a day's verdicts were reached under the rules and tick of this settlement. */
function sameRules(g: DayGateFile, gate: InPassValidation): boolean {
  return g.tick === gate.plan.tick && JSON.stringify(g.t) === JSON.stringify(gate.plan.t)
}

/** Whether a kept verdict still speaks for the file now in staging (the very bytes it judged). */
function sameFile(e: DayGateFile['files'][number]): boolean {
  if (!existsSync(e.verdict.file.abs)) return false
  const st = statSync(e.verdict.file.abs)
  return st.size === e.size && st.mtimeMs === e.mtimeMs
}

export interface BackfillGateOutcome extends InPassOutcome {
  /** Verdicts the day jobs reached and the settlement reused. */
  readonly reused: number
}

/**
 * Once every day is done: the day jobs' verdicts settled as one gate run over the backfill's
 * range (and the first day's warm-up days), then the range's readiness certificate. Null when
 * nothing waits in staging any more (a settlement that moved everything, then was stopped): the
 * range is then certified from ready/ as `certify` does.
 */
export async function settleBackfillGate(
  b: BackfillRecord,
  env: InPassEnv
): Promise<BackfillGateOutcome | null> {
  const p = b.params as ExportParams
  const range = rangeOf(p, b.from, b.to)
  const staged = zoneFiles(env.lakeRoot, 'staging', {
    exchange: b.exchange,
    symbol: b.symbol,
    tables: GATE_TABLES,
    from: range.readFrom,
    to: range.to
  })
  if (staged.length === 0) {
    await certifyLake(
      { exchange: b.exchange, symbol: b.symbol, from: b.from, to: b.to, tick: p.tick },
      { ...env, runId: `${env.runId}-certify` }
    )
    return null
  }
  const gate = await InPassValidation.plan(range, env)
  const planned = new Set(gate.plan.files.map((f) => f.abs))
  let reused = 0
  for (const day of daysFromTo(b.from, b.to)) {
    const g = readDayGate(b.dataset, day)
    if (g === null || !sameRules(g, gate)) continue
    for (const e of g.files) {
      if (!planned.has(e.verdict.file.abs) || !sameFile(e)) continue
      gate.record(e.verdict)
      planned.delete(e.verdict.file.abs)
      reused++
    }
  }
  return { ...(await gate.settle()), reused }
}

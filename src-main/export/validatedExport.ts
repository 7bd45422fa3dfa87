// `export --validate`: the data gate, the readiness certificate and the export in one read of
// the inputs. The staged files of the range are replayed from staging/ with the gate's rules as
// a tap on the replay's read (validate/streamValidation.ts); when the replay is done their
// verdicts are settled exactly as `lakebook validate` settles its own (promotion of what passed,
// the manifest's records), the range is certified from the same reports, and only then are the
// dataset's gates judged — so a file that fails leaves the dataset `certified: false`, kept in
// staging with its reasons. A file the tap has no verdict for (a resumed export read it before
// the checkpoint) is validated on its own; so is the whole range when the replay stops on a
// broken file, so the failure is recorded in the manifest like a separate validate's. Once the
// replay is done its checkpoint is removed before anything moves: the checkpoint names staged
// paths, so a run killed after it starts its export again rather than resuming into moved files.
import { join, resolve } from 'node:path'
import type { InPassValidationSummary } from '../../src-shared/export'
import {
  GATE_TABLES,
  type CertifyResult,
  type ValidationRunResult,
  type ValidationThresholds
} from '../../src-shared/validate'
import { CancelledError, InputError, errorMessage } from '../util/errors'
import type { ResolvedSelection } from '../engine/source/lakeSources'
import type { SourceTap } from '../engine/source/rawTap'
import { lakePaths } from '../lake/paths'
import { certifyLake } from '../validate/certificate'
import { movedReport, type ExpectedSha, type ValidatedFile } from '../validate/fileChecker'
import {
  checkFiles,
  planValidation,
  settleValidation,
  type GateEnv,
  type ValidationPlan
} from '../validate/gate'
import { lakeRelative, zoneFiles, type GateFile } from '../validate/partition'
import { readyPath } from '../validate/promote'
import type { ValidationStore } from '../validate/store'
import { validationTap, type ValidationTapConfig } from '../validate/streamValidation'
import type { InputFile } from './inputs'

export interface InPassEnv {
  readonly lakeRoot: string
  readonly store: ValidationStore
  /** The export's job id: the validation and certify runs are recorded under it. */
  readonly runId: string
  readonly signal?: AbortSignal | undefined
  readonly log?: GateEnv['log']
  readonly now?: (() => Date) | undefined
}

export interface InPassRange {
  readonly exchange: string
  readonly symbol: string
  /** The first day read (the range's first day less its warm-up days) and the last. */
  readonly readFrom: string
  readonly from: string
  readonly to: string
  readonly tick?: string | undefined
}

export interface InPassOutcome {
  readonly validation: ValidationRunResult
  readonly certify: CertifyResult
  /** Files the tap had no verdict for, validated on their own (a resumed export). */
  readonly validatedApart: number
}

export class InPassValidation {
  private readonly seen = new Map<string, ValidatedFile>()

  private constructor(
    private readonly env: InPassEnv,
    private readonly range: InPassRange,
    readonly plan: ValidationPlan
  ) {}

  /** Plans the gate run over the range's staged files; refuses what one pass cannot do. */
  static async open(range: InPassRange, env: InPassEnv): Promise<InPassValidation> {
    assertOnePass(range, env.lakeRoot)
    return InPassValidation.plan(range, env)
  }

  /** The gate run over the range's staged files, without open()'s refusals (a backfill day). */
  static async plan(range: InPassRange, env: InPassEnv): Promise<InPassValidation> {
    const plan = await planValidation(
      {
        exchange: range.exchange,
        symbol: range.symbol,
        from: firstStagedDay(range, env.lakeRoot),
        to: range.to,
        ...(range.tick !== undefined ? { tick: range.tick } : {})
      },
      env
    )
    return new InPassValidation(env, range, plan)
  }

  /** A verdict reached elsewhere for one of the planned files (a backfill day's). */
  record(v: ValidatedFile): void {
    this.seen.set(v.file.abs, v)
  }

  /** The verdicts the tap (or record) gave so far. */
  verdicts(): ValidatedFile[] {
    return [...this.seen.values()]
  }

  /** Where the export reads from: the lake's staging/. */
  get base(): string {
    return lakePaths.staging(this.env.lakeRoot)
  }

  /** The tap for the export's sources, once its inputs are hashed (their sha256 is reused). */
  tap(inputs: readonly InputFile[], sel: ResolvedSelection): SourceTap {
    const { plan, env } = this
    return {
      config: tapConfig(plan.files, inputs, sel, plan, (f) => env.store.expectedSha(f)),
      factory: validationTap,
      onResult: (_table, result) => {
        for (const v of result as ValidatedFile[]) this.record(v)
      }
    }
  }

  /** After the replay: every verdict, promotion, the records and the range's certificate. */
  async settle(): Promise<InPassOutcome> {
    const { plan, env } = this
    const apart = plan.files.filter((f) => !this.seen.has(f.abs))
    if (apart.length > 0)
      env.log?.(
        'info',
        `${apart.length} staged file(s) have no verdict from the replay's read (it resumed, or the file changed since): validating them on their own`
      )
    const checked = new Map((await this.check(apart)).map((v) => [v.file.abs, v]))
    const validated = plan.files.map((f) => {
      const v = this.seen.get(f.abs) ?? checked.get(f.abs)
      if (v === undefined) throw new Error(`${f.rel} has no verdict`)
      return v
    })
    const validation = settleValidation(plan, validated, this.gateEnv())
    const promoted = new Set(validation.promoted)
    const known = validated.flatMap((v) => {
      const to = this.readyFile(v.file)
      return promoted.has(to.rel) ? [movedReport(v, to, env.store.expectedSha(to), plan.t)] : []
    })
    const certify = await certifyLake(
      {
        exchange: this.range.exchange,
        symbol: this.range.symbol,
        from: this.range.from,
        to: this.range.to,
        ...(this.range.tick !== undefined ? { tick: this.range.tick } : {})
      },
      this.gateEnv(`${env.runId}-certify`),
      known
    )
    return { validation, certify, validatedApart: apart.length }
  }

  /**
   * The replay stopped (a file it could not read): the range is validated on its own, so every
   * verdict is recorded, and the error says what the gate found.
   */
  async afterFailure(e: unknown): Promise<Error> {
    if (e instanceof CancelledError) return e
    const message = errorMessage(e)
    // Only a refusal of one of the staged files is the gate's business; any other stop (the disk
    // guard, an internal error) leaves everything staged and the checkpoint to resume from.
    if (!this.plan.files.some((f) => message.includes(f.abs)))
      return e instanceof Error ? e : new Error(message)
    let found: string
    try {
      const r = settleValidation(this.plan, await this.check(this.plan.files), this.gateEnv())
      const kept = r.kept.map((k) => `${k.path}: ${k.reasons[0] ?? ''}`)
      found =
        `the staged files were validated on their own: ${r.counts.pass} passed, ${r.counts.warn} with warnings, ${r.counts.fail} failed` +
        (kept.length > 0 ? ` (${kept.slice(0, 2).join('; ')}${kept.length > 2 ? '; …' : ''})` : '')
    } catch (v) {
      if (v instanceof CancelledError) return v
      found = `validating the staged files on their own failed too: ${errorMessage(v)}`
    }
    const text = `${message.replace(/\.$/, '')}; ${found}`
    return e instanceof InputError ? new InputError(text) : new Error(text)
  }

  private check(files: readonly GateFile[]): Promise<ValidatedFile[]> {
    return checkFiles(files, {
      t: this.plan.t,
      tick: this.plan.tick,
      store: this.env.store,
      signal: this.env.signal
    })
  }

  private readyFile(f: GateFile): GateFile {
    const abs = readyPath(this.env.lakeRoot, f)
    return { ...f, abs, rel: lakeRelative(this.env.lakeRoot, abs), zone: 'ready' }
  }

  private gateEnv(runId = this.env.runId): GateEnv {
    const { lakeRoot, store, signal, log, now } = this.env
    return { lakeRoot, store, runId, signal, log, now }
  }
}

/**
 * Where the gate run starts: the earliest warm-up day with a staged file, else the range's first
 * day. A warm-up day without files is no gap of the range (`validate` would not see it either).
 */
function firstStagedDay(range: InPassRange, lakeRoot: string): string {
  if (range.readFrom >= range.from) return range.from
  const warm = zoneFiles(lakeRoot, 'staging', {
    exchange: range.exchange,
    symbol: range.symbol,
    tables: GATE_TABLES,
    from: range.readFrom,
    to: range.from
  })
  return warm.reduce((a, f) => (f.day < a ? f.day : a), range.from)
}

/**
 * What one pass needs: the range's files all waiting in staging/ (it reads them from there, and
 * a file already in ready/ would be missing from the read). Its warm-up days may be in either
 * zone: a day already through the gate is read from ready/ (LakeSelection.fallback).
 */
export function assertOnePass(range: InPassRange, lakeRoot: string): void {
  const sel = {
    exchange: range.exchange,
    symbol: range.symbol,
    tables: GATE_TABLES,
    from: range.readFrom,
    to: range.to
  }
  const span = `${range.exchange} ${range.symbol} ${range.readFrom}…${range.to}`
  if (zoneFiles(lakeRoot, 'staging', sel).length === 0)
    throw new InputError(
      `--validate reads the range's files from staging/, and staging/ holds none of ${span}; ` +
        'files already through the gate are exported or backfilled without --validate (the readiness gate then needs their certificate: lakebook certify)'
    )
  // Warm-up days may be through the gate already (read from ready/); the range's own days not.
  const ready = zoneFiles(lakeRoot, 'ready', { ...sel, from: range.from })
  if (ready.length > 0)
    throw new InputError(
      `--validate exports a range whose files all wait in staging/, but ready/ already holds ${ready.length} file(s) of ${range.exchange} ${range.symbol} ${range.from}…${range.to} (${ready[0]?.rel ?? ''}); ` +
        'run lakebook validate and lakebook certify for the range and export or backfill without --validate'
    )
}

/**
 * The tap's settings for these files: each with the sha256 the export computed for its input
 * (a file the export does not read gets no verdict from the tap).
 */
export function tapConfig(
  files: readonly GateFile[],
  inputs: readonly InputFile[],
  sel: ResolvedSelection,
  rules: { readonly t: ValidationThresholds; readonly tick: string | null },
  expected: (f: GateFile) => ExpectedSha
): ValidationTapConfig {
  const sha = new Map(inputs.map((f) => [resolve(join(sel.base, f.path)), f.sha256]))
  return {
    t: rules.t,
    tick: rules.tick,
    files: files.flatMap((file) => {
      const sha256 = sha.get(resolve(file.abs))
      return sha256 === undefined ? [] : [{ file, sha256, expected: expected(file) }]
    })
  }
}

/**
 * Every rule of the gate on the export's read, recording nothing: what the go/no-go report and
 * `lakebook bench` time as the one pass of export --validate.
 */
export function measuringTap(
  files: readonly GateFile[],
  rules: { readonly t: ValidationThresholds; readonly tick: string | null }
): (inputs: readonly InputFile[], sel: ResolvedSelection) => SourceTap {
  return (inputs, sel) => ({
    config: tapConfig(files, inputs, sel, rules, () => null),
    factory: validationTap,
    onResult: () => undefined
  })
}

/** The part of an in-pass gate run that goes into the export's result. */
export function inPassSummary(o: InPassOutcome): InPassValidationSummary {
  return {
    counts: o.validation.counts,
    promoted: o.validation.promoted.length,
    kept: o.validation.kept,
    validatedApart: o.validatedApart,
    certificate: { verdict: o.certify.verdict, json: o.certify.json }
  }
}

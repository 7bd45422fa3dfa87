// `export --validate`: the data gate, the readiness certificate and the export in one read of
// the inputs. The staged files of the range are replayed from staging/ with the gate's rules as
// a tap on the replay's read (validate/streamValidation.ts); when the replay is done their
// verdicts are settled exactly as `lakebook validate` settles its own (promotion of what passed,
// the manifest's records), the range is certified from the same reports, and only then are the
// dataset's gates judged — so a file that fails leaves the dataset `certified: false`, kept in
// staging with its reasons. A file the tap has no verdict for (a resumed export read it before
// the checkpoint) is validated on its own; so is the whole range when the replay stops on a
// broken file, so the failure is recorded in the manifest like a separate validate's.
import { resolve } from 'node:path'
import type { ValidationRunResult } from '../../src-shared/validate'
import { GATE_TABLES } from '../../src-shared/validate'
import { CancelledError, InputError, errorMessage } from '../util/errors'
import type { ResolvedSelection } from '../engine/source/lakeSources'
import type { SourceTap } from '../engine/source/rawTap'
import { join } from 'node:path'
import { lakePaths } from '../lake/paths'
import { certifyLake } from '../validate/certificate'
import { movedReport, type ValidatedFile } from '../validate/fileChecker'
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
import type { CertifyResult } from '../../src-shared/validate'
import type { InPassValidationSummary } from '../../src-shared/export'
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
    const sel = {
      exchange: range.exchange,
      symbol: range.symbol,
      tables: GATE_TABLES,
      from: range.readFrom,
      to: range.to
    }
    const span = `${range.exchange} ${range.symbol} ${range.readFrom}…${range.to}`
    if (zoneFiles(env.lakeRoot, 'staging', sel).length === 0)
      throw new InputError(
        `--validate reads the range's files from staging/, and staging/ holds none of ${span}; ` +
          'files already through the gate are exported without --validate (the readiness gate then needs their certificate: lakebook certify)'
      )
    const ready = zoneFiles(env.lakeRoot, 'ready', sel)
    if (ready.length > 0)
      throw new InputError(
        `--validate exports a range whose files all wait in staging/, but ready/ already holds ${ready.length} file(s) of ${span} (${ready[0]?.rel ?? ''}); ` +
          'run lakebook validate and lakebook certify for the range and export without --validate'
      )
    const plan = await planValidation(
      {
        exchange: range.exchange,
        symbol: range.symbol,
        from: range.readFrom,
        to: range.to,
        ...(range.tick !== undefined ? { tick: range.tick } : {})
      },
      { ...env, store: env.store }
    )
    return new InPassValidation(env, range, plan)
  }

  /** Where the export reads from: the lake's staging/. */
  get base(): string {
    return lakePaths.staging(this.env.lakeRoot)
  }

  /** The tap for the export's sources, once its inputs are hashed (their sha256 is reused). */
  tap(inputs: readonly InputFile[], sel: ResolvedSelection): SourceTap {
    const sha = new Map(inputs.map((f) => [resolve(join(sel.base, f.path)), f.sha256]))
    const config: ValidationTapConfig = {
      t: this.plan.t,
      tick: this.plan.tick,
      files: this.plan.files.flatMap((file) => {
        const sha256 = sha.get(resolve(file.abs))
        return sha256 === undefined
          ? []
          : [{ file, sha256, expected: this.env.store.expectedSha(file) }]
      })
    }
    return {
      config,
      factory: validationTap,
      onResult: (_table, result) => {
        for (const v of result as ValidatedFile[]) this.seen.set(v.file.abs, v)
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
        `${apart.length} staged file(s) were not read whole by this run (it resumed): validating them on their own`
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

// One file's validation as three steps, so the rules can run wherever the file's rows are read:
// `open` checks the bytes (the sha256 it is given, the PAR1 envelope, the footer) and the schema,
// `batch` feeds every row rule one decoded batch, `finish` turns it all into the file's report.
// `lakebook validate` drives it over its own read (fileValidator.ts); `export --validate` over
// the replay's read of the same file (streamValidation.ts), so both give the same verdicts.
import { statSync } from 'node:fs'
import type { RuleResult, ValidationThresholds } from '../../src-shared/validate'
import type { FloatGrid } from '../../src-shared/units'
import { errorMessage } from '../util/errors'
import { readFooterSync, type LakeFooter } from '../lake/parquet/footer'
import type { LakeBatch } from '../lake/parquet/reader'
import type { LakeTable } from '../lake/parquet/schemas'
import { marketOfExchange } from '../lake/layout'
import { BookCheck } from './bookRules'
import { DeltaCheck } from './deltaRules'
import { envelopeProblem } from './integrity'
import type { GateFile } from './partition'
import { mergeRestarts } from './restarts'
import { isoUs, type RowCheck } from './rowCheck'
import { RuleTally, fileRules, result, worst } from './rules'
import { schemaRules } from './schemaRules'
import { TimeCheck } from './timeRules'
import { TradeCheck } from './tradeRules'
import { ValueCheck } from './valueRules'
import type { FileReport } from '../../src-shared/validate'

export type ExpectedSha = { readonly sha256: string; readonly source: string } | null

export interface FileEnv {
  readonly t: ValidationThresholds
  readonly grid: FloatGrid | null
  /** The sha256 the manifest recorded for this file and where it comes from, or null. */
  readonly expected: ExpectedSha
  readonly signal?: AbortSignal | undefined
}

/** A file's report plus the raw figures the day rules need. */
export interface ValidatedFile {
  readonly file: GateFile
  readonly report: FileReport
  readonly firstRecvUs: number
  readonly lastRecvUs: number
}

/** Why the reading of a file's rows stopped early (a reader refusal), as a rule failure. */
export interface ReadStop {
  readonly rule: string
  readonly message: string
}

/** The integrity.sha256 rule: the file's hash against the manifest's record. */
export function sha256Rule(
  sha256: string,
  expected: ExpectedSha,
  file: GateFile,
  t: ValidationThresholds
): RuleResult {
  if (expected === null)
    return result('integrity.sha256', t, file.table, 'skip', 'no sha256 recorded for this file')
  const ok = expected.sha256 === sha256
  const tally = new RuleTally(file.rel, t.examples)
  if (!ok) tally.add(null, `sha256 ${sha256}, the ${expected.source} recorded ${expected.sha256}`)
  return result(
    'integrity.sha256',
    t,
    file.table,
    ok ? 'pass' : 'fail',
    ok ? `matches the ${expected.source}` : 'differs from the manifest',
    tally
  )
}

/**
 * A file's report carried to where promotion moved it (staging/ → ready/): the same findings
 * under its new path, and the sha256 rule judged against the new place's record, exactly as a
 * validation of the moved file would report them.
 */
export function movedReport(
  v: ValidatedFile,
  to: GateFile,
  expected: ExpectedSha,
  t: ValidationThresholds
): ValidatedFile {
  const from = v.file.rel
  const rules = v.report.rules.map((r) =>
    r.rule === 'integrity.sha256'
      ? sha256Rule(v.report.sha256, expected, to, t)
      : {
          ...r,
          examples: r.examples.map((e) => (e.file === from ? { ...e, file: to.rel } : e))
        }
  )
  return {
    ...v,
    file: to,
    report: {
      ...v.report,
      path: to.rel,
      zone: to.zone,
      status: worst(rules.map((r) => r.status)),
      rules
    }
  }
}

/** Row number in a reader message ("row 1234"), else null. */
function rowOf(message: string): number | null {
  const m = /\brows? (\d+)/.exec(message)
  return m?.[1] === undefined ? null : Number(m[1])
}

export class FileChecker {
  private readonly done = new Map<string, RuleResult>()
  private skipReason = ''
  private readonly bytes: number
  private footer: LakeFooter | null = null
  private readonly time: TimeCheck | null = null
  private readonly checks: RowCheck[] = []
  private rows = 0
  /** True when the schema lets the row rules read the file: feed it every batch then. */
  readonly readsRows: boolean

  constructor(
    readonly file: GateFile,
    private readonly env: FileEnv,
    private readonly sha256: string
  ) {
    const { t } = env
    const table = file.table
    this.bytes = statSync(file.abs).size
    this.put(sha256Rule(sha256, env.expected, file, t))
    const envelope = envelopeProblem(file.abs, this.bytes)
    if (envelope !== null) {
      this.put(this.fail('integrity.envelope', envelope))
      this.skipReason = 'the file is not a readable Parquet file'
    } else {
      this.put(
        result('integrity.envelope', t, table, 'pass', `PAR1 at both ends of ${this.bytes} bytes`)
      )
      try {
        const footer = readFooterSync(file.abs)
        this.footer = footer
        this.put(
          result(
            'integrity.footer',
            t,
            table,
            'pass',
            `${footer.rows} rows in ${footer.rowGroups.length} row groups, ${footer.compression.join('/') || 'no'} compression`
          )
        )
      } catch (e) {
        this.put(this.fail('integrity.footer', stripPath(errorMessage(e), file.abs)))
        this.skipReason = 'the footer cannot be read'
      }
    }
    let readable = false
    const footer = this.footer
    if (footer !== null) {
      this.put(
        footer.rows === 0
          ? this.fail('integrity.non-empty', 'the footer says 0 rows')
          : result('integrity.non-empty', t, table, 'pass', `${footer.rows} rows`)
      )
      const schema = schemaRules(footer, file, t)
      for (const r of schema.results) this.put(r)
      readable = schema.readable
      if (!readable) this.skipReason = 'the columns do not match the table'
    }
    this.readsRows = readable
    if (readable) {
      const ctx = { file, t, grid: env.grid, market: marketOfExchange(file.exchange) }
      this.time = new TimeCheck(ctx)
      this.checks.push(this.time, new ValueCheck(ctx))
      if (table === 'book_delta_v2') this.checks.push(new DeltaCheck(ctx))
      else if (table === 'trades') this.checks.push(new TradeCheck(ctx))
      else this.checks.push(new BookCheck(ctx))
    }
  }

  /**
   * One decoded batch of the file, in file order (the rules keep no reference to it). Ignored
   * when the schema keeps the row rules from reading the file, as validate never reads it then.
   */
  batch(b: LakeBatch<LakeTable>): void {
    if (!this.readsRows) return
    for (const c of this.checks) c.batch(b)
    this.rows += b.rows
  }

  /** The file's report; `stopped` when reading its rows ended at a reader refusal. */
  finish(stopped: ReadStop | null): ValidatedFile {
    const { t } = this.env
    const { file, footer } = this
    const table = file.table
    let restarts: FileReport['restarts'] = []
    if (this.readsRows && footer !== null) {
      const complete = stopped === null
      restarts = mergeRestarts(this.checks.flatMap((c) => c.restarts?.list ?? []))
      for (const c of this.checks) for (const r of c.finish(complete)) this.put(r)
      if (stopped === null) {
        this.put(
          result(
            'integrity.row-groups',
            t,
            table,
            'pass',
            `${footer.rowGroups.length} row groups decoded`
          )
        )
        this.put(
          this.rows === footer.rows
            ? result(
                'integrity.row-count',
                t,
                table,
                'pass',
                `${this.rows} rows, as the footer says`
              )
            : this.fail(
                'integrity.row-count',
                `${this.rows} rows decoded, the footer says ${footer.rows}`
              )
        )
        this.put(result('values.decode', t, table, 'pass', 'every value accepted'))
      } else {
        const rule = stopped.rule
        this.put(this.fail(rule, stopped.message, rowOf(stopped.message)))
        for (const other of ['integrity.row-groups', 'integrity.row-count', 'values.decode']) {
          if (other !== rule && !this.done.has(other))
            this.put(result(other, t, table, 'skip', 'reading stopped at an earlier failure'))
        }
      }
    }
    const rules = fileRules(table).map(
      (spec) =>
        this.done.get(spec.id) ?? result(spec.id, t, table, 'skip', this.skipReason || 'not run')
    )
    const time = this.time
    const firstRecvUs = time !== null && time.rows > 0 ? time.firstRecv : NaN
    const lastRecvUs = time !== null && time.rows > 0 ? time.lastRecv : NaN
    return {
      file,
      firstRecvUs,
      lastRecvUs,
      report: {
        path: file.rel,
        zone: file.zone,
        table,
        exchange: file.exchange,
        symbol: file.symbol,
        day: file.day,
        filename: file.filename,
        bytes: this.bytes,
        sha256: this.sha256,
        rows: this.rows,
        footerRows: footer?.rows ?? null,
        rowGroups: footer?.rowGroups.length ?? null,
        fingerprint: footer?.fingerprint ?? null,
        kv: footer?.kv ?? null,
        firstReceive: firstRecvUs === firstRecvUs ? isoUs(firstRecvUs) : null,
        lastReceive: lastRecvUs === lastRecvUs ? isoUs(lastRecvUs) : null,
        status: worst(rules.map((r) => r.status)),
        rules,
        restarts
      }
    }
  }

  private put(r: RuleResult): void {
    this.done.set(r.rule, r)
  }

  private fail(rule: string, message: string, row: number | null = null): RuleResult {
    const tally = new RuleTally(this.file.rel, this.env.t.examples)
    tally.add(row, message)
    return result(rule, this.env.t, this.file.table, 'fail', message, tally)
  }
}

/** Reader messages start with the absolute path; reports name the file already. */
export function stripPath(message: string, abs: string): string {
  return message.startsWith(`${abs}: `) ? message.slice(abs.length + 2) : message
}

// Validates one file end to end, streaming: sha256 and the byte envelope, the footer, the schema
// and metadata, then every row rule over the row groups in one pass (readLakeTable, one row group
// at a time). A broken file never throws: what stops the reading becomes that rule's failure,
// the rules it prevents are reported as skipped with the reason, and the rules that ran keep what
// they saw. Only cancellation propagates.
import { statSync } from 'node:fs'
import type {
  FileReport,
  Restart,
  RuleResult,
  ValidationThresholds
} from '../../src-shared/validate'
import type { FloatGrid } from '../../src-shared/units'
import { CancelledError, errorMessage } from '../util/errors'
import { readFooterSync, type LakeFooter } from '../lake/parquet/footer'
import { readLakeTable } from '../lake/parquet/reader'
import { marketOfExchange } from '../lake/layout'
import { BookCheck } from './bookRules'
import { DeltaCheck } from './deltaRules'
import { envelopeProblem, sha256File } from './integrity'
import type { GateFile } from './partition'
import { mergeRestarts } from './restarts'
import { isoUs, type CheckContext, type RowCheck } from './rowCheck'
import { RuleTally, fileRules, result, worst } from './rules'
import { schemaRules } from './schemaRules'
import { TimeCheck } from './timeRules'
import { TradeCheck } from './tradeRules'
import { ValueCheck } from './valueRules'

export interface FileEnv {
  readonly t: ValidationThresholds
  readonly grid: FloatGrid | null
  /** The sha256 the manifest recorded for this file and where it comes from, or null. */
  readonly expected: { readonly sha256: string; readonly source: string } | null
  readonly signal?: AbortSignal | undefined
}

/** A file's report plus the raw figures the day rules need. */
export interface ValidatedFile {
  readonly file: GateFile
  readonly report: FileReport
  readonly firstRecvUs: number
  readonly lastRecvUs: number
}

/** Which rule a reader refusal belongs to (messages of lake/parquet/reader.ts). */
export function readErrorRule(message: string): string {
  if (/column "(exchange|symbol)"/.test(message)) return 'schema.kv'
  if (/null values|side is "|beyond exact Float64|outside ±2\^53/.test(message))
    return 'values.decode'
  if (/decoded as .*expected/.test(message)) return 'schema.types'
  if (/decoded to \d+ rows, the footer says/.test(message)) return 'integrity.row-count'
  return 'integrity.row-groups'
}

/** Row number in a reader message ("row 1234"), else null. */
function rowOf(message: string): number | null {
  const m = /\brows? (\d+)/.exec(message)
  return m?.[1] === undefined ? null : Number(m[1])
}

export async function validateFile(file: GateFile, env: FileEnv): Promise<ValidatedFile> {
  const { t } = env
  const table = file.table
  const done = new Map<string, RuleResult>()
  const put = (r: RuleResult): void => {
    done.set(r.rule, r)
  }
  let skipReason = ''
  const bytes = statSync(file.abs).size
  const sha256 = await sha256File(file.abs, env.signal)
  if (env.expected === null) {
    put(result('integrity.sha256', t, table, 'skip', 'no sha256 recorded for this file'))
  } else {
    const ok = env.expected.sha256 === sha256
    const tally = new RuleTally(file.rel, t.examples)
    if (!ok)
      tally.add(
        null,
        `sha256 ${sha256}, the ${env.expected.source} recorded ${env.expected.sha256}`
      )
    put(
      result(
        'integrity.sha256',
        t,
        table,
        ok ? 'pass' : 'fail',
        ok ? `matches the ${env.expected.source}` : 'differs from the manifest',
        tally
      )
    )
  }

  let footer: LakeFooter | null = null
  let rows = 0
  let time: TimeCheck | null = null
  let restarts: Restart[] = []
  const envelope = envelopeProblem(file.abs, bytes)
  if (envelope !== null) {
    put(fail('integrity.envelope', envelope))
    skipReason = 'the file is not a readable Parquet file'
  } else {
    put(result('integrity.envelope', t, table, 'pass', `PAR1 at both ends of ${bytes} bytes`))
    try {
      footer = readFooterSync(file.abs)
      put(
        result(
          'integrity.footer',
          t,
          table,
          'pass',
          `${footer.rows} rows in ${footer.rowGroups.length} row groups, ${footer.compression.join('/') || 'no'} compression`
        )
      )
    } catch (e) {
      put(fail('integrity.footer', stripPath(errorMessage(e), file.abs)))
      skipReason = 'the footer cannot be read'
    }
  }

  if (footer !== null) {
    put(
      footer.rows === 0
        ? fail('integrity.non-empty', 'the footer says 0 rows')
        : result('integrity.non-empty', t, table, 'pass', `${footer.rows} rows`)
    )
    const schema = schemaRules(footer, file, t)
    for (const r of schema.results) put(r)
    if (!schema.readable) skipReason = 'the columns do not match the table'
    else {
      const outcome = await readRows(file, env)
      rows = outcome.rows
      time = outcome.time
      restarts = outcome.restarts
      for (const r of outcome.results) put(r)
      if (outcome.stopped === null) {
        put(
          result(
            'integrity.row-groups',
            t,
            table,
            'pass',
            `${footer.rowGroups.length} row groups decoded`
          )
        )
        put(
          rows === footer.rows
            ? result('integrity.row-count', t, table, 'pass', `${rows} rows, as the footer says`)
            : fail('integrity.row-count', `${rows} rows decoded, the footer says ${footer.rows}`)
        )
        put(result('values.decode', t, table, 'pass', 'every value accepted'))
      } else {
        const rule = outcome.stopped.rule
        put(fail(rule, outcome.stopped.message, rowOf(outcome.stopped.message)))
        for (const other of ['integrity.row-groups', 'integrity.row-count', 'values.decode']) {
          if (other !== rule && !done.has(other))
            put(result(other, t, table, 'skip', 'reading stopped at an earlier failure'))
        }
      }
    }
  }

  const rules = fileRules(table).map(
    (spec) => done.get(spec.id) ?? result(spec.id, t, table, 'skip', skipReason || 'not run')
  )
  const status = worst(rules.map((r) => r.status))
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
      bytes,
      sha256,
      rows,
      footerRows: footer?.rows ?? null,
      rowGroups: footer?.rowGroups.length ?? null,
      fingerprint: footer?.fingerprint ?? null,
      kv: footer?.kv ?? null,
      firstReceive: firstRecvUs === firstRecvUs ? isoUs(firstRecvUs) : null,
      lastReceive: lastRecvUs === lastRecvUs ? isoUs(lastRecvUs) : null,
      status,
      rules,
      restarts
    }
  }

  function fail(rule: string, message: string, row: number | null = null): RuleResult {
    const tally = new RuleTally(file.rel, t.examples)
    tally.add(row, message)
    return result(rule, t, table, 'fail', message, tally)
  }
}

interface RowOutcome {
  readonly rows: number
  readonly time: TimeCheck
  readonly results: RuleResult[]
  readonly stopped: { readonly rule: string; readonly message: string } | null
  readonly restarts: Restart[]
}

async function readRows(file: GateFile, env: FileEnv): Promise<RowOutcome> {
  const ctx: CheckContext = {
    file,
    t: env.t,
    grid: env.grid,
    market: marketOfExchange(file.exchange)
  }
  const time = new TimeCheck(ctx)
  const checks: RowCheck[] = [time, new ValueCheck(ctx)]
  if (file.table === 'book_delta_v2') checks.push(new DeltaCheck(ctx))
  else if (file.table === 'trades') checks.push(new TradeCheck(ctx))
  else checks.push(new BookCheck(ctx))
  let rows = 0
  let stopped: RowOutcome['stopped'] = null
  try {
    for await (const b of readLakeTable(file.abs, file.table, {
      extraColumns: 'ignore',
      ...(env.signal ? { signal: env.signal } : {})
    })) {
      for (const c of checks) c.batch(b)
      rows += b.rows
    }
  } catch (e) {
    if (e instanceof CancelledError) throw e
    const message = stripPath(errorMessage(e), file.abs)
    stopped = { rule: readErrorRule(message), message }
  }
  const complete = stopped === null
  const restarts = mergeRestarts(checks.flatMap((c) => c.restarts?.list ?? []))
  return { rows, time, results: checks.flatMap((c) => c.finish(complete)), stopped, restarts }
}

/** Reader messages start with the absolute path; reports name the file already. */
function stripPath(message: string, abs: string): string {
  return message.startsWith(`${abs}: `) ? message.slice(abs.length + 2) : message
}

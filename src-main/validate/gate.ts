// The gate itself (`lakebook validate`): validates the staged files of one exchange/symbol over a
// day range (and, on request, re-checks ready/), adds the day and range coverage rules, moves
// every file that passed (warnings allowed) from staging/ to ready/ and leaves failures in
// staging with their reasons, then records everything in the manifest. Each file is streamed
// (fileValidator.ts), so memory does not grow with the range; files are validated one at a time,
// or one per worker thread up to the core count (parallel.ts), with identical results.
import { availableParallelism } from 'node:os'
import {
  GATE_TABLES,
  mergeThresholds,
  type DayReport,
  type FileReport,
  type GateTable,
  type RuleResult,
  type ValidateParams,
  type ValidationRunResult,
  type ValidationThresholds
} from '../../src-shared/validate'
import { FloatGrid } from '../../src-shared/units'
import { loadTrustConfig } from '../lake/trustConfig'
import { writeFileAtomic } from '../util/atomicWrite'
import { dayReport, missingDaysRule } from './dayRules'
import { validateFile, type ValidatedFile } from './fileValidator'
import {
  emptySelection,
  presentDays,
  zoneFiles,
  tickFiles,
  type GateFile,
  type Selection,
  type Zone
} from './partition'
import { promote } from './promote'
import type { ValidationStore } from './store'
import { resolveTick } from '../lake/tick'
import { renderValidationHtml } from './validationHtml'
import { validateInWorkers } from './parallel'
import type { WorkerSpec } from '../util/workerLifecycle'

export interface GateEnv {
  readonly lakeRoot: string
  /** The manifest's gate tables; null runs without recording (and without sha256 records). */
  readonly store: ValidationStore | null
  readonly runId: string
  readonly signal?: AbortSignal | undefined
  readonly progress?: ((done: number, total: number, message: string) => void) | undefined
  readonly log?: ((level: 'info' | 'warn' | 'error', message: string) => void) | undefined
  readonly now?: (() => Date) | undefined
  /**
   * The file-validation worker (the built job worker with the validate role). Without it files
   * are validated in the calling thread whatever `params.workers` says.
   */
  readonly validateWorker?: WorkerSpec | undefined
}

export const DEFAULT_EXCHANGE = 'BINANCE'
export const DEFAULT_SYMBOL = 'BTC-USDT'

export { mergeThresholds }

/** Day rules that keep a partition's files in staging when they fail (a short day does not). */
const BLOCKING_DAY_RULES = new Set(['coverage.multiple-files'])

export function selectionOf(p: {
  exchange?: string | undefined
  symbol?: string | undefined
  tables?: readonly GateTable[] | undefined
  from?: string | undefined
  to?: string | undefined
}): Selection {
  return {
    exchange: p.exchange ?? DEFAULT_EXCHANGE,
    symbol: p.symbol ?? DEFAULT_SYMBOL,
    tables: GATE_TABLES.filter((t) => (p.tables ?? GATE_TABLES).includes(t)),
    from: p.from,
    to: p.to
  }
}

/** Where and how many file-validation workers to start (validate/parallel.ts). */
export interface GateWorkers {
  /** Worker threads; 1 validates in the calling thread. */
  readonly workers: number
  readonly worker: WorkerSpec
}

/**
 * Validates files one after the other (cancellable between and inside files), or on several
 * worker threads when `parallel` asks for more than one and there is more than one file: the
 * results are the same, in the same order.
 */
export async function checkFiles(
  files: readonly GateFile[],
  opts: {
    readonly t: ValidationThresholds
    readonly tick: string | null
    readonly store: ValidationStore | null
    readonly signal?: AbortSignal | undefined
    readonly progress?: GateEnv['progress']
    readonly parallel?: GateWorkers | undefined
  }
): Promise<ValidatedFile[]> {
  const par = opts.parallel
  if (par !== undefined && Math.min(par.workers, files.length) > 1)
    return validateInWorkers(files, {
      t: opts.t,
      tick: opts.tick,
      expected: files.map((f) => opts.store?.expectedSha(f) ?? null),
      workers: par.workers,
      worker: par.worker,
      signal: opts.signal,
      progress: opts.progress
    })
  const grid = opts.tick === null ? null : new FloatGrid(opts.tick)
  const out: ValidatedFile[] = []
  for (const [i, f] of files.entries()) {
    opts.progress?.(i, files.length, f.rel)
    out.push(
      await validateFile(f, {
        t: opts.t,
        grid,
        expected: opts.store?.expectedSha(f) ?? null,
        signal: opts.signal
      })
    )
  }
  opts.progress?.(files.length, files.length, 'done')
  return out
}

/**
 * Threads the gate validates on: the requested count (default: every core), at most one per
 * file, and 1 (the calling thread) when no worker file is at hand.
 */
export function gateWorkerCount(
  requested: number | undefined,
  files: number,
  worker: WorkerSpec | undefined
): number {
  if (worker === undefined) return 1
  return Math.max(1, Math.min(requested ?? availableParallelism(), files))
}

/** Day reports of every partition that has validated files, in table then day order. */
export function dayReports(
  sel: Selection,
  validated: readonly ValidatedFile[],
  unvalidated: (table: GateTable, day: string) => number,
  t: ValidationThresholds
): DayReport[] {
  const groups = new Map<string, ValidatedFile[]>()
  for (const v of validated) {
    const key = `${v.file.table}\n${v.file.day}`
    const g = groups.get(key) ?? []
    g.push(v)
    groups.set(key, g)
  }
  const out: DayReport[] = []
  for (const table of sel.tables) {
    const days = [...groups.keys()]
      .filter((k) => k.startsWith(`${table}\n`))
      .map((k) => k.slice(table.length + 1))
      .sort()
    for (const day of days)
      out.push(
        dayReport(table, day, groups.get(`${table}\n${day}`) ?? [], unvalidated(table, day), t)
      )
  }
  return out
}

/** Failing (and, for a held-back file, blocking) rules as "rule: measured" lines. */
export function reasonsOf(rules: readonly RuleResult[]): string[] {
  return rules.filter((r) => r.status === 'fail').map((r) => `${r.rule}: ${r.measured}`)
}

/** What a gate run covers, resolved from its params: the files, the range, the tick. */
export interface ValidationPlan {
  readonly params: ValidateParams
  readonly t: ValidationThresholds
  readonly zones: readonly Zone[]
  readonly sel: Selection
  readonly from: string | null
  readonly to: string | null
  readonly files: readonly GateFile[]
  readonly tick: string | null
}

export async function planValidation(
  params: ValidateParams,
  env: GateEnv
): Promise<ValidationPlan> {
  const t = mergeThresholds(params.thresholds, loadTrustConfig(env.lakeRoot).validation)
  const zones: Zone[] = params.includeReady === true ? ['staging', 'ready'] : ['staging']
  const base = selectionOf(params)
  const present = presentDays(env.lakeRoot, zones, base)
  const from = params.from ?? present[0] ?? null
  const to = params.to ?? present[present.length - 1] ?? null
  const sel: Selection = { ...base, from: from ?? undefined, to: to ?? undefined }
  const files = zones.flatMap((z) => zoneFiles(env.lakeRoot, z, sel))
  if (files.length === 0)
    throw emptySelection(env.lakeRoot, zones, sel, 'add --include-ready to check them again')
  const tick = (await resolveTick(params.tick, sel.exchange, sel.symbol, tickFiles(files))).tick
  if (tick === null) env.log?.('warn', 'no tick known or detected: price-grid rules are skipped')
  return { params, t, zones, sel, from, to, files, tick }
}

export async function validateLake(
  params: ValidateParams,
  env: GateEnv
): Promise<ValidationRunResult> {
  const plan = await planValidation(params, env)
  const { files } = plan
  const workers = gateWorkerCount(params.workers, files.length, env.validateWorker)
  if (workers > 1)
    env.log?.('info', `validating ${files.length} files on ${workers} worker threads`)
  const validated = await checkFiles(files, {
    t: plan.t,
    tick: plan.tick,
    store: env.store,
    signal: env.signal,
    progress: env.progress,
    parallel: env.validateWorker === undefined ? undefined : { workers, worker: env.validateWorker }
  })
  return settleValidation(plan, validated, env)
}

/**
 * The end of a gate run, whoever read the files: day and range rules, promotion of what passed,
 * the manifest's records and the HTML report. `validated` holds every planned file, in order.
 */
export function settleValidation(
  plan: ValidationPlan,
  validated: readonly ValidatedFile[],
  env: GateEnv
): ValidationRunResult {
  const { params, t, zones, sel, from, to, tick } = plan
  const now = env.now ?? (() => new Date())
  const readyCount = new Map<string, number>()
  if (!zones.includes('ready'))
    for (const f of zoneFiles(env.lakeRoot, 'ready', sel))
      readyCount.set(`${f.table}/${f.day}`, (readyCount.get(`${f.table}/${f.day}`) ?? 0) + 1)
  const days = dayReports(sel, validated, (tb, d) => readyCount.get(`${tb}/${d}`) ?? 0, t)
  const rangeRules: RuleResult[] = []
  if (from !== null && to !== null) {
    const have = new Map<GateTable, Set<string>>()
    for (const z of ['staging', 'ready'] as const)
      for (const f of zoneFiles(env.lakeRoot, z, sel)) {
        const s = have.get(f.table) ?? new Set<string>()
        s.add(f.day)
        have.set(f.table, s)
      }
    rangeRules.push(
      missingDaysRule(sel.tables, from, to, (tb) => have.get(tb) ?? new Set(), t).rule
    )
  }

  // Promotion: staging files that did not fail, in partitions whose day rules did not fail.
  const dayFail = new Map(
    days.map((d) => [
      `${d.table}/${d.day}`,
      d.rules.filter((r) => r.status === 'fail' && BLOCKING_DAY_RULES.has(r.rule))
    ])
  )
  const promoted: string[] = []
  const kept: { path: string; reasons: string[] }[] = []
  const at = now().toISOString()
  const finalOf = new Map<FileReport, { path: string; zone: Zone | 'other' }>()
  for (const v of validated) {
    const f = v.file
    const r = v.report
    if (f.zone !== 'staging') {
      finalOf.set(r, { path: f.rel, zone: f.zone })
      continue
    }
    const blocking = dayFail.get(`${f.table}/${f.day}`) ?? []
    const reasons = [...reasonsOf(r.rules), ...reasonsOf(blocking)]
    if (reasons.length === 0 && params.promote !== false) {
      const p = promote(env.lakeRoot, f)
      env.store?.fileMoved(p.from, p.to)
      promoted.push(p.to)
      finalOf.set(r, { path: p.to, zone: 'ready' })
      if (p.replaced) env.log?.('warn', `${p.to} replaced the file already in ready/`)
    } else {
      if (reasons.length > 0) kept.push({ path: f.rel, reasons })
      finalOf.set(r, { path: f.rel, zone: 'staging' })
    }
  }

  const counts = { pass: 0, warn: 0, fail: 0 }
  for (const v of validated) counts[v.report.status]++
  const result: ValidationRunResult = {
    runId: env.runId,
    exchange: sel.exchange,
    symbol: sel.symbol,
    from,
    to,
    tables: sel.tables,
    tick,
    thresholds: t,
    files: validated.map((v) => v.report),
    days,
    rules: rangeRules,
    promoted,
    kept,
    counts,
    report: params.report ?? null
  }

  if (env.store !== null) record(env.store, result, validated, finalOf, kept, at, params)
  if (params.report !== undefined) writeFileAtomic(params.report, renderValidationHtml(result, at))
  return result
}

function record(
  store: ValidationStore,
  r: ValidationRunResult,
  validated: readonly ValidatedFile[],
  finalOf: ReadonlyMap<FileReport, { path: string; zone: Zone | 'other' }>,
  kept: readonly { path: string; reasons: string[] }[],
  at: string,
  params: ValidateParams
): void {
  store.recordRun({
    id: r.runId,
    kind: 'validate',
    createdAt: at,
    exchange: r.exchange,
    symbol: r.symbol,
    from: r.from,
    to: r.to,
    params,
    summary: { counts: r.counts, promoted: r.promoted.length, kept: r.kept.length }
  })
  const reasons = new Map(kept.map((k) => [k.path, k.reasons]))
  for (const v of validated) {
    const f = v.file
    const rep = v.report
    const fin = finalOf.get(rep) ?? { path: f.rel, zone: f.zone }
    store.recordFile(r.runId, rep, fin.path, fin.zone)
    if (f.zone === 'other') continue
    if (f.zone === 'staging' && fin.zone === 'ready') {
      const source = store.gateFile(f, 'staging')?.source ?? 'download'
      store.remove(f, 'staging')
      store.enter({
        ...f,
        zone: 'ready',
        path: fin.path,
        source,
        sha256: rep.sha256,
        bytes: rep.bytes,
        status: rep.status,
        enteredAt: at
      })
      store.validated(f, 'ready', {
        path: fin.path,
        entrySha256: rep.sha256,
        bytes: rep.bytes,
        status: rep.status,
        reasons: [],
        at,
        runId: r.runId
      })
    } else {
      store.validated(f, f.zone, {
        path: f.rel,
        entrySha256: store.expectedSha(f)?.sha256 ?? rep.sha256,
        bytes: rep.bytes,
        status: rep.status,
        reasons: reasons.get(f.rel) ?? [],
        at,
        runId: r.runId
      })
    }
  }
  for (const d of r.days) store.recordDay(r.runId, d)
  store.recordFindings(r.runId, 'range', r.rules)
}

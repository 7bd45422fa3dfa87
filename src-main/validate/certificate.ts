// `lakebook certify`: a certificate for one exchange/symbol over a day range. Every file in
// ready/ is validated again (hash, size, rows, time span, every rule), coverage is computed from
// the files present, and open issues (missing days, files held in staging, unvalidated staging
// files, contains_gaps days) are listed. One gate per rule category passes when no rule of that
// category fails. Written as JSON + HTML; reproducible: the same files give the same certificate
// byte for byte apart from `generatedAt` (no run ids, durations or absolute paths inside, and
// figures come from deterministic samples), and contentSha256 fingerprints everything else.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import {
  GATE_TABLES,
  type Certificate,
  type CertificateGate,
  type CertifyParams,
  type CertifyResult,
  type GateTable,
  type OpenIssue,
  type RuleCategory
} from '../../src-shared/validate'
import { InputError } from '../util/errors'
import { loadTrustConfig } from '../lake/trustConfig'
import { daysFromTo } from '../lake/layout'
import { lakePaths } from '../lake/paths'
import { writeFileAtomic } from '../util/atomicWrite'
import { VERSION } from '../version'
import { renderCertificateHtml } from './certificateHtml'
import { missingDaysRule } from './dayRules'
import { checkFiles, dayReports, mergeThresholds, selectionOf, type GateEnv } from './gate'
import type { ValidatedFile } from './fileChecker'
import { emptySelection, tickFiles, zoneFiles, type Selection } from './partition'
import { restartText } from './restarts'
import { RULES, plural } from './rules'
import { resolveTick } from '../lake/tick'

const GATES: readonly RuleCategory[] = [
  'integrity',
  'schema',
  'time',
  'sequence',
  'values',
  'coverage'
]

export function certificateFileName(c: {
  exchange: string
  symbol: string
  from: string
  to: string
}): string {
  return `certificate-${c.exchange}-${c.symbol}-${c.from}_${c.to}`
}

/** The fingerprint of a readiness certificate: everything but generatedAt and the hash itself. */
export function readinessContentHash(
  c: Omit<Certificate, 'generatedAt' | 'contentSha256'>
): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex')
}

/**
 * `known`: ready files this process has just validated (export --validate promotes them right
 * before): their reports are used as they are instead of reading the files again.
 */
export async function certifyLake(
  params: CertifyParams,
  env: GateEnv,
  known: readonly ValidatedFile[] = []
): Promise<CertifyResult> {
  if (params.from > params.to)
    throw new InputError(`--from ${params.from} is after --to ${params.to}`)
  const t = mergeThresholds(params.thresholds, loadTrustConfig(env.lakeRoot).validation)
  const sel: Selection = selectionOf(params)
  const from = params.from
  const to = params.to
  const ready = zoneFiles(env.lakeRoot, 'ready', sel)
  if (ready.length === 0)
    throw emptySelection(
      env.lakeRoot,
      ['ready'],
      sel,
      'run lakebook validate to move them to ready/'
    )
  const tick = (await resolveTick(params.tick, sel.exchange, sel.symbol, tickFiles(ready))).tick
  const byPath = new Map(known.map((v) => [v.file.rel, v]))
  const unknown = ready.filter((f) => !byPath.has(f.rel))
  const checked = await checkFiles(unknown, {
    t,
    tick,
    store: env.store,
    signal: env.signal,
    progress: env.progress
  })
  const fresh = new Map(unknown.map((f, i) => [f.rel, checked[i]]))
  const validated = ready.map((f) => {
    const v = byPath.get(f.rel) ?? fresh.get(f.rel)
    if (v === undefined) throw new Error(`${f.rel} was not validated`)
    return v
  })
  const files = validated.map((v) => v.report)
  const days = dayReports(sel, validated, () => 0, t)

  const present = new Map<GateTable, Set<string>>()
  for (const f of ready) {
    const s = present.get(f.table) ?? new Set<string>()
    s.add(f.day)
    present.set(f.table, s)
  }
  const { rule: missingRule, missing } = missingDaysRule(
    sel.tables,
    from,
    to,
    (tb) => present.get(tb) ?? new Set(),
    t
  )
  const rangeDays = daysFromTo(from, to)
  const coverageTables = Object.fromEntries(
    GATE_TABLES.filter((tb) => sel.tables.includes(tb)).map((tb) => [
      tb,
      { present: rangeDays.filter((d) => present.get(tb)?.has(d) === true), missing: missing[tb] }
    ])
  ) as unknown as Certificate['coverage']['tables']
  const containsGaps = files.filter((f) => f.kv?.['contains_gaps'] === 'Yes').map((f) => f.path)

  const openIssues: OpenIssue[] = []
  for (const tb of sel.tables)
    for (const d of missing[tb])
      openIssues.push({
        kind: 'missing-day',
        table: tb,
        day: d,
        path: null,
        message: `no ${tb} file in ready/ for ${d}`
      })
  for (const f of zoneFiles(env.lakeRoot, 'staging', sel)) {
    const g = env.store?.gateFile(f, 'staging')
    if (g?.status === 'fail')
      openIssues.push({
        kind: 'held-in-staging',
        table: f.table,
        day: f.day,
        path: f.rel,
        message: `held in staging: ${g.reasons.join('; ')}`
      })
    else
      openIssues.push({
        kind: 'unvalidated-in-staging',
        table: f.table,
        day: f.day,
        path: f.rel,
        message: 'in staging, not yet through the gate (run lakebook validate)'
      })
  }
  for (const f of files)
    for (const r of f.restarts ?? [])
      openIssues.push({
        kind: 'restart',
        table: f.table,
        day: f.day,
        path: f.path,
        message: `writer restart at ${restartText(r)}`
      })

  const gates: CertificateGate[] = GATES.map((gate) => {
    const ruleIds = RULES.filter((r) => r.category === gate).map((r) => r.id)
    const fileRules = files.flatMap((f) => f.rules.filter((r) => r.category === gate))
    const dayRules = days.flatMap((d) => d.rules.filter((r) => r.category === gate))
    const range = gate === 'coverage' ? [missingRule] : []
    const all = [...fileRules, ...dayRules, ...range]
    const failed = all.filter((r) => r.status === 'fail')
    const warned = all.filter((r) => r.status === 'warn')
    const failedFiles = files.filter((f) =>
      f.rules.some((r) => r.category === gate && r.status === 'fail')
    )
    const empty = gate !== 'coverage' && files.length === 0
    return {
      gate,
      status: failed.length === 0 && !empty ? 'pass' : 'fail',
      threshold: `no ${gate} rule fails (${ruleIds.join(', ')})`,
      detail: empty
        ? 'no files to certify'
        : `${plural(failed.length, 'failed result')} (${plural(failedFiles.length, 'file')}), ` +
          plural(warned.length, 'warning') +
          (failed.length > 0 ? `: ${[...new Set(failed.map((r) => r.rule))].join(', ')}` : '')
    }
  })
  const verdict: 'pass' | 'fail' = gates.every((g) => g.status === 'pass') ? 'pass' : 'fail'
  const generatedAt = (env.now ?? (() => new Date()))().toISOString()
  const body = {
    kind: 'lakebook-certificate' as const,
    formatVersion: 1 as const,
    codeVersion: VERSION,
    selection: { exchange: sel.exchange, symbol: sel.symbol, from, to, tables: sel.tables, tick },
    thresholds: t,
    verdict,
    gates,
    coverage: { days: rangeDays, tables: coverageTables, containsGaps },
    totals: {
      files: files.length,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      rows: files.reduce((s, f) => s + f.rows, 0)
    },
    files,
    days,
    rangeRules: [missingRule],
    openIssues
  }
  const contentSha256 = readinessContentHash(body)
  const { kind, formatVersion, ...rest } = body
  const certificate: Certificate = { kind, formatVersion, generatedAt, ...rest, contentSha256 }

  const out = params.out ?? lakePaths.certificates(env.lakeRoot)
  const name = certificateFileName({ exchange: sel.exchange, symbol: sel.symbol, from, to })
  const json = join(out, `${name}.json`)
  const html = join(out, `${name}.html`)
  writeFileAtomic(json, `${JSON.stringify(certificate, null, 2)}\n`)
  writeFileAtomic(html, renderCertificateHtml(certificate))

  if (env.store !== null) {
    env.store.recordRun({
      id: env.runId,
      kind: 'certify',
      createdAt: generatedAt,
      exchange: sel.exchange,
      symbol: sel.symbol,
      from,
      to,
      params,
      summary: { verdict, contentSha256, json, html, files: files.length }
    })
    for (const f of files) env.store.recordFile(env.runId, f, f.path, 'ready')
    for (const d of days) env.store.recordDay(env.runId, d)
    env.store.recordFindings(env.runId, 'range', [missingRule])
  }
  return { verdict, json, html, contentSha256, certificate }
}

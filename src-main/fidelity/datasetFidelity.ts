// A dataset's fidelity gate: the exported book (`dataset:<dir>`, read as written) scored against an
// independent real reference — by default the Crypto Lake `book` table of the same inputs
// (`lakebook:`) — with the reference's two halves as the real-vs-real baseline. Writes
// fidelity.json (the verdict and the whole FidelityResult as evidence) and fidelity.html (the
// report, verdict first) into the dataset folder, atomically, and returns the verdict with both
// files' sha256 for the dataset certificate.
//
// Verdict words: within → pass, marginal → warn, beyond → fail; the dataset takes the worst
// metric's. Nothing measured is not a pass: when every metric is n/a the verdict is 'fail'.
import type { GateVerdict } from '../../src-shared/gates'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  type DatasetFidelity,
  type DatasetFidelityMetric,
  type FidelityParams,
  type FidelityResult,
  type ScoreRow,
  type SourceSpec,
  type Verdict
} from '../../src-shared/fidelity'
import { fmtStat } from '../../src-shared/format'
import { CancelledError } from '../util/errors'
import { CERTIFICATE_FILE } from '../export/certificate'
import type { JobContext } from '../jobs/context'
import { esc, table } from '../html/html'
import { resolveLakeTick, resolveSelection } from '../engine/source/lakeSources'
import { writeFileAtomic } from '../util/atomicWrite'
import { provenanceOf, runFidelityJob, settingsOf } from './job'
import type { LakeMeta } from './lakeSeries'
import { renderFidelityReport } from './report'

export const FIDELITY_JSON = 'fidelity.json'
export const FIDELITY_HTML = 'fidelity.html'

export interface DatasetFidelityOptions {
  /** The exported dataset folder. */
  readonly dataset: string
  /** The real reference; null: the Crypto Lake `book` table of the same inputs. */
  readonly reference: SourceSpec | null
  /** The lake the dataset was exported from. */
  readonly inputsRoot: string
  readonly exchange: string
  readonly symbol: string
  /** Days YYYY-MM-DD (as the export's range: `to` includes the whole day). */
  readonly from: string
  readonly to: string
  readonly signal?: AbortSignal
  readonly onProgress?: (msg: string) => void
}

const GATE: Record<Verdict, GateVerdict | 'n/a'> = {
  within: 'pass',
  marginal: 'warn',
  beyond: 'fail',
  'n/a': 'n/a'
}
const RANK: Record<Verdict, number> = { 'n/a': -1, within: 0, marginal: 1, beyond: 2 }

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

const withUnits = (v: number, units: string): string =>
  units === '' || units.startsWith('dimensionless') ? fmtStat(v) : `${fmtStat(v)} ${units}`

/** The row that decides a metric's verdict: its worst, and among equals the largest effect. */
function decidingRow(rows: readonly ScoreRow[]): ScoreRow | null {
  let best: ScoreRow | null = null
  let bestRatio = -Infinity
  for (const r of rows) {
    const ratio = r.threshold > 0 ? r.estimate / r.threshold : r.estimate > 0 ? Infinity : 0
    if (
      best === null ||
      RANK[r.verdict] > RANK[best.verdict] ||
      (r.verdict === best.verdict && ratio > bestRatio)
    ) {
      best = r
      bestRatio = ratio
    }
  }
  return best
}

/** The gate's view of one candidate of a fidelity result. */
export function gateMetrics(r: FidelityResult, candidate = 0): DatasetFidelityMetric[] {
  const c = r.candidates[candidate]
  if (!c) return []
  const pct = Math.round((1 - r.settings.alpha) * 100)
  return c.metrics.map((m): DatasetFidelityMetric => {
    const row = decidingRow(c.scorecard.filter((x) => x.metric === m.id))
    const p = m.pValues
    return {
      id: m.id,
      label: m.label,
      units: m.units,
      verdict: GATE[m.verdict],
      effect: row
        ? `${row.statistic} ${withUnits(row.estimate, row.units)} (${pct}% CI ${fmtStat(row.lower)}…${fmtStat(row.upper)})`
        : '–',
      threshold: row ? withUnits(row.threshold, row.units) : '–',
      pThinned: p ? p.ksP : null,
      pVerdict: p ? (p.seedRulePass ? 'pass' : 'fail') : 'n/a',
      note: m.status === 'ok' ? m.agreement : m.reason
    }
  })
}

/** Counts and the overall verdict (worst; 'fail' when nothing was measured) with its reason. */
export function gateVerdict(metrics: readonly DatasetFidelityMetric[]): {
  verdict: GateVerdict
  reason: string
  counts: DatasetFidelity['counts']
} {
  const counts = { pass: 0, warn: 0, fail: 0, na: 0 }
  for (const m of metrics) {
    if (m.verdict === 'n/a') counts.na++
    else counts[m.verdict]++
  }
  const measured = counts.pass + counts.warn + counts.fail
  if (measured === 0) {
    return {
      verdict: 'fail',
      reason: `nothing was measured: all ${metrics.length} metrics were not comparable or had too few values, and an unmeasured dataset does not pass`,
      counts
    }
  }
  const ids = (v: GateVerdict): string =>
    metrics
      .filter((m) => m.verdict === v)
      .map((m) => m.id)
      .join(', ')
  if (counts.fail > 0) {
    return {
      verdict: 'fail',
      reason: `${counts.fail} of ${measured} measured metrics lie beyond the real-vs-real noise (${ids('fail')})`,
      counts
    }
  }
  if (counts.warn > 0) {
    return {
      verdict: 'warn',
      reason: `${counts.warn} of ${measured} measured metrics are marginal (${ids('warn')}); none beyond the real-vs-real noise`,
      counts
    }
  }
  return {
    verdict: 'pass',
    reason: `all ${measured} measured metrics lie within the real-vs-real noise`,
    counts
  }
}

function verdictHtml(d: Omit<DatasetFidelity, 'jsonSha256' | 'htmlSha256'>): string {
  const cls = (v: string): string => (v === 'pass' ? 'pass' : v === 'fail' ? 'fail' : 'warn')
  const span = (v: string): { html: string } => ({
    html: v === 'n/a' ? 'n/a' : `<span class="${cls(v)}">${esc(v)}</span>`
  })
  return (
    `<p>Dataset fidelity: <b>${span(d.verdict).html}</b> — ${esc(d.reason)}.</p>` +
    `<p>Reference <code>${esc(d.reference)}</code>; candidate <code>${esc(d.candidate)}</code>; baseline: ${esc(d.baseline)}.</p>` +
    table(
      ['metric', 'verdict', 'effect', 'threshold', 'KS p (thinned)', 'p > 0.05', 'note'],
      d.metrics.map((m) => [
        m.label,
        span(m.verdict),
        m.effect,
        m.threshold,
        fmtStat(m.pThinned),
        span(m.pVerdict),
        m.note ?? ''
      ])
    )
  )
}

/**
 * The dataset's instrument: from its certificate when it has one (the tick the export used, which
 * may have been configured), else as the inputs define it (the gate may run before the
 * certificate is written).
 */
async function instrumentOf(
  dir: string,
  inputs: string,
  exchange: string,
  symbol: string
): Promise<LakeMeta | undefined> {
  if (existsSync(join(dir, CERTIFICATE_FILE))) return undefined
  const sel = resolveSelection({ root: inputs, exchange, symbol })
  const tick = await resolveLakeTick(sel)
  return { exchange: sel.exchange, symbol: sel.symbol, market: sel.market, tick }
}

/** Scores an exported dataset's book against a real reference and writes the evidence files. */
export async function datasetFidelity(o: DatasetFidelityOptions): Promise<DatasetFidelity> {
  const dir = resolve(o.dataset)
  const inputs = resolve(o.inputsRoot)
  const window = `@${o.from}..${o.to}`
  const reference = o.reference?.text ?? `lakebook:${inputs}#${o.exchange}/${o.symbol}${window}`
  const candidate = `dataset:${dir}${window}`
  const params: FidelityParams = { reference, candidates: [candidate], baseline: 'halves' }
  const signal = o.signal ?? new AbortController().signal
  const say = (m: string): void => o.onProgress?.(m)
  const datasetMeta = await instrumentOf(dir, inputs, o.exchange, o.symbol)
  let last = ''
  const ctx: JobContext = {
    jobId: 'dataset-fidelity',
    lakeRoot: inputs,
    signal,
    progress: (p) => {
      if (p.message !== undefined && p.message !== last) say((last = p.message))
    },
    log: (_level, message) => {
      if (message !== last) say((last = message))
    },
    checkCancelled: () => {
      if (signal.aborted) throw new CancelledError()
    }
  }
  const result = await runFidelityJob(params, ctx, undefined, { datasetMeta })
  const metrics = gateMetrics(result)
  const { verdict, reason, counts } = gateVerdict(metrics)
  const summary = {
    verdict,
    reason,
    reference,
    candidate,
    baseline: result.baseline.description,
    metrics,
    counts,
    json: FIDELITY_JSON,
    html: FIDELITY_HTML
  } as const
  const html = renderFidelityReport(
    result,
    provenanceOf(params, settingsOf(params), 'dataset fidelity'),
    [{ heading: 'Verdict', html: verdictHtml(summary) }]
  )
  const htmlSha256 = sha256(html)
  writeFileAtomic(join(dir, FIDELITY_HTML), html)
  const json = `${JSON.stringify(
    {
      format: 'lakebook-dataset-fidelity',
      version: 1,
      ...summary,
      htmlSha256,
      result
    },
    null,
    1
  )}\n`
  const jsonSha256 = sha256(json)
  writeFileAtomic(join(dir, FIDELITY_JSON), json)
  say(`fidelity ${verdict}: ${reason}`)
  return { ...summary, jsonSha256, htmlSha256 }
}

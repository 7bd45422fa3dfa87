// The fidelity report: one self-contained HTML file (inline CSS and SVG, no script, opens offline)
// with the sources, the scorecard of every candidate (each verdict against the real-vs-real
// baseline, the seed's p > 0.05 rule on thinned samples alongside), and the charts behind it:
// ECDF overlays with the KS distance marked, histograms, QQ plots, ACF plots, the depth profile.
import type {
  CandidateResult,
  FidelityResult,
  MetricResult,
  SeriesInfo,
  Verdict
} from '../../src-shared/fidelity'
import { esc, formatNumber, renderReport, table, type Cell, type ReportSection } from '../html/html'
import { fmtStat } from '../../src-shared/format'
import { acfChart, ecdfChart, qqChart } from '../html/statCharts'
import { histogramChart, lineChart } from '../html/svg'

/** Every statistic in one format (src-shared/format.ts), as the CLI and the app show it. */
const num = (v: number | null | undefined): Cell => fmtStat(v)

function verdictCell(v: Verdict): Cell {
  const cls = v === 'within' ? 'pass' : v === 'beyond' ? 'fail' : 'warn'
  return { html: `<span class="${cls}">${esc(v)}</span>` }
}

const time = (us: number): string =>
  Number.isFinite(us) ? new Date(us / 1000).toISOString().replace('T', ' ').slice(0, 23) : '–'

function sourcesTable(rows: readonly [string, SeriesInfo][]): string {
  return table(
    [
      'role',
      'source',
      'span (exchange time, UTC)',
      'book events',
      'trades',
      'grid points',
      'notes'
    ],
    rows.map(([role, s]) => [
      role,
      { html: `<code>${esc(s.spec)}</code>` },
      `${time(s.fromUs)} → ${time(s.toUs)} (${formatNumber(Math.round((s.toUs - s.fromUs) / 1e5) / 10)} s)`,
      `${formatNumber(s.bookEvents)} ${s.eventKind}s`,
      s.trades,
      s.grids.map((g) => `${formatNumber(g.points)} @ ${g.intervalMs} ms`).join(', '),
      [
        ...(s.impact ? ['trade impact model on'] : []),
        ...(s.unknownDepthShare > 0
          ? [
              `top 20 reaches unknown depth at ${(100 * s.unknownDepthShare).toFixed(1)}% of profile points`
            ]
          : []),
        ...s.notes
      ].join('; ')
    ])
  )
}

/** The unit shown next to a statistic's name (pure numbers say so in words). */
const unitText = (u: string): string => (u === '' ? '' : ` (${u})`)

/**
 * The scorecard from the candidate's rows (ScoreRow): every estimate with its interval (the
 * estimate is the replicates' median, so it lies inside), the real-vs-real threshold and verdict,
 * and beside them the seed's p > 0.05 rule on thinned samples with the reason where they differ.
 */
function scorecard(c: CandidateResult, alpha: number): string {
  const byId = new Map(c.metrics.map((m) => [m.id, m]))
  const rows: Cell[][] = []
  let last = ''
  for (const r of c.scorecard) {
    const m = byId.get(r.metric)
    const first = r.metric !== last
    last = r.metric
    rows.push([
      first && m
        ? { html: `<b>${esc(m.label)}</b><br><small>${esc(m.units)}; ${esc(m.sampling)}</small>` }
        : '',
      `${r.statistic}${unitText(r.units)}`,
      num(r.reference),
      num(r.candidate),
      num(r.estimate),
      `[${fmtStat(r.lower)}, ${fmtStat(r.upper)}]`,
      num(r.baseline),
      num(r.threshold),
      verdictCell(r.verdict),
      r.p === null ? '' : num(r.p),
      r.seedRulePass === null
        ? ''
        : {
            html: `<span class="${r.seedRulePass ? 'pass' : 'fail'}">${r.seedRulePass ? 'p > 0.05' : 'p ≤ 0.05'}</span>`
          },
      r.note === null ? '' : { html: `<small>${esc(r.note)}</small>` }
    ])
  }
  const ci = `${Math.round((1 - alpha) * 100)}% CI`
  return table(
    [
      'metric',
      'statistic (units)',
      'reference',
      'candidate',
      'estimate (median of replicates)',
      ci,
      'real vs real',
      'threshold (99% upper)',
      'verdict',
      'KS p (thinned)',
      'seed rule',
      'why the two differ'
    ],
    rows
  )
}

function skipped(c: CandidateResult): string {
  const rows = c.metrics
    .filter((m) => m.status !== 'ok')
    .map((m): Cell[] => [m.label, m.status, m.reason ?? ''])
  return rows.length ? table(['metric', 'status', 'why'], rows) : ''
}

function details(metrics: readonly MetricResult[]): string {
  return table(
    ['metric', 'n (reference / candidate / baseline halves)', 'bootstrap', 'p-value thinning'],
    metrics
      .filter((m) => m.status === 'ok')
      .map((m) => [
        m.label,
        `${formatNumber(m.n.reference)} / ${formatNumber(m.n.candidate)} / ${formatNumber(m.n.baselineA)}, ${formatNumber(m.n.baselineB)}`,
        m.bootstrap ?? '',
        m.pValues
          ? `reference: ${m.pValues.thinning.reference}; candidate: ${m.pValues.thinning.candidate}; AD p ${m.pValues.adP === null ? 'n/a' : `${m.pValues.adBound === 'capped' ? '≥ ' : m.pValues.adBound === 'floored' ? '≤ ' : ''}${fmtStat(m.pValues.adP)}`}; KS p between the real baseline samples ${fmtStat(m.pValues.baselineKsP)}`
          : ''
      ])
  )
}

/** Log x for positive samples spanning more than two decades (sizes, waiting times). */
function wantsLogX(x: readonly number[]): boolean {
  const lo = x[0] ?? NaN
  const hi = x[x.length - 1] ?? NaN
  return lo > 0 && hi / lo > 100
}

function charts(c: CandidateResult): string {
  const rows: string[] = []
  for (const p of c.plots.metrics) {
    const title = `${p.label} (${p.units})`
    const size = { width: 340, height: 220 }
    const figs: string[] = []
    if (p.ecdf) {
      figs.push(
        ecdfChart(
          {
            x: p.ecdf.x,
            a: p.ecdf.reference,
            b: p.ecdf.candidate,
            labelA: 'reference',
            labelB: 'candidate',
            ksAt: p.ecdf.ksAt,
            ksD: p.ecdf.ksD
          },
          { title: `${title}: ECDF`, logX: wantsLogX(p.ecdf.x), ...size }
        )
      )
    }
    if (p.histogram) {
      figs.push(
        histogramChart(
          p.histogram.edges,
          [
            { label: 'reference', counts: p.histogram.reference },
            { label: 'candidate', counts: p.histogram.candidate }
          ],
          {
            title: `${title}: histogram (share per bin)`,
            logX: wantsLogX(p.histogram.edges),
            ...size
          }
        )
      )
    }
    if (p.qq) {
      const logQq = wantsLogX(p.qq.reference) && wantsLogX(p.qq.candidate)
      figs.push(
        qqChart(
          p.qq.reference,
          p.qq.candidate,
          { a: 'reference', b: 'candidate' },
          {
            title: `${title}: QQ`,
            logX: logQq,
            logY: logQq,
            ...size
          }
        )
      )
    }
    rows.push(`<div class="charts">${figs.join('')}</div>`)
  }
  return rows.join('')
}

function acfAndProfile(c: CandidateResult): string {
  const figs: string[] = []
  for (const a of c.plots.acf) {
    figs.push(
      acfChart(
        a.lags,
        a.returnsReference,
        a.returnsCandidate,
        a.band,
        { a: 'reference', b: 'candidate' },
        {
          title: `ACF of ${a.horizon} mid returns`,
          width: 540
        }
      )
    )
    figs.push(
      acfChart(
        a.lags,
        a.absReference,
        a.absCandidate,
        a.band,
        { a: 'reference', b: 'candidate' },
        {
          title: `ACF of |${a.horizon} mid returns| (volatility clustering)`,
          width: 540
        }
      )
    )
  }
  const p = c.plots.profile
  if (p) {
    figs.push(
      lineChart(
        [
          { label: 'bid, reference', x: p.levels, y: p.bidReference },
          { label: 'bid, candidate', x: p.levels, y: p.bidCandidate },
          { label: 'ask, reference', x: p.levels, y: p.askReference },
          { label: 'ask, candidate', x: p.levels, y: p.askCandidate }
        ],
        { title: 'Mean depth profile (base units per level)', xLabel: 'level', width: 540 }
      )
    )
  }
  return figs.length ? `<div class="charts">${figs.join('')}</div>` : ''
}

function pairedHtml(c: CandidateResult): string {
  const parts: string[] = []
  if (c.paired) {
    const p = c.paired
    parts.push(
      `<p>Same period, point by point on the ${p.intervalMs} ms grid (${formatNumber(p.points)} shared grid times): mid equal ${(100 * p.midEqual).toFixed(2)}%, spread equal ${(100 * p.spreadEqual).toFixed(2)}%, best prices and sizes equal ${(100 * p.l1Equal).toFixed(2)}%, mean |Δ mid| ${fmtStat(p.meanAbsMidDiffTicks)} ticks.</p>`
    )
  }
  if (c.bbo) {
    const b = c.bbo
    parts.push(
      `<p>Against Binance's bookTicker at every bookTicker arrival (${formatNumber(b.compared)}): best prices equal ${(100 * b.pricesMatched).toFixed(2)}%, prices and sizes equal ${(100 * b.pricesAndSizesMatched).toFixed(2)}%, mean |Δ mid| ${fmtStat(b.meanAbsMidErrTicks)} ticks.</p>`
    )
  }
  return parts.join('')
}

export function renderFidelityReport(
  r: FidelityResult,
  provenance: [string, string][],
  lead: readonly ReportSection[] = []
): string {
  const sections: ReportSection[] = [
    ...lead,
    {
      heading: 'How to read this report',
      html: `<p>Every metric is compared between the reference and each candidate with three distances — KS D, Wasserstein-1 on the pooled z-scored sample, and the histogram total variation — each with a ${Math.round((1 - r.settings.alpha) * 100)}% moving-block bootstrap interval (${r.settings.resamples} resamples); the estimate shown is the median of the same replicates, so it lies inside its interval and on the same resampled scale as the threshold. The same distances between two real samples of the market (<b>${esc(r.baseline.description)}</b>) give the noise floor: a candidate is <span class="pass">within real-vs-real noise</span> when its distance is at most the one-sided 99% upper bound of the real-vs-real distance, <span class="fail">beyond</span> when even its interval's lower end is above it, <span class="warn">marginal</span> otherwise. Scalar statistics (tail exponents, half-lives, R², ACF) are judged the same way on |difference|. KS p-values are computed on thinned samples only (one value per decorrelation block, at most ${r.settings.thinN}); the seed's "p &gt; 0.05" rule is shown beside them, never used for the verdict, and where the two disagree the last column says why. Definitions: <code>docs/fidelity-metrics.md</code>.</p>`
    },
    {
      heading: 'Sources',
      html: sourcesTable([
        ['reference', r.reference],
        ['baseline A', r.baseline.a],
        ['baseline B', r.baseline.b],
        ...r.candidates.map((c, i): [string, SeriesInfo] => [`candidate ${i + 1}`, c.series])
      ])
    }
  ]
  r.candidates.forEach((c, i) => {
    const s = c.summary
    sections.push({
      heading: `Candidate ${i + 1}: scorecard`,
      html:
        `<p><code>${esc(c.series.spec)}</code> — metrics within real-vs-real noise: <span class="pass">${s.within}</span>, marginal: <span class="warn">${s.marginal}</span>, beyond: <span class="fail">${s.beyond}</span>, not compared: ${s.notApplicable}.</p>` +
        pairedHtml(c) +
        scorecard(c, r.settings.alpha) +
        skipped(c)
    })
    sections.push({ heading: `Candidate ${i + 1}: distributions`, html: charts(c) })
    const extra = acfAndProfile(c)
    if (extra)
      sections.push({ heading: `Candidate ${i + 1}: autocorrelation and depth`, html: extra })
    sections.push({
      heading: `Candidate ${i + 1}: samples, bootstrap and thinning`,
      html: details(c.metrics)
    })
  })
  return renderReport({
    title: 'Fidelity report',
    subtitle: `${r.reference.spec} against ${r.candidates.length} candidate(s)`,
    provenance,
    sections
  })
}

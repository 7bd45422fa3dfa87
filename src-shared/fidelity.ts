// Fidelity: how close a reconstructed (or converted, or modelled) market is to a real reference,
// judged against the noise between two real periods. The job's params, the source syntax shared by
// the CLI, the app and the engine, and the JSON result (scorecard + plot data). Pure: no Node.
import { z } from 'zod'
import type { GateVerdict } from './gates'
import { dayProblem } from './params'

// ---------------------------------------------------------------------------------------------
// Sources

/**
 * Where a market series comes from:
 *   capture    — Binance capture files replayed into the book (+ trades), optionally with bookTicker
 *   bookticker — Binance's own best bid/ask stream (bookTicker) of capture files: ground truth L1
 *   converted  — capture files converted to Crypto Lake format on the fly, replayed as `lake`
 *   lake       — a Crypto Lake selection replayed into the book (book_delta_v2 + trades)
 *   lakebook   — the Crypto Lake `book` table itself (20-level reference snapshots)
 *   dataset    — an exported dataset's own `book` table (grid book states) and `events` trades
 */
export type SourceKind = 'capture' | 'bookticker' | 'converted' | 'lake' | 'lakebook' | 'dataset'

export interface SourceWindow {
  /** Absolute start (µs since the epoch) or an offset from the source's first event. */
  readonly from: WindowBound | null
  readonly to: WindowBound | null
}

export type WindowBound =
  | { readonly kind: 'absolute'; readonly us: number; readonly day: string | null }
  | { readonly kind: 'offset'; readonly us: number }

export interface SourceSpec {
  readonly text: string
  readonly kind: SourceKind
  /**
   * capture / bookticker / converted: files or folders (folders mean every .gz/.dat.gz in them);
   * dataset: the one dataset folder.
   */
  readonly paths: readonly string[]
  /** lake / lakebook: the lake root (its ready/ zone) or a folder in the vendor layout. */
  readonly root: string | null
  readonly exchange: string | null
  readonly symbol: string | null
  readonly window: SourceWindow
  /** The window as written ('' or '@<from>..<to>'), for formatSourceSpec. */
  readonly windowText: string
  /** `+impact`: the trade impact model's effective best bid/ask instead of the plain book's. */
  readonly impact: boolean
}

export class SourceSpecError extends Error {
  override readonly name = 'SourceSpecError'
}

const KINDS: readonly SourceKind[] = [
  'capture',
  'bookticker',
  'converted',
  'lake',
  'lakebook',
  'dataset'
]
const DAY = /^\d{4}-\d{2}-\d{2}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?Z$/
const OFFSET = /^\+(\d+(?:\.\d+)?)(ms|s|m|h)$/
const UNIT_US: Record<string, number> = { ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 }

function parseBound(text: string, isEnd: boolean): WindowBound | null {
  if (text === '') return null
  const off = OFFSET.exec(text)
  if (off) return { kind: 'offset', us: Number(off[1]) * (UNIT_US[off[2] ?? 's'] ?? 1e6) }
  if (DAY.test(text)) {
    const problem = dayProblem(text)
    if (problem !== null) throw new SourceSpecError(problem)
    const ms = Date.parse(`${text}T00:00:00Z`)
    // A day as the end of a window means "through that whole day".
    return { kind: 'absolute', us: (ms + (isEnd ? 86_400_000 : 0)) * 1000, day: text }
  }
  if (ISO.test(text)) {
    const problem = dayProblem(text.slice(0, 10))
    if (problem !== null) throw new SourceSpecError(problem)
    const ms = Date.parse(text)
    if (Number.isNaN(ms)) throw new SourceSpecError(`invalid time "${text}"`)
    const frac = /\.(\d+)Z$/.exec(text)?.[1] ?? ''
    const subMs = frac.length > 3 ? Number(frac.slice(3).padEnd(3, '0')) : 0
    return { kind: 'absolute', us: ms * 1000 + subMs, day: null }
  }
  throw new SourceSpecError(
    `invalid window bound "${text}": expected YYYY-MM-DD, an ISO time ending in Z, or +N(ms|s|m|h)`
  )
}

/**
 * Parses a source spec:
 *   capture:<path>[,<path>…][@<from>..<to>][+impact]
 *   bookticker:<path>[,<path>…][@<from>..<to>]
 *   converted:<path>[,<path>…][@<from>..<to>][+impact]
 *   lake:<root>#<EXCHANGE>/<SYMBOL>[@<from>..<to>][+impact]
 *   lakebook:<root>#<EXCHANGE>/<SYMBOL>[@<from>..<to>]
 *   dataset:<dir>[@<from>..<to>]
 * Window bounds: YYYY-MM-DD (a day; as the end it includes the whole day), an ISO time ending in Z,
 * or +N(ms|s|m|h) from the source's first event; either side may be empty.
 */
export function parseSourceSpec(text: string): SourceSpec {
  const colon = text.indexOf(':')
  const kind = text.slice(0, colon) as SourceKind
  if (colon < 0 || !KINDS.includes(kind)) {
    throw new SourceSpecError(
      `source "${text}" must start with one of ${KINDS.map((k) => `${k}:`).join(', ')}`
    )
  }
  let rest = text.slice(colon + 1)
  let impact = false
  if (rest.endsWith('+impact')) {
    impact = true
    rest = rest.slice(0, -'+impact'.length)
    if (kind === 'bookticker' || kind === 'lakebook' || kind === 'dataset') {
      throw new SourceSpecError(`+impact applies to replayed books, not to ${kind}: sources`)
    }
  }
  let window: SourceWindow = { from: null, to: null }
  let windowText = ''
  const at = rest.lastIndexOf('@')
  if (at >= 0 && rest.slice(at + 1).includes('..')) {
    const w = rest.slice(at + 1)
    const dots = w.indexOf('..')
    window = { from: parseBound(w.slice(0, dots), false), to: parseBound(w.slice(dots + 2), true) }
    windowText = rest.slice(at)
    rest = rest.slice(0, at)
  }
  if (rest === '') throw new SourceSpecError(`source "${text}" names no path`)
  if (kind === 'lake' || kind === 'lakebook') {
    const hash = rest.lastIndexOf('#')
    const sel = hash < 0 ? '' : rest.slice(hash + 1)
    const slash = sel.indexOf('/')
    if (hash <= 0 || slash <= 0 || slash === sel.length - 1) {
      throw new SourceSpecError(
        `source "${text}": expected ${kind}:<root>#<EXCHANGE>/<SYMBOL>, e.g. ${kind}:/data/lake#BINANCE/BTC-USDT`
      )
    }
    return {
      text,
      kind,
      paths: [],
      root: rest.slice(0, hash),
      exchange: sel.slice(0, slash),
      symbol: sel.slice(slash + 1),
      window,
      windowText,
      impact
    }
  }
  if (kind === 'dataset') {
    // One folder; commas are allowed in it (no file list here).
    return {
      text,
      kind,
      paths: [rest],
      root: null,
      exchange: null,
      symbol: null,
      window,
      windowText,
      impact
    }
  }
  const paths = rest.split(',').filter((p) => p !== '')
  if (paths.length === 0) throw new SourceSpecError(`source "${text}" names no file`)
  return { text, kind, paths, root: null, exchange: null, symbol: null, window, windowText, impact }
}

/** The spec as text again (e.g. after making its paths absolute). */
export function formatSourceSpec(s: Omit<SourceSpec, 'text' | 'window'>): string {
  const where =
    s.kind === 'lake' || s.kind === 'lakebook'
      ? `${s.root ?? ''}#${s.exchange ?? ''}/${s.symbol ?? ''}`
      : s.paths.join(',')
  return `${s.kind}:${where}${s.windowText}${s.impact ? '+impact' : ''}`
}

function validSpec(s: string, ctx: z.RefinementCtx): void {
  try {
    parseSourceSpec(s)
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) })
  }
}

const sourceText = z.string().min(1).max(20_000).superRefine(validSpec)

// ---------------------------------------------------------------------------------------------
// Params

export const fidelityParams = z.object({
  /** The real market everything is measured against. */
  reference: sourceText,
  /** One or more candidates, each scored against the reference (e.g. plain and +impact). */
  candidates: z.array(sourceText).min(1).max(8),
  /**
   * The real-versus-real noise floor: 'halves' (default: first vs second half of the reference, by
   * time) or another real source of the same market (distance reference ↔ baseline).
   */
  baseline: z.union([z.literal('halves'), sourceText]).optional(),
  /** Book sampling grids in ms (default [100, 1000]); the finest is used for spread and imbalance. */
  gridsMs: z.array(z.number().int().min(10).max(3_600_000)).min(1).max(4).optional(),
  /** Grid for the 20-level depth profile, ms (default 1000). */
  profileMs: z.number().int().min(100).max(3_600_000).optional(),
  /** Bootstrap: resamples (default 100), two-sided alpha of the CIs (default 0.01), seed. */
  bootstrap: z
    .object({
      resamples: z.number().int().min(10).max(2000).optional(),
      alpha: z.number().gt(0).lt(0.5).optional(),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31)
        .optional(),
      /** Largest sample the distance bootstrap walks; longer ones are reduced by a stride (reported). */
      maxN: z.number().int().min(1000).max(5_000_000).optional(),
      /** Resample size of the scalar statistics' bootstrap (m-out-of-n above it). */
      scalarM: z.number().int().min(1000).max(5_000_000).optional()
    })
    .optional(),
  /** Thinned sample size for the KS / Anderson-Darling p-values (default 2000). */
  thinN: z.number().int().min(50).max(10_000).optional(),
  /** Smallest sample a distribution metric is compared on (default 10). */
  minN: z.number().int().min(4).optional(),
  /** Write the self-contained HTML report here. */
  report: z.string().min(1).optional(),
  /** Parquet decode workers for lake sources (0 = in the job's thread; default 0). */
  workers: z.number().int().min(0).max(8).optional()
})
export type FidelityParams = z.infer<typeof fidelityParams>

// ---------------------------------------------------------------------------------------------
// Result (JSON-clean: plain numbers and arrays; non-finite values become null in JSON)

/** within: inside the real-vs-real noise; beyond: the whole CI is above it; marginal: in between. */
export type Verdict = 'within' | 'marginal' | 'beyond' | 'n/a'

export interface SeriesInfo {
  readonly spec: string
  readonly kind: SourceKind
  readonly label: string
  readonly symbol: string
  readonly market: string
  readonly tick: string
  /** Sampled span, µs since the epoch (exchange time). */
  readonly fromUs: number
  readonly toUs: number
  readonly bookEvents: number
  /**
   * What one book event is: an applied update, a reference snapshot row, a bookTicker, or an
   * exported grid book state that differs from the one before it.
   */
  readonly eventKind: 'update' | 'snapshot' | 'ticker' | 'grid'
  readonly trades: number
  readonly grids: readonly { readonly intervalMs: number; readonly points: number }[]
  /** Share of profile-grid points whose top 20 reaches past the depth the book knows. */
  readonly unknownDepthShare: number
  readonly impact: boolean
  readonly notes: readonly string[]
}

export interface DistanceResult {
  /**
   * The distance as judged: the median of its block-bootstrap replicates (the full-sample value
   * counted as one), so it lies inside its own interval and sits on the same resampled scale as
   * the threshold (docs/fidelity-metrics.md, "Bootstrap CIs").
   */
  readonly estimate: number
  /** Percentile CI of the same replicates. */
  readonly lower: number
  readonly upper: number
  /** The plug-in value on the full samples (below the replicates' range when resampling adds distance). */
  readonly plugIn: number
  /** Real-vs-real distance and its one-sided 99% bootstrap upper bound (the threshold). */
  readonly baseline: number
  readonly threshold: number
  readonly verdict: Verdict
}

export interface ScalarResult {
  readonly name: string
  readonly units: string
  readonly reference: number
  readonly candidate: number
  readonly referenceCi: readonly [number, number]
  readonly candidateCi: readonly [number, number]
  /** |candidate − reference|, its CI, and the real-vs-real |difference| with its 99% upper bound. */
  readonly diff: DistanceResult
}

export interface PValues {
  readonly ksD: number
  readonly ksP: number
  readonly adP: number | null
  /** 'capped' (p ≥ 0.25), 'floored' (p ≤ 0.001) or null. */
  readonly adBound: 'capped' | 'floored' | null
  readonly n1: number
  readonly n2: number
  readonly thinning: { readonly reference: string; readonly candidate: string }
  /** The seed's rule on the thinned samples: KS p > 0.05. */
  readonly seedRulePass: boolean
  /** The same thinned KS test between the two real baseline samples (null when not run). */
  readonly baselineKsP: number | null
}

export interface MetricResult {
  readonly id: string
  readonly label: string
  readonly family: string
  readonly units: string
  readonly sampling: string
  readonly status: 'ok' | 'not-comparable' | 'insufficient'
  readonly reason: string | null
  readonly n: {
    readonly reference: number
    readonly candidate: number
    readonly baselineA: number
    readonly baselineB: number
  }
  readonly distances: {
    readonly ks: DistanceResult
    readonly w1z: DistanceResult
    readonly tv: DistanceResult
  } | null
  readonly pValues: PValues | null
  readonly scalars: readonly ScalarResult[]
  /** How the bootstrap saw the samples (block length, stride), one line. */
  readonly bootstrap: string | null
  readonly verdict: Verdict
  /**
   * Why the effect-size verdict and the seed's p > 0.05 rule disagree, one sentence; null when
   * they agree or no p-value was computed.
   */
  readonly agreement: string | null
}

/** One line of the scorecard: metric, statistic, estimate with CI, baseline, verdict. */
export interface ScoreRow {
  readonly metric: string
  readonly statistic: string
  /** Units of estimate, interval, baseline and threshold ('dimensionless …' for pure numbers). */
  readonly units: string
  readonly reference: number | null
  readonly candidate: number | null
  readonly estimate: number
  readonly lower: number
  readonly upper: number
  readonly baseline: number
  readonly threshold: number
  readonly verdict: Verdict
  /** KS p-value on thinned samples and the seed's p > 0.05 rule, on the KS row only. */
  readonly p: number | null
  readonly seedRulePass: boolean | null
  /** On the KS row: why the verdict and the p rule differ (MetricResult.agreement). */
  readonly note: string | null
}

/** Same-period alignment on the shared grid (only when the two spans overlap). */
export interface PairedSummary {
  readonly intervalMs: number
  readonly points: number
  readonly midEqual: number
  readonly spreadEqual: number
  /** Best prices and sizes all equal. */
  readonly l1Equal: number
  readonly meanAbsMidDiffTicks: number
  /**
   * The shared grid times where the two mids differ most (largest |Δ mid| first, at most 10; none
   * when every mid is equal): the moments to open in the Book.
   */
  readonly largest?: readonly PairedDifference[]
}

export interface PairedDifference {
  /** Grid time, ms since the epoch (exchange time). */
  readonly timeMs: number
  readonly midDiffTicks: number
  readonly reference: { readonly bidTick: number; readonly askTick: number }
  readonly candidate: { readonly bidTick: number; readonly askTick: number }
}

/** A capture replay against Binance's bookTicker at every bookTicker arrival. */
export interface BboCheck {
  readonly compared: number
  readonly pricesMatched: number
  readonly pricesAndSizesMatched: number
  readonly meanAbsMidErrTicks: number
}

/** Plot data, aligned for uPlot ([x, ...ys]); every array of one plot has the same length. */
export interface EcdfPlot {
  readonly x: number[]
  readonly reference: number[]
  readonly candidate: number[]
  /** Where the KS distance is attained, and its value. */
  readonly ksAt: number
  readonly ksD: number
}

export interface HistogramPlot {
  /** Bin edges (length = bins + 1) and densities per bin (probability mass per bin). */
  readonly edges: number[]
  readonly reference: number[]
  readonly candidate: number[]
}

export interface QqPlot {
  readonly probs: number[]
  readonly reference: number[]
  readonly candidate: number[]
}

export interface MetricPlots {
  readonly metric: string
  readonly label: string
  readonly units: string
  readonly ecdf: EcdfPlot | null
  readonly histogram: HistogramPlot | null
  readonly qq: QqPlot | null
}

export interface AcfPlot {
  readonly horizon: string
  readonly lags: number[]
  readonly returnsReference: number[]
  readonly returnsCandidate: number[]
  readonly absReference: number[]
  readonly absCandidate: number[]
  /** ±band: the 95% white-noise band 1.96/√n of the reference. */
  readonly band: number
}

export interface ProfilePlot {
  readonly levels: number[]
  readonly bidReference: number[]
  readonly askReference: number[]
  readonly bidCandidate: number[]
  readonly askCandidate: number[]
}

export interface CandidateResult {
  readonly series: SeriesInfo
  readonly metrics: readonly MetricResult[]
  readonly scorecard: readonly ScoreRow[]
  readonly summary: {
    readonly within: number
    readonly marginal: number
    readonly beyond: number
    readonly notApplicable: number
  }
  readonly paired: PairedSummary | null
  readonly bbo: BboCheck | null
  readonly plots: {
    readonly metrics: readonly MetricPlots[]
    readonly acf: readonly AcfPlot[]
    readonly profile: ProfilePlot | null
  }
}

export interface FidelityResult {
  readonly version: 1
  readonly reference: SeriesInfo
  readonly baseline: {
    readonly kind: 'halves' | 'source'
    readonly description: string
    readonly a: SeriesInfo
    readonly b: SeriesInfo
  }
  readonly candidates: readonly CandidateResult[]
  readonly settings: {
    readonly gridsMs: readonly number[]
    readonly profileMs: number
    readonly resamples: number
    readonly alpha: number
    readonly seed: number
    readonly maxN: number
    readonly scalarM: number
    readonly thinN: number
    readonly minN: number
  }
  readonly report: string | null
  readonly elapsedMs: number
}

// ---------------------------------------------------------------------------------------------
// A dataset's fidelity (what a dataset certificate holds)

// The gate's verdict words (src-shared/gates.ts): within → pass, marginal → warn, beyond → fail.

export interface DatasetFidelityMetric {
  readonly id: string
  readonly label: string
  readonly units: string
  /** The effect-size verdict against the real-vs-real threshold ('n/a': not compared). */
  readonly verdict: GateVerdict | 'n/a'
  /** The deciding statistic (the metric's worst) with its estimate and CI, in its units. */
  readonly effect: string
  /** Its real-vs-real threshold (99% upper bound of the baseline), in the same units. */
  readonly threshold: string
  /** The seed's rule alongside: KS p on thinned samples, and p > 0.05 → pass. */
  readonly pThinned: number | null
  readonly pVerdict: 'pass' | 'fail' | 'n/a'
  /** Why the effect verdict and the p rule differ, or why the metric was not compared; else null. */
  readonly note: string | null
}

export interface DatasetFidelity {
  /** Worst metric verdict; 'fail' when nothing was measured. */
  readonly verdict: GateVerdict
  /** The overall verdict in one sentence. */
  readonly reason: string
  /** Source specs: the real reference, the dataset as candidate, the real-vs-real baseline. */
  readonly reference: string
  readonly candidate: string
  readonly baseline: string
  readonly metrics: readonly DatasetFidelityMetric[]
  readonly counts: {
    readonly pass: number
    readonly warn: number
    readonly fail: number
    readonly na: number
  }
  /** Files written into the dataset folder (relative to it) and their sha256. */
  readonly json: 'fidelity.json'
  readonly html: 'fidelity.html'
  readonly jsonSha256: string
  readonly htmlSha256: string
}

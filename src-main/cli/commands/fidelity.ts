// lakebook fidelity: how close a candidate market (a reconstruction, a format conversion, a model)
// is to a real reference, judged against the noise between two real periods. One command per
// question, e.g.
//   reconstructed book vs the Lake book table:
//     lakebook fidelity --reference lakebook:ROOT#BINANCE/BTC-USDT --candidate lake:ROOT#BINANCE/BTC-USDT
//   does the Lake format lose information?
//     lakebook fidelity --reference capture:DIR --candidate converted:DIR
//   the trade impact model against Binance's bookTicker:
//     lakebook fidelity --reference bookticker:DIR --candidate capture:DIR --candidate capture:DIR+impact
//   one real period against another:
//     lakebook fidelity --reference capture:DIR@+0m..+5m --candidate capture:DIR@+5m..+10m
import { resolve } from 'node:path'
import type { Command } from 'commander'
import {
  fidelityParams,
  formatSourceSpec,
  parseSourceSpec,
  type FidelityParams,
  type FidelityResult
} from '../../../src-shared/fidelity'
import type { JobSpec } from '../../../src-shared/jobs'
import { EXIT, finish, runJob, type GlobalOpts } from '../run'

/** Source paths made absolute: the job runs in a worker that may not share the shell's folder. */
export function absoluteSource(text: string): string {
  const s = parseSourceSpec(text)
  return formatSourceSpec({
    ...s,
    paths: s.paths.map((p) => resolve(p)),
    root: s.root === null ? null : resolve(s.root)
  })
}

const int = (v: string): number => Number.parseInt(v, 10)
const collect = (v: string, prev: string[] = []): string[] => [...prev, v]

interface Opts {
  reference: string
  candidate: string[]
  baseline?: string
  grid?: string
  profile?: number
  resamples?: number
  alpha?: number
  seed?: number
  maxN?: number
  thinN?: number
  minN?: number
  report?: string
  workers?: number
}

export function paramsFromOptions(o: Opts): FidelityParams {
  const raw = {
    reference: absoluteSource(o.reference),
    candidates: o.candidate.map(absoluteSource),
    ...(o.baseline !== undefined
      ? { baseline: o.baseline === 'halves' ? 'halves' : absoluteSource(o.baseline) }
      : {}),
    ...(o.grid !== undefined ? { gridsMs: o.grid.split(',').map((x) => int(x)) } : {}),
    ...(o.profile !== undefined ? { profileMs: o.profile } : {}),
    bootstrap: {
      ...(o.resamples !== undefined ? { resamples: o.resamples } : {}),
      ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.maxN !== undefined ? { maxN: o.maxN } : {})
    },
    ...(o.thinN !== undefined ? { thinN: o.thinN } : {}),
    ...(o.minN !== undefined ? { minN: o.minN } : {}),
    ...(o.report !== undefined ? { report: resolve(o.report) } : {}),
    ...(o.workers !== undefined ? { workers: o.workers } : {})
  }
  return fidelityParams.parse(raw)
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const g4 = (v: number): string => (Number.isFinite(v) ? v.toPrecision(3) : '–')

export function printFidelitySummary(r: FidelityResult): void {
  const lines: string[] = [
    `reference ${r.reference.spec}`,
    `baseline: ${r.baseline.description}`
  ]
  r.candidates.forEach((c, i) => {
    const s = c.summary
    lines.push(
      '',
      `candidate ${i + 1}: ${c.series.spec}`,
      `  within real-vs-real noise ${s.within}, marginal ${s.marginal}, beyond ${s.beyond}, not compared ${s.notApplicable}`
    )
    if (c.paired) {
      lines.push(
        `  same period on the ${c.paired.intervalMs} ms grid: mid equal ${(100 * c.paired.midEqual).toFixed(2)}%, best prices and sizes equal ${(100 * c.paired.l1Equal).toFixed(2)}%`
      )
    }
    if (c.bbo) {
      lines.push(
        `  vs bookTicker (${c.bbo.compared}): best prices equal ${(100 * c.bbo.pricesMatched).toFixed(2)}%, prices and sizes ${(100 * c.bbo.pricesAndSizesMatched).toFixed(2)}%`
      )
    }
    lines.push(`  ${pad('metric', 22)}${pad('verdict', 10)}KS D (thr)        W1z (thr)         TV (thr)          KS p thinned`)
    for (const m of c.metrics) {
      if (!m.distances) {
        lines.push(`  ${pad(m.id, 22)}${pad(m.status, 10)}${m.reason ?? ''}`)
        continue
      }
      const d = m.distances
      const cell = (x: { estimate: number; threshold: number }): string =>
        pad(`${g4(x.estimate)} (${g4(x.threshold)})`, 18)
      lines.push(
        `  ${pad(m.id, 22)}${pad(m.verdict, 10)}${cell(d.ks)}${cell(d.w1z)}${cell(d.tv)}${m.pValues ? g4(m.pValues.ksP) : ''}`
      )
      for (const sc of m.scalars) {
        lines.push(
          `    ${pad(sc.name, 34)}${pad(sc.diff.verdict, 10)}ref ${g4(sc.reference)}  cand ${g4(sc.candidate)}  |Δ| ${g4(sc.diff.estimate)} (thr ${g4(sc.diff.threshold)})`
        )
      }
    }
  })
  if (r.report) lines.push('', `report: ${r.report}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

export function register(program: Command): void {
  program
    .command('fidelity')
    .description(
      'compare a candidate market (reconstruction, conversion, model) with a real reference, against the noise between two real periods'
    )
    .requiredOption(
      '--reference <source>',
      'capture:<files|dir>, bookticker:<files|dir>, lake:<root>#EXCHANGE/SYMBOL, lakebook:<root>#EXCHANGE/SYMBOL; optional @<from>..<to>'
    )
    .requiredOption(
      '--candidate <source>',
      'a source as for --reference (also converted:<files|dir>); +impact for the trade impact model; repeatable',
      collect
    )
    .option('--baseline <source>', 'real-vs-real noise: "halves" (default) of the reference, or another real source')
    .option('--grid <ms,...>', 'book sampling grids in ms (default 100,1000)')
    .option('--profile <ms>', 'depth profile grid in ms (default 1000)', int)
    .option('--resamples <n>', 'bootstrap resamples (default 100)', int)
    .option('--alpha <a>', 'two-sided alpha of the CIs (default 0.01)', Number.parseFloat)
    .option('--seed <n>', 'bootstrap and thinning seed (default 12345)', int)
    .option('--max-n <n>', 'largest sample the bootstrap walks (default 50000)', int)
    .option('--thin-n <n>', 'thinned sample size for p-values (default 2000)', int)
    .option('--min-n <n>', 'smallest sample a metric is compared on (default 10)', int)
    .option('--report <file>', 'write the self-contained HTML report here')
    .option('--workers <n>', 'Parquet decode workers for lake sources (default 0)', int)
    .action(async (o: Opts) => {
      const g = program.opts<GlobalOpts>()
      let params: FidelityParams
      try {
        params = paramsFromOptions(o)
      } catch (e) {
        const issues = (e as { issues?: { message: string; path: PropertyKey[] }[] }).issues
        const msg = issues
          ? issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')
          : e instanceof Error
            ? e.message
            : String(e)
        process.stderr.write(`lakebook fidelity: ${msg}\n`)
        process.exitCode = EXIT.usage
        return
      }
      // The 'fidelity' job kind joins src-shared/jobs.ts's jobSpec at integration; until then the
      // spec is built here with its future shape.
      const spec = { kind: 'fidelity', params } as unknown as JobSpec
      const record = await runJob(spec, g)
      finish(
        record,
        g,
        (r) => {
          printFidelitySummary(r as FidelityResult)
        },
        () => false
      )
    })
}

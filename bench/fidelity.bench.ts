// Fidelity on one day of BTC-USDT: build the series (Lake replay sampled on the 100 ms / 1 s grids,
// the Lake `book` table as reference snapshots), then the full metric catalogue with bootstrap CIs,
// the real-vs-real baseline and the HTML report.
//   npx tsx bench/fidelity.bench.ts          (or: npm run bench -- fidelity)
// Env: BENCH_FIDELITY_RUNS (default 3), BENCH_FIDELITY_RESAMPLES (default 100).
//
// Input: TILED REAL DATA — the real spot BTCUSDT capture (../shared/data/binance-captures/
// spot-btcusdt-20240808, 10.8 min) converted to Crypto Lake format by the project's converter and
// repeated forward in time, sequence and trade id (src-main/convert/tile.ts) until it covers the
// whole UTC day 2024-08-10; each copy starts with the capture's own snapshot burst. Cached under
// the temp folder. The day is replayed with the window @2024-08-10..2024-08-10.
// Benchmarks measure; no test asserts a timing.
import { existsSync, rmSync, statSync } from 'node:fs'
import os, { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSourceSpec } from '../src-shared/fidelity'
import { convertCaptureToLake } from '../src-main/convert/captureToLake'
import { tileLake } from '../src-main/convert/tile'
import { DEFAULT_SETTINGS, measureFidelity } from '../src-main/fidelity/measure'
import { renderFidelityReport } from '../src-main/fidelity/report'
import type { MarketSeries } from '../src-main/fidelity/series'
import { loadSeries } from '../src-main/fidelity/sources'
import { writeFileAtomic } from '../src-main/util/atomicWrite'
import {
  benchName,
  CAPTURES_DIR,
  fmt,
  forceGc,
  median,
  printTable,
  RESULTS_DIR,
  writeReport,
  type BenchRow
} from './lib'

const RUNS = Number(process.env['BENCH_FIDELITY_RUNS'] ?? 3)
const RESAMPLES = Number(process.env['BENCH_FIDELITY_RESAMPLES'] ?? 100)
const SRC = join(tmpdir(), 'lakebook-bench-fidelity-src')
const DAY_DIR = join(tmpdir(), 'lakebook-bench-fidelity-day')
const DAY = '2024-08-10'
const EX = 'BINANCE'
const SYM = 'BTC-USDT'
/** Delta rows of one copy of the converted capture, times copies to pass 24 h (10.84 min each). */
const ROWS = 300_094 * 134

async function prepare(): Promise<void> {
  if (existsSync(join(DAY_DIR, 'book_delta_v2'))) return
  rmSync(SRC, { recursive: true, force: true })
  rmSync(DAY_DIR, { recursive: true, force: true })
  await convertCaptureToLake(
    ['btcusdt_20240808.gz', 'btcusdt_20240809.gz'].map((f) =>
      join(CAPTURES_DIR, 'spot-btcusdt-20240808', f)
    ),
    SRC
  )
  await tileLake(SRC, DAY_DIR, { exchange: EX, symbol: SYM, deltaRows: ROWS, startDay: DAY })
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000
/** CPU seconds (user + system, all threads of this process) since a process.cpuUsage() mark. */
const cpuSeconds = (mark: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(mark)
  return (u.user + u.system) / 1e6
}
const rssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024)

interface Run {
  /** Seconds per phase. */
  replay: number
  replayImpact: number
  bookTable: number
  measureA: number
  reportA: number
  measureB: number
  reportB: number
  /** CPU seconds of B's catalogue + report (load-independent, unlike wall time on a shared box). */
  cpuB: number
  cpuA: number
  events: number
  trades: number
  gridPoints: number
  bookRows: number
  reportBytes: number
  verdictsA: string
  verdictsB: string
}

const verdicts = (
  c: { summary: { within: number; marginal: number; beyond: number } } | undefined
): string =>
  c ? `${c.summary.within} within, ${c.summary.marginal} marginal, ${c.summary.beyond} beyond` : ''

async function once(): Promise<Run> {
  const settings = { ...DEFAULT_SETTINGS, resamples: RESAMPLES }
  const opts = { gridsMs: settings.gridsMs, profileMs: settings.profileMs }
  const window = `@${DAY}..${DAY}`
  const lake = `lake:${DAY_DIR}#${EX}/${SYM}${window}`
  forceGc()
  let t = performance.now()
  const plain: MarketSeries = await loadSeries(parseSourceSpec(lake), opts)
  const replay = seconds(t)
  t = performance.now()
  const impact = await loadSeries(parseSourceSpec(`${lake}+impact`), opts)
  const replayImpact = seconds(t)
  t = performance.now()
  const book = await loadSeries(parseSourceSpec(`lakebook:${DAY_DIR}#${EX}/${SYM}${window}`), opts)
  const bookTable = seconds(t)

  // A: the reconstructed book against the Lake book table (no trades in the reference).
  t = performance.now()
  let cpu = process.cpuUsage()
  const a = measureFidelity({
    reference: book,
    candidates: [plain],
    baseline: { kind: 'halves' },
    settings
  })
  const measureA = seconds(t)
  t = performance.now()
  writeFileAtomic(
    join(RESULTS_DIR, 'fidelity-report-book.html'),
    renderFidelityReport({ ...a, report: null, elapsedMs: 0 }, [
      ['bench', 'fidelity.bench.ts'],
      ['data', 'tiled real data (spot BTCUSDT capture repeated over one day)']
    ])
  )
  const reportA = seconds(t)
  const cpuA = cpuSeconds(cpu)

  // B: the full catalogue — replay with the trade impact model against the plain replay.
  t = performance.now()
  cpu = process.cpuUsage()
  const b = measureFidelity({
    reference: plain,
    candidates: [impact],
    baseline: { kind: 'halves' },
    settings
  })
  const measureB = seconds(t)
  t = performance.now()
  const file = join(RESULTS_DIR, 'fidelity-report.html')
  writeFileAtomic(
    file,
    renderFidelityReport({ ...b, report: null, elapsedMs: 0 }, [
      ['bench', 'fidelity.bench.ts'],
      ['data', 'tiled real data (spot BTCUSDT capture repeated over one day)']
    ])
  )
  const reportB = seconds(t)
  const cpuB = cpuSeconds(cpu)
  return {
    replay,
    replayImpact,
    bookTable,
    measureA,
    reportA,
    measureB,
    reportB,
    cpuA,
    cpuB,
    events: plain.events.n,
    trades: plain.trades?.n ?? 0,
    gridPoints: plain.grids.reduce((s, g) => s + g.n, 0),
    bookRows: book.events.n,
    reportBytes: statSync(file).size,
    verdictsA: verdicts(a.candidates[0]),
    verdictsB: verdicts(b.candidates[0])
  }
}

await prepare()
const runs: Run[] = []
for (let i = 0; i < RUNS; i++) {
  const r = await once()
  runs.push(r)
  console.log(
    `run ${i + 1}: replay ${r.replay.toFixed(1)} s, replay +impact ${r.replayImpact.toFixed(1)} s, book table ${r.bookTable.toFixed(1)} s; ` +
      `A (book table vs replay) catalogue ${r.measureA.toFixed(1)} s + report ${r.reportA.toFixed(1)} s; ` +
      `B (full catalogue, +impact vs plain) ${r.measureB.toFixed(1)} s + report ${r.reportB.toFixed(1)} s (CPU ${r.cpuB.toFixed(1)} s); load ${os.loadavg()[0]?.toFixed(1) ?? '?'}`
  )
}
const med = (k: keyof Run): number => median(runs.map((r) => r[k] as number))
const all = (k: keyof Run): number[] => runs.map((r) => r[k] as number)
const first = runs[0]
if (!first) throw new Error('no run')
const caseName = `one day (${DAY}) of BINANCE BTC-USDT · tiled real data · ${fmt(first.events)} book updates, ${fmt(first.trades)} trades`
const rows: BenchRow[] = [
  {
    case: caseName,
    impl: 'full catalogue + baseline + report, from series (B: +impact vs plain replay)',
    metric: 's',
    value: med('measureB') + med('reportB'),
    lowerIsBetter: true,
    details: {
      measureSeconds: all('measureB'),
      reportSeconds: all('reportB'),
      cpuSeconds: all('cpuB'),
      resamples: RESAMPLES,
      reportBytes: first.reportBytes,
      verdicts: first.verdictsB
    }
  },
  {
    case: caseName,
    impl: 'end to end B: two Lake replays (plain, +impact) + catalogue + report',
    metric: 's',
    value: med('replay') + med('replayImpact') + med('measureB') + med('reportB'),
    lowerIsBetter: true,
    details: { replaySeconds: all('replay'), replayImpactSeconds: all('replayImpact') }
  },
  {
    case: caseName,
    impl: 'end to end A: Lake replay + book table + catalogue + report (book table as reference)',
    metric: 's',
    value: med('replay') + med('bookTable') + med('measureA') + med('reportA'),
    lowerIsBetter: true,
    details: {
      bookTableSeconds: all('bookTable'),
      bookRows: first.bookRows,
      measureSeconds: all('measureA'),
      reportSeconds: all('reportA'),
      cpuSeconds: all('cpuA'),
      verdicts: first.verdictsA,
      gridPoints: first.gridPoints,
      peakRssMb: rssMb()
    }
  }
]
printTable(
  ['phase', 'median s'],
  [
    ['Lake replay + sampling (plain)', med('replay').toFixed(1)],
    ['Lake replay + sampling (+impact)', med('replayImpact').toFixed(1)],
    ['Lake book table', med('bookTable').toFixed(1)],
    ['A: catalogue + baseline (book table vs replay)', med('measureA').toFixed(1)],
    ['A: HTML report', med('reportA').toFixed(1)],
    ['B: full catalogue + baseline (+impact vs plain)', med('measureB').toFixed(1)],
    ['B: HTML report', med('reportB').toFixed(1)],
    ['B: catalogue + report, CPU seconds', med('cpuB').toFixed(1)],
    ['peak RSS MB', String(rssMb())]
  ]
)
const out = writeReport(benchName(import.meta.url), rows, [
  'Data: tiled real data — the real spot BTCUSDT capture converted to Crypto Lake format and repeated forward in time, sequence and trade id over the UTC day 2024-08-10 (src-main/convert/tile.ts); each copy starts with the capture’s snapshot burst.',
  'A: reference = the Lake book table of the day, candidate = the Lake replay of the day. B: reference = the Lake replay, candidate = the Lake replay with the trade impact model (every metric applies). Baseline: halves of the reference. Grids 100 ms and 1 s, depth profile 1 s.',
  `Median of ${RUNS} run(s) in one process (Parquet decoded in the replay thread). Reports: bench-results/fidelity-report.html (B), fidelity-report-book.html (A).`
])
console.log(`wrote ${out}`)

// End-to-end Crypto Lake replay: Parquet on disk → unified replay (merge, book, drift) on a
// day-sized input (~35 M book_delta_v2 rows), against the Parquet decode ceiling measured in the
// same run. Input: the real spot capture converted by the project's converter and tiled forward in
// time and sequence ("tiled real data", src-main/convert/tile.ts), cached under the temp folder.
// Every case runs in a fresh child process so its peak RSS is its own.
//   npx tsx bench/lake.bench.ts        (BENCH_LAKE_ROWS, BENCH_LAKE_RUNS to change size and runs)
import { existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readLakeTable } from '../src-main/lake/parquet/reader'
import { partitionFiles } from '../src-main/lake/layout'
import { runLakeReplay } from '../src-main/replay/lakeJob'
import {
  benchName,
  childResult,
  fmt,
  median,
  printTable,
  ROOT,
  writeReport,
  type BenchRow
} from './lib'
import { tiledRealData } from './tiled'

const ROWS = Number(process.env['BENCH_LAKE_ROWS'] ?? 35_000_000)
const RUNS = Number(process.env['BENCH_LAKE_RUNS'] ?? 3)
const DATA = join(tmpdir(), `lakebook-bench-lake-${ROWS}`)
const EX = 'BINANCE'
const SYM = 'BTC-USDT'

interface ChildResult {
  seconds: number
  rows: number
  maxRssMB: number
  hash?: string
  drift?: string
}

const maxRssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024)

function builtWorker(): string {
  const dir = join(ROOT, 'out', 'main', 'chunks')
  const f = existsSync(dir) ? readdirSync(dir).find((x) => /^worker-.*\.js$/.test(x)) : undefined
  if (!f) throw new Error('build first: npm run build (npm run bench does it)')
  return join(dir, f)
}

const modes: Record<string, () => Promise<ChildResult>> = {
  async decode() {
    const t0 = performance.now()
    let rows = 0
    for (const day of ['2024-08-10', '2024-08-11']) {
      for (const f of partitionFiles(DATA, 'book_delta_v2', EX, SYM, day)) {
        for await (const b of readLakeTable(f, 'book_delta_v2')) rows += b.rows
      }
    }
    return { seconds: (performance.now() - t0) / 1000, rows, maxRssMB: maxRssMB() }
  },
  ...Object.fromEntries(
    [0, 1, 2].map((w) => [
      `replay-w${w}`,
      async (): Promise<ChildResult> => {
        const t0 = performance.now()
        const r = await runLakeReplay(
          { root: DATA, exchange: EX, symbol: SYM },
          { workers: w, decodeWorker: { path: builtWorker(), workerData: { role: 'decode' } } }
        )
        return {
          seconds: (performance.now() - t0) / 1000,
          rows: r.events.deltaRows,
          maxRssMB: maxRssMB(),
          hash: r.outputHash,
          drift: `${r.drift.exactRows}/${r.drift.aligned}`
        }
      }
    ])
  )
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) {
  const fn = modes[process.argv[childAt + 1] ?? '']
  if (!fn) throw new Error('unknown mode')
  process.stdout.write(`${JSON.stringify(await fn())}\n`)
} else {
  await tiledRealData(DATA, ROWS)
  const results: BenchRow[] = []
  const table: string[][] = []
  const decode = Array.from(
    { length: RUNS },
    () => childResult(import.meta.url, 'decode') as ChildResult
  )
  const ceiling = median(decode.map((d) => d.rows / d.seconds))
  results.push({
    case: `${fmt(decode[0]?.rows ?? 0)} book_delta_v2 rows · tiled real data (spot BTCUSDT)`,
    impl: 'decode only (readLakeTable)',
    metric: 'M rows/s',
    value: ceiling / 1e6,
    lowerIsBetter: false,
    details: {
      seconds: decode.map((d) => d.seconds),
      maxRssMB: Math.max(...decode.map((d) => d.maxRssMB))
    }
  })
  table.push([
    'decode only',
    fmt(ceiling / 1e6),
    '100%',
    String(Math.max(...decode.map((d) => d.maxRssMB))),
    ''
  ])
  const hashes = new Set<string>()
  for (const w of [0, 1, 2]) {
    const runs = Array.from(
      { length: RUNS },
      () => childResult(import.meta.url, `replay-w${w}`) as ChildResult
    )
    for (const r of runs) hashes.add(r.hash ?? '')
    const rate = median(runs.map((r) => r.rows / r.seconds))
    const rss = Math.max(...runs.map((r) => r.maxRssMB))
    results.push({
      case: `${fmt(runs[0]?.rows ?? 0)} book_delta_v2 rows · tiled real data (spot BTCUSDT)`,
      impl: `replay, ${w} decode worker(s)`,
      metric: 'M rows/s',
      value: rate / 1e6,
      lowerIsBetter: false,
      details: {
        seconds: runs.map((r) => r.seconds),
        maxRssMB: rss,
        fractionOfDecodeCeiling: rate / ceiling,
        yearOf12BillionRowsHours: 12e9 / rate / 3600,
        driftExactOfAligned: runs[0]?.drift ?? '',
        outputHash: runs[0]?.hash ?? ''
      }
    })
    table.push([
      `replay w=${w}`,
      fmt(rate / 1e6),
      `${((100 * rate) / ceiling).toFixed(0)}%`,
      String(rss),
      `${(12e9 / rate / 3600).toFixed(2)} h`
    ])
  }
  if (hashes.size !== 1)
    throw new Error(`output hashes differ across runs/workers: ${[...hashes].join(', ')}`)
  printTable(['case', 'M rows/s', 'of decode', 'peak RSS MB', '12e9 rows'], table)
  const file = writeReport(benchName(import.meta.url), results, [
    'Data: tiled real data — the real spot BTCUSDT capture converted to Crypto Lake format, repeated forward in time and sequence (each copy starts with the capture’s own snapshot burst).',
    'Each case in a fresh child process; maxRssMB is that process’s peak RSS (decode workers are threads of it).',
    `Median of ${RUNS} runs. The same output hash in every run and worker count is checked.`
  ])
  console.log(`wrote ${file}`)
}

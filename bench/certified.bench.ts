// A certified dataset from staged files, end to end, two ways on the same tiled real data (the
// real spot BTCUSDT capture converted by the project's converter and tiled forward in time):
//   three-steps  lakebook validate (every core) → lakebook certify (which validates the ready
//                files again) → lakebook export (gated): the inputs are read three times
//   one-pass     lakebook export --validate: the gate's rules on the export's own read, then
//                promotion, the readiness certificate and the dataset's gates
// and the same two ways for a backfill of the three days (day jobs in a worker thread, a day of
// warm-up each): validate → certify → backfill run, against backfill plan --validate + run,
// on one day (a real day's 21.5 M book_delta_v2 rows) and on three days, each run in a fresh child
// process with its own lake (the tiled files hard-linked into staging/, not timed), beside a DuckDB
// scan and a parquet-wasm decode of the same files (bench/ceilings.ts). Both ways must give the same
// dataset (output hash) and the same readiness verdict; the bench fails otherwise.
//   npx tsx bench/certified.bench.ts   (BENCH_CERTIFIED_ROWS, BENCH_CERTIFIED_DAYS_ROWS, BENCH_CERTIFIED_RUNS)
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { planBackfill } from '../src-main/export/backfillPlan'
import { runBackfill, workerExecutor } from '../src-main/export/backfillRun'
import { BackfillStore } from '../src-main/export/backfillStore'
import { readCertificate } from '../src-main/export/certificate'
import { exportDataset, exportOptions } from '../src-main/export/exportJob'
import { datasetHash } from '../src-main/ops/pipelineStages'
import type { ExportResult } from '../src-shared/export'
import { InPassValidation } from '../src-main/export/validatedExport'
import { GateStore } from '../src-main/gates/store'
import { openManifest, type Db } from '../src-main/lake/manifest'
import { writeTrustOverrides } from '../src-main/lake/trustConfig'
import { certifyLake, importToStaging, validateLake, ValidationStore } from '../src-main/validate'
import { engineWorker } from '../test/helpers/engineWorker'
import { ceilingDecode, ceilingDuckdb, type CeilingResult } from './ceilings'
import { benchName, childResult, fmt, median, printTable, writeReport, type BenchRow } from './lib'
import { tiledRealData, TILE_START_DAY } from './tiled'

const DAY_ROWS = Number(process.env['BENCH_CERTIFIED_ROWS'] ?? 21_500_000)
const DAYS_ROWS = Number(process.env['BENCH_CERTIFIED_DAYS_ROWS'] ?? 115_000_000)
const RUNS = Number(process.env['BENCH_CERTIFIED_RUNS'] ?? 2)
const WORK = join(tmpdir(), 'lakebook-bench-certified')
const EX = 'BINANCE'
const SYM = 'BTC-USDT'
const FROM = TILE_START_DAY

interface Input {
  readonly data: string
  readonly rows: number
  readonly from: string
  readonly to: string
}

const INPUTS: Record<string, Input> = {
  day: {
    data: join(tmpdir(), `lakebook-bench-tiled-${DAY_ROWS}`),
    rows: DAY_ROWS,
    from: FROM,
    to: FROM
  },
  'three-days': {
    data: join(tmpdir(), `lakebook-bench-tiled-${DAYS_ROWS}`),
    rows: DAYS_ROWS,
    from: FROM,
    to: '2024-08-12'
  }
}
const WAYS = ['three-steps', 'one-pass'] as const
/** The backfill's two ways, on the three days only (a one-day backfill is an export). */
const BACKFILL_WAYS = ['backfill-three-steps', 'backfill-one-pass'] as const
type Way = (typeof WAYS)[number] | (typeof BACKFILL_WAYS)[number]
const IMPL: Record<Way, string> = {
  'three-steps': 'validate → certify → export',
  'one-pass': 'export --validate (one read)',
  'backfill-three-steps': 'validate → certify → backfill run',
  'backfill-one-pass': 'backfill plan --validate + run (one read per day)'
}
const waysOf = (input: string): readonly Way[] =>
  input === 'three-days' ? [...WAYS, ...BACKFILL_WAYS] : WAYS

interface WayResult {
  seconds: number
  /** Input rows (= events: book_delta_v2 + trades + book rows). */
  rows: number
  cpuSeconds: number
  maxRssMB: number
  outputBytes: number
  outputHash: string
  readiness: string
  filesFailed: number
  stages: Record<string, number>
}

const span = (i: Input) => ({ data: i.data, exchange: EX, symbol: SYM, from: i.from, to: i.to })

/** What both ways of both jobs leave: rows, the dataset's bytes and hash, the readiness verdict. */
interface Outcome {
  readonly rows: number
  readonly outputBytes: number
  readonly outputHash: string
  readonly readiness: string
  readonly filesFailed: number
}

function outcomeOf(r: ExportResult): Outcome {
  return {
    rows: r.run.events,
    outputBytes: r.outputs.bytes,
    outputHash: r.outputHash,
    readiness: r.gates?.readiness ?? 'not judged',
    filesFailed: r.validation?.counts.fail ?? 0
  }
}

/**
 * A backfill of the input's days in the lake (one day job at a time, in a worker thread with its
 * decode and writer threads, as `backfill run` runs it), planned --validate for the one pass.
 */
async function benchBackfill(
  lake: string,
  db: Db,
  out: string,
  input: Input,
  validate: boolean
): Promise<Outcome> {
  const store = new BackfillStore(db)
  const plan = planBackfill(
    {
      exchange: EX,
      symbol: SYM,
      from: input.from,
      to: input.to,
      out,
      fidelityReference: 'off',
      ...(validate ? { validate: true } : {})
    },
    { lakeRoot: lake, store }
  )
  let fail = 0
  const s = await runBackfill(store, plan.id, {
    parallel: 1,
    executor: workerExecutor(engineWorker('export-day'), lake),
    gates: {
      lakeRoot: lake,
      decisions: new GateStore(db),
      validation: new ValidationStore(db),
      log: (_level, m) => {
        const f = /(\d+) failed;/.exec(m)
        if (f) fail = Number(f[1])
      }
    }
  })
  if (s.certificate === null)
    throw new Error(`the backfill wrote no certificate (${s.counts.failed} days failed)`)
  const cert = readCertificate(out)
  return {
    rows: plan.input.rows,
    outputBytes: cert.totals.bytes,
    outputHash: datasetHash(out),
    readiness: cert.gates?.readiness.verdict ?? 'not judged',
    filesFailed: fail
  }
}

async function runWay(way: Way, input: Input): Promise<WayResult> {
  const lake = join(WORK, `${way}-lake`)
  rmSync(lake, { recursive: true, force: true })
  const db = openManifest(lake)
  const store = new ValidationStore(db)
  await importToStaging({ dir: input.data }, { lakeRoot: lake, store })
  // A tiled day covers only part of its 24 h: this lake accepts short days (every report says so).
  writeTrustOverrides(lake, { validation: { daySpanFailShare: 0, daySpanWarnShare: 0 } })
  const params = { exchange: EX, symbol: SYM, from: input.from, to: input.to }
  const workers = { decode: engineWorker('decode'), writer: engineWorker('export-writer') }
  const gates = { lakeRoot: lake, fidelity: 'off', decisions: new GateStore(db) }
  const out = join(WORK, `${way}-out`)
  rmSync(out, { recursive: true, force: true })
  const stages: Record<string, number> = {}
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  let failed = 0
  let result: Outcome
  // The first two of the three steps, each timed; returns the files that failed.
  const validateAndCertify = async (): Promise<number> => {
    const env = { lakeRoot: lake, store, runId: 'bench' }
    const v = await validateLake(params, { ...env, validateWorker: engineWorker('validate') })
    stages['validate'] = (performance.now() - t0) / 1000
    await certifyLake(params, { ...env, runId: 'bench-certify' })
    stages['certify'] = (performance.now() - t0) / 1000 - (stages['validate'] ?? 0)
    return v.counts.fail
  }
  if (way === 'backfill-three-steps' || way === 'backfill-one-pass') {
    const onePass = way === 'backfill-one-pass'
    if (!onePass) failed = await validateAndCertify()
    result = await benchBackfill(lake, db, out, input, onePass)
    if (onePass) failed = result.filesFailed
  } else if (way === 'three-steps') {
    failed = await validateAndCertify()
    const o = exportOptions(params, lake, workers, { out })
    result = outcomeOf((await exportDataset(o, { gates })).result)
  } else {
    const validate = await InPassValidation.open(
      { ...params, readFrom: params.from },
      { lakeRoot: lake, store, runId: 'bench' }
    )
    const o = exportOptions({ ...params, validate: true }, lake, workers, { out })
    const r = (await exportDataset(o, { gates, validate })).result
    result = outcomeOf(r)
    failed = r.validation?.counts.fail ?? -1
  }
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  db.close()
  rmSync(out, { recursive: true, force: true })
  rmSync(lake, { recursive: true, force: true })
  return {
    seconds,
    rows: result.rows,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    outputBytes: result.outputBytes,
    outputHash: result.outputHash,
    readiness: result.readiness,
    filesFailed: failed,
    stages
  }
}

async function runChild(name: string): Promise<WayResult | CeilingResult> {
  const [what, inputName] = name.split(':')
  const input = INPUTS[inputName ?? '']
  if (!input) throw new Error(`unknown input in ${name}`)
  if (what === 'ceiling-duckdb') return ceilingDuckdb(span(input))
  if (what === 'ceiling-decode') return ceilingDecode(span(input))
  const way = [...WAYS, ...BACKFILL_WAYS].find((w) => w === what)
  if (way !== undefined) return runWay(way, input)
  throw new Error(`unknown case ${name}`)
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) {
  process.stdout.write(`${JSON.stringify(await runChild(process.argv[childAt + 1] ?? ''))}\n`)
} else {
  for (const i of Object.values(INPUTS)) await tiledRealData(i.data, i.rows)
  const ways = new Map<string, WayResult[]>()
  const ceilings = new Map<string, CeilingResult[]>()
  // Interleaved, round after round: load changes on the shared machine hit every case alike.
  for (let round = 0; round < RUNS; round++)
    for (const input of Object.keys(INPUTS)) {
      for (const way of waysOf(input)) {
        const r = childResult(import.meta.url, `${way}:${input}`) as WayResult
        ways.set(`${way}:${input}`, [...(ways.get(`${way}:${input}`) ?? []), r])
        console.log(`${way} ${input} run ${round + 1}: ${fmt(r.rows / r.seconds)} rows/s`)
      }
      for (const c of ['ceiling-duckdb', 'ceiling-decode']) {
        const r = childResult(import.meta.url, `${c}:${input}`) as CeilingResult
        ceilings.set(`${c}:${input}`, [...(ceilings.get(`${c}:${input}`) ?? []), r])
      }
    }
  const results: BenchRow[] = []
  const table: string[][] = []
  for (const input of Object.keys(INPUTS)) {
    const rate = (runs: readonly { rows?: number; events?: number; seconds: number }[]) =>
      median(runs.map((r) => (r.rows ?? r.events ?? NaN) / r.seconds))
    for (const pair of input === 'three-days' ? [WAYS, BACKFILL_WAYS] : [WAYS]) {
      const [chain, pass] = pair.map((w) => ways.get(`${w}:${input}`) ?? [])
      const hashes = new Set([...(chain ?? []), ...(pass ?? [])].map((r) => r.outputHash))
      if (hashes.size !== 1)
        throw new Error(`${input}: ${pair.join(' and ')} wrote different datasets`)
    }
    const passRate = rate(ways.get(`one-pass:${input}`) ?? [])
    const backfillPassRate = rate(ways.get(`backfill-one-pass:${input}`) ?? [])
    for (const way of waysOf(input)) {
      const runs = ways.get(`${way}:${input}`) ?? []
      const r0 = runs[0]
      if (!r0) continue
      if (runs.some((r) => r.readiness !== 'pass' || r.filesFailed !== 0))
        throw new Error(`${way} ${input}: the readiness gate did not pass`)
      const v = rate(runs)
      const rss = Math.max(...runs.map((r) => r.maxRssMB))
      const cpu = median(runs.map((r) => r.cpuSeconds))
      results.push({
        case: `certified ${input}: ${fmt(r0.rows)} rows · tiled real data (spot BTCUSDT), from staging/`,
        impl: IMPL[way],
        metric: 'rows/s end to end',
        value: v,
        lowerIsBetter: false,
        details: {
          seconds: runs.map((r) => r.seconds),
          cpuSeconds: runs.map((r) => r.cpuSeconds),
          cpuNsPerRow: (cpu / r0.rows) * 1e9,
          maxRssMB: rss,
          outputBytes: r0.outputBytes,
          outputHash: r0.outputHash,
          validateSeconds: runs.map((r) => r.stages['validate'] ?? 0),
          certifySeconds: runs.map((r) => r.stages['certify'] ?? 0),
          onePassSpeedup: way.startsWith('backfill') ? backfillPassRate / v : passRate / v
        }
      })
      table.push([`${way} ${input}`, fmt(r0.rows), fmt(v), fmt(cpu), String(rss), ''])
    }
    for (const c of ['ceiling-duckdb', 'ceiling-decode']) {
      const runs = ceilings.get(`${c}:${input}`) ?? []
      const v = rate(runs)
      results.push({
        case: `certified ${input}: the same files`,
        impl:
          c === 'ceiling-duckdb'
            ? 'DuckDB scan (read_parquet, 2 threads)'
            : 'parquet-wasm decode (the export’s reader, 1 thread)',
        metric: 'rows/s',
        value: v,
        lowerIsBetter: false,
        details: { seconds: runs.map((r) => r.seconds), onePassToCeiling: passRate / v }
      })
      table.push([
        `${c} ${input}`,
        fmt(runs[0]?.events ?? 0),
        fmt(v),
        '',
        String(Math.max(...runs.map((r) => r.maxRssMB))),
        (passRate / v).toFixed(2)
      ])
    }
  }
  printTable(['case', 'rows', 'rows/s', 'CPU s', 'peak RSS MB', 'one-pass ÷ it'], table)
  const file = writeReport(benchName(import.meta.url), results, [
    'Data: tiled real data — the real spot BTCUSDT capture converted to Crypto Lake format, repeated forward in time and sequence.',
    'End to end from staged files to a dataset whose readiness gate passes: every rule, the readiness certificate, the export (events, 100 ms book, features; fidelity comparison off), input hashing and thread start-up included; the import (hard links) is not timed.',
    'Each case in a fresh child process with its own lake; maxRssMB is that process’s peak RSS (all threads).',
    `Median of ${RUNS} run(s), cases interleaved. The 1-minute load average is recorded: other jobs share the machine.`
  ])
  console.log(`wrote ${file}`)
}

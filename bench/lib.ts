// Shared helpers for the benchmarks in bench/*.bench.ts (run by scripts/bench.mjs: npm run bench).
// Each bench runs in its own process and writes bench-results/<name>.json through writeReport, in
// the shape scripts/bench.mjs summarises: { name, command, machine, date, results: BenchRow[] }.
// Benchmarks measure; they never assert timings (tests do not import this file).
import {
  execFileSync,
  spawnSync,
  type ExecFileSyncOptionsWithStringEncoding
} from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import { machineInfo, type MachineInfo } from '../src-main/bench/machine'
import { PerformanceObserver } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'
import vm from 'node:vm'

/** 1/5/15-minute load averages when this bench process started: other work skews timings. */
const LOAD_AT_START = os.loadavg().map((x) => Math.round(x * 100) / 100)

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const RESULTS_DIR = join(ROOT, 'bench-results')
/** The real Binance captures (read-only, outside the repo; see their README.md). */
export const CAPTURES_DIR = join(ROOT, '..', 'shared', 'data', 'binance-captures')

export { machineInfo, median, type MachineInfo } from '../src-main/bench/machine'

/** One line of a bench's results; scripts/bench.mjs prints case, impl, metric/value and ratio. */
export interface BenchRow {
  /** What is measured, e.g. 'spot-btcusdt-20240808 · top-20 after every message'. */
  case: string
  /** The implementation or variant measured. */
  impl: string
  /** The headline metric's name and value (median over the timed runs), e.g. 'ns/update'. */
  metric: string
  value: number
  /** True when a smaller value is better (times); false for throughputs. */
  lowerIsBetter: boolean
  /** How many times better than the case's baseline (>1 = better), when the case has one. */
  vsBaseline?: number
  baseline?: string
  /** Any further numbers: run samples, throughputs, counts. */
  details: Record<string, number | string | boolean | number[]>
}

export interface BenchReport {
  name: string
  command: string
  machine: MachineInfo
  date: string
  /** Git commit of the tree measured, with '+dirty' when it has uncommitted changes. */
  commit: string
  /** 1/5/15-minute load averages at the start and end of the bench process. */
  loadavg: { start: number[]; end: number[] }
  notes: string[]
  results: BenchRow[]
}

function gitCommit(): string {
  try {
    const opts: ExecFileSyncOptionsWithStringEncoding = {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], opts).trim()
    const dirty = execFileSync('git', ['status', '--porcelain'], opts).trim() !== ''
    return dirty ? `${head}+dirty` : head
  } catch {
    return 'unknown'
  }
}

/** The bench's name from its file: bench/book.bench.ts → 'book'. */
export function benchName(fileUrl: string): string {
  return basename(fileURLToPath(fileUrl)).replace(/\.bench\.ts$/, '')
}

/** How this process was started, relative to the project root (recorded in the report). */
export function commandLine(): string {
  const args = process.argv.slice(1).map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) : a))
  const flags = process.execArgv.join(' ')
  return `node ${flags ? `${flags} ` : ''}${args.join(' ')}`
}

/** Writes bench-results/<name>.json and returns its path. */
export function writeReport(name: string, results: BenchRow[], notes: string[] = []): string {
  const report: BenchReport = {
    name,
    command: commandLine(),
    machine: machineInfo(),
    date: new Date().toISOString(),
    commit: gitCommit(),
    loadavg: { start: LOAD_AT_START, end: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    notes,
    results
  }
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, `${name}.json`)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  return file
}

/**
 * Counts garbage collections (and their pause time) between start() and stop(). GC entries reach
 * the observer asynchronously, so stop() waits a turn of the event loop before counting.
 */
export class GcCounter {
  private readonly entries: { start: number; duration: number }[] = []
  private readonly obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      this.entries.push({ start: e.startTime, duration: e.duration })
  })

  constructor() {
    this.obs.observe({ entryTypes: ['gc'] })
  }

  async between(fromMs: number, toMs: number): Promise<{ count: number; ms: number }> {
    await new Promise((r) => setTimeout(r, 10))
    let count = 0
    let ms = 0
    for (const e of this.entries) {
      if (e.start >= fromMs && e.start <= toMs) {
        count++
        ms += e.duration
      }
    }
    return { count, ms }
  }

  close(): void {
    this.obs.disconnect()
  }
}

let gcFn: (() => void) | null = null

/**
 * A full garbage collection, so one timed run does not pay for the previous run's garbage (a book
 * that allocates per level, like tardis-dev's, leaves plenty). Works without --expose-gc: the flag
 * is set at runtime and the gc function taken from a fresh context.
 */
export function forceGc(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc')
    gcFn = vm.runInNewContext('gc') as () => void
  }
  gcFn()
}

/** Formats a number for console tables: 3 significant digits, thousands separated. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x)
  const a = Math.abs(x)
  if (a >= 1000) return Math.round(x).toLocaleString('en-US')
  return x.toPrecision(3)
}

/** Prints rows as an aligned text table. */
export function printTable(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: readonly string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(w[i] ?? 0) : c.padStart(w[i] ?? 0))).join('  ')
  console.log(line(head))
  console.log(w.map((n) => '-'.repeat(n)).join('  '))
  for (const r of rows) console.log(line(r))
}

/**
 * Runs this bench file again as `--child <mode>` in a fresh Node process (so a case's peak RSS is
 * its own) and returns the JSON of the child's last stdout line.
 */
export function childResult(scriptUrl: string, mode: string): unknown {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(scriptUrl), '--child', mode],
    { encoding: 'utf8', maxBuffer: 1 << 24 }
  )
  if (r.status !== 0) throw new Error(`child ${mode} failed:\n${r.stdout}\n${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as unknown
}

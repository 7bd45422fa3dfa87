// `lakebook bench`: the user-facing part of the benchmarks (docs/benchmarks.md), on the user's own
// machine in a few minutes — validate rows/s on one thread and on every core, Lake replay rows/s,
// export events/s with the bytes it writes per row, the export with the gate's rules on its read
// (export --validate's one pass), capture replay messages/s, peak RSS — with
// the same engine calls the go/no-go report times (report/technical.ts). Each figure is the median
// of `runs` timed runs after one untimed warm-up (none with --quick). The result goes to
// <lake>/reports/bench-<time>.json, which `lakebook report technical` reads.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  BENCH_FILE_PREFIX,
  BENCH_KIND,
  type BenchRate,
  type BenchResult
} from '../../src-shared/bench'
import { DEFAULT_THRESHOLDS } from '../../src-shared/validate'
import { replayCapture } from '../engine/captureReplay'
import { resolveLakeTick } from '../engine/source/lakeSources'
import { exportDataset, exportOptions, type ExportWorkers } from '../export/exportJob'
import { measuringTap } from '../export/validatedExport'
import { lakePaths } from '../lake/paths'
import { runLakeReplay } from '../replay/lakeJob'
import { writeFileAtomic } from '../util/atomicWrite'
import { makeDir } from '../util/makeDir'
import type { WorkerSpec } from '../util/workerLifecycle'
import { checkFiles } from '../validate/gate'
import { outsideFile } from '../validate/partition'
import { VERSION } from '../version'
import type { BenchInput } from './benchInput'
import { load1, machineInfo, median } from './machine'

export interface UserBenchOptions {
  readonly lakeRoot: string
  readonly input: BenchInput
  readonly runs: number
  readonly quick: boolean
  /** Threads for the parallel validate figure (default: the cores). */
  readonly workers: number
  readonly command: string
  readonly threads: ExportWorkers & { readonly validate: WorkerSpec }
  readonly signal?: AbortSignal | undefined
  readonly log?: ((message: string) => void) | undefined
}

/** Warm-up (unless quick), then `runs` timed runs of `fn`, which returns the units it handled. */
async function measure(
  what: string,
  unit: string,
  o: UserBenchOptions,
  fn: () => Promise<number>
): Promise<BenchRate> {
  if (!o.quick) {
    o.log?.(`${what}: warm-up`)
    await fn()
  }
  const runs: number[] = []
  for (let i = 0; i < o.runs; i++) {
    o.signal?.throwIfAborted()
    o.log?.(`${what}: run ${i + 1} of ${o.runs}`)
    const t0 = performance.now()
    const units = await fn()
    runs.push(units / ((performance.now() - t0) / 1000))
  }
  return { perSecond: median(runs), runs: runs.map((r) => Math.round(r)), unit }
}

export async function runUserBench(o: UserBenchOptions): Promise<BenchResult & { file: string }> {
  const started = performance.now()
  const loadStart = load1()
  const { input } = o
  const notes: string[] = []
  const totalRows = input.rows.book_delta_v2 + input.rows.trades + input.rows.book
  const files = input.files.map((f) => outsideFile(f, input.exchange, input.symbol))
  const tick = await resolveLakeTick(input.sel)
  const check = (parallel: boolean): Promise<number> =>
    checkFiles(files, {
      t: DEFAULT_THRESHOLDS,
      tick,
      store: null,
      signal: o.signal,
      parallel: parallel ? { workers: o.workers, worker: o.threads.validate } : undefined
    }).then(() => totalRows)

  const validateSerial = await measure('validate, one thread', 'rows', o, () => check(false))
  const validateWorkers = Math.max(1, Math.min(o.workers, files.length))
  if (validateWorkers < o.workers)
    notes.push(
      `validate used ${validateWorkers} threads, not ${o.workers}: one file per thread and ${files.length} files`
    )
  const validateParallel = await measure(`validate, ${validateWorkers} threads`, 'rows', o, () =>
    check(true)
  )

  const range = { root: input.root, exchange: input.exchange, symbol: input.symbol }
  const days = { from: input.sel.days[0], to: input.sel.days[input.sel.days.length - 1] }
  const lakeReplay = await measure('Lake replay', 'rows', o, async () => {
    const r = await runLakeReplay(
      { ...range, ...days },
      { workers: o.threads.decode ? 1 : 0, decodeWorker: o.threads.decode, signal: o.signal }
    )
    return r.events.deltaRows + r.events.trades + r.events.bookRows
  })

  const scratch = join(lakePaths.reports(o.lakeRoot), `.bench-export-${process.pid}`)
  let outputBytes = 0
  let events = 0
  let exported: BenchRate
  let onePass: BenchRate
  try {
    const eo = exportOptions(
      // A measurement, not a dataset: no gates, no fidelity comparison (as the go/no-go report).
      { ...range, ...days, ungated: true, fidelityReference: 'off' },
      o.lakeRoot,
      o.threads,
      { out: scratch, signal: o.signal }
    )
    exported = await measure('export', 'events', o, async () => {
      rmSync(scratch, { recursive: true, force: true })
      const { result } = await exportDataset(eo, {
        gates: { lakeRoot: o.lakeRoot, ungated: true, fidelity: 'off' }
      })
      outputBytes = result.outputs.bytes
      events = result.run.events
      return result.run.events
    })
    // The same export with every rule of the gate on its read: export --validate's one pass.
    const tapped = { ...eo, tap: measuringTap(files, { t: DEFAULT_THRESHOLDS, tick }) }
    onePass = await measure('export --validate (one pass)', 'events', o, async () => {
      rmSync(scratch, { recursive: true, force: true })
      const { result } = await exportDataset(tapped, {
        gates: { lakeRoot: o.lakeRoot, ungated: true, fidelity: 'off' }
      })
      return result.run.events
    })
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }

  let captureReplay: BenchRate | null = null
  if (input.captures.length > 0) {
    captureReplay = await measure('capture replay', 'messages', o, async () => {
      const r = await replayCapture(input.captures, { signal: o.signal })
      return r.messages
    })
  } else if (input.noCaptures !== null) notes.push(input.noCaptures)

  const stamp = new Date().toISOString()
  const m = machineInfo()
  const result: BenchResult = {
    kind: BENCH_KIND,
    version: 1,
    createdAt: stamp,
    codeVersion: VERSION,
    command: o.command,
    quick: o.quick,
    machine: { cpu: m.cpu, cores: m.cores, ramGiB: m.ramGiB, node: m.node, os: m.os },
    loadavg: { start: loadStart, end: load1() },
    input: {
      source: input.source,
      description: input.description,
      exchange: input.exchange,
      symbol: input.symbol,
      days: input.sel.days,
      files: input.files.length,
      bytes: input.bytes,
      rows: input.rows
    },
    runs: o.runs,
    figures: {
      validateSerial,
      validateParallel,
      validateWorkers,
      validatePerCore: validateParallel.perSecond / validateWorkers,
      lakeReplay,
      export: exported,
      onePass,
      outputBytesPerRow: events > 0 ? outputBytes / events : 0,
      outputBytesPerDeltaRow:
        input.rows.book_delta_v2 > 0 ? outputBytes / input.rows.book_delta_v2 : 0,
      captureReplay,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024)
    },
    seconds: (performance.now() - started) / 1000,
    notes
  }
  const dir = lakePaths.reports(o.lakeRoot)
  makeDir(dir)
  const file = join(dir, `${BENCH_FILE_PREFIX}${stamp.replace(/[:.]/g, '-')}.json`)
  writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`)
  return { ...result, file }
}

// Capture replay throughput on the four REAL shared capture sets (../shared/data/binance-captures/,
// all 8 files), for docs/benchmarks.md:
//   node --import tsx bench/captureReplay.bench.ts        (or: npm run bench -- captureReplay)
// Env: BENCH_CAPTURE_RUNS (default 7), BENCH_CAPTURE_SETS (comma-separated filter).
//
// In the same process, interleaved per run after a warm-up, each measured in messages (lines that
// are JSON) per second of wall time:
//   - replayCapture with the scanner (the default, parser: 'scan'; gzip inflated in a worker);
//   - the same with gzip inflated on the replay's thread (inflate: 'thread');
//   - replayCapture with JSON.parse on every line (parser: 'json', the reference path);
//   - the floor the issue compared with: gunzip (same stream settings as the reader) + split into
//     lines + JSON.parse of each line's JSON, nothing else;
//   - gunzip + split alone (what no replay of these files can beat on one thread).
// Before timing, the two replays must give identical summaries. Medians; never asserted.
import { createReadStream, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { createGunzip } from 'node:zlib'
import { isDeepStrictEqual } from 'node:util'
import { replayCapture, type CaptureReplaySummary } from '../src-main/engine/captureReplay'
import {
  benchName,
  CAPTURES_DIR,
  fmt,
  machineInfo,
  median,
  printTable,
  writeReport,
  type BenchRow
} from './lib'

const RUNS = Number(process.env['BENCH_CAPTURE_RUNS'] ?? 7)
const ONLY = (process.env['BENCH_CAPTURE_SETS'] ?? '').split(',').filter((s) => s !== '')
const SETS = [
  'spot-btcusdt-20240808',
  'usdm-btcusdt-20240718',
  'usdm-btcusdt-20240808',
  'spot-nexousdt-20240723'
].filter((s) => ONLY.length === 0 || ONLY.some((o) => s.includes(o)))

type Impl =
  | 'scanner'
  | 'scanner, gunzip in-thread'
  | 'JSON.parse path'
  | 'gunzip+JSON.parse floor'
  | 'gunzip+split only'
const IMPLS: Impl[] = [
  'scanner',
  'scanner, gunzip in-thread',
  'JSON.parse path',
  'gunzip+JSON.parse floor',
  'gunzip+split only'
]

function files(set: string): string[] {
  const dir = join(CAPTURES_DIR, set)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.gz'))
    .sort()
    .map((f) => join(dir, f))
}

/** Lines parsed (or only split) per file: the reader's own stream settings, nothing after. */
async function floor(fs: readonly string[], parse: boolean): Promise<number> {
  let n = 0
  for (const f of fs) {
    const src = createReadStream(f, { highWaterMark: 1 << 20 }).pipe(
      createGunzip({ chunkSize: 1 << 18 })
    )
    const dec = new StringDecoder('utf8')
    let carry = ''
    for await (const chunk of src as AsyncIterable<Buffer>) {
      const text = carry + dec.write(chunk)
      let s = 0
      for (;;) {
        const nl = text.indexOf('\n', s)
        if (nl < 0) break
        if (parse) JSON.parse(text.slice(text.indexOf(' ', s) + 1, nl))
        n++
        s = nl + 1
      }
      carry = text.slice(s)
    }
  }
  return n
}

// No forced GC between runs (the other benches' forceGc): after one, V8 shrinks the young
// generation and the next run pays for growing it again — measured 1.5–2× slower replays here.
async function once(impl: Impl, fs: readonly string[]): Promise<{ ms: number; messages: number }> {
  const t = performance.now()
  let messages: number
  if (impl === 'JSON.parse path') messages = (await replayCapture(fs, { parser: 'json' })).messages
  else if (impl === 'scanner' || impl === 'scanner, gunzip in-thread') {
    const inflate = impl === 'scanner' ? 'worker' : 'thread'
    messages = (await replayCapture(fs, { parser: 'scan', inflate })).messages
  } else messages = await floor(fs, impl === 'gunzip+JSON.parse floor')
  return { ms: performance.now() - t, messages }
}

function stable(
  r: CaptureReplaySummary
): Omit<CaptureReplaySummary, 'elapsedMs' | 'eventsPerSecond'> {
  const { elapsedMs: _e, eventsPerSecond: _s, ...rest } = r
  return rest
}

async function main(): Promise<void> {
  const m = machineInfo()
  console.log(`capture replay bench · ${m.cpu} · ${m.cores} cores · Node ${m.node} · ${RUNS} runs`)
  for (const set of SETS) {
    const a = await replayCapture(files(set), { parser: 'json' })
    const b = await replayCapture(files(set), { parser: 'scan' })
    const c = await replayCapture(files(set), { parser: 'scan', inflate: 'thread' })
    if (!isDeepStrictEqual(stable(a), stable(b)) || !isDeepStrictEqual(stable(a), stable(c)))
      throw new Error(`${set}: scanner and JSON differ`)
    console.log(`${set}: ${fmt(a.messages)} messages, scanner and JSON.parse summaries identical`)
  }
  // ms[set][impl] = one time per run; runs interleave the implementations.
  const ms = new Map<string, Map<Impl, number[]>>()
  const msgs = new Map<string, number>()
  for (let r = -1; r < RUNS; r++) {
    for (const set of SETS) {
      for (const impl of IMPLS) {
        const { ms: t, messages } = await once(impl, files(set))
        if (r < 0) continue // warm-up
        if (impl !== 'gunzip+split only') msgs.set(set, messages)
        const per = ms.get(set) ?? new Map<Impl, number[]>()
        per.set(impl, [...(per.get(impl) ?? []), t])
        ms.set(set, per)
      }
    }
  }
  const rows: BenchRow[] = []
  const add = (label: string, impl: Impl, messages: number, times: number[]): void => {
    const value = messages / (median(times) / 1000)
    rows.push({
      case: label,
      impl,
      metric: 'messages/s',
      value: Math.round(value),
      lowerIsBetter: false,
      details: { messages, medianMs: Math.round(median(times)), runsMs: times.map(Math.round) }
    })
  }
  for (const set of SETS) {
    for (const impl of IMPLS) add(set, impl, msgs.get(set) ?? 0, ms.get(set)?.get(impl) ?? [])
  }
  if (SETS.length > 1) {
    const total = SETS.reduce((s, set) => s + (msgs.get(set) ?? 0), 0)
    for (const impl of IMPLS) {
      const perRun = Array.from({ length: RUNS }, (_, r) =>
        SETS.reduce((s, set) => s + (ms.get(set)?.get(impl)?.[r] ?? 0), 0)
      )
      add(`all ${SETS.length} sets`, impl, total, perRun)
    }
  }
  for (const r of rows) {
    const base = rows.find((x) => x.case === r.case && x.impl === 'JSON.parse path')
    if (base && r !== base) {
      r.vsBaseline = Math.round((r.value / base.value) * 100) / 100
      r.baseline = 'JSON.parse path'
    }
  }
  printTable(
    ['case', 'impl', 'messages/s', 'median ms', 'vs JSON path'],
    rows.map((r) => [
      r.case,
      r.impl,
      fmt(r.value),
      String(r.details['medianMs']),
      r.vsBaseline === undefined ? '' : `${fmt(r.vsBaseline)}×`
    ])
  )
  const notes = [
    `${RUNS} timed runs after a warm-up, implementations interleaved per run; value = messages / median wall time.`,
    'Messages = lines that are JSON (the replay summary counter); the floors count lines of the same files.',
    'The replays include the probe (file order, symbol, tick), the Binance sync, the book and every check.',
    'Scanner and JSON.parse summaries are checked identical before timing.'
  ]
  const file = writeReport(benchName(import.meta.url), rows, notes)
  console.log(`\nwrote ${file}`)
}

await main()

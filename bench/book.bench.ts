// Book-engine benchmark on REAL Binance depth diffs (../shared/data/binance-captures/):
//   npx tsx bench/book.bench.ts          (or: npm run bench -- book)
// Env: BENCH_BOOK_UPDATES = level updates per timed run (default 20e6), BENCH_BOOK_RUNS (default
// 5); BENCH_BOOK_DATASET / BENCH_BOOK_IMPL = substring filters (for profiling one book).
//
// The depth stream of each capture is extracted after the REST snapshot with Binance's sync rules
// (BinanceDepthSync, as the replay does; any gap aborts) into columnar arrays, then "looped real
// events": every loop re-applies the REST snapshot (a clearing snapshot, as after a reconnect) and
// then the same diffs, so no prices or update ids are shifted. The same messages go to
//   - lakebook's OrderBook (src-main/engine/book), top-20 of both sides read after every message,
//   - tardis-dev's OrderBook (npm tardis-dev 13.35.3, bintrees RBTree), fed prebuilt book_change
//     objects, top-20 read through its bids()/asks() iterators (as its book_snapshot computable),
//   - a Map + best-pointer book (hftbacktest HashMapMarketDepth style) defined below.
// Before timing, one untimed pass over two loops (the second starts from the re-applied snapshot)
// checks that all three give the same top-20 hash after EVERY message and the same full book at
// the end; any difference throws. Timed runs also check that all three read the same number of
// levels. Timings are medians of several interleaved runs after a warm-up, each run after a forced
// full GC; they are measurements, never test assertions.
import { OrderBook as TardisOrderBook } from 'tardis-dev'
import type { BookChange, BookPriceLevel, Exchange } from 'tardis-dev'
import { join } from 'node:path'
import { OrderBook, TOP_N } from '../src-main/engine/book/orderBook'
import { PriceGrid, toLots } from '../src-shared/units'
import { replayCapture } from '../src-main/engine/captureReplay'
import { IssueLog } from '../src-main/util/issueLog'
import { readCaptureLines } from '../src-main/engine/source/captureReader'
import { BinanceDepthSync, type Market } from '../src-main/engine/book/binanceDepthSync'
import { knownTick } from '../src-main/lake/instruments'
import { parseCaptureJson, type Levels } from '../src-main/engine/source/captureMessages'
import {
  benchName,
  CAPTURES_DIR,
  fmt,
  forceGc,
  GcCounter,
  machineInfo,
  median,
  printTable,
  writeReport,
  type BenchRow
} from './lib'

const TARGET_UPDATES = Number(process.env['BENCH_BOOK_UPDATES'] ?? 20e6)
const RUNS = Number(process.env['BENCH_BOOK_RUNS'] ?? 5)
/** Optional substring filters, e.g. for profiling one book on one capture. */
const ONLY_DATASET = process.env['BENCH_BOOK_DATASET'] ?? ''
const ONLY_IMPL = process.env['BENCH_BOOK_IMPL'] ?? ''

const DATASETS: readonly { name: string; market: Market; files: string[] }[] = [
  {
    name: 'spot-btcusdt-20240808',
    market: 'spot',
    files: ['btcusdt_20240808.gz', 'btcusdt_20240809.gz']
  },
  { name: 'usdm-btcusdt-20240808', market: 'usdm', files: ['btcusdt_20240808.gz'] }
]

// ---------------------------------------------------------------------------------------------
// The real stream as columnar arrays

interface Stream {
  name: string
  market: Market
  symbol: string
  tick: string
  grid: PriceGrid
  /** Messages per loop: the snapshot (message 0) then the diffs. */
  messages: number
  /** Level updates per loop (snapshot levels included). */
  levels: number
  /** Level range of message m: [msgStart[m], msgStart[m + 1]). */
  msgStart: Int32Array
  msgIsSnapshot: Uint8Array
  /** Per level: 1 = bid. Within a message the bids come first, as Binance sends them. */
  isBid: Uint8Array
  ticks: Float64Array
  lots: Float64Array
  /** The original decimal strings and their float values, for peers that take those. */
  priceStr: string[]
  qtyStr: string[]
  price: Float64Array
  qty: Float64Array
  /** tardis-dev inputs, built once from priceStr/qtyStr before any timing. */
  tardis: BookChange[]
}

async function loadStream(ds: (typeof DATASETS)[number]): Promise<Stream> {
  const files = ds.files.map((f) => join(CAPTURES_DIR, ds.name, f))
  interface Msg {
    snapshot: boolean
    E: number
    bids: Levels
    asks: Levels
  }
  const msgs: Msg[] = []
  let symbol = ''
  let lastE = 0
  const sync = new BinanceDepthSync(
    ds.market,
    {
      snapshot(s, resync) {
        if (resync) throw new Error(`${ds.name}: a second snapshot; expected one per capture`)
        msgs.push({ snapshot: true, E: s.E ?? lastE, bids: s.bids, asks: s.asks })
      },
      diff(d) {
        msgs.push({ snapshot: false, E: d.E, bids: d.bids, asks: d.asks })
      },
      gap(afterU, _next, at) {
        throw new Error(`${ds.name}: update-id gap after ${afterU} at ${at.file}:${at.line}`)
      },
      drop() {
        throw new Error(`${ds.name}: book dropped`)
      }
    },
    'wait-snapshot'
  )
  const issues = new IssueLog()
  for (const file of files) {
    for await (const l of readCaptureLines(file, issues)) {
      const m = parseCaptureJson(l.json)
      if (m.kind === 'depth') {
        if (symbol === '') symbol = m.symbol
        if (m.symbol !== symbol) continue
        lastE = m.E
        sync.onDiff(m, { file: l.file, line: l.line, localUs: l.localUs })
      } else if (m.kind === 'snapshot') sync.onSnapshot(m)
    }
  }
  if (issues.total > 0) throw new Error(`${ds.name}: input issues ${JSON.stringify(issues.counts)}`)
  if (msgs[0]?.snapshot !== true) throw new Error(`${ds.name}: no snapshot`)

  // Cross-check against the project's full replay: the same diffs are applied there.
  const replay = await replayCapture(files)
  if (replay.appliedUpdates !== msgs.length - 1 || replay.gaps !== 0) {
    throw new Error(
      `${ds.name}: extracted ${msgs.length - 1} diffs, replayCapture applied ${replay.appliedUpdates} (gaps ${replay.gaps})`
    )
  }

  const tick = knownTick(ds.market, symbol)
  if (tick === undefined) throw new Error(`${ds.name}: unknown tick for ${symbol}`)
  const grid = new PriceGrid(tick)
  const levels = msgs.reduce((n, m) => n + m.bids.length + m.asks.length, 0)
  const s: Stream = {
    name: ds.name,
    market: ds.market,
    symbol,
    tick,
    grid,
    messages: msgs.length,
    levels,
    msgStart: new Int32Array(msgs.length + 1),
    msgIsSnapshot: new Uint8Array(msgs.length),
    isBid: new Uint8Array(levels),
    ticks: new Float64Array(levels),
    lots: new Float64Array(levels),
    priceStr: [],
    qtyStr: [],
    price: new Float64Array(levels),
    qty: new Float64Array(levels),
    tardis: []
  }
  const exchange: Exchange = ds.market === 'spot' ? 'binance' : 'binance-futures'
  let j = 0
  msgs.forEach((m, i) => {
    s.msgStart[i] = j
    s.msgIsSnapshot[i] = m.snapshot ? 1 : 0
    const side = (lv: Levels, bid: boolean): BookPriceLevel[] =>
      lv.map(([px, q]) => {
        const t = grid.toTicks(px)
        const l = toLots(q)
        if (Number.isNaN(t) || Number.isNaN(l)) throw new Error(`${ds.name}: bad level ${px} ${q}`)
        s.isBid[j] = bid ? 1 : 0
        s.ticks[j] = t
        s.lots[j] = l
        s.price[j] = Number(px)
        s.qty[j] = Number(q)
        s.priceStr.push(px)
        s.qtyStr.push(q)
        j++
        return { price: Number(px), amount: Number(q) }
      })
    const bids = side(m.bids, true)
    const asks = side(m.asks, false)
    const ts = new Date(m.E)
    s.tardis.push({
      type: 'book_change',
      symbol,
      exchange,
      isSnapshot: m.snapshot,
      bids,
      asks,
      timestamp: ts,
      localTimestamp: ts
    })
  })
  s.msgStart[msgs.length] = j
  return s
}

// ---------------------------------------------------------------------------------------------
// Peer: a Map + best-pointer book in integer ticks, as hftbacktest's HashMapMarketDepth. A delete
// of the best scans tick by tick toward the side's far bound (lowest bid / highest ask ever seen);
// top-N probes consecutive ticks. hftbacktest also moves the opposite best past a crossing price;
// these captures never cross, and the other two books keep both sides, so that part is left out.

class MapSide {
  readonly depth = new Map<number, number>()
  best = NaN
  /** The far bound of the scan: lowest bid / highest ask seen since the last clear. */
  far = NaN

  constructor(readonly isBid: boolean) {}

  clear(): void {
    this.depth.clear()
    this.best = NaN
    this.far = NaN
  }

  set(tick: number, lots: number): void {
    const d = this.depth
    if (lots > 0) {
      d.set(tick, lots)
      if (this.isBid) {
        if (!(tick <= this.best)) this.best = tick
        if (!(tick >= this.far)) this.far = tick
      } else {
        if (!(tick >= this.best)) this.best = tick
        if (!(tick <= this.far)) this.far = tick
      }
      return
    }
    if (!d.delete(tick) || tick !== this.best) return
    if (d.size === 0) {
      this.best = NaN
      this.far = NaN
      return
    }
    const step = this.isBid ? -1 : 1
    const end = this.far + step
    for (let t = tick + step; t !== end; t += step) {
      if (d.has(t)) {
        this.best = t
        return
      }
    }
    this.best = NaN
  }

  top(n: number, ticks: Float64Array, lots: Float64Array): number {
    if (Number.isNaN(this.best)) return 0
    const d = this.depth
    const step = this.isBid ? -1 : 1
    const end = this.far + step
    let k = 0
    for (let t = this.best; t !== end && k < n; t += step) {
      const v = d.get(t)
      if (v !== undefined) {
        ticks[k] = t
        lots[k++] = v
      }
    }
    return k
  }
}

class MapBook {
  readonly bids = new MapSide(true)
  readonly asks = new MapSide(false)
  readonly topBidTicks = new Float64Array(TOP_N)
  readonly topBidLots = new Float64Array(TOP_N)
  readonly topAskTicks = new Float64Array(TOP_N)
  readonly topAskLots = new Float64Array(TOP_N)
  topBidCount = 0
  topAskCount = 0

  clear(): void {
    this.bids.clear()
    this.asks.clear()
  }

  readTop(): void {
    this.topBidCount = this.bids.top(TOP_N, this.topBidTicks, this.topBidLots)
    this.topAskCount = this.asks.top(TOP_N, this.topAskTicks, this.topAskLots)
  }
}

// ---------------------------------------------------------------------------------------------
// Timed drivers: one function per book so each call site stays monomorphic. Each returns the
// number of top levels read (equal across books, checked) and a value sum that keeps the reads
// observable.

interface RunOut {
  levelsRead: number
  sink: number
}

function runOurs(s: Stream, loops: number, read: boolean, book: OrderBook): RunOut {
  const { msgStart, msgIsSnapshot, isBid, ticks, lots, messages } = s
  let levelsRead = 0
  let sink = 0
  for (let loop = 0; loop < loops; loop++) {
    for (let m = 0; m < messages; m++) {
      if (msgIsSnapshot[m] === 1) book.clear()
      const end = msgStart[m + 1] ?? 0
      for (let j = msgStart[m] ?? 0; j < end; j++) {
        book.set(isBid[j] === 1, ticks[j] ?? 0, lots[j] ?? 0)
      }
      if (read) {
        book.readTop(TOP_N)
        const nb = book.topBidCount
        const na = book.topAskCount
        for (let i = 0; i < nb; i++) sink += book.topBidLots[i] ?? 0
        for (let i = 0; i < na; i++) sink += book.topAskLots[i] ?? 0
        levelsRead += nb + na
      }
    }
  }
  return { levelsRead, sink }
}

function runMap(s: Stream, loops: number, read: boolean, book: MapBook): RunOut {
  const { msgStart, msgIsSnapshot, isBid, ticks, lots, messages } = s
  let levelsRead = 0
  let sink = 0
  for (let loop = 0; loop < loops; loop++) {
    for (let m = 0; m < messages; m++) {
      if (msgIsSnapshot[m] === 1) book.clear()
      const end = msgStart[m + 1] ?? 0
      for (let j = msgStart[m] ?? 0; j < end; j++) {
        ;(isBid[j] === 1 ? book.bids : book.asks).set(ticks[j] ?? 0, lots[j] ?? 0)
      }
      if (read) {
        book.readTop()
        const nb = book.topBidCount
        const na = book.topAskCount
        for (let i = 0; i < nb; i++) sink += book.topBidLots[i] ?? 0
        for (let i = 0; i < na; i++) sink += book.topAskLots[i] ?? 0
        levelsRead += nb + na
      }
    }
  }
  return { levelsRead, sink }
}

function runTardis(s: Stream, loops: number, read: boolean, book: TardisOrderBook): RunOut {
  const changes = s.tardis
  let levelsRead = 0
  let sink = 0
  for (let loop = 0; loop < loops; loop++) {
    for (const c of changes) {
      book.update(c)
      if (read) {
        // As tardis-dev's own book_snapshot computable reads its top N.
        const bids = book.bids()
        const asks = book.asks()
        for (let i = 0; i < TOP_N; i++) {
          const b = bids.next()
          if (b.done === true) break
          sink += b.value.amount
          levelsRead++
        }
        for (let i = 0; i < TOP_N; i++) {
          const a = asks.next()
          if (a.done === true) break
          sink += a.value.amount
          levelsRead++
        }
      }
    }
  }
  return { levelsRead, sink }
}

// ---------------------------------------------------------------------------------------------
// Equality check (untimed): top-20 hash after every message, then the full final book.

type Level = [tick: number, lots: number]

function mix(h: number, x: number): number {
  // x is a non-negative integer < 2^53: hash both 32-bit halves (FNV-1a style mixing).
  h = Math.imul(h ^ (x >>> 0), 16777619)
  return Math.imul(h ^ Math.floor(x / 4294967296), 16777619)
}

function hashTop(
  bt: Float64Array,
  bl: Float64Array,
  nb: number,
  at: Float64Array,
  al: Float64Array,
  na: number
): number {
  let h = mix(2166136261, nb)
  for (let i = 0; i < nb; i++) h = mix(mix(h, bt[i] ?? 0), bl[i] ?? 0)
  h = mix(h, na)
  for (let i = 0; i < na; i++) h = mix(mix(h, at[i] ?? 0), al[i] ?? 0)
  return h >>> 0
}

function verify(s: Stream, loops: number): { messagesChecked: number; finalLevels: number } {
  const ours = new OrderBook()
  const map = new MapBook()
  const tardis = new TardisOrderBook()
  const mult = 10 ** s.grid.scale / s.grid.step
  const tBt = new Float64Array(TOP_N)
  const tBl = new Float64Array(TOP_N)
  const tAt = new Float64Array(TOP_N)
  const tAl = new Float64Array(TOP_N)
  // tardis-dev keeps JS numbers; converting back to ticks/lots is exact at these magnitudes, and
  // a non-integer result would show up as a hash difference.
  const readTardis = (
    it: IterableIterator<BookPriceLevel>,
    t: Float64Array,
    l: Float64Array
  ): number => {
    let k = 0
    for (; k < TOP_N; k++) {
      const r = it.next()
      if (r.done === true) break
      t[k] = Math.round(r.value.price * mult)
      l[k] = Math.round(r.value.amount * 1e8)
    }
    return k
  }
  let checked = 0
  for (let loop = 0; loop < loops; loop++) {
    for (let m = 0; m < s.messages; m++) {
      if (s.msgIsSnapshot[m] === 1) {
        ours.clear()
        map.clear()
      }
      for (let j = s.msgStart[m] ?? 0; j < (s.msgStart[m + 1] ?? 0); j++) {
        const bid = s.isBid[j] === 1
        ours.set(bid, s.ticks[j] ?? 0, s.lots[j] ?? 0)
        ;(bid ? map.bids : map.asks).set(s.ticks[j] ?? 0, s.lots[j] ?? 0)
      }
      const change = s.tardis[m]
      if (!change) throw new Error('missing tardis message')
      tardis.update(change)
      ours.readTop(TOP_N)
      map.readTop()
      const nb = readTardis(tardis.bids(), tBt, tBl)
      const na = readTardis(tardis.asks(), tAt, tAl)
      const hOurs = hashTop(
        ours.topBidTicks,
        ours.topBidLots,
        ours.topBidCount,
        ours.topAskTicks,
        ours.topAskLots,
        ours.topAskCount
      )
      const hMap = hashTop(
        map.topBidTicks,
        map.topBidLots,
        map.topBidCount,
        map.topAskTicks,
        map.topAskLots,
        map.topAskCount
      )
      const hTardis = hashTop(tBt, tBl, nb, tAt, tAl, na)
      if (hOurs !== hMap || hOurs !== hTardis) {
        throw new Error(
          `${s.name}: top-20 differs at loop ${loop} message ${m}: ours ${hOurs.toString(16)} map ${hMap.toString(16)} tardis ${hTardis.toString(16)}`
        )
      }
      checked++
    }
  }
  // The whole final book, level by level.
  const full = (name: string, side: Level[], other: Level[]): void => {
    const same = (l: Level, i: number): boolean => {
      const o = other[i]
      return o !== undefined && l[0] === o[0] && l[1] === o[1]
    }
    if (side.length !== other.length || !side.every(same)) {
      throw new Error(
        `${s.name}: final book differs (${name}: ${side.length} vs ${other.length} levels)`
      )
    }
  }
  for (const isBid of [true, false]) {
    const a: Level[] = []
    ;(isBid ? ours.bids : ours.asks).forEach((t, l) => a.push([t, l]))
    const mside = isBid ? map.bids : map.asks
    const b: Level[] = [...mside.depth.entries()].sort((x, y) =>
      isBid ? y[0] - x[0] : x[0] - y[0]
    )
    const c: Level[] = [...(isBid ? tardis.bids() : tardis.asks())].map((l) => [
      Math.round(l.price * mult),
      Math.round(l.amount * 1e8)
    ])
    full(`map ${isBid ? 'bids' : 'asks'}`, a, b)
    full(`tardis ${isBid ? 'bids' : 'asks'}`, a, c)
  }
  return { messagesChecked: checked, finalLevels: ours.bids.levels + ours.asks.levels }
}

// ---------------------------------------------------------------------------------------------
// Timing

const ALL_IMPLS = [
  'lakebook OrderBook',
  'tardis-dev 13.35.3 OrderBook',
  'Map + best pointer'
] as const
type Impl = (typeof ALL_IMPLS)[number]
const BASELINE: Impl = 'tardis-dev 13.35.3 OrderBook'
const IMPLS: readonly Impl[] = ALL_IMPLS.filter((i) =>
  i.toLowerCase().includes(ONLY_IMPL.toLowerCase())
)

/** Builds a fresh book (outside the timed region) and returns the run over it. */
function prepare(impl: Impl, s: Stream, loops: number, read: boolean): () => RunOut {
  switch (impl) {
    case 'lakebook OrderBook': {
      const book = new OrderBook()
      return () => runOurs(s, loops, read, book)
    }
    case 'tardis-dev 13.35.3 OrderBook': {
      const book = new TardisOrderBook()
      return () => runTardis(s, loops, read, book)
    }
    case 'Map + best pointer': {
      const book = new MapBook()
      return () => runMap(s, loops, read, book)
    }
  }
}

async function benchCase(s: Stream, read: boolean, gc: GcCounter): Promise<BenchRow[]> {
  const loops = Math.max(1, Math.round(TARGET_UPDATES / s.levels))
  const updates = loops * s.levels
  const messages = loops * s.messages
  const label = `${s.name} · ${read ? 'top-20 after every message' : 'updates only'}`
  console.log(
    `\n${label}: ${loops} loops × ${s.messages} messages = ${fmt(updates)} level updates per run`
  )
  // Warm-up: a quarter of a run each (at least 2 loops) so every path is optimised.
  for (const impl of IMPLS) prepare(impl, s, Math.max(2, loops >> 2), read)()
  const samples = new Map<Impl, { ms: number[]; gc: number[]; gcMs: number[]; read: number }>()
  for (const impl of IMPLS) samples.set(impl, { ms: [], gc: [], gcMs: [], read: 0 })
  for (let r = 0; r < RUNS; r++) {
    // Interleaved, rotating order so drift and noise spread over all three books.
    for (let k = 0; k < IMPLS.length; k++) {
      const impl = IMPLS[(k + r) % IMPLS.length] ?? BASELINE
      const run = prepare(impl, s, loops, read)
      forceGc()
      const t0 = performance.now()
      const out = run()
      const t1 = performance.now()
      const g = await gc.between(t0, t1)
      const rec = samples.get(impl)
      if (!rec) throw new Error('no sample record')
      rec.ms.push(t1 - t0)
      rec.gc.push(g.count)
      rec.gcMs.push(g.ms)
      if (rec.read !== 0 && rec.read !== out.levelsRead) throw new Error('levels read changed')
      rec.read = out.levelsRead
      if (!Number.isFinite(out.sink)) throw new Error('bad sink')
    }
  }
  const reads = new Set([...samples.values()].map((v) => v.read))
  if (reads.size !== 1) throw new Error(`${label}: the books read different numbers of levels`)
  const nsPer = (impl: Impl): number => (median(samples.get(impl)?.ms ?? []) * 1e6) / updates
  const base = IMPLS.includes(BASELINE) ? nsPer(BASELINE) : NaN
  return IMPLS.map((impl) => {
    const rec = samples.get(impl) ?? { ms: [], gc: [], gcMs: [], read: 0 }
    const ms = median(rec.ms)
    const ns = nsPer(impl)
    return {
      case: label,
      impl,
      metric: 'ns/update',
      value: round(ns, 1),
      lowerIsBetter: true,
      ...(Number.isNaN(base) ? {} : { vsBaseline: round(base / ns, 2), baseline: BASELINE }),
      details: {
        medianMs: round(ms, 1),
        minNsPerUpdate: round((Math.min(...rec.ms) * 1e6) / updates, 1),
        runsMs: rec.ms.map((x) => round(x, 1)),
        messagesPerSec: Math.round(messages / (ms / 1000)),
        updatesPerSec: Math.round(updates / (ms / 1000)),
        levelUpdatesPerRun: updates,
        messagesPerRun: messages,
        loops,
        topLevelsReadPerRun: rec.read,
        gcPerRun: median(rec.gc),
        gcMsPerRun: round(median(rec.gcMs), 1)
      }
    }
  })
}

function round(x: number, d: number): number {
  const p = 10 ** d
  return Math.round(x * p) / p
}

async function main(): Promise<void> {
  const m = machineInfo()
  console.log(`book bench · ${m.cpu} · ${m.cores} cores · ${m.ramGiB} GiB · Node ${m.node}`)
  const streams: Stream[] = []
  for (const ds of DATASETS.filter((d) => d.name.includes(ONLY_DATASET))) {
    const s = await loadStream(ds)
    const v = verify(s, 2)
    console.log(
      `${s.name}: ${s.messages} messages (1 snapshot + ${s.messages - 1} diffs), ${fmt(s.levels)} level updates per loop; ` +
        `top-20 identical after all ${v.messagesChecked} messages of 2 loops and final books equal (${v.finalLevels} levels)`
    )
    streams.push(s)
  }
  const gc = new GcCounter()
  const rows: BenchRow[] = []
  for (const s of streams)
    for (const read of [true, false]) rows.push(...(await benchCase(s, read, gc)))
  gc.close()

  printTable(
    ['case', 'impl', 'ns/update', 'msgs/s', 'updates/s', 'GC/run', 'vs tardis'],
    rows.map((r) => [
      r.case,
      r.impl,
      fmt(r.value),
      fmt(Number(r.details['messagesPerSec'])),
      fmt(Number(r.details['updatesPerSec'])),
      String(r.details['gcPerRun']),
      r.vsBaseline === undefined ? '' : `${fmt(r.vsBaseline)}×`
    ])
  )
  const notes = [
    "Looped real events: each loop re-applies the capture's REST snapshot (clearing the book, as after a reconnect) then the same real diffs; no prices or update ids shifted.",
    `Level updates per run ≈ ${fmt(TARGET_UPDATES)} (BENCH_BOOK_UPDATES), ${RUNS} timed runs per book (BENCH_BOOK_RUNS) after a warm-up, interleaved; value = median.`,
    'Before timing, the three books agree on the top-20 hash after every message of 2 loops and on the full final book.',
    'tardis-dev gets prebuilt book_change objects (float prices/amounts); the others get integer ticks/lots.'
  ]
  const file = writeReport(benchName(import.meta.url), rows, notes)
  console.log(`\nwrote ${file}`)
}

await main()

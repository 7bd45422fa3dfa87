// Decimal strategy benchmark on the REAL prices and sizes of the four shared capture sets
// (../shared/data/binance-captures/), for docs/decimal-strategy.md:
//   npx tsx bench/decimal.bench.ts        (or: npm run bench -- decimal)
// Env: BENCH_DECIMAL_RUNS (default 5), BENCH_DECIMAL_SETS (comma-separated filter).
//
// 1. Exactness (no timing): every decimal string of each capture (depth levels, snapshots, trades,
//    bookTickers) → integer ticks / 1e-8 lots → string must give the same decimal, and the float
//    path (Number(s) → FloatGrid / floatToLots) the same integers; then each capture is converted
//    to Crypto Lake Parquet (float64 columns, as the vendor stores them) and every float must go
//    float → integer → decimal → the identical double (src-main/validate/decimal.ts).
// 2. Speed of the book's hot operations on those values, integer ticks/lots (src-main/engine/book/units.ts)
//    against decimal.js 10.6.0 (and the float path for parsing):
//    - parse: price and size strings → ticks and lots (decimal.js: new Decimal(s));
//    - compare: each price against the previous one (a < b; Decimal.cmp);
//    - add/subtract: a running depth total, + new size − old size per update (Decimal.plus/minus).
//    Every implementation's result is checked against the integer one before timing. Timings are
//    medians of interleaved runs after a warm-up; they measure, never assert.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Decimal from 'decimal.js'
import { FloatGrid, PriceGrid, floatToLots, toLots } from '../src-shared/units'
import { convertCaptureToLake } from '../src-main/convert/captureToLake'
import {
  captureDecimals,
  measureCaptureExactness,
  measureParquetExactness,
  parsePartitionRel,
  walkParquet,
  type DecimalExactness
} from '../src-main/validate'
import {
  benchName,
  CAPTURES_DIR,
  fmt,
  forceGc,
  median,
  printTable,
  writeReport,
  type BenchRow
} from './lib'
import { readdirSync } from 'node:fs'

const RUNS = Number(process.env['BENCH_DECIMAL_RUNS'] ?? 5)
const ONLY = (process.env['BENCH_DECIMAL_SETS'] ?? '').split(',').filter((s) => s !== '')

const SETS: readonly { name: string; tick: string }[] = [
  { name: 'spot-btcusdt-20240808', tick: '0.01' },
  { name: 'usdm-btcusdt-20240718', tick: '0.1' },
  { name: 'usdm-btcusdt-20240808', tick: '0.1' },
  { name: 'spot-nexousdt-20240723', tick: '0.001' }
].filter((s) => ONLY.length === 0 || ONLY.some((o) => s.name.includes(o)))

function files(set: string): string[] {
  const dir = join(CAPTURES_DIR, set)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.gz'))
    .sort()
    .map((f) => join(dir, f))
}

interface Values {
  readonly prices: string[]
  readonly sizes: string[]
}

async function load(set: string): Promise<Values> {
  const prices: string[] = []
  const sizes: string[] = []
  for await (const v of captureDecimals(files(set))) {
    prices.push(v.price)
    sizes.push(v.qty)
  }
  return { prices, sizes }
}

// ---------------------------------------------------------------------------------------------
// The operations, once per implementation. Each returns a checksum so nothing is optimised away.

type Op = 'parse' | 'compare' | 'add/subtract'
type Impl = 'integer ticks/lots' | 'decimal.js 10.6.0' | 'float + FloatGrid'

interface Prepared {
  ticks: Float64Array
  lots: Float64Array
  decPrices: Decimal[]
  decSizes: Decimal[]
}

function prepare(v: Values, grid: PriceGrid): Prepared {
  const n = v.prices.length
  const ticks = new Float64Array(n)
  const lots = new Float64Array(n)
  const decPrices: Decimal[] = []
  const decSizes: Decimal[] = []
  for (let i = 0; i < n; i++) {
    ticks[i] = grid.toTicks(v.prices[i] ?? '')
    lots[i] = toLots(v.sizes[i] ?? '')
    decPrices.push(new Decimal(v.prices[i] ?? '0'))
    decSizes.push(new Decimal(v.sizes[i] ?? '0'))
  }
  return { ticks, lots, decPrices, decSizes }
}

function run(
  op: Op,
  impl: Impl,
  v: Values,
  p: Prepared,
  grid: PriceGrid,
  fgrid: FloatGrid
): number {
  const n = v.prices.length
  let acc = 0
  if (op === 'parse') {
    if (impl === 'integer ticks/lots') {
      for (let i = 0; i < n; i++) acc += grid.toTicks(v.prices[i] ?? '') + toLots(v.sizes[i] ?? '')
    } else if (impl === 'float + FloatGrid') {
      for (let i = 0; i < n; i++)
        acc += fgrid.toTicks(Number(v.prices[i])) + floatToLots(Number(v.sizes[i]))
    } else {
      // A decimal.js book keeps Decimal objects: parsing is constructing them.
      for (let i = 0; i < n; i++) {
        const px = new Decimal(v.prices[i] ?? '0')
        const sz = new Decimal(v.sizes[i] ?? '0')
        acc += px.e + sz.e
      }
    }
    return acc
  }
  if (op === 'compare') {
    if (impl === 'integer ticks/lots') {
      const t = p.ticks
      for (let i = 1; i < n; i++) {
        const a = t[i] ?? 0
        const b = t[i - 1] ?? 0
        acc += a < b ? -1 : a > b ? 1 : 0
      }
    } else {
      const d = p.decPrices
      for (let i = 1; i < n; i++) acc += (d[i] as Decimal).cmp(d[i - 1] as Decimal)
    }
    return acc
  }
  // add/subtract: depth total += new − old, as a level update changes a side's total size.
  if (impl === 'integer ticks/lots') {
    const l = p.lots
    let total = 0
    for (let i = 1; i < n; i++) {
      total += (l[i] ?? 0) - (l[i - 1] ?? 0)
      acc += total
    }
    return acc + total
  }
  const d = p.decSizes
  let total = new Decimal(0)
  let sum = new Decimal(0)
  for (let i = 1; i < n; i++) {
    total = total.plus(d[i] as Decimal).minus(d[i - 1] as Decimal)
    sum = sum.plus(total)
  }
  return sum.times(1e8).toNumber() + total.times(1e8).toNumber()
}

/** Before timing the parsers: decimal.js and the float path give the integers' values exactly. */
function checkParse(set: string, v: Values, p: Prepared, grid: PriceGrid, fgrid: FloatGrid): void {
  const tick = new Decimal(grid.tick)
  for (let i = 0; i < v.prices.length; i++) {
    const t = p.ticks[i] ?? NaN
    const l = p.lots[i] ?? NaN
    const dt = (p.decPrices[i] as Decimal).div(tick)
    const dl = (p.decSizes[i] as Decimal).times(1e8)
    if (!dt.isInteger() || dt.toNumber() !== t || !dl.isInteger() || dl.toNumber() !== l)
      throw new Error(`${set}: decimal.js disagrees at ${v.prices[i]} × ${v.sizes[i]}`)
    if (fgrid.toTicks(Number(v.prices[i])) !== t || floatToLots(Number(v.sizes[i])) !== l)
      throw new Error(`${set}: the float path disagrees at ${v.prices[i]} × ${v.sizes[i]}`)
  }
}

const IMPLS: Record<Op, readonly Impl[]> = {
  parse: ['integer ticks/lots', 'decimal.js 10.6.0', 'float + FloatGrid'],
  compare: ['integer ticks/lots', 'decimal.js 10.6.0'],
  'add/subtract': ['integer ticks/lots', 'decimal.js 10.6.0']
}

async function main(): Promise<void> {
  Decimal.set({ precision: 40 })
  const rows: BenchRow[] = []
  const exact: { set: string; m: DecimalExactness }[] = []
  const table: string[][] = []
  for (const s of SETS) {
    const grid = new PriceGrid(s.tick)
    const fgrid = new FloatGrid(s.tick)
    // 1. exactness: decimal strings, then the Parquet floats of a conversion of the same capture.
    const cap = await measureCaptureExactness(files(s.name), s.tick)
    const dir = mkdtempSync(join(tmpdir(), 'lakebook-decimal-'))
    try {
      await convertCaptureToLake(files(s.name), dir)
      const pq = await measureParquetExactness(
        walkParquet(dir).map((rel) => ({
          path: join(dir, rel),
          table: parsePartitionRel(rel)?.table ?? 'trades'
        })),
        s.tick
      )
      exact.push({ set: s.name, m: cap }, { set: s.name, m: pq })
      for (const [src, m] of [
        ['capture strings', cap],
        ['Parquet floats', pq]
      ] as const) {
        rows.push({
          case: `${s.name} · exactness · ${src}`,
          impl: 'integer ticks/lots',
          metric: 'values not exact',
          value: m.prices.values - m.prices.exact + (m.sizes.values - m.sizes.exact),
          lowerIsBetter: true,
          details: {
            prices: m.prices.values,
            pricesExact: m.prices.exact,
            sizes: m.sizes.values,
            sizesExact: m.sizes.exact,
            ...(src === 'capture strings'
              ? {
                  pricesFloatPathAgrees: m.prices.floatAgrees,
                  sizesFloatPathAgrees: m.sizes.floatAgrees,
                  maxPriceDecimals: m.prices.maxDecimals,
                  maxSizeDecimals: m.sizes.maxDecimals
                }
              : {})
          }
        })
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }

    // 2. speed
    const v = await load(s.name)
    const p = prepare(v, grid)
    const n = v.prices.length
    console.log(`\n${s.name}: ${fmt(n)} price/size pairs, tick ${s.tick}`)
    for (const op of ['parse', 'compare', 'add/subtract'] as const) {
      const impls = IMPLS[op]
      const want = op === 'parse' ? 0 : run(op, 'integer ticks/lots', v, p, grid, fgrid)
      for (const impl of impls) {
        const got = run(op, impl, v, p, grid, fgrid) // warm-up, and a check where comparable
        if (op !== 'parse' && Math.abs(got - want) > 1e-6 * Math.max(1, Math.abs(want)))
          throw new Error(`${s.name} ${op}: ${impl} gives ${got}, integers give ${want}`)
      }
      if (op === 'parse') checkParse(s.name, v, p, grid, fgrid)
      const samples = new Map<Impl, number[]>(impls.map((i) => [i, []]))
      for (let r = 0; r < RUNS; r++) {
        for (let k = 0; k < impls.length; k++) {
          const impl = impls[(k + r) % impls.length] ?? 'integer ticks/lots'
          forceGc()
          const t0 = performance.now()
          run(op, impl, v, p, grid, fgrid)
          samples.get(impl)?.push(((performance.now() - t0) * 1e6) / n)
        }
      }
      const base = median(samples.get('decimal.js 10.6.0') ?? [])
      for (const impl of impls) {
        const ns = median(samples.get(impl) ?? [])
        rows.push({
          case: `${s.name} · ${op} (per price/size pair)`,
          impl,
          metric: 'ns/op',
          value: ns,
          lowerIsBetter: true,
          vsBaseline: base / ns,
          baseline: 'decimal.js 10.6.0',
          details: {
            runs: (samples.get(impl) ?? []).map((x) => Math.round(x * 100) / 100),
            pairs: n
          }
        })
        table.push([s.name, op, impl, fmt(ns), `${(base / ns).toFixed(1)}×`])
      }
    }
  }
  console.log('')
  printTable(['set', 'operation', 'implementation', 'ns/op', 'vs decimal.js'], table)
  console.log('')
  for (const { set, m } of exact)
    console.log(
      `${m.source.padEnd(8)} ${set}: prices ${m.prices.exact}/${m.prices.values} exact, sizes ${m.sizes.exact}/${m.sizes.values} exact` +
        (m.source === 'capture'
          ? `, float path ${m.prices.floatAgrees}/${m.sizes.floatAgrees}`
          : '')
    )
  const file = writeReport(benchName(import.meta.url), rows, [
    'Exactness rows: values that did not convert to integers and back exactly (0 expected).',
    'Speed rows: median ns per price/size pair over interleaved runs; vsBaseline = decimal.js / impl.',
    'parse: integers = PriceGrid.toTicks + toLots; decimal.js = new Decimal() twice; float = Number() + FloatGrid/floatToLots.',
    'compare: each price against the previous; add/subtract: running depth total += new size − previous size.'
  ])
  console.log(`\n${file}`)
}

await main()

// The dataset's Parquet writer beside parquet-wasm's (arrow-rs), on the same real rows: one day of
// tiled real data (the spot BTCUSDT capture, bench/tiled.ts) is exported once, then the largest
// `events` and `book` part files are read back into row-group buffers and written again, many
// times, by
//   - the project's encoder (export/parquetWriter.ts: delta integers, dictionary codes, prices and
//     sizes, snappy, V2 pages), as the export writes them;
//   - parquet-wasm's streaming writer with the settings the export used before it (V2 pages,
//     DELTA_BINARY_PACKED integers, dictionary codes and floats, snappy, chunk statistics on the
//     same columns), given Arrow IPC row groups made before the clock starts.
// One thread each, in turn, medians of BENCH_WRITER_RUNS; CPU time of the process per row, bytes
// per row. Both files must read back (parquet-wasm) to the same values, or the bench fails.
//   npx tsx bench/datasetWriter.bench.ts   (BENCH_WRITER_ROWS, BENCH_WRITER_RUNS)
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import {
  Field,
  Float64,
  Int32,
  Int64,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  TimeUnit,
  Timestamp,
  makeData,
  tableFromIPC,
  tableToIPC,
  type DataType
} from 'apache-arrow'
import {
  Compression,
  Encoding,
  EnabledStatistics,
  Table as WasmTable,
  WriterPropertiesBuilder,
  WriterVersion,
  readParquet
} from 'parquet-wasm'
import { exportDataset } from '../src-main/export/exportJob'
import { ExportParquetWriter } from '../src-main/export/parquetWriter'
import { defaultTables } from '../src-main/export/pipeline'
import { rowGroupBuffer, rowGroupLayout } from '../src-main/export/rowGroup'
import { TABLE_SPECS, TYPE_BYTES, type ColumnType, type TableSpec } from '../src-main/export/schema'
import { ParquetStreamFile } from '../src-main/lake/parquet/streamFile'
import { benchName, fmt, median, printTable, writeReport, type BenchRow } from './lib'
import { tiledRealData } from './tiled'

const ROWS = Number(process.env['BENCH_WRITER_ROWS'] ?? 8_000_000)
const RUNS = Number(process.env['BENCH_WRITER_RUNS'] ?? 5)
const DATA = join(tmpdir(), `lakebook-bench-lake-${ROWS}`)
const OUT = join(tmpdir(), 'lakebook-bench-writer')

interface Group {
  readonly buffer: ArrayBuffer
  readonly ipc: Uint8Array
  readonly rows: number
}

function arrowType(t: ColumnType): DataType {
  if (t === 'i8') return new Int8()
  if (t === 'i32') return new Int32()
  if (t === 'i64') return new Int64()
  if (t === 'ts') return new Timestamp(TimeUnit.MICROSECOND, 'UTC')
  return new Float64()
}

/** A part file's rows as row-group buffers (for the encoder) and Arrow IPC (for parquet-wasm). */
function loadPart(path: string, spec: TableSpec): Group[] {
  const t = tableFromIPC(readParquet(readFileSync(path)).intoIPCStream())
  const layout = rowGroupLayout(spec)
  const schema = new Schema(spec.columns.map((c) => new Field(c.name, arrowType(c.type), false)))
  const groups: Group[] = []
  for (let from = 0; from < t.numRows; from += spec.rowGroupRows) {
    const rows = Math.min(spec.rowGroupRows, t.numRows - from)
    const rg = rowGroupBuffer(spec, layout)
    const children = spec.columns.map((c, k) => {
      const w = TYPE_BYTES[c.type]
      let at = layout.offsets[k] ?? 0
      const col = t.getChild(c.name)?.slice(from, from + rows)
      if (!col) throw new Error(`${path} has no column ${c.name}`)
      for (const d of col.data) {
        const v = d.values as ArrayBufferView
        const b = new Uint8Array(v.buffer, v.byteOffset + d.offset * w, d.length * w)
        new Uint8Array(rg.buffer, at, b.length).set(b)
        at += b.length
      }
      const bytes = new Uint8Array(rg.buffer, layout.offsets[k] ?? 0, rows * w).slice()
      const data =
        c.type === 'i8'
          ? new Int8Array(bytes.buffer)
          : c.type === 'i32'
            ? new Int32Array(bytes.buffer)
            : c.type === 'f64'
              ? new Float64Array(bytes.buffer)
              : new BigInt64Array(bytes.buffer)
      return makeData({ type: arrowType(c.type), length: rows, nullCount: 0, data } as never)
    })
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children })
    )
    groups.push({
      buffer: rg.buffer,
      ipc: tableToIPC(new ArrowTable([batch]), 'stream'),
      rows
    })
  }
  return groups
}

function cpuNow(): number {
  const c = process.cpuUsage()
  return (c.user + c.system) / 1e6
}

async function writeOurs(path: string, spec: TableSpec, groups: readonly Group[]): Promise<number> {
  const w = ExportParquetWriter.open(path, spec)
  for (const g of groups) w.writeBufferRowGroup(g.buffer, g.rows)
  return (await w.close()).bytes
}

/** parquet-wasm with the export's former writer settings. */
async function writeWasm(path: string, spec: TableSpec, groups: readonly Group[]): Promise<number> {
  let b = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setWriterVersion(WriterVersion.V2)
    .setMaxRowGroupSize(spec.rowGroupRows)
    .setDictionaryEnabled(false)
    .setStatisticsEnabled(EnabledStatistics.None)
  for (const col of spec.columns) {
    if (col.type === 'i8' || col.type === 'f64') b = b.setColumnDictionaryEnabled(col.name, true)
    else b = b.setColumnEncoding(col.name, Encoding.DELTA_BINARY_PACKED)
  }
  for (const c of spec.statsColumns) b = b.setColumnStatisticsEnabled(c, EnabledStatistics.Chunk)
  const file = ParquetStreamFile.open(path, b.build())
  for (const g of groups) {
    const t = WasmTable.fromIPCStream(g.ipc)
    const batches = t.recordBatches()
    t.free()
    await file.write(batches)
  }
  await file.publish(groups.map((g) => g.rows))
  return file.bytes
}

/** A digest of every value, column by column, as a reader sees them. */
function valuesDigest(path: string): string {
  const t = tableFromIPC(readParquet(readFileSync(path)).intoIPCStream())
  const h = createHash('sha256')
  for (const f of t.schema.fields) {
    for (const d of t.getChild(f.name)?.data ?? []) {
      const v = d.values as ArrayBufferView & { BYTES_PER_ELEMENT: number }
      const w = v.BYTES_PER_ELEMENT
      h.update(new Uint8Array(v.buffer, v.byteOffset + d.offset * w, d.length * w))
    }
  }
  return h.digest('hex')
}

/** The largest part file of a table in the exported dataset. */
function largestPart(dataset: string, table: string): string {
  const dir = join(dataset, table)
  const files = readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.parquet'))
  const best = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]
  if (best === undefined) throw new Error(`no ${table} part in ${dataset}`)
  return best
}

await tiledRealData(DATA, ROWS)
const dataset = join(OUT, 'dataset')
rmSync(OUT, { recursive: true, force: true })
await exportDataset(
  {
    root: DATA,
    exchange: 'BINANCE',
    symbol: 'BTC-USDT',
    from: '2024-08-10',
    to: '2024-08-10',
    warmupDays: 0,
    gridUs: 100_000,
    chunkUs: 3_600_000_000,
    tables: defaultTables(),
    out: dataset,
    decodeWorkers: 0
  },
  { gates: { lakeRoot: DATA, ungated: true, fidelity: 'off' } }
)

const results: BenchRow[] = []
const table: string[][] = []
for (const name of ['events', 'book'] as const) {
  const spec = TABLE_SPECS[name]
  const part = largestPart(dataset, name)
  const groups = loadPart(part, spec)
  const rows = groups.reduce((a, g) => a + g.rows, 0)
  const ways = {
    'lakebook encoder': writeOurs,
    'parquet-wasm (arrow-rs)': writeWasm
  } as const
  const ns: Record<string, number[]> = {}
  const bytes: Record<string, number> = {}
  const digests = new Set<string>()
  // A warm-up of each, then the two in turn, so load changes hit both alike.
  for (let r = -1; r < RUNS; r++) {
    for (const [way, write] of Object.entries(ways)) {
      const path = join(OUT, `${name}-${way.replace(/\W+/g, '-')}.parquet`)
      const c0 = cpuNow()
      bytes[way] = await write(path, spec, groups)
      const cpu = cpuNow() - c0
      if (r >= 0) (ns[way] ??= []).push((cpu * 1e9) / rows)
      if (r === RUNS - 1) digests.add(valuesDigest(path))
      rmSync(path, { force: true })
    }
  }
  if (digests.size !== 1) throw new Error(`${name}: the two writers' files read back differently`)
  const ours = median(ns['lakebook encoder'] ?? [])
  const theirs = median(ns['parquet-wasm (arrow-rs)'] ?? [])
  for (const way of Object.keys(ways)) {
    const v = median(ns[way] ?? [])
    const b = bytes[way] ?? 0
    results.push({
      case: `${name} part, ${fmt(rows)} rows of tiled real data`,
      impl: way,
      metric: 'ns CPU/row',
      value: v,
      lowerIsBetter: true,
      ...(way === 'lakebook encoder'
        ? { vsBaseline: theirs / ours, baseline: 'parquet-wasm' }
        : {}),
      details: { runs: ns[way] ?? [], bytes: b, bytesPerRow: b / rows, rows }
    })
    table.push([name, way, fmt(v), fmt(b / rows), (ns[way] ?? []).map(fmt).join(' ')])
  }
}
rmSync(OUT, { recursive: true, force: true })
printTable(['table', 'writer', 'ns CPU/row', 'bytes/row', 'runs'], table)
console.log(`wrote ${writeReport(benchName(import.meta.url), results)}`)

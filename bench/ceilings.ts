// The ceilings an export is put beside in the same run: every row of its input files read by
// DuckDB (a fast native columnar scan) and by the project's own Parquet decode (parquet-wasm →
// typed columns, nothing after it: what no export on one decode thread can beat).
import { partitionFiles } from '../src-main/lake/layout'
import { readLakeTable } from '../src-main/lake/parquet/reader'

export const TABLES = ['book_delta_v2', 'trades', 'book'] as const
type Table = (typeof TABLES)[number]

export interface InputSpan {
  /** A vendor-layout folder (or a lake zone) holding the tables. */
  readonly data: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string
  readonly to: string
}

export interface CeilingResult {
  seconds: number
  events: number
  maxRssMB: number
}

export function inputFiles(c: InputSpan): { table: Table; path: string }[] {
  const out: { table: Table; path: string }[] = []
  for (let d = Date.parse(`${c.from}T00:00:00Z`); d <= Date.parse(`${c.to}T00:00:00Z`); d += 864e5)
    for (const table of TABLES)
      for (const path of partitionFiles(
        c.data,
        table,
        c.exchange,
        c.symbol,
        new Date(d).toISOString().slice(0, 10)
      ))
        out.push({ table, path })
  return out
}

const maxRss = (): number => Math.round(process.resourceUsage().maxRSS / 1024)

/** Every row of the inputs, decoded by parquet-wasm (the export's reader). */
export async function ceilingDecode(c: InputSpan): Promise<CeilingResult> {
  const t0 = performance.now()
  let events = 0
  for (const f of inputFiles(c))
    for await (const b of readLakeTable(f.path, f.table)) events += b.rows
  return { seconds: (performance.now() - t0) / 1000, events, maxRssMB: maxRss() }
}

/** Every row and column of the same files scanned by DuckDB (two threads, the machine's cores). */
export async function ceilingDuckdb(c: InputSpan): Promise<CeilingResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const db = await DuckDBInstance.create(':memory:', { threads: '2' })
  const con = await db.connect()
  const t0 = performance.now()
  let events = 0
  for (const table of TABLES) {
    const paths = inputFiles(c)
      .filter((f) => f.table === table)
      .map((f) => `'${f.path}'`)
    const r = await con.runAndReadAll(
      `SELECT count(*) AS n, max(COLUMNS(*)) FROM read_parquet([${paths.join(',')}])`
    )
    events += Number(r.getRows()[0]?.[0] ?? 0)
  }
  const seconds = (performance.now() - t0) / 1000
  con.closeSync()
  return { seconds, events, maxRssMB: maxRss() }
}

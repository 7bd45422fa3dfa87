// The input files of an export: every Crypto Lake file the replay reads, with a stable id (the
// events table's `source_file`: YYYYMMDD × 100 + its index in its partition, the table given by
// `kind`), rows (from the footer), size, sha256 computed here, and the sha256 the acquisition
// recorded in the manifest's acquired_files when the file came through `lakebook download`. The
// two must agree: a file changed since it was verified is refused. Hashes are computed once per
// run and kept in the work folder, so a resumed export does not read every input again; a file
// whose size or mtime changed since is refused too (the resumed output would mix two inputs).
import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { basename, relative } from 'node:path'
import { InputError } from '../util/errors'
import { readFooterSync } from '../lake/parquet/footer'
import type { LakeTable } from '../lake/parquet/schemas'
import { baseOf, type ResolvedSelection } from '../engine/source/lakeSources'
import { assertRegularFile } from '../util/regularFile'

export interface InputFile {
  readonly id: number
  readonly table: LakeTable
  readonly day: string
  /** Relative to the data base (vendor layout: table/exchange=…/symbol=…/dt=…/file). */
  readonly path: string
  readonly rows: number
  readonly bytes: number
  readonly mtimeMs: number
  readonly sha256: string
  /** acquired_files.sha256 when the manifest records the file, else null. */
  readonly manifestSha256: string | null
}

/** Looks up the verified sha256 of a file in the acquisition ledger (null when not recorded). */
export type ManifestLookup = (f: {
  table: LakeTable
  exchange: string
  symbol: string
  day: string
  filename: string
}) => string | null

/** The query behind manifestLookup (acquired_files is the acquisition's table). */
export const MANIFEST_SHA256_SQL = `SELECT sha256 FROM acquired_files
  WHERE table_name = ? AND exchange = ? AND symbol = ? AND dt = ? AND filename = ?
    AND status = 'verified' AND sha256 IS NOT NULL
  ORDER BY recorded_at DESC LIMIT 1`

/** A lookup over an open manifest handle (better-sqlite3's Database, typed structurally). */
export function manifestLookup(db: {
  prepare(sql: string): { get(...params: unknown[]): unknown }
}): ManifestLookup {
  const has = db
    .prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'acquired_files'")
    .get()
  if (has === undefined) return () => null
  const stmt = db.prepare(MANIFEST_SHA256_SQL)
  return (f) => {
    const row = stmt.get(f.table, f.exchange, f.symbol, f.day, f.filename) as
      { sha256: string } | undefined
    return row?.sha256 ?? null
  }
}

export const TABLE_ORDER: readonly LakeTable[] = ['book_delta_v2', 'trades', 'book']

/** Ids for every selected file: YYYYMMDD × 100 + index within its (table, day) partition. */
export function fileIds(sel: ResolvedSelection): Map<string, number> {
  const ids = new Map<string, number>()
  for (const t of TABLE_ORDER) {
    let day = ''
    let k = 0
    for (const f of sel.files[t]) {
      k = f.day === day ? k + 1 : 0
      day = f.day
      if (k > 99) throw new InputError(`more than 100 files in one partition: ${f.path}`)
      ids.set(f.path, Number(f.day.replaceAll('-', '')) * 100 + k)
    }
  }
  return ids
}

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  assertRegularFile(path)
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path, {
    highWaterMark: 4 << 20,
    ...(signal ? { signal } : {})
  })) {
    h.update(chunk as Buffer)
  }
  return h.digest('hex')
}

/** Hashes every selected file (reusing `known` hashes of unchanged files) and checks the manifest. */
export async function describeInputs(
  sel: ResolvedSelection,
  opts: {
    readonly known?: readonly InputFile[] | undefined
    readonly manifest?: ManifestLookup | undefined
    readonly signal?: AbortSignal | undefined
    readonly onFile?: ((done: number, total: number) => void) | undefined
  } = {}
): Promise<InputFile[]> {
  const ids = fileIds(sel)
  const known = new Map((opts.known ?? []).map((f) => [f.path, f]))
  const all = TABLE_ORDER.flatMap((t) => sel.files[t].map((f) => ({ ...f, table: t })))
  const out: InputFile[] = []
  for (const f of all) {
    const rel = relative(baseOf(sel, f.path), f.path)
    const st = statSync(f.path)
    const prev = known.get(rel)
    let sha256: string
    let rows: number
    if (prev !== undefined) {
      if (prev.bytes !== st.size || prev.mtimeMs !== st.mtimeMs) {
        throw new InputError(
          `${rel} changed since this export started (size or time); start the export again`,
          f.path
        )
      }
      sha256 = prev.sha256
      rows = prev.rows
    } else {
      sha256 = await sha256File(f.path, opts.signal)
      rows = readFooterSync(f.path).rows
    }
    const manifestSha256 =
      opts.manifest?.({
        table: f.table,
        exchange: sel.exchange,
        symbol: sel.symbol,
        day: f.day,
        filename: basename(f.path)
      }) ?? null
    if (manifestSha256 !== null && manifestSha256 !== sha256) {
      throw new InputError(
        `sha256 ${sha256} differs from the one recorded at download (${manifestSha256}): the file changed since it was verified`,
        f.path
      )
    }
    out.push({
      id: ids.get(f.path) ?? -1,
      table: f.table,
      day: f.day,
      path: rel,
      rows,
      bytes: st.size,
      mtimeMs: st.mtimeMs,
      sha256,
      manifestSha256
    })
    opts.onFile?.(out.length, all.length)
  }
  return out
}

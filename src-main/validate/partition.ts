// Which files the gate looks at: the Parquet files of one exchange/symbol in a lake zone
// (staging/ or ready/), per table and day, and how a file's path maps to its partition. Paths in
// reports, the manifest and certificates are relative to the lake root with '/' separators, so a
// certificate does not depend on where the lake is mounted.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { GateTable } from '../../src-shared/validate'
import { EmptySelectionError } from '../util/errors'
import { describeContents, partitionDays, partitionFiles } from '../lake/layout'
import { lakePaths } from '../lake/paths'
import type { TickFile } from '../lake/tick'
import { notRegularFile } from '../util/regularFile'

export type Zone = 'staging' | 'ready'

export interface GateFile {
  readonly abs: string
  /** Relative to the lake root, '/' separated (or absolute when outside it). */
  readonly rel: string
  readonly zone: Zone | 'other'
  readonly table: GateTable
  readonly exchange: string
  readonly symbol: string
  readonly day: string
  readonly filename: string
}

/** A file outside the lake's zones (a sample the go/no-go report or lakebook bench measures). */
export function outsideFile(
  f: { readonly path: string; readonly table: GateTable; readonly day: string },
  exchange: string,
  symbol: string
): GateFile {
  return {
    abs: f.path,
    rel: f.path,
    zone: 'other',
    table: f.table,
    exchange,
    symbol,
    day: f.day,
    filename: f.path.slice(f.path.lastIndexOf('/') + 1)
  }
}

/** The gate's files as the tick resolver (lake/tick.ts) takes them. */
export function tickFiles(files: readonly GateFile[]): TickFile[] {
  return files.map((f) => ({ path: f.abs, table: f.table, day: f.day }))
}

export function zoneBase(lakeRoot: string, zone: Zone): string {
  return zone === 'staging' ? lakePaths.staging(lakeRoot) : lakePaths.ready(lakeRoot)
}

/** `abs` relative to the lake root with '/' separators, or `abs` itself when outside it. */
export function lakeRelative(lakeRoot: string, abs: string): string {
  const r = relative(lakeRoot, abs)
  if (r.startsWith('..') || r === '') return abs
  return r.split(sep).join('/')
}

/** The partition-relative part: `{table}/exchange=E/symbol=S/dt=D/{file}`. */
export function partitionRel(f: {
  table: string
  exchange: string
  symbol: string
  day: string
  filename: string
}): string {
  return `${f.table}/exchange=${f.exchange}/symbol=${f.symbol}/dt=${f.day}/${f.filename}`
}

const PART_RE =
  /^(book_delta_v2|trades|book)\/exchange=([^/]+)\/symbol=([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/([^/]+\.parquet)$/

/** Parses `{table}/exchange=…/symbol=…/dt=…/{file}.parquet` (with '/' separators), else null. */
export function parsePartitionRel(rel: string): Omit<GateFile, 'abs' | 'rel' | 'zone'> | null {
  const m = PART_RE.exec(rel)
  if (!m) return null
  const [, table, exchange, symbol, day, filename] = m
  if (!table || !exchange || !symbol || !day || !filename) return null
  return { table: table as GateTable, exchange, symbol, day, filename }
}

export interface Selection {
  readonly exchange: string
  readonly symbol: string
  readonly tables: readonly GateTable[]
  readonly from?: string | undefined
  readonly to?: string | undefined
}

function inRange(day: string, sel: Selection): boolean {
  return (sel.from === undefined || day >= sel.from) && (sel.to === undefined || day <= sel.to)
}

/** The selection's files in one zone of the lake, sorted by table (selection order), day, name. */
export function zoneFiles(lakeRoot: string, zone: Zone, sel: Selection): GateFile[] {
  const base = zoneBase(lakeRoot, zone)
  const out: GateFile[] = []
  if (!existsSync(base)) return out
  for (const table of sel.tables) {
    for (const day of partitionDays(base, table, sel.exchange, sel.symbol)) {
      if (!inRange(day, sel)) continue
      for (const abs of partitionFiles(base, table, sel.exchange, sel.symbol, day)) {
        const filename = abs.slice(abs.lastIndexOf(sep) + 1)
        out.push({
          abs,
          rel: lakeRelative(lakeRoot, abs),
          zone,
          table,
          exchange: sel.exchange,
          symbol: sel.symbol,
          day,
          filename
        })
      }
    }
  }
  return out
}

/**
 * The error for a selection that matched no file in `zones`: what the zones hold instead, and
 * where the files went when the other zone has them ("ready/ holds …: add --include-ready").
 */
export function emptySelection(
  lakeRoot: string,
  zones: readonly Zone[],
  sel: Selection,
  otherZoneHint: string
): EmptySelectionError {
  const range =
    sel.from !== undefined || sel.to !== undefined
      ? ` between ${sel.from ?? 'the first day'} and ${sel.to ?? 'the last day'}`
      : ''
  const where = zones.map((z) => `${z}/`).join(' or ')
  const found = zones
    .map((z) => `${z}/ holds ${describeContents(zoneBase(lakeRoot, z), sel.tables)}`)
    .join('; ')
  const other = (['staging', 'ready'] as const).filter((z) => !zones.includes(z))
  const elsewhere = other
    .filter((z) => zoneFiles(lakeRoot, z, sel).length > 0)
    .map((z) => `; ${z}/ has ${sel.exchange} ${sel.symbol} files${range}: ${otherZoneHint}`)
    .join('')
  return new EmptySelectionError(
    `no ${sel.exchange} ${sel.symbol} files in ${where}${range} (${sel.tables.join(', ')}); ${found}${elsewhere}`
  )
}

/** Days with at least one file in either zone, ascending. */
export function presentDays(lakeRoot: string, zones: readonly Zone[], sel: Selection): string[] {
  const days = new Set<string>()
  for (const zone of zones) {
    const base = zoneBase(lakeRoot, zone)
    for (const t of sel.tables)
      for (const d of partitionDays(base, t, sel.exchange, sel.symbol)) days.add(d)
  }
  return [...days].filter((d) => inRange(d, sel)).sort()
}

/** Every Parquet file under a vendor-layout folder, as paths relative to it ('/' separated). */
export function walkParquet(
  dir: string,
  /** Where entries named *.parquet that are not regular files go, with the reason. */
  refused?: { path: string; reason: string }[]
): string[] {
  const out: string[] = []
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    )) {
      if (e.name.startsWith('.')) continue
      const p = join(d, e.name)
      const rel = relative(dir, p).split(sep).join('/')
      if (e.isDirectory()) visit(p)
      else if (e.name.endsWith('.parquet')) {
        // A symlink to a regular file is read through; FIFOs, devices, sockets and symlinks to
        // them or in a loop are refused (they would block or never end a read).
        const problem = e.isFile() ? null : notRegularFile(p)
        if (problem === null && (e.isFile() || statSync(p, { throwIfNoEntry: false })?.isFile()))
          out.push(rel)
        else refused?.push({ path: rel, reason: problem ?? 'a dangling symlink; refused' })
      }
    }
  }
  visit(dir)
  return out
}

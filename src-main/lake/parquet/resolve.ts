// Matches a file's columns to one Crypto Lake table: each column may carry its raw vendor name or
// its lakeapi name, and must have the vendor's type. Everything wrong is reported at once, in one
// InputError naming the file and each missing, unexpected, duplicated or mistyped column, so a
// user fixing a file sees the whole problem. Accepted type variants, beyond the vendor's own:
// - times also as timestamp[ns] (any time zone): what a frame loaded by lakeapi (datetime64[ns])
//   becomes when saved again; the stored int64 is the same;
// - side also as large_string or dictionary<string> (pandas categoricals, as lakeapi returns it).
// A frame loaded by lakeapi with its default drop_partition_cols=False and saved again also holds
// `exchange` and `symbol` as categoricals (research notes, "Corrections"): they are the partition
// path's values, accepted as (dictionary) strings and checked row by row against the path by the
// reader; any other type is refused like a wrong column.
import { InputError } from '../../util/errors'
import type { FfiField } from './ffi'
import { ARROW_TYPE, SCHEMAS, type LakeColumn, type LakeTable } from './schemas'

export interface ResolvedColumn {
  readonly col: LakeColumn
  /** The column's name in the file (raw or lakeapi). */
  readonly fileName: string
  readonly field: FfiField
}

const isString = (f: string | null): boolean => f === 'u' || f === 'U'
const INDEX_FORMATS = new Set(['c', 'C', 's', 'S', 'i', 'I', 'l', 'L'])

export function typeMatches(col: LakeColumn, f: FfiField): boolean {
  switch (col.kind) {
    case 'time':
      return f.dictionaryFormat === null && (f.format === 'l' || f.format.startsWith('tsn:'))
    case 'int':
      return f.dictionaryFormat === null && f.format === 'l'
    case 'float':
      return f.dictionaryFormat === null && f.format === 'g'
    case 'bool':
      return f.dictionaryFormat === null && f.format === 'b'
    case 'side':
      return f.dictionaryFormat === null
        ? isString(f.format)
        : INDEX_FORMATS.has(f.format) && isString(f.dictionaryFormat)
  }
}

/** Columns lakeapi adds from the partition path. */
export const PARTITION_COLUMNS = ['exchange', 'symbol'] as const
export type PartitionColumn = (typeof PARTITION_COLUMNS)[number]

export interface ResolvedPartitionColumn {
  readonly name: PartitionColumn
  readonly field: FfiField
  /** The value every row must hold: the path's `exchange=` / `symbol=` segment. */
  readonly expected: string
}

const isPartition = (name: string): name is PartitionColumn =>
  (PARTITION_COLUMNS as readonly string[]).includes(name)

/** A (dictionary) string column, as a partition column must be. */
export function isStringField(f: FfiField): boolean {
  return f.dictionaryFormat === null
    ? isString(f.format)
    : INDEX_FORMATS.has(f.format) && isString(f.dictionaryFormat)
}

/** The partition segment `name=value` of a path (either separator), or null. */
export function pathPartition(path: string, name: PartitionColumn): string | null {
  const m = new RegExp(`(?:^|[\\\\/])${name}=([^\\\\/]+)`).exec(path)
  return m?.[1] ?? null
}

/** The partition columns of a file with the values the path gives them; refuses what cannot be checked. */
export function resolvePartitionColumns(
  fields: readonly FfiField[],
  file: string
): ResolvedPartitionColumn[] {
  const out: ResolvedPartitionColumn[] = []
  const problems: string[] = []
  for (const f of fields) {
    if (!isPartition(f.name)) continue
    const expected = pathPartition(file, f.name)
    if (!isStringField(f)) problems.push(`column "${f.name}" is ${f.type}, expected string`)
    else if (expected === null)
      problems.push(
        `column "${f.name}" cannot be checked: the path has no ${f.name}= folder to compare it with`
      )
    else out.push({ name: f.name, field: f, expected })
  }
  if (problems.length > 0) throw new InputError(problems.join('; '), file)
  return out
}

export function resolveLakeColumns(
  fields: readonly FfiField[],
  table: LakeTable,
  file: string,
  extraColumns: 'reject' | 'ignore' = 'reject'
): ResolvedColumn[] {
  const schema = SCHEMAS[table]
  const byName = new Map<string, LakeColumn>()
  for (const c of schema.columns) {
    byName.set(c.raw, c)
    byName.set(c.lakeapi, c)
  }
  const found = new Map<LakeColumn, ResolvedColumn>()
  const problems: string[] = []
  for (const f of fields) {
    const col = byName.get(f.name)
    if (col === undefined && isPartition(f.name)) continue
    if (col === undefined) {
      if (extraColumns === 'reject') problems.push(`unexpected column "${f.name}" (${f.type})`)
      continue
    }
    const seen = found.get(col)
    if (seen !== undefined) {
      problems.push(`column "${col.raw}" appears twice, as "${seen.fileName}" and "${f.name}"`)
      continue
    }
    if (!typeMatches(col, f)) {
      problems.push(`column "${f.name}" is ${f.type}, expected ${ARROW_TYPE[col.kind]}`)
    }
    found.set(col, { col, fileName: f.name, field: f })
  }
  for (const c of schema.columns) {
    if (!found.has(c)) {
      problems.push(
        c.lakeapi === c.raw
          ? `missing column "${c.raw}"`
          : `missing column "${c.raw}" (lakeapi name "${c.lakeapi}")`
      )
    }
  }
  if (problems.length > 0) {
    throw new InputError(`not a Crypto Lake ${table} file: ${problems.join('; ')}`, file)
  }
  return schema.columns.map((c) => found.get(c)).filter((r) => r !== undefined)
}

// Schema rules on a file's footer: exact columns per table (raw vendor names or lakeapi's, each
// once), their types (the vendor's, plus the variants a lakeapi round trip produces — see
// lake/parquet/resolve.ts), naming, order, and the vendor's key-value metadata against the path.
// Everything wrong is listed at once; the file is readable for the row rules when every column
// is present once with an accepted type (an extra column alone does not stop them).
import type { RuleResult, ValidationThresholds } from '../../src-shared/validate'
import type { LakeFooter } from '../lake/parquet/footer'
import { PARTITION_COLUMNS, isStringField, typeMatches } from '../lake/parquet/resolve'
import { ARROW_TYPE, SCHEMAS, type LakeColumn } from '../lake/parquet/schemas'
import type { GateFile } from './partition'
import { RuleTally, plural, result } from './rules'

export interface SchemaOutcome {
  readonly results: RuleResult[]
  /** Every column present once with an accepted type: the rows can be read. */
  readonly readable: boolean
}

export function schemaRules(
  footer: LakeFooter,
  file: GateFile,
  t: ValidationThresholds
): SchemaOutcome {
  const table = file.table
  const cols = SCHEMAS[table].columns
  const byName = new Map<string, LakeColumn>()
  for (const c of cols) {
    byName.set(c.raw, c)
    byName.set(c.lakeapi, c)
  }
  const columns = new RuleTally(file.rel, t.examples)
  const types = new RuleTally(file.rel, t.examples)
  const seen = new Map<LakeColumn, string>()
  const order: number[] = []
  let rawNamed = 0
  let lakeapiNamed = 0
  for (const f of footer.columns) {
    const c = byName.get(f.name)
    if (c === undefined && (PARTITION_COLUMNS as readonly string[]).includes(f.name)) {
      // lakeapi's partition columns: their values are checked against the path when read.
      if (!isStringField(f))
        columns.add(null, `column "${f.name}" is ${f.type}, expected string (the partition value)`)
      continue
    }
    if (c === undefined) {
      columns.add(null, `unexpected column "${f.name}" (${f.type})`)
      continue
    }
    const prev = seen.get(c)
    if (prev !== undefined) {
      columns.add(null, `column "${c.raw}" appears twice, as "${prev}" and "${f.name}"`)
      continue
    }
    seen.set(c, f.name)
    order.push(cols.indexOf(c))
    if (c.raw !== c.lakeapi) {
      if (f.name === c.raw) rawNamed++
      else lakeapiNamed++
    }
    if (!typeMatches(c, f))
      types.add(null, `column "${f.name}" is ${f.type}, expected ${ARROW_TYPE[c.kind]}`)
  }
  for (const c of cols) {
    if (!seen.has(c))
      columns.add(
        null,
        c.raw === c.lakeapi
          ? `missing column "${c.raw}"`
          : `missing column "${c.raw}" (lakeapi name "${c.lakeapi}")`
      )
  }
  const missingOrTwice = columns.examples.some((e) => !e.message.startsWith('unexpected'))
  const readable = !missingOrTwice && types.count === 0
  const results: RuleResult[] = [
    result(
      'schema.columns',
      t,
      table,
      columns.count > 0 ? 'fail' : 'pass',
      columns.count > 0
        ? columns.examples.map((e) => e.message).join('; ')
        : `${cols.length} columns as expected`,
      columns
    ),
    result(
      'schema.types',
      t,
      table,
      types.count > 0 ? 'fail' : 'pass',
      types.count > 0 ? types.examples.map((e) => e.message).join('; ') : 'all types accepted',
      types
    ),
    result(
      'schema.naming',
      t,
      table,
      lakeapiNamed > 0 ? 'warn' : 'pass',
      lakeapiNamed === 0
        ? `raw vendor names (fingerprint ${footer.fingerprint})`
        : rawNamed === 0
          ? `lakeapi names: re-saved from the vendor client (fingerprint ${footer.fingerprint})`
          : `mixed raw and lakeapi names (${rawNamed} raw, ${lakeapiNamed} lakeapi)`
    ),
    result(
      'schema.order',
      t,
      table,
      order.every((v, i) => i === 0 || v > (order[i - 1] ?? -1)) ? 'pass' : 'warn',
      order.every((v, i) => i === 0 || v > (order[i - 1] ?? -1))
        ? "vendor's order"
        : `file order: ${footer.columns.map((c) => c.name).join(', ')}`
    ),
    kvRule(footer.kv, file, t)
  ]
  return { results, readable }
}

function kvRule(
  kv: Readonly<Record<string, string>>,
  file: GateFile,
  t: ValidationThresholds
): RuleResult {
  const tally = new RuleTally(file.rel, t.examples)
  const want: [string, string][] = [
    ['date', file.day],
    ['event_type', file.table],
    ['exchange', file.exchange],
    ['symbol', file.symbol]
  ]
  const absent: string[] = []
  for (const [k, v] of want) {
    const got = kv[k]
    if (got === undefined) absent.push(k)
    else if (got !== v) tally.add(null, `metadata ${k}="${got}", the path says "${v}"`)
  }
  const gaps = kv['contains_gaps']
  if (gaps === undefined) absent.push('contains_gaps')
  else if (gaps !== 'Yes' && gaps !== 'No')
    tally.add(null, `metadata contains_gaps="${gaps}", expected Yes or No`)
  if (tally.count > 0)
    return result('schema.kv', t, file.table, 'fail', plural(tally.count, 'disagreement'), tally)
  if (absent.length > 0)
    return result(
      'schema.kv',
      t,
      file.table,
      'warn',
      `metadata absent: ${absent.join(', ')} (a re-saved file?)`
    )
  return result('schema.kv', t, file.table, 'pass', 'metadata agrees with the path')
}

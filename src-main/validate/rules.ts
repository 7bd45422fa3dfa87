// The catalogue of the data gate's rules: each rule's name, category, scope, the tables it applies
// to and its threshold in words (from the run's thresholds), plus the tally every check uses to
// count offending rows and keep the first few with file and row. One place, so the reports, the
// manifest, the certificate and docs/validation.md name the same rules in the same order.
import type {
  GateTable,
  RuleCategory,
  RuleExample,
  RuleResult,
  RuleStatus,
  ValidationThresholds
} from '../../src-shared/validate'

export type RuleScope = 'file' | 'day' | 'range'

export interface RuleSpec {
  readonly id: string
  readonly category: RuleCategory
  readonly scope: RuleScope
  /** Tables the rule applies to. */
  readonly tables: readonly GateTable[]
  /** One line: what the rule checks. */
  readonly summary: string
  /** The threshold in words for this run (and this table). */
  readonly threshold: (t: ValidationThresholds, table: GateTable) => string
}

const ALL: readonly GateTable[] = ['book_delta_v2', 'trades', 'book']
const s = (x: number): string => `${x} s`
/**
 * A fraction (0.0005) as a percent in rule thresholds and messages: up to 4 decimals ("0.05 %"),
 * not fmtPct's one, because shares of rows this small are what the rules are about and one
 * decimal would print them as 0.0 %. Shared with bookRules.ts.
 */
export const rulePct = (x: number): string => `${+(x * 100).toFixed(4)} %`

const spec = (
  id: string,
  category: RuleCategory,
  scope: RuleScope,
  tables: readonly GateTable[],
  summary: string,
  threshold: string | RuleSpec['threshold']
): RuleSpec => ({
  id,
  category,
  scope,
  tables,
  summary,
  threshold: typeof threshold === 'string' ? () => threshold : threshold
})

export const RULES: readonly RuleSpec[] = [
  // integrity
  spec(
    'integrity.envelope',
    'integrity',
    'file',
    ALL,
    'PAR1 magic at both ends of a file of at least 12 bytes',
    'fail when empty, shorter than 12 bytes or without PAR1 at either end'
  ),
  spec(
    'integrity.footer',
    'integrity',
    'file',
    ALL,
    'the footer parses, fits in the file and yields an Arrow schema',
    'fail when the footer cannot be read'
  ),
  spec(
    'integrity.row-groups',
    'integrity',
    'file',
    ALL,
    'every row group decodes',
    'fail at the first row group that does not decode'
  ),
  spec(
    'integrity.row-count',
    'integrity',
    'file',
    ALL,
    'rows decoded equal the footer row count',
    'fail on any difference'
  ),
  spec(
    'integrity.non-empty',
    'integrity',
    'file',
    ALL,
    'the file holds rows',
    'fail when the footer says 0 rows'
  ),
  spec(
    'integrity.sha256',
    'integrity',
    'file',
    ALL,
    "sha256 equals the manifest's record (download, import or promotion)",
    'fail on mismatch; skipped when nothing is recorded'
  ),
  // schema
  spec(
    'schema.columns',
    'schema',
    'file',
    ALL,
    "exactly the table's columns (raw or lakeapi names), none missing, extra or twice",
    'fail on any missing, unexpected or duplicated column'
  ),
  spec(
    'schema.types',
    'schema',
    'file',
    ALL,
    "each column has the vendor's type (times also timestamp[ns]; side also large_string or dictionary)",
    'fail on any other type'
  ),
  spec(
    'schema.naming',
    'schema',
    'file',
    ALL,
    'raw vendor names (lakeapi names mean the file was re-saved from a client)',
    'warn on lakeapi or mixed names'
  ),
  spec(
    'schema.order',
    'schema',
    'file',
    ALL,
    "columns in the vendor's order",
    'warn on another order'
  ),
  spec(
    'schema.kv',
    'schema',
    'file',
    ALL,
    "file metadata date, event_type, exchange, symbol (and a saved lakeapi frame's exchange/symbol columns) agree with the path; contains_gaps is Yes/No",
    'fail on disagreement; warn when the metadata is absent'
  ),
  // time
  spec(
    'time.in-day',
    'time',
    'file',
    ALL,
    "receive times inside the partition's UTC day",
    (t) => `warn within ±${s(t.inDayToleranceS)} of the day, fail beyond`
  ),
  spec(
    'time.monotonic',
    'time',
    'file',
    ALL,
    'receive time never decreases from one row to the next',
    'fail on any backward step'
  ),
  spec(
    'time.origin-monotonic',
    'time',
    'file',
    ALL,
    'origin (exchange) time never decreases, zeros aside',
    'warn on any backward step'
  ),
  spec(
    'time.duplicates',
    'time',
    'file',
    ALL,
    'no row repeats the previous row in every column',
    'fail on any duplicate'
  ),
  spec(
    'time.gaps',
    'time',
    'file',
    ALL,
    'receive-time gaps between consecutive rows',
    (t, table) => {
      const fail = t.gapFailS[table]
      return `warn above ${s(t.gapWarnS[table])}${fail === null ? '' : `, fail above ${s(fail)}`}`
    }
  ),
  spec('time.origin-zero', 'time', 'file', ALL, 'origin time present (not 0)', (t, table) =>
    table === 'book_delta_v2'
      ? 'fail on 0 outside a snapshot burst message (spot REST snapshots carry no time)'
      : table === 'book'
        ? `warn when more than ${rulePct(t.bookZeroOriginWarnShare)} of rows are 0 (snapshot rows)`
        : 'fail on any 0'
  ),
  spec(
    'time.feed-lag',
    'time',
    'file',
    ALL,
    'feed lag = receive − origin time (per message)',
    (t) =>
      `warn when the median is outside [${t.lagWarnLowMs}, ${t.lagWarnHighMs}] ms or p99 > ${t.lagWarnP99Ms} ms; ` +
      `fail when |median| > ${t.lagFailAbsMs} ms`
  ),
  // sequence
  spec(
    'sequence.delta-order',
    'sequence',
    'file',
    ['book_delta_v2'],
    'each message (rows sharing receive time and sequence) has a higher sequence number than the previous',
    'fail on a repeat or decrease, except at a snapshot burst (a reset)'
  ),
  spec(
    'sequence.delta-message',
    'sequence',
    'file',
    ['book_delta_v2'],
    'within a message no price twice on one side; bids before asks',
    'fail on a repeated level; warn on asks before bids'
  ),
  spec(
    'sequence.delta-jumps',
    'sequence',
    'file',
    ['book_delta_v2'],
    'sequence increments between messages',
    (t) => `warn on a jump above ${t.seqJumpWarnFactor}× the file's median jump`
  ),
  spec(
    'sequence.bursts',
    'sequence',
    'file',
    ['book_delta_v2'],
    'snapshot bursts (capture (re)connects): a message with ≥ N rows on both sides and no zero size, or spot origin 0',
    (t) => `warn on any burst (N = ${t.burstMinRows})`
  ),
  spec(
    'sequence.trade-ids',
    'sequence',
    'file',
    ['trades'],
    'trade ids unique and increasing',
    'fail on a repeat or decrease'
  ),
  spec(
    'sequence.trade-id-gaps',
    'sequence',
    'file',
    ['trades'],
    'trade ids consecutive',
    (t) => `warn on any gap; fail when missing ids exceed ${rulePct(t.tradeIdGapFailShare)} of rows`
  ),
  spec(
    'sequence.book-order',
    'sequence',
    'file',
    ['book'],
    'book sequence numbers never decrease',
    'fail on any decrease'
  ),
  spec(
    'sequence.book-levels',
    'sequence',
    'file',
    ['book'],
    'levels well formed: price and size both NaN or both set, no set level below a missing one, bids descending, asks ascending, sizes > 0',
    'fail on any malformed row'
  ),
  spec(
    'sequence.book-crossed',
    'sequence',
    'file',
    ['book'],
    'best bid below best ask',
    (t) =>
      `warn on any crossed or locked row; fail above ${rulePct(t.bookCrossedFailShare)} of rows`
  ),
  spec(
    'sequence.book-cadence',
    'sequence',
    'file',
    ['book'],
    'rows at most about every 100 ms of receive time, never bunched',
    (t) =>
      `warn when more than ${rulePct(t.bookCadenceWarnShare)} of rows follow the previous by < ${t.bookMinIntervalMs} ms`
  ),
  // values
  spec(
    'values.decode',
    'values',
    'file',
    ALL,
    'no nulls, side is buy/sell, int64 values within ±2^53',
    'fail on the first refused value'
  ),
  spec(
    'values.nan',
    'values',
    'file',
    ['book_delta_v2', 'trades'],
    'prices and sizes are finite numbers',
    'fail on any NaN or infinity'
  ),
  spec(
    'values.price-grid',
    'values',
    'file',
    ALL,
    'every price is a positive whole number of ticks (float → integer ticks exactly)',
    'fail on any price off the grid or ≤ 0'
  ),
  spec(
    'values.size',
    'values',
    'file',
    ALL,
    'sizes ≥ 0 and whole 1e-8 lots (trade amounts > 0)',
    'fail on any negative, fractional-lot or zero-amount value'
  ),
  // coverage
  spec(
    'coverage.restarts',
    'coverage',
    'day',
    ALL,
    "writer restarts found in the rows: a snapshot burst, a receive-time gap above the warning threshold, missing trade ids (the vendor's contains_gaps=Yes alone is not one)",
    'warn on any restart found'
  ),
  spec(
    'coverage.day-span',
    'coverage',
    'day',
    ALL,
    "first to last receive time of the day's files",
    (t) =>
      `fail below ${rulePct(t.daySpanFailShare)} of 24 h, warn below ${rulePct(t.daySpanWarnShare)}`
  ),
  spec(
    'coverage.multiple-files',
    'coverage',
    'day',
    ALL,
    'one file per partition',
    'warn on several files; fail when their receive-time ranges overlap'
  ),
  spec(
    'coverage.missing-days',
    'coverage',
    'range',
    ALL,
    'every requested table has a file on every day of the range',
    'fail on any missing day'
  )
]

const BY_ID = new Map(RULES.map((r) => [r.id, r]))

export function ruleSpec(id: string): RuleSpec {
  const r = BY_ID.get(id)
  if (!r) throw new Error(`unknown rule ${id}`)
  return r
}

/** File-scope rules of a table, in catalogue order. */
export function fileRules(table: GateTable): RuleSpec[] {
  return RULES.filter((r) => r.scope === 'file' && r.tables.includes(table))
}

/** Counts offending rows of one rule and keeps the first few. */
export class RuleTally {
  count = 0
  readonly examples: RuleExample[] = []

  constructor(
    private readonly file: string,
    private readonly keep: number
  ) {}

  /** `receiveUs`: the row's receive time when the rule knows it (a link into the Book). */
  add(row: number | null, message: string, n = 1, receiveUs?: number): void {
    this.count += n
    if (this.examples.length < this.keep)
      this.examples.push({
        file: this.file,
        row,
        message,
        ...(receiveUs !== undefined && Number.isFinite(receiveUs) ? { receiveUs } : {})
      })
  }
}

export function result(
  id: string,
  t: ValidationThresholds,
  table: GateTable,
  status: RuleStatus,
  measured: string,
  tally?: RuleTally
): RuleResult {
  const r = ruleSpec(id)
  return {
    rule: id,
    category: r.category,
    status,
    threshold: r.threshold(t, table),
    measured,
    count: tally?.count ?? 0,
    examples: tally?.examples ?? []
  }
}

/** Worst status of a list: fail > warn > pass (skip counts as pass). */
export function worst(statuses: Iterable<RuleStatus>): 'pass' | 'warn' | 'fail' {
  let w: 'pass' | 'warn' | 'fail' = 'pass'
  for (const st of statuses) {
    if (st === 'fail') return 'fail'
    if (st === 'warn') w = 'warn'
  }
  return w
}

/** The human form of a count: "3 rows" / "1 row". */
export function plural(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`
}

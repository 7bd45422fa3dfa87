// The gate thresholds as settings: every leaf of the typed TrustConfig that a lake may override
// (src-shared/gates.ts), with a one-line description. A leaf the overrides schema does not keep
// (validation.gapWarnS today) is left out rather than shown as settable.
import {
  DEFAULT_TRUST_CONFIG,
  trustConfigOverrides,
  type TrustConfigOverrides
} from '../../src-shared/gates'
import type { SettingKind, SettingValue } from '../../src-shared/settings'

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'validation.inDayToleranceS':
    "Receive times may fall this far outside the partition's UTC day before it fails, s.",
  'validation.lagWarnLowMs': 'Median feed lag below this warns, ms.',
  'validation.lagWarnHighMs': 'Median feed lag above this warns, ms.',
  'validation.lagWarnP99Ms': 'Feed lag p99 above this warns, ms.',
  'validation.lagFailAbsMs':
    '|Median feed lag| above this fails the file (a clock or unit error), ms.',
  'validation.seqJumpWarnFactor':
    "A sequence jump larger than this multiple of the file's median warns.",
  'validation.burstMinRows':
    'A book_delta_v2 message with at least this many rows is a snapshot burst.',
  'validation.tradeIdGapFailShare':
    "Missing trade ids above this share of the file's rows fail it.",
  'validation.bookCrossedFailShare': 'Crossed or locked book rows above this share fail the file.',
  'validation.bookMinIntervalMs': 'Book rows closer than this count against the cadence, ms.',
  'validation.bookCadenceWarnShare': 'Share of too-close book rows above which the cadence warns.',
  'validation.bookZeroOriginWarnShare':
    'Share of book rows with origin time 0 above which it warns.',
  'validation.daySpanWarnShare': 'A day covering less than this share of 24 h warns.',
  'validation.daySpanFailShare': 'A day covering less than this share of 24 h fails.',
  'validation.gapFailS.book_delta_v2':
    'A book_delta_v2 receive-time gap longer than this fails the file, s (none: never).',
  'validation.gapFailS.book':
    'A book receive-time gap longer than this fails the file, s (none: never).',
  'validation.gapFailS.trades':
    'A trades receive-time gap longer than this fails the file, s (none: never).',
  'validation.examples': 'Offending rows kept per rule (the rest are counted).',
  'technical.replayRowsPerSecond': 'The technical report’s replay target, rows per second.',
  'technical.exportEventsPerSecond': 'The technical report’s export target, events per second.',
  'technical.peakRssMb': 'The technical report’s peak memory ceiling, MB.',
  'technical.yearHours': 'Validate and export of twelve months must fit in this many hours.',
  'replay.crossedFailShare':
    'Share of replayed time with a crossed book above which the replay gate fails.',
  'replay.crossedWarnShare': 'Share of replayed time with a crossed book above which it warns.',
  'replay.unknownDepthWarnShare':
    'Share of messages leaving the top 20 with undescribed levels above which it warns.',
  'replay.bestPriceMismatchFailShare':
    'Share of vendor book rows whose best bid/ask differ from the replay above which it fails.',
  'replay.refusedRowsFail': 'Input rows the replay refused above which it fails.',
  'fidelity.warnCertifies': 'Whether a fidelity warn still certifies a dataset.',
  'plan.pricePerMonthUsd': 'Your Crypto Lake plan’s price per month, USD.',
  'plan.quotaGbPerMonth': 'Your Crypto Lake plan’s monthly download quota, GB.'
}

export interface GateLeaf {
  /** The path inside the "gates" object, e.g. ['replay', 'crossedFailShare']. */
  readonly path: readonly string[]
  readonly kind: SettingKind
  readonly default: SettingValue
  readonly description: string
}

function kindOf(path: readonly string[], v: unknown): SettingKind {
  if (typeof v === 'boolean') return 'boolean'
  if (path[0] === 'validation' && path[1] === 'gapFailS') return 'number-or-none'
  const intLike = /Rows$|RowsFail$|examples$|Mb$/.test(path[path.length - 1] ?? '')
  return intLike ? 'integer' : 'number'
}

function walk(o: object, path: readonly string[], out: GateLeaf[]): void {
  for (const [k, v] of Object.entries(o)) {
    const p = [...path, k]
    if (v !== null && typeof v === 'object') {
      walk(v as object, p, out)
      continue
    }
    // Only leaves the overrides schema keeps are settings.
    const probe: Record<string, unknown> = {}
    let at = probe
    p.slice(0, -1).forEach((seg) => {
      const next: Record<string, unknown> = {}
      at[seg] = next
      at = next
    })
    at[k] = v
    const parsed = trustConfigOverrides.safeParse(probe)
    if (!parsed.success || leafOf(parsed.data, p) === undefined) continue
    out.push({
      path: p,
      kind: kindOf(p, v),
      default: v as SettingValue,
      description: DESCRIPTIONS[p.join('.')] ?? `The ${p.join(' ')} threshold.`
    })
  }
}

function leafOf(o: TrustConfigOverrides, path: readonly string[]): unknown {
  let at: unknown = o
  for (const seg of path) at = (at as Record<string, unknown> | undefined)?.[seg]
  return at
}

export const GATE_LEAVES: readonly GateLeaf[] = (() => {
  const out: GateLeaf[] = []
  walk(DEFAULT_TRUST_CONFIG, [], out)
  return out
})()

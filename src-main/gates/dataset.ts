// The gates a dataset rests on, combined into its certificate's verdict: readiness (its inputs
// passed the data gate), technical (the machine's go/no-go), replay (what the reconstruction had
// to repair: refused rows, crossed time, drift against the vendor's book) and fidelity (the
// exported book against an independent real reference). `certified` is true only when no gate
// fails after the recorded decisions and the export was not run --ungated.
import type {
  CertificateTrust,
  DatasetGateName,
  GateResult,
  GateRule,
  TrustConfig
} from '../../src-shared/gates'
import { gateOf, worstVerdict } from '../../src-shared/gates'
import { DEFAULT_THRESHOLDS } from '../../src-shared/validate'
import type { DatasetFidelity } from '../../src-shared/fidelity'
import type { CertificateRun } from '../export/certificate'
import { LATE_SEED_SHARE, seedProblem } from '../engine/observe/daySeeds'

// A fraction with 3 significant digits ("0.0123 %", "99.9 %"): gate thresholds and measurements
// span from tiny shares to nearly all, which fmtPct's fixed one decimal cannot show both of.
const pct = (x: number): string => `${+(x * 100).toPrecision(3)} %`

/** How far a run's receive times may lie outside its days: the gate's in-day tolerance. */
const RANGE_TOLERANCE_MS = DEFAULT_THRESHOLDS.inDayToleranceS * 1000

/** The runs whose first or last receive time lies outside the days they replayed. */
function outOfRange(runs: readonly CertificateRun[]): string[] {
  const out: string[] = []
  for (const r of runs) {
    const lo = Date.parse(`${r.from}T00:00:00Z`) - r.warmupDays * 86_400_000 - RANGE_TOLERANCE_MS
    const hi = Date.parse(`${r.to}T00:00:00Z`) + 86_400_000 + RANGE_TOLERANCE_MS
    for (const t of [r.replay.firstReceiveTime, r.replay.lastReceiveTime]) {
      const ms = t === null ? NaN : Date.parse(t)
      if (t !== null && !(ms >= lo && ms < hi)) out.push(`${t} in a run of ${r.from}…${r.to}`)
    }
  }
  return out
}

/**
 * The replay gate from the runs' tables (one run per export, one per day for a backfill) and the
 * input files (rows from their footers).
 */
export function replayGate(
  runs: readonly CertificateRun[],
  cfg: TrustConfig['replay'],
  inputs: readonly { readonly path: string; readonly rows: number }[] = []
): GateResult {
  let applied = 0
  let refused = 0
  const byKind = new Map<string, number>()
  let crossedMs = 0
  let spanMs = 0
  let unknown = 0
  let messages = 0
  let aligned = 0
  let mismatch = 0
  for (const r of runs) {
    applied += r.replay.appliedMessages
    for (const [kind, n] of Object.entries(r.issues.counts)) {
      refused += n
      if (n > 0) byKind.set(kind, (byKind.get(kind) ?? 0) + n)
    }
    crossedMs += r.tables.crossings.crossedMs
    const a = r.replay.firstReceiveTime
    const b = r.replay.lastReceiveTime
    if (a !== null && b !== null) spanMs += Math.max(0, Date.parse(b) - Date.parse(a))
    unknown += r.replay.unknownDepthMessages
    messages += r.replay.appliedMessages
    aligned += r.tables.drift.aligned
    mismatch += r.tables.drift.bestPriceMismatchRows
  }
  // Days of the exported range (warm-up days excepted) that had delta rows.
  const days = runs.flatMap((r) =>
    (r.replay.daySeeds ?? []).filter((d) => d.day >= r.from && d.day <= r.to && d.deltaRows > 0)
  )
  const unseeded = days.filter((d) => seedProblem(d) === 'no-seed').map((d) => d.day)
  const late = days.filter((d) => seedProblem(d) === 'late-seed').map((d) => d.day)
  const progressive = days.filter((d) => d.seed === 'progressive').map((d) => d.day)
  const bySource = new Map<string, number>()
  for (const d of days) bySource.set(d.seed, (bySource.get(d.seed) ?? 0) + 1)
  const empty = inputs.filter((f) => f.rows === 0).map((f) => f.path)
  const strays = outOfRange(runs)
  const crossedShare = spanMs > 0 ? crossedMs / spanMs : 0
  const unknownShare = messages > 0 ? unknown / messages : 0
  const mismatchShare = aligned > 0 ? mismatch / aligned : 0
  const rules: GateRule[] = [
    {
      id: 'replay.applied',
      verdict: applied > 0 ? 'pass' : 'fail',
      threshold: 'fail when no message was applied',
      measured: `${applied} messages applied`
    },
    {
      id: 'replay.seeded',
      verdict:
        unseeded.length > 0 ? 'fail' : late.length > 0 || progressive.length > 0 ? 'warn' : 'pass',
      threshold: `fail when a day has no seed; warn when more than ${pct(LATE_SEED_SHARE)} of a day's delta rows come before its seed or its book was built progressively (depth unknown until touched)`,
      measured:
        days.length === 0
          ? 'no per-day seed record (an older run)'
          : [
              [...bySource].map(([k, n]) => `${n} ${k}`).join(', ') + ` of ${days.length} days`,
              unseeded.length > 0 ? `no seed: ${unseeded.join(', ')}` : '',
              late.length > 0 ? `late seed: ${late.join(', ')}` : '',
              progressive.length > 0 ? `progressive: ${progressive.join(', ')}` : ''
            ]
              .filter((x) => x !== '')
              .join('; ')
    },
    {
      id: 'replay.refused-rows',
      verdict: refused > cfg.refusedRowsFail ? 'fail' : 'pass',
      threshold: `fail above ${cfg.refusedRowsFail} refused input rows`,
      measured:
        refused === 0
          ? '0 rows refused (off-tick, bad size, outside the day, implausible time …)'
          : `${refused} rows refused (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})`
    },
    {
      id: 'replay.inputs',
      verdict: empty.length > 0 ? 'fail' : 'pass',
      threshold: 'fail when an input file holds no rows',
      measured:
        empty.length === 0
          ? `${inputs.length} input files, none empty`
          : `${empty.length} of ${inputs.length} input files hold no rows: ${empty.slice(0, 3).join(', ')}${empty.length > 3 ? ', …' : ''}`
    },
    {
      id: 'replay.time-range',
      verdict: strays.length > 0 ? 'fail' : 'pass',
      threshold: "fail when the replay's first or last receive time lies outside its days",
      measured:
        strays.length === 0
          ? 'first and last receive times within the days replayed'
          : strays.slice(0, 2).join('; ')
    },
    {
      id: 'replay.crossed-time',
      verdict:
        crossedShare > cfg.crossedFailShare
          ? 'fail'
          : crossedShare > cfg.crossedWarnShare
            ? 'warn'
            : 'pass',
      threshold: `fail above ${pct(cfg.crossedFailShare)}, warn above ${pct(cfg.crossedWarnShare)} of the time crossed`,
      measured: `${pct(crossedShare)} of ${(spanMs / 3.6e6).toFixed(2)} h crossed (${crossedMs} ms)`
    },
    {
      id: 'replay.unknown-depth',
      verdict: unknownShare > cfg.unknownDepthWarnShare ? 'warn' : 'pass',
      threshold: `warn above ${pct(cfg.unknownDepthWarnShare)} of messages reaching unknown depth`,
      measured: `${pct(unknownShare)} of ${messages} messages`
    },
    {
      id: 'replay.drift',
      verdict:
        aligned === 0 ? 'warn' : mismatchShare > cfg.bestPriceMismatchFailShare ? 'fail' : 'pass',
      threshold: `fail above ${pct(cfg.bestPriceMismatchFailShare)} of aligned vendor book rows with another best bid/ask; warn when none aligned`,
      measured:
        aligned === 0
          ? 'no vendor book row aligned with the delta stream (nothing compared)'
          : `${mismatch} of ${aligned} aligned rows (${pct(mismatchShare)})`
    }
  ]
  return gateOf({ gate: 'replay', rules })
}

export function combineTrust(p: {
  readonly gates: Readonly<Record<DatasetGateName, GateResult>>
  readonly ungated: { readonly reason: string } | null
  readonly config: TrustConfig
}): CertificateTrust {
  const list = Object.values(p.gates)
  let verdict = worstVerdict(list.map((g) => g.verdict))
  if (!p.config.fidelity.warnCertifies && p.gates.fidelity.verdict === 'warn') verdict = 'fail'
  const because: string[] = []
  if (p.ungated !== null) because.push(p.ungated.reason)
  for (const g of list)
    if (g.verdict === 'fail')
      because.push(`the ${g.gate} gate fails: ${g.missing.join('; ') || 'see its rules'}`)
  if (!p.config.fidelity.warnCertifies && p.gates.fidelity.verdict === 'warn')
    because.push('the fidelity gate warns and the config does not let a warning certify')
  return {
    certified: because.length === 0,
    verdict,
    gates: p.gates,
    ungated: p.ungated,
    notCertifiedBecause: because,
    config: p.config
  }
}

/** The fidelity gate: one rule per metric; not measured (off, or it could not run) fails. */
export function fidelityGate(f: DatasetFidelity | null, notMeasured: string | null): GateResult {
  if (f === null)
    return gateOf({
      gate: 'fidelity',
      rules: [
        {
          id: 'fidelity.measured',
          verdict: 'fail',
          threshold: 'the exported book is compared with an independent real reference',
          measured: notMeasured ?? 'not measured'
        }
      ],
      missing: [
        'measure it: export again without --fidelity off, or with --fidelity-reference <source>'
      ]
    })
  const rules: GateRule[] = f.metrics
    .filter((m) => m.verdict !== 'n/a')
    .map((m) => ({
      id: `fidelity.${m.id}`,
      verdict: m.verdict === 'n/a' ? 'pass' : m.verdict,
      threshold: m.threshold,
      measured: `${m.effect}${m.units ? ` (${m.units})` : ''}`
    }))
  return gateOf({
    gate: 'fidelity',
    rules,
    ...(rules.length === 0 ? { missing: [f.reason] } : {}),
    evidence: [
      { kind: 'fidelity-report', id: f.jsonSha256, path: f.json, sha256: f.jsonSha256 },
      { kind: 'fidelity-report', id: f.htmlSha256, path: f.html, sha256: f.htmlSha256 }
    ]
  })
}

// One verdict model for every gate (readiness, technical, replay, fidelity, the roadmap's phase
// gates): pass / warn / fail per rule with its evidence, an overall verdict, and the recorded
// decision that overrode it, if any. The thresholds every gate applies live in one typed config
// (TrustConfig, defaults below, docs/gates.md says why each is what it is); a lake may override
// them in <lake>/lakebook.config.json, and every report shows the values it used.
import { z } from 'zod'
import {
  DEFAULT_THRESHOLDS,
  mergeThresholds,
  thresholdOverrides,
  type ValidationThresholds
} from './validate'
import { dayString } from './params'

export type GateVerdict = 'pass' | 'warn' | 'fail'

/** The gates a dataset rests on. */
export type DatasetGateName = 'readiness' | 'technical' | 'replay' | 'fidelity'

/** One rule of a gate: what was measured against which threshold, and the verdict. */
export interface GateRule {
  readonly id: string
  readonly verdict: GateVerdict
  /** The threshold in words, e.g. 'fail above 0.1 % of the time crossed'. */
  readonly threshold: string
  /** What was measured, with its unit. */
  readonly measured: string
}

/** A file or record a verdict rests on, so it can be opened and re-checked. */
export interface EvidenceRef {
  readonly kind:
    | 'readiness-certificate'
    | 'technical-report'
    | 'fidelity-report'
    | 'profile-report'
    | 'dataset-certificate'
    | 'decision'
    | 'access-check'
    | 'plan'
    | 'progress-report'
  /** A stable id (certificate content hash, report file name, decision id). */
  readonly id: string
  /** Where it is: a path (absolute, or relative to the dataset for files inside it), or null. */
  readonly path: string | null
  /** sha256 of the file as it was used (null for manifest records). */
  readonly sha256: string | null
}

/** A recorded override: who decided that a failing gate may be passed, when and why. */
export interface Decision {
  readonly id: string
  readonly gate: string
  /** What it applies to: the evidence it overrides (e.g. a technical report's sha256). */
  readonly subject: string
  readonly who: string
  readonly at: string
  /** A required sentence. */
  readonly why: string
  /** The verdict it overrode. */
  readonly overrode: GateVerdict
}

export interface GateResult {
  readonly gate: string
  /** The verdict after any override (an overridden fail reads 'warn'). */
  readonly verdict: GateVerdict
  /** The verdict of the rules alone. */
  readonly measured: GateVerdict
  readonly rules: readonly GateRule[]
  readonly evidence: readonly EvidenceRef[]
  readonly decision: Decision | null
  /** What it would take to pass, in sentences (empty when it passes). */
  readonly missing: readonly string[]
}

const ORDER: Readonly<Record<GateVerdict, number>> = { pass: 0, warn: 1, fail: 2 }

export function worstVerdict(vs: readonly GateVerdict[]): GateVerdict {
  let w: GateVerdict = 'pass'
  for (const v of vs) if (ORDER[v] > ORDER[w]) w = v
  return w
}

/** A gate from its rules; `empty` (nothing measured) fails, whatever the rules say. */
export function gateOf(p: {
  gate: string
  rules: readonly GateRule[]
  evidence?: readonly EvidenceRef[]
  decision?: Decision | null
  missing?: readonly string[]
}): GateResult {
  const measured = p.rules.length === 0 ? 'fail' : worstVerdict(p.rules.map((r) => r.verdict))
  const decision = measured === 'fail' ? (p.decision ?? null) : null
  const missing =
    p.missing ?? (p.rules.length === 0 ? ['nothing was measured'] : failingRules(p.rules))
  return {
    gate: p.gate,
    verdict: measured === 'fail' && decision !== null ? 'warn' : measured,
    measured,
    rules: p.rules,
    evidence: [...(p.evidence ?? []), ...(decision ? [decisionRef(decision)] : [])],
    decision,
    missing: measured === 'pass' || decision !== null ? [] : missing
  }
}

function failingRules(rules: readonly GateRule[]): string[] {
  return rules
    .filter((r) => r.verdict === 'fail')
    .map((r) => `${r.id}: ${r.measured} (${r.threshold})`)
}

export function decisionRef(d: Decision): EvidenceRef {
  return { kind: 'decision', id: d.id, path: null, sha256: null }
}

// ---------------------------------------------------------------------------------------------
// The typed config

export interface TrustConfig {
  /** The data gate's rules (validate, certify): coverage, holes, lags … (docs/validation.md). */
  readonly validation: ValidationThresholds
  /** The technical go/no-go report's targets. */
  readonly technical: {
    readonly replayRowsPerSecond: number
    readonly exportEventsPerSecond: number
    readonly peakRssMb: number
    /** Validate + export of twelve months must fit in this many hours. */
    readonly yearHours: number
  }
  readonly replay: {
    /** Share of the replayed time with a crossed book above which the replay gate fails. */
    readonly crossedFailShare: number
    /** … and above which it warns. */
    readonly crossedWarnShare: number
    /** Share of messages leaving the top 20 with levels no message described: warn above. */
    readonly unknownDepthWarnShare: number
    /** Aligned vendor book rows whose best bid/ask differ from the replay: fail above. */
    readonly bestPriceMismatchFailShare: number
    /** Input rows the replay refused (off-tick, bad size …): fail above this count. */
    readonly refusedRowsFail: number
  }
  readonly fidelity: {
    /** Whether a fidelity 'warn' (a metric marginal against the real-vs-real noise) still certifies. */
    readonly warnCertifies: boolean
  }
  readonly plan: {
    /** The user's Crypto Lake plan: price per month and monthly download quota. */
    readonly pricePerMonthUsd: number
    readonly quotaGbPerMonth: number
  }
}

/** Defaults a careful researcher would choose (docs/gates.md). */
export const DEFAULT_TRUST_CONFIG: TrustConfig = {
  validation: DEFAULT_THRESHOLDS,
  technical: {
    replayRowsPerSecond: 5_000_000,
    exportEventsPerSecond: 2_000_000,
    peakRssMb: 1536,
    yearHours: 7 * 24
  },
  replay: {
    crossedFailShare: 0.01,
    crossedWarnShare: 0.001,
    unknownDepthWarnShare: 0.25,
    bestPriceMismatchFailShare: 0.01,
    refusedRowsFail: 0
  },
  fidelity: { warnCertifies: true },
  plan: { pricePerMonthUsd: 64, quotaGbPerMonth: 300 }
}

const share = z.number().min(0).max(1)

/** The overrides a lake's lakebook.config.json may hold (every field optional). */
export const trustConfigOverrides = z
  .object({
    validation: thresholdOverrides,
    technical: z
      .object({
        replayRowsPerSecond: z.number().positive(),
        exportEventsPerSecond: z.number().positive(),
        peakRssMb: z.number().positive(),
        yearHours: z.number().positive()
      })
      .partial()
      .strict(),
    replay: z
      .object({
        crossedFailShare: share,
        crossedWarnShare: share,
        unknownDepthWarnShare: share,
        bestPriceMismatchFailShare: share,
        refusedRowsFail: z.number().int().min(0)
      })
      .partial()
      .strict(),
    fidelity: z.object({ warnCertifies: z.boolean() }).partial().strict(),
    plan: z
      .object({ pricePerMonthUsd: z.number().min(0), quotaGbPerMonth: z.number().positive() })
      .partial()
      .strict()
  })
  .partial()
  .strict()
export type TrustConfigOverrides = z.infer<typeof trustConfigOverrides>

function over<T extends object>(base: T, o: object | undefined): T {
  const d = Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined))
  return { ...base, ...(d as Partial<T>) }
}

export function mergeTrustConfig(o: TrustConfigOverrides | undefined): TrustConfig {
  const d = DEFAULT_TRUST_CONFIG
  return {
    validation: mergeThresholds(o?.validation, d.validation),
    technical: over(d.technical, o?.technical),
    replay: over(d.replay, o?.replay),
    fidelity: over(d.fidelity, o?.fidelity),
    plan: over(d.plan, o?.plan)
  }
}

// ---------------------------------------------------------------------------------------------
// The roadmap's phase gates (lakebook gates, the Gates page)

export type PhaseGateId =
  'access' | 'budget' | 'data-ready' | 'profiled' | 'technical' | 'golden-samples' | 'dataset'

export type PhaseStatus = GateVerdict | 'missing'

export interface PhaseGate {
  readonly id: PhaseGateId
  readonly title: string
  readonly status: PhaseStatus
  /** One sentence: what the status rests on. */
  readonly summary: string
  readonly evidence: readonly EvidenceRef[]
  readonly decision: Decision | null
  /** What is missing to pass, with the command that does it. */
  readonly missing: readonly string[]
  readonly at: string | null
}

export interface GatesView {
  readonly lakeRoot: string
  readonly config: TrustConfig
  readonly gates: readonly PhaseGate[]
}

export const decideParams = z.object({
  gate: z.enum(['technical', 'readiness', 'budget', 'fidelity', 'replay']),
  /** The evidence it applies to; default the gate's current evidence. */
  subject: z.string().min(1).max(200).optional(),
  who: z.string().min(1).max(100).optional(),
  why: z
    .string()
    .trim()
    .min(12, 'say why in a sentence (at least 12 characters)')
    .max(2000)
    .refine((s) => /\s/.test(s), 'say why in a sentence, not a word')
})
export type DecideParams = z.infer<typeof decideParams>

/** What the research needs (lakebook gates require, the Gates page): the budget is computed from it. */
export const dataRequirement = z.object({
  exchange: z.string().min(1).max(40),
  symbols: z.array(z.string().min(1).max(40)).min(1).max(20),
  tables: z
    .array(z.enum(['book_delta_v2', 'trades', 'book']))
    .min(1)
    .max(3),
  from: dayString,
  to: dayString
})
export type DataRequirement = z.infer<typeof dataRequirement>

export interface BudgetEstimate {
  readonly days: number
  readonly bytes: number
  readonly basis: string
  readonly quotaBytesPerMonth: number
  /** Months of the plan the download needs at its monthly quota. */
  readonly monthsNeeded: number
  readonly pricePerMonthUsd: number
  readonly costUsd: number
  /** The fingerprint a budget approval is recorded against. */
  readonly subject: string
}

/** A saved requirement with its budget, as `gates require` and the Gates page show it. */
export interface RequirementView {
  readonly requirement: DataRequirement
  readonly budget: BudgetEstimate
}

/** The trust part of a dataset certificate: whether it is certified and the gates it rests on. */
export interface CertificateTrust {
  readonly certified: boolean
  readonly verdict: GateVerdict
  readonly gates: Readonly<Record<DatasetGateName, GateResult>>
  /** Set when the export ran without the readiness gate: why the dataset is not certified. */
  readonly ungated: { readonly reason: string } | null
  /** Why `certified` is false, in sentences (empty when certified). */
  readonly notCertifiedBecause: readonly string[]
  readonly config: TrustConfig
}

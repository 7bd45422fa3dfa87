// What the CLI (`lakebook gates …`) and the app (Gates page) do with the gates, in one place:
// the phase view, recording a decision (with the evidence it applies to resolved here), saving
// the data requirement with its budget, and recording an access check.
import {
  decideParams,
  type DecideParams,
  type Decision,
  type GatesView,
  type GateVerdict
} from '../../src-shared/gates'
import { InputError } from '../util/errors'
import { openManifest } from '../lake/manifest'
import { loadTrustConfig } from '../lake/trustConfig'
import { phaseGates, savedRequirement } from './phases'
import { readinessSubject } from './readiness'
import { budgetOf, dataRequirement, type BudgetEstimate, type DataRequirement } from './requirement'
import { GateStore } from './store'
import { latestTechnicalReport, technicalGate } from './technical'

function withStore<T>(
  lakeRoot: string,
  fn: (s: GateStore, db: ReturnType<typeof openManifest>) => T
): T {
  const db = openManifest(lakeRoot)
  try {
    return fn(new GateStore(db), db)
  } finally {
    db.close()
  }
}

export function gatesView(lakeRoot: string): GatesView {
  return withStore(lakeRoot, (_s, db) => phaseGates(lakeRoot, db))
}

/** The evidence a decision on `gate` applies to when none is named: the gate's current one. */
function defaultSubject(
  lakeRoot: string,
  store: GateStore,
  gate: DecideParams['gate']
): {
  subject: string
  overrode: GateVerdict
} {
  if (gate === 'technical') {
    const r = latestTechnicalReport(lakeRoot)
    if (r === null)
      throw new InputError(
        'there is no technical report to decide on: run lakebook report technical'
      )
    return { subject: r.sha256, overrode: technicalGate(lakeRoot, null).measured }
  }
  if (gate === 'budget') {
    const req = savedRequirement(store)
    if (req === null)
      throw new InputError('there is no data requirement to approve: run lakebook gates require …')
    return { subject: budgetOf(req, loadTrustConfig(lakeRoot).plan).subject, overrode: 'fail' }
  }
  if (gate === 'readiness') {
    const req = savedRequirement(store)
    const sym = req?.symbols[0]
    if (req === null || sym === undefined)
      throw new InputError(
        'name the range the readiness decision applies to with --subject EXCHANGE/SYMBOL/FROM..TO, or save a data requirement'
      )
    return { subject: readinessSubject({ ...req, symbol: sym }), overrode: 'fail' }
  }
  throw new InputError(
    `a decision on the ${gate} gate needs --subject (the evidence it applies to)`
  )
}

export function decide(lakeRoot: string, raw: DecideParams): Decision {
  const parsed = decideParams.safeParse(raw)
  if (!parsed.success)
    throw new InputError(`decision refused: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  const p = parsed.data
  return withStore(lakeRoot, (store) => {
    const d = p.subject
      ? { subject: p.subject, overrode: 'fail' as GateVerdict }
      : defaultSubject(lakeRoot, store, p.gate)
    return store.record({
      gate: p.gate,
      subject: d.subject,
      why: p.why,
      overrode: d.overrode,
      ...(p.who ? { who: p.who } : {})
    })
  })
}

export function saveRequirement(
  lakeRoot: string,
  r: DataRequirement
): { requirement: DataRequirement; budget: BudgetEstimate } {
  const parsed = dataRequirement.parse(r)
  if (parsed.from > parsed.to)
    throw new InputError(`the requirement's range is empty: ${parsed.from} is after ${parsed.to}`)
  return withStore(lakeRoot, (store) => {
    store.saveRequirement(parsed)
    return { requirement: parsed, budget: budgetOf(parsed, loadTrustConfig(lakeRoot).plan) }
  })
}

export function requirementOf(lakeRoot: string): DataRequirement | null {
  return withStore(lakeRoot, (store) => savedRequirement(store))
}

export function recordAccessCheck(lakeRoot: string, ok: boolean, summary: unknown): void {
  withStore(lakeRoot, (store) => {
    store.recordCheck('access', ok ? 'pass' : 'fail', summary)
  })
}

/**
 * The range a command works on: its own --from/--to, else the saved data requirement's; with
 * neither, a sentence saying what to give.
 */
export function rangeOrRequirement(
  lakeRoot: string,
  o: { from?: string | undefined; to?: string | undefined },
  command: string
): { from: string; to: string } {
  if (o.from !== undefined && o.to !== undefined) return { from: o.from, to: o.to }
  const req = requirementOf(lakeRoot)
  if (req === null)
    throw new InputError(
      `${command} needs --from and --to, or a saved data requirement (lakebook gates require --from … --to …)`
    )
  return { from: o.from ?? req.from, to: o.to ?? req.to }
}

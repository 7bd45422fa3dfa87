// The gates of an export, in the order they bind: before anything is read, the readiness gate
// (refuses unless --ungated); after the replay, every gate again for the certificate — readiness
// with the inputs' sha256, the technical report, the replay's repairs and the fidelity of the
// exported book (src-main/gates/fidelityRun.ts). Used by `export` and by the backfill's final
// certificate, so both judge alike.
import { statSync } from 'node:fs'
import type { GateResult } from '../../src-shared/gates'
import type { GateTable } from '../../src-shared/validate'
import { InputError } from '../util/errors'
import type { CertificateRun } from '../export/certificate'
import type { InputFile } from '../export/inputs'
import { dataBase } from '../lake/layout'
import { resolveSelection } from '../engine/source/lakeSources'
import { join } from 'node:path'
import { loadTrustConfig } from '../lake/trustConfig'
import type { CertificateTrust } from '../../src-shared/gates'
import { combineTrust, fidelityGate, replayGate } from './dataset'
import type { DatasetFidelity } from '../../src-shared/fidelity'
import type { GateStore } from './store'
import { measureDatasetFidelity } from './fidelityRun'
import { readinessGate } from './readiness'
import { technicalGate } from './technical'

const TABLES: readonly GateTable[] = ['book_delta_v2', 'trades', 'book']

export interface ExportGateOptions {
  /** The lake whose certificates, reports, decisions and config judge the export. */
  readonly lakeRoot: string
  /** Export without the readiness gate: the dataset is then `certified: false`. */
  readonly ungated?: boolean | undefined
  /** The fidelity reference: a source spec, 'off', or undefined for the default. */
  readonly fidelity?: string | undefined
  readonly decisions?: GateStore | null | undefined
}

export interface ExportRange {
  readonly root: string
  readonly exchange: string
  readonly symbol: string
  readonly from: string
  readonly to: string
}

/** The readiness gate over the files a range would read (sizes only: nothing is hashed yet). */
export function preflightReadiness(r: ExportRange, g: ExportGateOptions): GateResult {
  const sel = resolveSelection(r)
  const inputs = TABLES.flatMap((t) =>
    sel.files[t].map((f) => ({ path: f.path, bytes: statSync(f.path).size }))
  )
  return readinessGate({
    ...r,
    lakeRoot: g.lakeRoot,
    tables: TABLES,
    inputs,
    decisions: g.decisions
  })
}

/** Throws the refusal when the readiness gate fails and the export is not ungated. */
export function assertReady(r: ExportRange, g: ExportGateOptions): GateResult {
  const gate = preflightReadiness(r, g)
  if (gate.verdict === 'fail' && g.ungated !== true) {
    // The first failing rule says it all (the files rule repeats the certificate rule).
    const why = gate.rules.find((x) => x.verdict === 'fail')?.measured ?? 'it fails'
    throw new InputError(
      `the readiness gate refuses ${r.exchange} ${r.symbol} ${r.from}…${r.to}: ${why}. ` +
        `${gate.missing[0] ?? ''}. Or pass --ungated to export anyway (the dataset is then marked certified: false).`
    )
  }
  return gate
}

function ungatedReason(pre: GateResult): string {
  const why = pre.rules.filter((x) => x.verdict === 'fail').map((x) => x.measured)
  return (
    'exported with --ungated: the readiness gate was not applied' +
    (why.length > 0 ? ` (it fails: ${why.join('; ')})` : '')
  )
}

/** Every gate of a finished export or backfill, for its certificate. */
export async function datasetTrust(p: {
  readonly range: ExportRange
  readonly dataset: string
  readonly inputs: readonly InputFile[]
  readonly runs: readonly CertificateRun[]
  readonly gates: ExportGateOptions
  readonly signal?: AbortSignal | undefined
}): Promise<{ trust: CertificateTrust; fidelity: DatasetFidelity | null }> {
  const g = p.gates
  const config = loadTrustConfig(g.lakeRoot)
  const base = dataBase(p.range.root)
  const readiness = readinessGate({
    ...p.range,
    lakeRoot: g.lakeRoot,
    tables: TABLES,
    inputs: p.inputs.map((f) => ({ path: join(base, f.path), bytes: f.bytes, sha256: f.sha256 })),
    decisions: g.decisions
  })
  const technical = technicalGate(g.lakeRoot, g.decisions)
  const replay = replayGate(p.runs, config.replay, p.inputs)
  let fidelity: DatasetFidelity | null = null
  let notMeasured: string | null = null
  if (g.fidelity === 'off') notMeasured = 'switched off (--fidelity off)'
  else {
    const m = await measureDatasetFidelity({
      dataset: p.dataset,
      reference: g.fidelity,
      range: p.range,
      signal: p.signal
    })
    fidelity = m.outcome
    notMeasured = m.error
  }
  const trust = combineTrust({
    gates: { readiness, technical, replay, fidelity: fidelityGate(fidelity, notMeasured) },
    ungated: g.ungated === true ? { reason: ungatedReason(readiness) } : null,
    config
  })
  return { trust, fidelity }
}

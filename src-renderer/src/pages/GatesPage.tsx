// Gates: the roadmap's phase gates in order (access, budget, data ready, profiled, technical,
// golden samples, dataset), each with its status, what it rests on (evidence reports open in the
// viewer), the decision that overrode it and what is missing; recording a decision; the data
// requirement and its budget; the thresholds in force. The same service as `lakebook gates`.
import { useCallback, useEffect, useState } from 'react'
import type { DecideParams, EvidenceRef, GatesView, PhaseGate } from '../../../src-shared/gates'
import { api } from '../api'
import { EvidenceViewer, evidenceLabel, isViewable } from '../components/EvidenceViewer'
import { RequirementForm } from '../components/RequirementForm'
import { TrustConfigTable } from '../components/TrustConfigTable'
import { plainError } from '../plainError'

const DECIDABLE: readonly DecideParams['gate'][] = [
  'technical',
  'readiness',
  'budget',
  'fidelity',
  'replay'
]
/** An ISO time as 'YYYY-MM-DD HH:MM:SS UTC'. */
const when = (iso: string): string => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')
const message = (e: unknown): string => plainError(e)

export function GatesPage() {
  const [view, setView] = useState<GatesView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<(EvidenceRef & { path: string }) | null>(null)
  const refresh = useCallback(() => {
    api.invoke('gates.view', null).then(
      (v) => {
        setView(v)
        setError(null)
      },
      (e: unknown) => {
        setError(message(e))
      }
    )
  }, [])
  useEffect(refresh, [refresh])

  return (
    <div>
      <div className="row">
        <h2>Gates</h2>
        <button data-testid="gates-refresh" onClick={refresh}>
          Refresh
        </button>
        {view && <span className="muted">lake {view.lakeRoot}</span>}
      </div>
      {error && <div className="error">{error}</div>}
      {open && (
        <EvidenceViewer
          evidence={open}
          onClose={() => {
            setOpen(null)
          }}
        />
      )}
      {view && (
        <section className="panel" data-testid="gates-list">
          {view.gates.map((g) => (
            <GateRow key={g.id} gate={g} onOpen={setOpen} />
          ))}
        </section>
      )}
      <DecisionForm onDecided={refresh} />
      <RequirementForm onChanged={refresh} />
      {view && (
        <section className="panel">
          <h3>Thresholds in force</h3>
          <div className="muted">
            Defaults, overridden by the lake&apos;s lakebook.config.json (lakebook gates config).
          </div>
          <TrustConfigTable config={view.config} />
        </section>
      )}
    </div>
  )
}

function GateRow({
  gate,
  onOpen
}: {
  readonly gate: PhaseGate
  readonly onOpen: (e: EvidenceRef & { path: string }) => void
}) {
  const files = gate.evidence.filter(isViewable)
  const d = gate.decision
  return (
    <div className="gate" data-testid={`gate-${gate.id}`} data-status={gate.status}>
      <div className="row">
        <span className={`badge badge-${gate.status}`} data-testid="gate-status">
          {gate.status.toUpperCase()}
        </span>
        <b>{gate.title}</b>
        <span>{gate.summary}</span>
        {gate.at && <span className="muted">{when(gate.at)}</span>}
      </div>
      {files.length > 0 && (
        <div className="row">
          evidence:
          {files.map((e) => (
            <button
              key={e.path}
              className="link"
              data-testid="gate-evidence"
              title={e.path}
              onClick={() => {
                onOpen(e)
              }}
            >
              {evidenceLabel(e)} ({e.path.split(/[\\/]/).pop()})
            </button>
          ))}
        </div>
      )}
      {d && (
        <div className="muted" data-testid="gate-decision">
          decided by {d.who} at {when(d.at)} (overrode {d.overrode.toUpperCase()}): {d.why}
        </div>
      )}
      {gate.missing.length > 0 && (
        <ul className="muted" data-testid="gate-missing">
          {gate.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

function DecisionForm({ onDecided }: { readonly onDecided: () => void }) {
  const [gate, setGate] = useState<DecideParams['gate']>('technical')
  const [why, setWhy] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const record = (): void => {
    setError(null)
    setDone(null)
    api.invoke('gates.decide', { gate, why }).then(
      (d) => {
        setDone(`recorded: ${d.gate} decision by ${d.who} at ${when(d.at)}`)
        setWhy('')
        onDecided()
      },
      (e: unknown) => {
        setError(message(e))
      }
    )
  }
  return (
    <section className="panel" data-testid="gates-decide">
      <h3>Record a decision</h3>
      <div className="row">
        <select
          data-testid="decide-gate"
          value={gate}
          onChange={(e) => {
            setGate(e.target.value as DecideParams['gate'])
          }}
        >
          {DECIDABLE.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
        <input
          className="grow"
          placeholder="why the gate may be passed (a sentence)"
          data-testid="decide-why"
          value={why}
          onChange={(e) => {
            setWhy(e.target.value)
          }}
        />
        <button className="primary" data-testid="decide-record" onClick={record}>
          Record decision
        </button>
      </div>
      <div className="muted">
        A decision lets a failing gate pass as WARN; it applies to the gate&apos;s current evidence
        and is kept in the manifest with who, when and why.
      </div>
      {error && (
        <div className="error" data-testid="decide-error">
          {error}
        </div>
      )}
      {done && (
        <div className="state-done" data-testid="decide-done">
          {done}
        </div>
      )}
    </section>
  )
}

// Export: turn a range of certified Lake data into an ML dataset (Hive-partitioned Parquet and
// certificate.json; docs/dataset-schema.md), re-check a dataset, and plan and run backfills of
// many days as a queue of day jobs.
import { useEffect, useMemo, useState } from 'react'
import {
  inPassCounts,
  type BackfillPlanView,
  type ExportResult,
  type ExportTableName,
  type InPassValidationSummary
} from '../../../src-shared/export'
import { fmtBytes, fmtDuration, fmtInt } from '../../../src-shared/format'
import type { AppInfo } from '../../../src-shared/ipc/contract'
import type { DoneJobOf, JobKind, JobSpec } from '../../../src-shared/jobs'
import { isDoneJobOf } from '../../../src-shared/jobs'
import { api } from '../api'
import { BackfillQueue } from '../components/BackfillQueue'
import { CheckboxList } from '../components/CheckboxList'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { OpenPath } from '../components/OpenPath'
import { LakeRangePicker } from '../components/LakeRangePicker'
import { startJob, useJobs } from '../stores/jobs'
import { plainError } from '../plainError'

const TABLES: readonly ExportTableName[] = ['events', 'book', 'book_events', 'features']

/** The given job, or the latest finished job of that kind, when it finished ('done'). */
function useLatestDone<K extends JobKind>(kind: K, jobId: string | null): DoneJobOf<K> | null {
  const jobs = useJobs((s) => s.jobs)
  return useMemo(() => {
    const j = jobId
      ? jobs[jobId]
      : Object.values(jobs)
          .filter((x) => x.kind === kind && x.state === 'done')
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
    return j !== undefined && isDoneJobOf(j, kind) ? j : null
  }, [jobs, jobId, kind])
}

const rowsText = (rows: Readonly<Record<string, number>>): string =>
  Object.entries(rows)
    .map(([t, n]) => `${t} ${fmtInt(n)}`)
    .join(' · ')

export function ExportPage() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [grid, setGrid] = useState('100ms')
  const [tables, setTables] = useState<readonly ExportTableName[]>(['events', 'book', 'features'])
  const [out, setOut] = useState('')
  const [force, setForce] = useState(false)
  const [ungated, setUngated] = useState(false)
  const [validate, setValidate] = useState(false)
  const [fidelity, setFidelity] = useState('')
  const [jobs, setJobs] = useState<Partial<Record<JobKind, string>>>({})
  const [current, setCurrent] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const result = useLatestDone('export', jobs.export ?? null)?.result ?? null
  const verification =
    useLatestDone('verify-dataset', jobs['verify-dataset'] ?? null)?.result ?? null
  const plan = useLatestDone('backfill-plan', jobs['backfill-plan'] ?? null)?.result ?? null

  useEffect(() => {
    void api.invoke('app.info', null).then(setInfo)
  }, [])

  const start = (spec: JobSpec): void => {
    setError(null)
    startJob(spec).then(
      (id) => {
        setJobs((j) => ({ ...j, [spec.kind]: id }))
        setCurrent(id)
      },
      (e: unknown) => {
        setError(plainError(e))
      }
    )
  }
  const settings = {
    grid: grid.trim() || 'off',
    tables: [...tables],
    ...(ungated ? { ungated: true } : {}),
    ...(fidelity.trim() ? { fidelityReference: fidelity.trim() } : {})
  }
  const dataset = out.trim() ? { out: out.trim() } : {}

  return (
    <div>
      <h2>Export</h2>
      <section className="panel">
        {info && (
          <LakeRangePicker
            key={validate ? 'staging' : 'ready'}
            info={info}
            zone={validate ? 'staging' : undefined}
          >
            {(range) => (
              <>
                <button
                  className="primary"
                  data-testid="export-start"
                  onClick={() => {
                    start({
                      kind: 'export',
                      params: {
                        ...range,
                        ...settings,
                        ...dataset,
                        force,
                        ...(validate ? { validate: true } : {})
                      }
                    })
                  }}
                >
                  Export
                </button>
                <button
                  data-testid="backfill-plan"
                  onClick={() => {
                    start({
                      kind: 'backfill-plan',
                      params: { ...range, ...settings, ...(validate ? { validate: true } : {}) }
                    })
                  }}
                >
                  Plan backfill
                </button>
              </>
            )}
          </LakeRangePicker>
        )}
        <div className="row">
          <label>
            grid{' '}
            <input
              className="mono"
              size={8}
              data-testid="export-grid"
              value={grid}
              onChange={(e) => {
                setGrid(e.target.value)
              }}
            />
          </label>
          <CheckboxList options={TABLES} value={tables} onChange={setTables} />
          <label>
            <input
              type="checkbox"
              checked={force}
              onChange={(e) => {
                setForce(e.target.checked)
              }}
            />{' '}
            replace a finished dataset
          </label>
        </div>
        <div className="row">
          <label>
            <input
              type="checkbox"
              data-testid="export-validate"
              checked={validate}
              onChange={(e) => {
                setValidate(e.target.checked)
              }}
            />{' '}
            Validate the staged files in the same pass
          </label>
          <span className="muted">
            one read instead of three: the export (or each backfill day) validates the range&apos;s
            files in staging/ as it reads them; then those that pass move to ready/, the range is
            certified and the dataset judged. A failing file stays in staging and the dataset is not
            certified.
          </span>
        </div>
        <div className="row">
          <label>
            <input
              type="checkbox"
              data-testid="export-ungated"
              checked={ungated}
              onChange={(e) => {
                setUngated(e.target.checked)
              }}
            />{' '}
            Export without the readiness gate
          </label>
          <span className="muted">
            for a vendor folder or an uncertified range (export and backfill): the dataset is then
            NOT CERTIFIED, with the reason in its certificate.
          </span>
        </div>
        <div className="row">
          <label>
            fidelity reference{' '}
            <input
              className="mono"
              size={40}
              placeholder="default: the Lake book table of the inputs"
              data-testid="export-fidelity"
              value={fidelity}
              onChange={(e) => {
                setFidelity(e.target.value)
              }}
            />
          </label>
          <span className="muted">a source such as bookticker:&lt;capture files&gt;, or off</span>
        </div>
        <label htmlFor="export-out">
          Dataset folder of the export (default: the lake&apos;s exports/ folder; a backfill gets a
          folder of its own there). Outside the lake, choose it in the folder dialog: the app writes
          only under the lake and folders picked there.
        </label>
        <div className="row">
          <input
            id="export-out"
            className="mono wide"
            data-testid="export-out"
            value={out}
            onChange={(e) => {
              setOut(e.target.value)
            }}
          />
          {info?.canPickFiles && (
            <button
              data-testid="export-out-browse"
              onClick={() => {
                void api
                  .invoke('files.pick', { title: 'Dataset folder', multi: false, directory: true })
                  .then((picked) => {
                    if (picked[0]) setOut(picked[0])
                  })
              }}
            >
              Choose…
            </button>
          )}
        </div>
        <div className="muted">
          grid: 100ms, 1s, … or off (book and features only at events). An interrupted export
          resumes from its last checkpoint when started again with the same settings.
        </div>
        {error && <div className="error">{error}</div>}
      </section>
      {current && <JobProgressPanel jobId={current} />}
      {result && (
        <section className="panel" data-testid="export-result">
          <div className="row">
            <h3>Dataset</h3>
            <OpenPath path={result.dataset} />
            <button
              data-testid="export-verify"
              onClick={() => {
                start({ kind: 'verify-dataset', params: { dir: result.dataset } })
              }}
            >
              Verify
            </button>
          </div>
          <Certification result={result} />
          <div>
            {result.exchange} {result.symbol} {result.from} → {result.to}: {result.outputs.files}{' '}
            files, {fmtBytes(result.outputs.bytes)} ({rowsText(result.outputs.rows)})
          </div>
          <div className="muted">
            {fmtInt(result.run.events)} events in {fmtDuration(result.run.elapsedMs)} (
            {fmtInt(result.run.eventsPerSecond)} events/s), {result.run.checkpoints} checkpoints,
            peak RSS {result.run.peakRssMb} MB
            {result.run.resumedFromChunk !== null &&
              `, resumed from ${result.run.resumedFromChunk}`}
            ; replay hash <span className="mono">{result.outputHash}</span>
          </div>
          {result.validation && <InPassGate v={result.validation} />}
          {!result.complete && (
            <div className="error" data-testid="export-refused">
              Refused input rows: {rowsText(result.issues)} (listed in the certificate)
            </div>
          )}
          <table className="jobs">
            <thead>
              <tr>
                <th>day</th>
                <th>book at entry</th>
                <th>rows</th>
              </tr>
            </thead>
            <tbody>
              {result.days.map((d) => (
                <tr key={d.date}>
                  <td className="mono">{d.date}</td>
                  <td>{d.entry}</td>
                  <td>{rowsText(d.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="mono muted">certificate: {result.certificate}</div>
          {verification && verification.dataset === result.dataset && (
            <div
              className={verification.ok ? 'state-done' : 'error'}
              data-testid="export-verification"
            >
              {verification.ok
                ? `verified: ${verification.checked.outputs} outputs (${fmtBytes(verification.checked.bytes)}), ${verification.checked.inputs} inputs re-hashed`
                : `${verification.problems.length} problem(s): ${verification.problems
                    .slice(0, 5)
                    .map((p) => `${p.kind} ${p.path}: ${p.message}`)
                    .join('; ')}`}
            </div>
          )}
        </section>
      )}
      {plan && <PlanSummary plan={plan} />}
      <BackfillQueue onJob={setCurrent} />
    </div>
  )
}

const GATE_ORDER = ['readiness', 'technical', 'replay', 'fidelity'] as const

/** What the gate decided in the export's own read (export --validate). */
function InPassGate({ v }: { readonly v: InPassValidationSummary }) {
  return (
    <div data-testid="export-validation">
      Validated in the same pass: {inPassCounts(v)}; readiness certificate{' '}
      {v.certificate.verdict.toUpperCase()}
      {v.kept.map((k) => (
        <div key={k.path} className="error">
          kept in staging: <span className="mono">{k.path}</span>: {k.reasons.join('; ')}
        </div>
      ))}
    </div>
  )
}

/** CERTIFIED or NOT CERTIFIED, why not, and each gate's verdict. */
function Certification({ result }: { readonly result: ExportResult }) {
  const g = result.gates
  return (
    <div data-testid="export-certification">
      <div className="row">
        <span
          className={`cert ${result.certified ? 'badge badge-pass' : 'badge badge-fail'}`}
          data-testid="export-certified"
        >
          {result.certified ? 'CERTIFIED' : 'NOT CERTIFIED'}
        </span>
        <span>verdict {result.verdict.toUpperCase()}</span>
        {g &&
          GATE_ORDER.map((k) => (
            <span key={k} className={`badge badge-${g[k]}`} data-testid={`export-gate-${k}`}>
              {k} {g[k].toUpperCase()}
            </span>
          ))}
      </div>
      {result.notCertifiedBecause.length > 0 && (
        <ul className="error" data-testid="export-not-certified">
          {result.notCertifiedBecause.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

function PlanSummary({ plan }: { readonly plan: BackfillPlanView }) {
  const e = plan.estimate
  return (
    <section className="panel" data-testid="backfill-plan-view">
      <h3>Backfill plan {plan.created ? '(days queued)' : '(already planned)'}</h3>
      <div>
        {plan.from} → {plan.to}: {plan.days} days, {plan.daysWithData} with local data; input{' '}
        {fmtInt(plan.input.rows)} rows, {fmtBytes(plan.input.bytes)}
      </div>
      {plan.daysMissingLocally.length > 0 && (
        <div className="error">
          missing locally ({plan.daysMissingLocally.length}):{' '}
          {plan.daysMissingLocally.slice(0, 10).join(', ')}
          {plan.daysMissingLocally.length > 10 ? ', …' : ''}
        </div>
      )}
      <div className="muted">
        time ≈ {fmtDuration(e.seconds * 1000)} at {fmtInt(e.rowsPerSecond)} rows/s ({e.rateSource}
        ), {e.parallel} at once · disk ≈ {fmtBytes(e.outputBytes)} of {fmtBytes(e.diskFreeBytes)}{' '}
        free {e.diskOk ? '' : '(NOT ENOUGH)'} · download {fmtBytes(e.downloadBytes)} ={' '}
        {(100 * e.quotaShare).toFixed(1)}% of the monthly quota {e.quotaOk ? '' : '(OVER QUOTA)'}
      </div>
      <div className="muted" data-testid="backfill-plan-reads">
        {plan.validate
          ? 'reads staging/: each day job validates its files in its own read; the verdicts are settled (passing files to ready/) and the range certified when every day is done'
          : 'reads ready/: the readiness gate must cover the range'}
      </div>
      <div className="mono muted">dataset: {plan.dataset}</div>
    </section>
  )
}

// A backfill's day queue: counts, progress weighted by input size, measured rate and ETA, and every
// day with its state and reason. Read from the manifest (backfill.status); refreshed while a
// backfill job runs and whenever one ends.
import { useEffect, useState } from 'react'
import { backfillGateText, type BackfillStatusView } from '../../../src-shared/export'
import { fmtBytes, fmtDuration, fmtInt } from '../../../src-shared/format'
import { isFinished } from '../../../src-shared/jobs'
import { api } from '../api'
import { startJob, useJobs } from '../stores/jobs'
import { plainError } from '../plainError'

const BACKFILL_KINDS = new Set(['backfill-plan', 'backfill-run'])

export function BackfillQueue({ onJob }: { readonly onJob: (jobId: string) => void }) {
  const [status, setStatus] = useState<BackfillStatusView | null>(null)
  const [parallel, setParallel] = useState(1)
  const [error, setError] = useState<string | null>(null)
  // A fingerprint of the backfill jobs' states: the queue is re-read whenever one changes.
  const jobsKey = useJobs((s) =>
    Object.values(s.jobs)
      .filter((j) => BACKFILL_KINDS.has(j.kind))
      .map((j) => `${j.id}:${j.state}`)
      .join(',')
  )
  const running = useJobs((s) =>
    Object.values(s.jobs).some((j) => j.kind === 'backfill-run' && !isFinished(j.state))
  )

  useEffect(() => {
    const read = (): void => {
      api.invoke('backfill.status', {}).then(setStatus, (e: unknown) => {
        setError(plainError(e))
      })
    }
    read()
    if (!running) return
    const t = setInterval(read, 1000)
    return () => {
      clearInterval(t)
    }
  }, [jobsKey, running])

  if (!status) return null
  const run = (retryFailed: boolean): void => {
    setError(null)
    startJob({ kind: 'backfill-run', params: { id: status.id, parallel, retryFailed } }).then(
      onJob,
      (e: unknown) => {
        setError(plainError(e))
      }
    )
  }
  const c = status.counts
  return (
    <section className="panel" data-testid="backfill-queue">
      <div className="row">
        <h3>Backfill {status.id}</h3>
        <span className="muted">
          {status.exchange} {status.symbol} {status.from} → {status.to}
        </span>
      </div>
      <div className="row" data-testid="backfill-counts">
        <span>{status.days} days:</span>
        <span className="state-done">{c.done} done</span>
        <span className="state-running">{c.running} running</span>
        <span>{c.queued} queued</span>
        <span className="state-failed">{c.failed} failed</span>
        <span>
          · {(100 * status.progress).toFixed(1)}% of input rows
          {status.rowsPerSecond !== null && ` · ${fmtInt(status.rowsPerSecond)} rows/s`}
          {status.etaSeconds !== null && ` · ETA ${fmtDuration(status.etaSeconds * 1000)}`}
          {` · output ${fmtBytes(status.outputBytes)}`}
        </span>
      </div>
      <div className="bar">
        <div className="bar-fill" style={{ width: `${(100 * status.progress).toFixed(1)}%` }} />
      </div>
      <div className="row">
        <label>
          day jobs at once{' '}
          <input
            type="number"
            min={1}
            max={8}
            value={parallel}
            onChange={(e) => {
              setParallel(Number(e.target.value))
            }}
          />
        </label>
        <button
          className="primary"
          data-testid="backfill-run"
          disabled={running || c.queued + c.running === 0}
          onClick={() => {
            run(false)
          }}
        >
          Run
        </button>
        <button
          disabled={running || c.failed === 0}
          onClick={() => {
            run(true)
          }}
        >
          Retry failed
        </button>
        {status.certificate && (
          <span className="mono" data-testid="backfill-certificate">
            certificate: {status.certificate}
          </span>
        )}
      </div>
      {status.gate && (
        <div
          data-testid="backfill-gate"
          className={status.gate.counts.fail > 0 ? 'error' : 'muted'}
        >
          Validated in the day jobs&apos; read: {backfillGateText(status.gate)}
          {status.gate.kept.map((k) => (
            <div key={k.path} className="mono">
              kept in staging: {k.path}: {k.reasons.join('; ')}
            </div>
          ))}
        </div>
      )}
      {error && <div className="error">{error}</div>}
      <table className="jobs">
        <thead>
          <tr>
            <th>day</th>
            <th>state</th>
            <th>input rows</th>
            <th>events</th>
            <th>output</th>
            <th>time</th>
            <th>reason</th>
          </tr>
        </thead>
        <tbody>
          {status.dayList.map((d) => (
            <tr key={d.day} data-testid="backfill-day" data-state={d.state}>
              <td className="mono">{d.day}</td>
              <td className={`state-${d.state}`}>{d.state}</td>
              <td>{d.inputRows === null ? '–' : fmtInt(d.inputRows)}</td>
              <td>{d.events === null ? '–' : fmtInt(d.events)}</td>
              <td>{d.outputBytes === null ? '–' : fmtBytes(d.outputBytes)}</td>
              <td>{d.seconds === null ? '–' : fmtDuration(d.seconds * 1000)}</td>
              <td className="muted">{d.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

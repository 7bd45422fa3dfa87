// Progress of one job: state, bar, throughput, ETA, cancel, and its warnings.
import { fmtAmount, fmtDuration } from '../../../src-shared/format'
import { isFinished } from '../../../src-shared/jobs'
import { cancelJob, useJobs } from '../stores/jobs'
import { plainError } from '../plainError'

export function JobProgressPanel({ jobId }: { readonly jobId: string }) {
  const job = useJobs((s) => s.jobs[jobId])
  const p = useJobs((s) => s.progress[jobId])
  const logs = useJobs((s) => s.logs[jobId])
  if (!job) return <div className="panel">starting…</div>
  const pct = p?.total ? Math.min(100, (100 * p.done) / p.total) : job.state === 'done' ? 100 : 0
  return (
    <div className="panel job" data-testid="job-panel" data-state={job.state}>
      <div className="row">
        <strong>{job.kind}</strong>
        <span className={`state state-${job.state}`} data-testid="job-state">
          {job.state}
        </span>
        {!isFinished(job.state) && (
          <button
            data-testid="job-cancel"
            onClick={() => {
              cancelJob(jobId)
            }}
          >
            Cancel
          </button>
        )}
      </div>
      <div className="bar">
        <div className="bar-fill" style={{ width: `${pct}%` }} />
      </div>
      {p && !isFinished(job.state) && (
        <div className="muted">
          {fmtAmount(p.done, p.unit)}
          {p.total ? ` of ${fmtAmount(p.total, p.unit)}` : ''} · {fmtAmount(p.rate, p.unit)}/s
          {p.etaMs !== null ? ` · ETA ${fmtDuration(p.etaMs)}` : ''}
        </div>
      )}
      {job.error && <div className="error">{plainError(job.error.message)}</div>}
      {logs && logs.some((l) => !l.startsWith('[info]')) && (
        <details>
          <summary>{logs.filter((l) => !l.startsWith('[info]')).length} warning(s)</summary>
          <pre className="log">{logs.filter((l) => !l.startsWith('[info]')).join('\n')}</pre>
        </details>
      )}
    </div>
  )
}

// Jobs: every job from the manifest (history survives restarts), live progress, cancel, open, and
// run again what a stopped process, a failure or a cancel left unfinished (an export resumes).
import { fmtDuration, fmtTime } from '../../../src-shared/format'
import { canRunAgain, isFinished, RESUMABLE_KINDS } from '../../../src-shared/jobs'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { useEffect } from 'react'
import { openReplay } from '../stores/book'
import { hasTimeline, useJobFocus } from '../stores/jobFocus'
import { refreshJobs, runAgain, useJobs } from '../stores/jobs'
import { plainError } from '../plainError'

export function JobsPage({ onOpen }: { readonly onOpen: () => void }) {
  const jobs = useJobs((s) => s.jobs)
  const error = useJobs((s) => s.error)
  const list = Object.values(jobs).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  const running = list.filter((j) => !isFinished(j.state))
  const focused = useJobFocus((s) => s.jobId)
  useEffect(() => {
    if (focused === null) return
    document
      .querySelector(`[data-testid="job-row-${CSS.escape(focused)}"]`)
      ?.scrollIntoView({ block: 'center' })
  }, [focused, list.length])
  return (
    <div>
      <div className="row">
        <h2>Jobs</h2>
        <button onClick={() => void refreshJobs()}>Refresh</button>
      </div>
      {error && <div className="error">{error}</div>}
      {running.map((j) => (
        <JobProgressPanel key={j.id} jobId={j.id} />
      ))}
      <table className="jobs" data-testid="jobs-table">
        <thead>
          <tr>
            <th>job</th>
            <th>kind</th>
            <th>state</th>
            <th>created (UTC)</th>
            <th>took</th>
            <th>outcome</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((j) => (
            <tr
              key={j.id}
              data-testid={`job-row-${j.id}`}
              className={j.id === focused ? 'focused' : undefined}
              aria-current={j.id === focused ? 'true' : undefined}
            >
              <td className="mono">{j.id}</td>
              <td>{j.kind}</td>
              <td className={`state state-${j.state}`}>{j.state}</td>
              <td>{fmtTime(Date.parse(j.createdAt))}</td>
              <td>
                {j.startedAt && j.endedAt
                  ? fmtDuration(Date.parse(j.endedAt) - Date.parse(j.startedAt))
                  : ''}
              </td>
              <td className="error">{j.error ? plainError(j.error.message) : ''}</td>
              <td>
                {hasTimeline(j.result) && (
                  <button
                    onClick={() => {
                      void openReplay(j.id)
                      onOpen()
                    }}
                  >
                    Open
                  </button>
                )}
                {canRunAgain(j.state) && (
                  <button
                    data-testid={`again-${j.id}`}
                    title={
                      RESUMABLE_KINDS.includes(j.kind)
                        ? 'run it again with the same settings: it resumes from its last checkpoint'
                        : 'run it again with the same settings (it starts over)'
                    }
                    onClick={() => void runAgain(j.id)}
                  >
                    {RESUMABLE_KINDS.includes(j.kind) ? 'Resume' : 'Run again'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

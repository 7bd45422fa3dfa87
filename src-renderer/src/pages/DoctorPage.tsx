// Doctor: lakebook doctor's checks of the machine main runs on (runtime, native modules, Chromium,
// disk, credentials, network), each with its fix. The same report as `lakebook doctor`.
import { useEffect } from 'react'
import { runDoctor, useDoctor } from '../stores/doctor'

const stateClass = { pass: 'done', warn: 'warn', fail: 'failed' } as const

export function DoctorPage() {
  const { report, running, error } = useDoctor()
  // The app ran the checks at start; the page shows that report and can check again.
  useEffect(() => {
    if (!useDoctor.getState().report) void runDoctor()
  }, [])
  const again = (): void => {
    void runDoctor()
  }
  const count = (s: string) => report?.checks.filter((c) => c.status === s).length ?? 0
  return (
    <div>
      <div className="row">
        <h2>Doctor</h2>
        <button disabled={running} onClick={again}>
          {running ? 'Checking…' : 'Check again'}
        </button>
      </div>
      {error && <div className="error">{error}</div>}
      {report && (
        <section className="panel" data-testid="doctor">
          <div className="muted">
            {report.runtime} · lake {report.lakeRoot} · {count('pass')} passed, {count('warn')}{' '}
            warnings, {count('fail')} failed · {report.ok ? 'ready' : 'not ready'}
          </div>
          <table className="jobs">
            <thead>
              <tr>
                <th />
                <th>check</th>
                <th>found</th>
                <th>fix</th>
              </tr>
            </thead>
            <tbody>
              {report.checks.map((c) => (
                <tr key={c.id} data-testid={`doctor-${c.id}`}>
                  <td className={`state state-${stateClass[c.status]}`}>{c.status}</td>
                  <td>
                    {c.title}
                    {c.required ? '' : ' (optional)'}
                  </td>
                  <td>{c.detail}</td>
                  <td className="muted">{c.fix ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  )
}

// Doctor: lakebook doctor's checks of the machine main runs on (runtime, native modules, Chromium,
// disk, credentials, network), each with its fix. The same report as `lakebook doctor`.
import { useEffect, useState } from 'react'
import type { DoctorReport } from '../../../src-shared/doctor'
import { api } from '../api'
import { plainError } from '../plainError'

const stateClass = { pass: 'done', warn: 'warn', fail: 'failed' } as const

export function DoctorPage() {
  const [report, setReport] = useState<DoctorReport | null>(null)
  // Checking starts with the page; network checks take up to a few seconds each (bounded).
  const [running, setRunning] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const check = (): Promise<void> =>
    api.invoke('app.doctor', null).then(
      (r) => {
        setReport(r)
        setRunning(false)
      },
      (e: unknown) => {
        setError(plainError(e))
        setRunning(false)
      }
    )
  useEffect(() => {
    void check()
  }, [])
  const again = (): void => {
    setRunning(true)
    setError(null)
    void check()
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

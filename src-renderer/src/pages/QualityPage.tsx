// Quality: the data gate. Import a folder, validate (staging → ready), certify a range; see every
// file's verdict per day and zone, why files were held back, and the latest certificate.
import { useEffect, useMemo, useState } from 'react'
import { fmtBytes, fmtInt } from '../../../src-shared/format'
import type { GateFileView } from '../../../src-shared/ipc/contract'
import { isDoneJobOf, type DoneJobOf, type JobKind } from '../../../src-shared/jobs'
import { api } from '../api'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { OpenPath } from '../components/OpenPath'
import { Findings } from '../components/Findings'
import { startJob, useJobs } from '../stores/jobs'
import { plainError } from '../plainError'
import { useQualityFocus } from '../stores/qualityFocus'

const STATUS_CLASS: Record<GateFileView['status'], string> = {
  staged: 'cov-missing',
  pass: 'cov-present',
  warn: 'cov-warn',
  fail: 'cov-absent'
}

/** The newest finished job of a kind. */
function latest<K extends JobKind>(
  jobs: ReturnType<typeof useJobs.getState>['jobs'],
  kind: K
): DoneJobOf<K> | undefined {
  return Object.values(jobs)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .find((j): j is DoneJobOf<K> => isDoneJobOf(j, kind))
}

export function QualityPage() {
  const focus = useQualityFocus((s) => s.focus)
  const [exchange, setExchange] = useState(focus?.exchange ?? 'BINANCE')
  const [symbol, setSymbol] = useState(focus?.symbol ?? 'BTC-USDT')
  const [from, setFrom] = useState(focus?.day ?? '')
  const [to, setTo] = useState(focus?.day ?? '')
  const [importDir, setImportDir] = useState('')
  const [files, setFiles] = useState<GateFileView[]>([])
  const [job, setJob] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const jobs = useJobs((s) => s.jobs)
  const running = job ? jobs[job] : undefined
  const validation = useMemo(() => latest(jobs, 'validate')?.result ?? null, [jobs])
  const certificate = useMemo(() => latest(jobs, 'certify')?.result ?? null, [jobs])

  const refresh = (): void => {
    api.invoke('gate.files', { exchange, symbol }).then(setFiles, (e: unknown) => {
      setError(plainError(e))
    })
  }
  useEffect(refresh, [exchange, symbol, running?.state])

  const run = (spec: Parameters<typeof startJob>[0]): void => {
    setError(null)
    startJob(spec).then(setJob, (e: unknown) => {
      setError(plainError(e))
    })
  }
  const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) }
  const days = [...new Set(files.map((f) => f.day))].sort()
  const tables = [...new Set(files.map((f) => f.table))].sort()
  const focused = focus
    ? files.filter(
        (f) =>
          f.table === focus.table &&
          f.day === focus.day &&
          exchange === focus.exchange &&
          symbol === focus.symbol
      )
    : []
  return (
    <div>
      <h2>Quality</h2>
      {focus && (
        <section className="panel" data-testid="quality-focus">
          <div className="row">
            <h3>
              {focus.table} {focus.day} ({focus.exchange} {focus.symbol})
            </h3>
            <button
              onClick={() => {
                useQualityFocus.setState({ focus: null })
              }}
            >
              Close
            </button>
          </div>
          {focused.length === 0 ? (
            <div className="muted">the data gate has no file of this table and day</div>
          ) : (
            <ul className="reasons">
              {focused.map((f) => (
                <li key={`${f.zone}${f.path}`} data-status={f.status}>
                  <b>{f.status}</b> <span className="mono">{f.path}</span> ({f.zone}
                  {f.validatedAt ? `, validated ${f.validatedAt.slice(0, 19)} UTC` : ''})
                  {f.reasons.length > 0 ? `: ${f.reasons.join('; ')}` : ''}
                </li>
              ))}
            </ul>
          )}
          <div className="muted">
            Its rules again, findings included:{' '}
            <code>
              lakebook validate --from {focus.day} --to {focus.day} --include-ready
            </code>
          </div>
        </section>
      )}
      <section className="panel">
        <div className="row">
          <label>
            exchange{' '}
            <input
              value={exchange}
              onChange={(e) => {
                setExchange(e.target.value)
              }}
              size={16}
            />
          </label>
          <label>
            symbol{' '}
            <input
              value={symbol}
              onChange={(e) => {
                setSymbol(e.target.value)
              }}
              size={14}
            />
          </label>
          <label>
            from{' '}
            <input
              type="date"
              value={from}
              onChange={(e) => {
                setFrom(e.target.value)
              }}
            />
          </label>
          <label>
            to{' '}
            <input
              type="date"
              value={to}
              onChange={(e) => {
                setTo(e.target.value)
              }}
            />
          </label>
          <button
            data-testid="validate"
            onClick={() => {
              run({ kind: 'validate', params: { exchange, symbol, ...range } })
            }}
          >
            Validate staging
          </button>
          <button
            data-testid="certify"
            disabled={!from || !to}
            title={!from || !to ? 'pick a day range' : ''}
            onClick={() => {
              run({ kind: 'certify', params: { exchange, symbol, from, to } })
            }}
          >
            Certify range
          </button>
        </div>
        <div className="row">
          <input
            className="grow mono"
            placeholder="folder in the vendor layout (e.g. converted captures)"
            value={importDir}
            onChange={(e) => {
              setImportDir(e.target.value)
            }}
            data-testid="import-dir"
          />
          <button
            data-testid="import"
            disabled={!importDir}
            onClick={() => {
              run({ kind: 'import', params: { dir: importDir } })
            }}
          >
            Import into staging
          </button>
        </div>
        {error && <div className="error">{error}</div>}
      </section>
      {job && <JobProgressPanel jobId={job} />}

      <section className="panel">
        <div className="row">
          <h3>Files by day</h3>
          <button onClick={refresh}>Refresh</button>
          <span className="muted">
            <span className="legend cov-missing" /> staged <span className="legend cov-present" />{' '}
            pass <span className="legend cov-warn" /> warn <span className="legend cov-absent" />{' '}
            fail
          </span>
        </div>
        {files.length === 0 ? (
          <div className="muted">
            nothing imported or downloaded for {exchange} {symbol} yet
          </div>
        ) : (
          <table className="cov-table" data-testid="gate-grid">
            <thead>
              <tr>
                <th />
                {days.map((d) => (
                  <th key={d} className="muted" title={d}>
                    {d.slice(5)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(['ready', 'staging'] as const).flatMap((zone) =>
                tables.map((t) => (
                  <tr key={`${zone}${t}`}>
                    <td className="mono">
                      {zone}/{t}
                    </td>
                    {days.map((d) => {
                      const f = files.find((x) => x.zone === zone && x.table === t && x.day === d)
                      return (
                        <td key={d}>
                          {f && (
                            <span
                              className={`cov-cell ${STATUS_CLASS[f.status]}`}
                              title={`${f.path}: ${f.status}${f.reasons.length ? `\n${f.reasons.join('\n')}` : ''}`}
                              data-status={f.status}
                            />
                          )}
                        </td>
                      )
                    })}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        )}
        {files.some((f) => f.status === 'fail') && (
          <div>
            <h3>Held back in staging</h3>
            <ul className="reasons">
              {files
                .filter((f) => f.status === 'fail')
                .map((f) => (
                  <li key={`${f.zone}${f.path}`}>
                    <span className="mono">{f.path}</span>: {f.reasons.join('; ')}
                  </li>
                ))}
            </ul>
          </div>
        )}
      </section>

      {validation && (
        <section className="panel" data-testid="last-validation">
          <h3>
            Last validation: {validation.exchange} {validation.symbol} {validation.from ?? ''} →{' '}
            {validation.to ?? ''}
          </h3>
          <div>
            files {fmtInt(validation.files.length)}: pass {validation.counts.pass}, warn{' '}
            {validation.counts.warn}, fail {validation.counts.fail}; moved to ready{' '}
            {validation.promoted.length}, kept {validation.kept.length}
          </div>
          <table className="jobs">
            <tbody>
              {validation.files.map((f) => (
                <tr key={f.path}>
                  <td className={`state state-${f.status === 'fail' ? 'failed' : 'done'}`}>
                    {f.status}
                  </td>
                  <td className="mono">{f.path}</td>
                  <td>{fmtInt(f.rows)} rows</td>
                  <td>
                    {f.rules
                      .filter((r) => r.status === 'fail' || r.status === 'warn')
                      .map((r) => `${r.status} ${r.rule}: ${r.measured}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Findings
            files={validation.files}
            exchange={validation.exchange}
            symbol={validation.symbol}
          />
          {validation.report && (
            <div className="muted">
              <OpenPath label="report" path={validation.report} />
            </div>
          )}
        </section>
      )}

      {certificate && (
        <section className="panel" data-testid="last-certificate">
          <h3>
            Certificate {certificate.certificate.selection.from} →{' '}
            {certificate.certificate.selection.to}{' '}
            <span className={`state state-${certificate.verdict === 'pass' ? 'done' : 'failed'}`}>
              {certificate.verdict}
            </span>
          </h3>
          <table className="jobs">
            <tbody>
              {certificate.certificate.gates.map((g) => (
                <tr key={g.gate}>
                  <td>{g.gate}</td>
                  <td className={`state state-${g.status === 'pass' ? 'done' : 'failed'}`}>
                    {g.status}
                  </td>
                  <td>{g.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="muted">
            {fmtInt(certificate.certificate.totals.files)} files,{' '}
            {fmtBytes(certificate.certificate.totals.bytes)},{' '}
            {fmtInt(certificate.certificate.totals.rows)} rows · open issues{' '}
            {certificate.certificate.openIssues.length} · {certificate.json} ·{' '}
            <OpenPath path={certificate.html} />
          </div>
        </section>
      )}
    </div>
  )
}

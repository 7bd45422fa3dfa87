// Fidelity: compare a candidate market (a reconstruction, Lake-format data, another period) with a
// real reference; the scorecard says, per metric, whether the difference is within the noise between
// two real periods; the plots show why.
import { useMemo, useState } from 'react'
import type { FidelityResult, Verdict } from '../../../src-shared/fidelity'
import { isDoneJobOf } from '../../../src-shared/jobs'
import { fmtDuration, fmtStat } from '../../../src-shared/format'
import { AcfChart, MetricCharts } from '../components/FidelityCharts'
import { PairedMoments } from '../components/PairedMoments'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { startJob, useJobs } from '../stores/jobs'
import { plainError } from '../plainError'

/** Numbers from the job's JSON (NaN arrives as null), in the report's and the CLI's format. */
const num = (v: number | null): string => fmtStat(v)

const VERDICT_CLASS: Record<Verdict, string> = {
  within: 'state-done',
  marginal: 'state-running',
  beyond: 'state-failed',
  'n/a': ''
}

function latestFidelity(
  jobs: ReturnType<typeof useJobs.getState>['jobs'],
  jobId: string | null
): FidelityResult | null {
  const j = jobId
    ? jobs[jobId]
    : Object.values(jobs)
        .filter((x) => x.kind === 'fidelity' && x.state === 'done')
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
  return j !== undefined && isDoneJobOf(j, 'fidelity') ? j.result : null
}

export function FidelityPage() {
  const [reference, setReference] = useState('')
  const [candidates, setCandidates] = useState('')
  const [baseline, setBaseline] = useState('halves')
  const [jobId, setJobId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [cand, setCand] = useState(0)
  const [metric, setMetric] = useState(0)
  const jobs = useJobs((s) => s.jobs)
  const result = useMemo(() => latestFidelity(jobs, jobId), [jobs, jobId])
  const c = result?.candidates[cand]
  const plots = c?.plots.metrics[metric]

  const run = (): void => {
    const list = candidates
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
    if (!reference.trim() || list.length === 0) {
      setError('a reference and at least one candidate source')
      return
    }
    setError(null)
    startJob({
      kind: 'fidelity',
      params: {
        reference: reference.trim(),
        candidates: list,
        baseline: baseline.trim() || 'halves'
      }
    }).then(setJobId, (e: unknown) => {
      setError(plainError(e))
    })
  }

  return (
    <div>
      <h2>Fidelity</h2>
      <section className="panel">
        <label htmlFor="fid-ref">Reference (real market)</label>
        <input
          id="fid-ref"
          className="grow mono wide"
          data-testid="fid-reference"
          placeholder="capture:/path/to/capture-dir  ·  lakebook:<root>#BINANCE/BTC-USDT"
          value={reference}
          onChange={(e) => {
            setReference(e.target.value)
          }}
        />
        <label htmlFor="fid-cand">
          Candidates (one per line; +impact for the trade impact model)
        </label>
        <textarea
          id="fid-cand"
          rows={2}
          className="mono"
          data-testid="fid-candidates"
          placeholder="converted:/path/to/capture-dir&#10;lake:<root>#BINANCE/BTC-USDT"
          value={candidates}
          onChange={(e) => {
            setCandidates(e.target.value)
          }}
        />
        <div className="row">
          <label>
            baseline{' '}
            <input
              className="mono"
              value={baseline}
              onChange={(e) => {
                setBaseline(e.target.value)
              }}
              size={40}
            />
          </label>
          <button className="primary" data-testid="fid-run" onClick={run}>
            Compare
          </button>
        </div>
        <div className="muted">
          Sources: capture:&lt;files|dir&gt; · bookticker:&lt;files|dir&gt; ·
          converted:&lt;files|dir&gt; · lake:&lt;root&gt;#EXCHANGE/SYMBOL ·
          lakebook:&lt;root&gt;#EXCHANGE/SYMBOL (the Lake book table) · dataset:&lt;dir&gt; (an
          exported dataset's book as written), optional @from..to window. Baseline: halves (first vs
          second half of the reference) or another real source.
        </div>
        {error && <div className="error">{error}</div>}
      </section>
      {jobId && <JobProgressPanel jobId={jobId} />}
      {result && (
        <>
          <section className="panel" data-testid="fid-scorecard">
            <div className="row">
              <h3>Scorecard</h3>
              {result.candidates.length > 1 && (
                <select
                  value={cand}
                  onChange={(e) => {
                    setCand(Number(e.target.value))
                  }}
                >
                  {result.candidates.map((x, i) => (
                    <option key={x.series.label} value={i}>
                      {x.series.label}
                    </option>
                  ))}
                </select>
              )}
              <span className="muted">
                reference {result.reference.label} · baseline {result.baseline.description} ·{' '}
                {fmtDuration(result.elapsedMs)}
              </span>
            </div>
            {c && (
              <>
                <div>
                  within the real-vs-real noise: {c.summary.within} · marginal {c.summary.marginal}{' '}
                  · beyond {c.summary.beyond} · n/a {c.summary.notApplicable}
                  {c.bbo &&
                    ` · best prices equal Binance's bookTicker at ${((100 * c.bbo.pricesMatched) / Math.max(1, c.bbo.compared)).toFixed(1)}% of ${c.bbo.compared} arrivals`}
                </div>
                <table className="jobs">
                  <thead>
                    <tr>
                      <th>metric</th>
                      <th>statistic</th>
                      <th>estimate [99% CI]</th>
                      <th>real-vs-real threshold</th>
                      <th>verdict</th>
                      <th>p (thinned) · p&gt;0.05</th>
                      <th>why the two differ</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.scorecard.map((r) => (
                      <tr key={`${r.metric}${r.statistic}`}>
                        <td>{r.metric}</td>
                        <td>
                          {r.statistic}
                          {r.units === '' ? '' : <div className="muted">{r.units}</div>}
                        </td>
                        <td className="num">
                          {num(r.estimate)} [{num(r.lower)}, {num(r.upper)}]
                        </td>
                        <td className="num">{num(r.threshold)}</td>
                        <td className={`state ${VERDICT_CLASS[r.verdict]}`}>{r.verdict}</td>
                        <td>
                          {r.p === null ? '' : `${num(r.p)} · ${r.seedRulePass ? 'yes' : 'no'}`}
                        </td>
                        <td className="muted">{r.note ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
          {c?.paired && <PairedMoments paired={c.paired} tick={result.reference.tick} />}
          {c && (
            <section className="panel">
              <div className="row">
                <h3>Distributions</h3>
                <select
                  value={metric}
                  onChange={(e) => {
                    setMetric(Number(e.target.value))
                  }}
                >
                  {c.plots.metrics.map((m, i) => (
                    <option key={m.metric} value={i}>
                      {m.label}
                    </option>
                  ))}
                </select>
              </div>
              {plots && <MetricCharts plots={plots} />}
              <div className="fid-charts">
                {c.plots.acf.map((a) => (
                  <AcfChart key={a.horizon} acf={a} />
                ))}
              </div>
            </section>
          )}
        </>
      )}
    </div>
  )
}

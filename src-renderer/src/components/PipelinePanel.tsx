// The Monitor page's pipeline: a Run pipeline form (the same job as `lakebook pipeline run`,
// started through jobs.start with the app's stored Crypto Lake keys), the running job's progress
// (stage i of n, the stage's share, the ETA) and the stages of the lake's latest pipeline as its
// stage file has them, with the sentence of the gate that stopped it. Run it again to resume.
import { useEffect, useState } from 'react'
import type { PipelineStatusView } from '../../../src-shared/pipeline'
import { isFinished } from '../../../src-shared/jobs'
import { fmtDuration } from '../../../src-shared/format'
import { api } from '../api'
import { plainError } from '../plainError'
import { startJob, useJobs } from '../stores/jobs'

const DAY = /^\d{4}-\d{2}-\d{2}$/

function StageTable({ p }: { readonly p: PipelineStatusView }) {
  return (
    <table className="jobs" data-testid="pipeline-stages">
      <thead>
        <tr>
          <th>stage</th>
          <th>state</th>
          <th>attempts</th>
          <th>time</th>
          <th>summary</th>
        </tr>
      </thead>
      <tbody>
        {p.stages.map((s, i) => {
          // A stage left running by a process that is gone (killed): it resumes on the next run.
          const state =
            s.state === 'running' && p.owner !== null && !p.owner.alive ? 'interrupted' : s.state
          return (
            <tr key={s.stage} data-testid={`pipeline-stage-${s.stage}`} data-state={state}>
              <td className="mono">
                {i + 1}/{p.stages.length} {s.stage}
              </td>
              <td className={`state state-${state === 'pending' ? 'queued' : state}`}>{state}</td>
              <td>{s.attempts}</td>
              <td>{s.seconds === null ? '–' : fmtDuration(s.seconds * 1000)}</td>
              <td className="muted">{s.summary ?? ''}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

export function PipelinePanel() {
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [bucket, setBucket] = useState<'paid' | 'sample'>('paid')
  const [endpoint, setEndpoint] = useState('')
  const [exchange, setExchange] = useState('BINANCE')
  const [symbol, setSymbol] = useState('BTC-USDT')
  const [onePass, setOnePass] = useState(false)
  const [latest, setLatest] = useState<PipelineStatusView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const job = useJobs((s) =>
    Object.values(s.jobs)
      .filter((j) => j.kind === 'pipeline')
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
      .at(0)
  )
  const progress = useJobs((s) => (job ? s.progress[job.id] : undefined))
  const running = job !== undefined && !isFinished(job.state)
  const jobKey = job ? `${job.id}:${job.state}` : ''

  useEffect(() => {
    api.invoke('pipeline.status', null).then(
      (list) => {
        setLatest(list[0] ?? null)
      },
      (e: unknown) => {
        setError(plainError(e))
      }
    )
  }, [jobKey])
  // While a pipeline runs, its stage file changes at every stage: read it again now and then.
  useEffect(() => {
    if (!running) return
    const t = setInterval(() => {
      api.invoke('pipeline.status', null).then(
        (list) => {
          setLatest(list[0] ?? null)
        },
        () => undefined
      )
    }, 3000)
    return () => {
      clearInterval(t)
    }
  }, [running])

  const ok = DAY.test(from) && DAY.test(to) && from <= to
  const run = (): void => {
    setError(null)
    startJob({
      kind: 'pipeline',
      params: {
        source: {
          bucket,
          exchange,
          symbol,
          ...(endpoint.trim() ? { endpoint: endpoint.trim() } : {}),
          ...(bucket === 'sample' ? { anonymous: true } : {})
        },
        from,
        to,
        ...(onePass ? { validate: true } : {})
      }
    }).then(
      () => undefined,
      (e: unknown) => {
        setError(plainError(e))
      }
    )
  }
  const resume = (): void => {
    if (!job) return
    setError(null)
    api.invoke('jobs.again', { jobId: job.id }).then(
      () => undefined,
      (e: unknown) => {
        setError(plainError(e))
      }
    )
  }
  const pct = progress && progress.total ? (100 * progress.done) / progress.total : null
  return (
    <section className="panel" data-testid="pipeline-panel">
      <h3>Pipeline</h3>
      <div className="muted">
        download → validate → certify → technical report → backfill → dataset certificate, each
        stage&apos;s gate respected; a stopped or killed pipeline resumes where it was (
        <code>lakebook pipeline run</code>, docs/runbooks/pipeline.md).
      </div>
      <div className="row">
        <label>
          from{' '}
          <input
            value={from}
            placeholder="YYYY-MM-DD"
            onChange={(e) => {
              setFrom(e.target.value)
            }}
          />
        </label>
        <label>
          to{' '}
          <input
            value={to}
            placeholder="YYYY-MM-DD"
            onChange={(e) => {
              setTo(e.target.value)
            }}
          />
        </label>
        <label>
          bucket{' '}
          <select
            value={bucket}
            onChange={(e) => {
              setBucket(e.target.value as 'paid' | 'sample')
            }}
          >
            <option value="paid">paid</option>
            <option value="sample">sample</option>
          </select>
        </label>
        <label>
          endpoint{' '}
          <input
            value={endpoint}
            placeholder="default: AWS"
            onChange={(e) => {
              setEndpoint(e.target.value)
            }}
          />
        </label>
        <label>
          exchange{' '}
          <input
            value={exchange}
            onChange={(e) => {
              setExchange(e.target.value)
            }}
          />
        </label>
        <label>
          symbol{' '}
          <input
            value={symbol}
            onChange={(e) => {
              setSymbol(e.target.value)
            }}
          />
        </label>
        <label title="validate and certify in the backfill's own read of the staged files (one read instead of three)">
          <input
            type="checkbox"
            data-testid="pipeline-one-pass"
            checked={onePass}
            onChange={(e) => {
              setOnePass(e.target.checked)
            }}
          />{' '}
          one pass
        </label>
        <button
          className="primary"
          data-testid="pipeline-run"
          disabled={running || !ok}
          onClick={run}
        >
          Run pipeline
        </button>
        {job && !running && job.state !== 'done' && (
          <button data-testid="pipeline-resume" onClick={resume}>
            Resume
          </button>
        )}
      </div>
      {running && progress && (
        <div data-testid="pipeline-progress">
          <div className="row">
            <span>{progress.message}</span>
            {pct !== null && <span>· {pct.toFixed(1)}% of this run</span>}
            {progress.etaMs !== null && <span>· ETA {fmtDuration(progress.etaMs)}</span>}
          </div>
          <div className="bar">
            <div className="bar-fill" style={{ width: `${(pct ?? 0).toFixed(1)}%` }} />
          </div>
        </div>
      )}
      {error && <div className="error">{error}</div>}
      {latest && (
        <div data-testid="pipeline-latest">
          <div className="row">
            <b>
              {latest.from} → {latest.to}
            </b>
            <span className="muted">
              run {latest.runs} · stage file <code>{latest.file}</code>
            </span>
          </div>
          {latest.stopped && (
            <div className="error" data-testid="pipeline-stopped">
              {latest.stopped.sentence}
            </div>
          )}
          <StageTable p={latest} />
          {latest.datasetHash && (
            <div className="mono" data-testid="pipeline-dataset">
              {latest.certified
                ? 'certified'
                : `not certified: ${latest.notCertifiedBecause ?? ''}`}
              {' · '}dataset hash {latest.datasetHash}
            </div>
          )}
        </div>
      )}
    </section>
  )
}

// Capture: record live Binance data as golden samples (one combined stream + REST snapshots, the
// documented sync procedure, gaps recorded), watch it live, and list, replay or convert sessions.
import { useEffect, useState } from 'react'
import type { CaptureLive, CaptureSessionView, RegimeLabel } from '../../../src-shared/capture'
import { fmtBytes, fmtDuration, fmtInt } from '../../../src-shared/format'
import { isFinished } from '../../../src-shared/jobs'
import type { BookFrame } from '../../../src-shared/replay'
import { api } from '../api'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { Ladder } from '../components/Ladder'
import { followReplay } from '../stores/book'
import { cancelJob, startJob, useJobs } from '../stores/jobs'
import { useLive } from '../stores/live'
import { showPage } from '../stores/nav'
import { plainError } from '../plainError'

const REGIME_CLASS: Record<RegimeLabel, string> = {
  'high-volume': 'reg-high',
  'low-volume': 'reg-low',
  event: 'reg-event',
  normal: 'reg-normal',
  partial: 'reg-partial'
}

function durationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim())
  if (!m) return undefined
  const k = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[m[2] as 's' | 'm' | 'h' | 'd']
  return Math.round(Number(m[1]) * k)
}

function liveFrame(top: NonNullable<CaptureLive['top']>): BookFrame {
  const levels = (l: readonly (readonly [string, string])[]): [number, number][] =>
    l.map(([p, q]) => [Number(p), Number(q)])
  return {
    index: 0,
    count: 1,
    timeMs: 0,
    updateId: top.u,
    bids: levels(top.bids),
    asks: levels(top.asks),
    crossed: false,
    unknownDepth: false
  }
}

export function CapturePage({ onReplay }: { readonly onReplay: () => void }) {
  const [symbol, setSymbol] = useState('BTCUSDT')
  const [market, setMarket] = useState<'spot' | 'usdm'>('spot')
  const [duration, setDuration] = useState('1h')
  const [until, setUntil] = useState('')
  const [wsBase, setWsBase] = useState('')
  const [restBase, setRestBase] = useState('')
  const [jobId, setJobId] = useState<string | null>(null)
  const [sessions, setSessions] = useState<CaptureSessionView[]>([])
  const [error, setError] = useState<string | null>(null)
  const job = useJobs((s) => (jobId ? s.jobs[jobId] : undefined))
  const live = useLive((s) => {
    const l = jobId ? s.byJob[jobId] : undefined
    return l?.kind === 'capture' ? l.payload : undefined
  })

  const refresh = (): void => {
    api.invoke('capture.sessions', { limit: 100 }).then(setSessions, (e: unknown) => {
      setError(plainError(e))
    })
  }
  useEffect(refresh, [job?.state])

  const start = (): void => {
    const ms = durationMs(duration)
    if (ms === undefined) {
      setError('duration like 30m, 2h or 1d')
      return
    }
    setError(null)
    startJob({
      kind: 'capture',
      params: {
        symbol,
        market,
        durationMs: ms,
        ...(until ? { until } : {}),
        ...(wsBase ? { wsBase } : {}),
        ...(restBase ? { restBase } : {})
      }
    }).then(setJobId, (e: unknown) => {
      setError(plainError(e))
    })
  }

  const replay = async (id: string): Promise<void> => {
    const f = await api.invoke('capture.files', { sessionId: id })
    followReplay(
      await startJob({
        kind: 'replay-capture',
        params: { files: f.files, market: f.market, timeline: true }
      })
    )
    onReplay()
  }
  const convert = async (s: CaptureSessionView): Promise<void> => {
    const f = await api.invoke('capture.files', { sessionId: s.id })
    const info = await api.invoke('app.info', null)
    setJobId(
      await startJob({
        kind: 'convert-capture',
        params: { files: f.files, out: `${info.lakeRoot}/converted/${s.id}`, force: true }
      })
    )
  }

  const runningCapture = job?.kind === 'capture' && !isFinished(job.state)
  return (
    <div>
      <h2>Capture</h2>
      <section className="panel">
        <div className="row">
          <label>
            symbol{' '}
            <input
              value={symbol}
              onChange={(e) => {
                setSymbol(e.target.value.toUpperCase())
              }}
              size={12}
            />
          </label>
          <label>
            market{' '}
            <select
              value={market}
              onChange={(e) => {
                setMarket(e.target.value as 'spot' | 'usdm')
              }}
            >
              <option value="spot">spot</option>
              <option value="usdm">USD-M futures</option>
            </select>
          </label>
          <label>
            for{' '}
            <input
              value={duration}
              onChange={(e) => {
                setDuration(e.target.value)
              }}
              size={6}
            />
          </label>
          <label>
            until{' '}
            <input
              placeholder="e.g. 3 regimes covered"
              value={until}
              onChange={(e) => {
                setUntil(e.target.value)
              }}
              size={20}
            />
          </label>
          {runningCapture ? (
            <button
              data-testid="capture-stop"
              onClick={() => {
                if (jobId) cancelJob(jobId)
              }}
            >
              Stop
            </button>
          ) : (
            <button className="primary" data-testid="capture-start" onClick={start}>
              Start capture
            </button>
          )}
        </div>
        <details>
          <summary className="muted">endpoints (default: Binance)</summary>
          <div className="row">
            <input
              className="grow mono"
              placeholder="wss://stream.binance.com:9443"
              value={wsBase}
              onChange={(e) => {
                setWsBase(e.target.value)
              }}
              data-testid="ws-base"
            />
            <input
              className="grow mono"
              placeholder="https://api.binance.com"
              value={restBase}
              onChange={(e) => {
                setRestBase(e.target.value)
              }}
              data-testid="rest-base"
            />
          </div>
        </details>
        {error && <div className="error">{error}</div>}
      </section>
      {jobId && <JobProgressPanel jobId={jobId} />}
      {live && (
        <section className="panel" data-testid="capture-live">
          {jobId && live.phase !== 'stopped' && (
            <button
              data-testid="capture-watch"
              title="the live book as a heatmap, ladder and tape on the Book page"
              onClick={() => {
                followReplay(jobId)
                showPage('book')
              }}
            >
              Watch in Book
            </button>
          )}
          <div className="counters">
            {(
              [
                ['phase', live.phase + (live.openGap ? ' (gap open)' : '')],
                ['elapsed', fmtDuration(live.elapsedMs)],
                ['messages', fmtInt(live.counts.messages)],
                ['messages/s', fmtInt(live.messagesPerSec)],
                ['depth', fmtInt(live.counts.depthUpdates)],
                ['trades', fmtInt(live.counts.trades)],
                ['gaps', fmtInt(live.gaps)],
                ['reconnects', fmtInt(live.counts.reconnects)],
                ['quarantined', fmtInt(live.counts.malformed)],
                ['off-tick levels', fmtInt(live.counts.offTickLevels ?? 0)],
                ['written', fmtBytes(live.counts.writtenBytes)],
                ['lag ms', live.exchangeLagMs === null ? '–' : fmtInt(live.exchangeLagMs)]
              ] as const
            ).map(([label, value]) => (
              <div key={label} className="counter">
                <div className="value" data-testid={`live-${label.replace(/\W/g, '')}`}>
                  {value}
                </div>
                <div className="label">{label}</div>
              </div>
            ))}
          </div>
          {live.regimes.length > 0 && (
            <div className="regimes" title="market regimes per window">
              {live.regimes.map((r) => (
                <span
                  key={r.startMs}
                  className={`reg ${REGIME_CLASS[r.label]}`}
                  title={`${new Date(r.startMs).toISOString()} ${r.label}`}
                />
              ))}
              <span className="muted"> covered: {live.covered.join(', ') || 'none yet'}</span>
            </div>
          )}
          {live.top && (
            <Ladder
              frame={liveFrame(live.top)}
              priceDecimals={Math.max(
                0,
                ...live.top.bids.map(([p]) => (p.split('.')[1] ?? '').replace(/0+$/, '').length)
              )}
            />
          )}
        </section>
      )}
      <section className="panel">
        <div className="row">
          <h3>Sessions</h3>
          <button onClick={refresh}>Refresh</button>
        </div>
        <table className="jobs" data-testid="capture-sessions">
          <thead>
            <tr>
              <th>session</th>
              <th>state</th>
              <th>started (UTC)</th>
              <th>messages</th>
              <th>gaps</th>
              <th>size</th>
              <th>regimes</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td className="mono">{s.id}</td>
                <td
                  className={`state state-${s.state === 'done' ? 'done' : s.state === 'running' ? 'running' : 'failed'}`}
                >
                  {s.state}
                </td>
                <td>{s.startedAt.replace('T', ' ').slice(0, 19)}</td>
                <td>{fmtInt(s.messages)}</td>
                <td>{fmtInt(s.gaps)}</td>
                <td>{fmtBytes(s.writtenBytes)}</td>
                <td className="muted">
                  {s.regimes
                    ? Object.entries(s.regimes)
                        .filter(([, v]) => v > 0)
                        .map(([k, v]) => `${k} ${v}`)
                        .join(', ')
                    : ''}
                </td>
                <td>
                  <button onClick={() => void replay(s.id)}>Replay</button>{' '}
                  <button onClick={() => void convert(s)}>To Lake format</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  )
}

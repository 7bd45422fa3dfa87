// Book: pick capture files, replay them in a worker job, then scrub through the reconstructed book.
import { useEffect, useState } from 'react'
import { fmtInt, fmtTime } from '../../../src-shared/format'
import type { ReplayCaptureResult } from '../../../src-shared/replay'
import type { AppInfo } from '../../../src-shared/ipc/contract'
import { api } from '../api'
import { BboChart } from '../components/BboChart'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { Ladder } from '../components/Ladder'
import { closeReplay, openReplay, showFrame, useBook } from '../stores/book'
import { startJob, useJobs } from '../stores/jobs'

export function BookPage() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [paths, setPaths] = useState('')
  const [market, setMarket] = useState<'auto' | 'spot' | 'usdm'>('auto')
  const [runningJob, setRunningJob] = useState<string | null>(null)
  const [startError, setStartError] = useState<string | null>(null)
  const job = useJobs((s) => (runningJob ? s.jobs[runningJob] : undefined))
  const openJobId = useBook((s) => s.jobId)

  useEffect(() => {
    void api.invoke('app.info', null).then(setInfo)
  }, [])

  // When the replay we started finishes, open its timeline.
  useEffect(() => {
    if (job?.state === 'done' && openJobId !== job.id) void openReplay(job.id)
  }, [job?.state, job?.id, openJobId])

  const start = async (): Promise<void> => {
    const files = paths
      .split('\n')
      .map((p) => p.trim())
      .filter((p) => p.length > 0)
    if (files.length === 0) {
      setStartError('enter at least one capture file path')
      return
    }
    setStartError(null)
    closeReplay()
    try {
      const id = await startJob({
        kind: 'replay-capture',
        params: { files, ...(market === 'auto' ? {} : { market }), timeline: true }
      })
      setRunningJob(id)
    } catch (e) {
      setStartError(e instanceof Error ? e.message : String(e))
    }
  }

  const browse = async (): Promise<void> => {
    const picked = await api.invoke('files.pick', { title: 'Capture files', multi: true })
    if (picked.length > 0) setPaths(picked.join('\n'))
  }

  return (
    <div className="book-page">
      <section className="panel source">
        <h2>Replay a capture</h2>
        <label htmlFor="capture-paths">Capture files (one path per line)</label>
        <textarea
          id="capture-paths"
          data-testid="capture-paths"
          rows={3}
          value={paths}
          placeholder={
            info?.sampleCaptureDir
              ? `${info.sampleCaptureDir}/spot-btcusdt-20240808/btcusdt_20240808.gz`
              : '/path/to/capture.gz'
          }
          onChange={(e) => {
            setPaths(e.target.value)
          }}
        />
        <div className="row">
          {info?.canPickFiles && <button onClick={() => void browse()}>Browse…</button>}
          <label>
            market{' '}
            <select
              value={market}
              onChange={(e) => {
                setMarket(e.target.value as typeof market)
              }}
            >
              <option value="auto">detect</option>
              <option value="spot">spot</option>
              <option value="usdm">USD-M futures</option>
            </select>
          </label>
          <button className="primary" data-testid="replay-start" onClick={() => void start()}>
            Replay
          </button>
        </div>
        {startError && <div className="error">{startError}</div>}
        {info?.sampleCaptureDir && (
          <div className="muted">Shared real captures: {info.sampleCaptureDir}</div>
        )}
      </section>
      {runningJob && <JobProgressPanel jobId={runningJob} />}
      <ReplayView />
    </div>
  )
}

function ReplayView() {
  const jobId = useBook((s) => s.jobId)
  const series = useBook((s) => s.series)
  const frame = useBook((s) => s.frame)
  const error = useBook((s) => s.error)
  const result = useJobs((s) => (jobId ? s.jobs[jobId]?.result : undefined)) as
    ReplayCaptureResult | undefined
  if (error) return <div className="panel error">{error}</div>
  if (!jobId || !series) return null
  const checkpoints = series.checkpoints.frame
  const nextCheckpoint = (dir: 1 | -1): void => {
    const at = frame?.index ?? 0
    const list =
      dir > 0 ? checkpoints.filter((f) => f > at) : checkpoints.filter((f) => f < at).reverse()
    if (list[0] !== undefined) showFrame(list[0])
  }
  const pickTime = (ms: number): void => {
    // The frame at or just before the clicked time.
    const times = series.timeMs
    let lo = 0
    let hi = times.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((times[mid] ?? 0) <= ms) lo = mid
      else hi = mid - 1
    }
    showFrame(lo * series.frameStep)
  }
  return (
    <>
      {result && <Counters r={result} />}
      <section className="panel">
        <BboChart series={series} cursorMs={frame?.timeMs ?? null} onPick={pickTime} />
      </section>
      <section className="panel scrub">
        <div className="row">
          <button
            onClick={() => {
              showFrame(Math.max(0, (frame?.index ?? 0) - 1))
            }}
          >
            ◀
          </button>
          <input
            type="range"
            data-testid="scrubber"
            min={0}
            max={Math.max(0, series.frames - 1)}
            value={frame?.index ?? 0}
            onChange={(e) => {
              showFrame(Number(e.target.value))
            }}
          />
          <button
            onClick={() => {
              showFrame(Math.min(series.frames - 1, (frame?.index ?? 0) + 1))
            }}
          >
            ▶
          </button>
          <button
            onClick={() => {
              nextCheckpoint(-1)
            }}
          >
            ◀ checkpoint
          </button>
          <button
            data-testid="next-checkpoint"
            onClick={() => {
              nextCheckpoint(1)
            }}
          >
            checkpoint ▶
          </button>
        </div>
        {frame && (
          <div
            className="muted"
            data-testid="frame-info"
            data-frame={frame.index}
            data-update-id={frame.updateId}
          >
            frame {fmtInt(frame.index + 1)} of {fmtInt(frame.count)} · {fmtTime(frame.timeMs)} ·
            update id {frame.updateId}
            {checkpoints.includes(frame.index) ? ' · bookTicker checkpoint' : ''}
          </div>
        )}
      </section>
      {frame && (
        <section className="panel">
          <Ladder frame={frame} priceDecimals={series.priceDecimals} />
        </section>
      )}
    </>
  )
}

function Counters({ r }: { readonly r: ReplayCaptureResult }) {
  const items: [string, string, string][] = [
    ['messages', fmtInt(r.messages), 'messages'],
    ['depth updates', fmtInt(r.depthUpdates), 'depthUpdates'],
    ['trades', fmtInt(r.trades), 'trades'],
    ['gaps', fmtInt(r.gaps), 'gaps'],
    ['resyncs', fmtInt(r.resyncs), 'resyncs'],
    ['crossed ms', fmtInt(r.crossedMs), 'crossedMs'],
    ['unknown depth updates', fmtInt(r.unknownDepthUpdates), 'unknownDepthUpdates'],
    ['bbo checkpoints', `${fmtInt(r.bbo.matched)} / ${fmtInt(r.bbo.compared)}`, 'bbo'],
    ['messages/s', fmtInt(r.eventsPerSecond), 'eventsPerSecond']
  ]
  return (
    <section className="panel counters" data-testid="counters">
      {items.map(([label, value, key]) => (
        <div key={key} className="counter">
          <div className="value" data-testid={`counter-${key}`}>
            {value}
          </div>
          <div className="label">{label}</div>
        </div>
      ))}
      <div className="counter wide">
        <div className="label">
          {r.symbol} {r.market} · tick {r.tick} · {r.firstExchangeTime} → {r.lastExchangeTime}
          {r.complete ? '' : ' · INCOMPLETE INPUT'}
        </div>
      </div>
    </section>
  )
}

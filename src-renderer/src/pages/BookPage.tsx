// Book: pick a source (capture files or a lake root), replay it in a worker job, then scrub through
// the reconstructed book: counters, best bid/ask + trades with markers, drift, and the ladder.
import { useEffect, useState } from 'react'
import { fmtInt, fmtTime } from '../../../src-shared/format'
import type { AppInfo } from '../../../src-shared/ipc/contract'
import type { JobSpec } from '../../../src-shared/jobs'
import { api } from '../api'
import { BboChart } from '../components/BboChart'
import { CaptureSourceForm } from '../components/CaptureSourceForm'
import { DepthChart } from '../components/DepthChart'
import { DriftChart } from '../components/DriftChart'
import { Heatmap } from '../components/Heatmap'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { Ladder } from '../components/Ladder'
import { LakeSourceForm } from '../components/LakeSourceForm'
import { ReplayCounters } from '../components/ReplayCounters'
import { TradesTape } from '../components/TradesTape'
import { followReplay, openReplay, showFrame, useBook } from '../stores/book'
import { useHeatmap } from '../stores/heatmap'
import { startJob, useJobs } from '../stores/jobs'

export function BookPage() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [source, setSource] = useState<'capture' | 'lake'>('capture')
  const runningJob = useBook((s) => s.following)
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

  const start = (spec: JobSpec): void => {
    setStartError(null)
    startJob(spec).then(followReplay, (e: unknown) => {
      setStartError(e instanceof Error ? e.message : String(e))
    })
  }

  return (
    <div className="book-page">
      <section className="panel source">
        <div className="row tabs">
          <button
            className={source === 'capture' ? 'tab active' : 'tab'}
            data-testid="source-capture"
            onClick={() => {
              setSource('capture')
            }}
          >
            Capture files
          </button>
          <button
            className={source === 'lake' ? 'tab active' : 'tab'}
            data-testid="source-lake"
            onClick={() => {
              setSource('lake')
            }}
          >
            Crypto Lake
          </button>
        </div>
        {source === 'capture' ? (
          <CaptureSourceForm info={info} onStart={start} />
        ) : (
          <LakeSourceForm info={info} onStart={start} />
        )}
        {startError && <div className="error">{startError}</div>}
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
  const heatmapView = useHeatmap((s) => s.view)
  const result = useJobs((s) => {
    const j = jobId ? s.jobs[jobId] : undefined
    if (j?.state !== 'done') return undefined
    return j.kind === 'replay-capture' || j.kind === 'replay-lake' ? j.result : undefined
  })
  // The counters (with the replay's issues) show whatever happens to the timeline.
  const counters = result ? <ReplayCounters result={result} /> : null
  if (error)
    return (
      <>
        {counters}
        <div className="panel error">{error}</div>
      </>
    )
  if (!jobId || !series) return counters
  if (series.frames === 0)
    return (
      <div className="replay-view" data-testid="replay-view" data-job-id={jobId}>
        {counters}
        <div className="panel muted" data-testid="no-frames">
          No book to show: this replay applied no message, so it has no frame (its issues say why).
        </div>
      </div>
    )
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
  const step = (d: number): void => {
    showFrame(Math.min(series.frames - 1, Math.max(0, (frame?.index ?? 0) + d)))
  }
  const clock =
    series.clock === 'exchange'
      ? 'UTC, exchange time (book and trades alike; receive time only orders the replay)'
      : 'UTC, receive time (a Lake timeline recorded before exchange time was used: replay it again)'
  return (
    <div className="replay-view" data-testid="replay-view" data-job-id={jobId}>
      <div className="muted" data-testid="replay-clock">
        replay {jobId} · times: {clock}
      </div>
      {counters}
      <div className="book-view">
        <section className="panel heatmap-panel">
          <Heatmap
            jobId={jobId}
            series={series}
            cursorMs={frame?.timeMs ?? null}
            onPick={pickTime}
            height={heatmapHeight()}
          />
        </section>
        {frame && (
          <section className="panel ladder-panel">
            <Ladder frame={frame} priceDecimals={series.priceDecimals} />
          </section>
        )}
      </div>
      <section className="panel scrub">
        <div className="row">
          <button
            data-testid="step-back"
            onClick={() => {
              step(-1)
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
            data-testid="step-forward"
            onClick={() => {
              step(1)
            }}
          >
            ▶
          </button>
          {checkpoints.length > 0 && (
            <>
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
            </>
          )}
        </div>
        {frame && (
          <div
            className="muted"
            data-testid="frame-info"
            data-frame={frame.index}
            data-update-id={frame.updateId}
          >
            frame {fmtInt(frame.index + 1)} of {fmtInt(frame.count)} ·{' '}
            <span data-testid="frame-time" data-time-ms={frame.timeMs}>
              {fmtTime(frame.timeMs)}
            </span>{' '}
            · {series.drift ? 'sequence' : 'update id'} {frame.updateId}
            {checkpoints.includes(frame.index) ? ' · bookTicker checkpoint' : ''}
          </div>
        )}
      </section>
      {frame && (
        <div className="book-view">
          <section className="panel depth-panel">
            <h3>Depth at the cursor</h3>
            <DepthChart frame={frame} priceDecimals={series.priceDecimals} />
          </section>
          <section className="panel tape-panel">
            <h3>Trades before the cursor</h3>
            <TradesTape
              jobId={jobId}
              cursorMs={frame.timeMs}
              priceDecimals={series.priceDecimals}
            />
          </section>
        </div>
      )}
      <section className="panel">
        <BboChart
          series={series}
          cursorMs={frame?.timeMs ?? null}
          onPick={pickTime}
          view={heatmapView}
        />
        {series.markers.length > 0 && (
          <div className="muted" data-testid="markers">
            markers:{' '}
            {Object.entries(countBy(series.markers.map((m) => m.kind)))
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}
          </div>
        )}
      </section>
      {series.drift && (
        <section className="panel">
          <DriftChart drift={series.drift} cursorMs={frame?.timeMs ?? null} />
        </section>
      )}
    </div>
  )
}

/** The heatmap takes about half the window's height, within bounds. */
function heatmapHeight(): number {
  return Math.max(280, Math.min(520, Math.round(window.innerHeight * 0.45)))
}

function countBy(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const x of xs) out[x] = (out[x] ?? 0) + 1
  return out
}

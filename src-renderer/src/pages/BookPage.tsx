// Book: pick a source (capture files or a lake root), replay it in a worker job, then scrub through
// the reconstructed book: counters, best bid/ask + trades with markers, drift, and the ladder.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { AppInfo } from '../../../src-shared/ipc/contract'
import type { JobSpec } from '../../../src-shared/jobs'
import { api } from '../api'
import { BboChart } from '../components/BboChart'
import { CompareBooks } from '../components/CompareBooks'
import { CaptureSourceForm } from '../components/CaptureSourceForm'
import { DepthChart } from '../components/DepthChart'
import { DriftChart } from '../components/DriftChart'
import { Heatmap, fullView } from '../components/Heatmap'
import { JobProgressPanel } from '../components/JobProgressPanel'
import { Ladder } from '../components/Ladder'
import { tradedAtAsTrades } from '../components/ladderRows'
import { LakeSourceForm } from '../components/LakeSourceForm'
import { ReplayCounters } from '../components/ReplayCounters'
import { TradesTape } from '../components/TradesTape'
import { followReplay, openReplay, showFrameAt, streamReplay, useBook } from '../stores/book'
import { setView, useHeatmap } from '../stores/heatmap'
import { startJob, useJobs } from '../stores/jobs'
import { plainError } from '../plainError'
import { MarkerList } from './book/TimelineParts'
import { ScrubBar } from './book/ScrubBar'
import { ShortcutsHelp } from './book/ShortcutsHelp'
import { Splitter } from '../components/Splitter'
import { setHeatmapHeight, setLadderWidth, useLayout } from '../stores/layout'
import { useBookNavigation } from './book/useBookNavigation'

export function BookPage() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [source, setSource] = useState<'capture' | 'lake'>('capture')
  const runningJob = useBook((s) => s.following)
  const [startError, setStartError] = useState<string | null>(null)
  const job = useJobs((s) => (runningJob ? s.jobs[runningJob] : undefined))

  useEffect(() => {
    void api.invoke('app.info', null).then(setInfo)
  }, [])

  // A Lake replay or a live capture we follow shows its timeline while it runs (frames stream in
  // every 1–2 s); when it finishes, the whole timeline. A live capture keeps its last minutes in
  // view with the cursor on its newest frame, unless the researcher turns that off to look back.
  const streamingId =
    job?.state === 'running' && (job.kind === 'replay-lake' || job.kind === 'capture')
      ? job.id
      : null
  const isLive = job?.kind === 'capture' && job.state === 'running'
  const [liveEdge, setLiveEdge] = useState(true)
  const edgeRef = useRef(liveEdge)
  useLayoutEffect(() => {
    edgeRef.current = liveEdge
  })
  useEffect(() => {
    if (streamingId === null) return
    const id = streamingId
    const timer = setInterval(() => {
      void streamReplay(id).then(() => {
        if (isLive && edgeRef.current) followLiveEdge()
      })
    }, 1000)
    return () => {
      clearInterval(timer)
    }
  }, [streamingId, isLive])
  const doneId = job?.state === 'done' ? job.id : null
  useEffect(() => {
    if (doneId === null) return
    // Read the open job without depending on it: only the job finishing should trigger this.
    if (useBook.getState().jobId !== doneId)
      void openReplay(doneId, useBook.getState().followAt ?? {})
    else void streamReplay(doneId)
  }, [doneId])

  const start = (spec: JobSpec): void => {
    setStartError(null)
    startJob(spec).then(followReplay, (e: unknown) => {
      setStartError(plainError(e))
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
      {isLive && (
        <label className="muted live-edge">
          <input
            type="checkbox"
            data-testid="live-edge"
            checked={liveEdge}
            onChange={(e) => {
              setLiveEdge(e.target.checked)
            }}
          />{' '}
          live: follow the newest {LIVE_WINDOW_MS / 60_000} minutes (turn off to look back)
        </label>
      )}
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
  // The window's volume per price, every lot (whatever the heatmap's bubbles are).
  const tradedAt = useHeatmap((s) => (s.dataJobId === jobId ? (s.data?.tradedAt ?? null) : null))
  const windowTrades = useMemo(() => (tradedAt ? tradedAtAsTrades(tradedAt) : null), [tradedAt])
  const result = useJobs((s) => {
    const j = jobId ? s.jobs[jobId] : undefined
    if (j?.state !== 'done') return undefined
    return j.kind === 'replay-capture' || j.kind === 'replay-lake' ? j.result : undefined
  })
  const running = useJobs((s) => (jobId ? s.jobs[jobId]?.state === 'running' : false))
  const gotoInput = useRef<HTMLInputElement>(null)
  const nav = useBookNavigation(series, frame, heatmapView, gotoInput)
  const { pickTime, goToMarker, help, setHelp } = nav
  const layout = useLayout()
  const ladderBox = useRef<HTMLElement>(null)
  const heatHeight = layout.heatmapHeight ?? heatmapHeight()

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
  const full = fullView(series)
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
            height={heatHeight}
          />
          <Splitter
            orientation="horizontal"
            label="heatmap height"
            testId="split-heatmap-height"
            direction={1}
            size={() => heatHeight}
            onResize={setHeatmapHeight}
            onReset={() => {
              setHeatmapHeight(null)
            }}
          />
        </section>
        <Splitter
          orientation="vertical"
          label="ladder width"
          testId="split-ladder-width"
          direction={-1}
          size={() => ladderBox.current?.offsetWidth ?? 420}
          onResize={setLadderWidth}
          onReset={() => {
            setLadderWidth(null)
          }}
        />
        {frame && (
          <section
            className="panel ladder-panel"
            ref={ladderBox}
            data-testid="ladder-panel"
            style={
              // The dragged size is the pane's outer width (what the splitter measured).
              layout.ladderWidth !== null
                ? { width: layout.ladderWidth, boxSizing: 'border-box' }
                : undefined
            }
          >
            <Ladder
              frame={frame}
              priceDecimals={series.priceDecimals}
              tick={Number(series.tick)}
              trades={windowTrades}
            />
          </section>
        )}
      </div>
      <ScrubBar series={series} frame={frame} nav={nav} gotoInput={gotoInput} running={running} />
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
      <CompareBooks
        jobId={jobId}
        series={series}
        view={heatmapView ?? full}
        cursorMs={frame?.timeMs ?? null}
        onPick={pickTime}
      />
      <section className="panel below-fold">
        <BboChart
          jobId={jobId}
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
              .join(', ')}{' '}
            · m / M: next / previous
            <MarkerList markers={series.markers} onPick={goToMarker} />
          </div>
        )}
      </section>
      {series.drift && (
        <section className="panel below-fold">
          <DriftChart
            drift={series.drift}
            cursorMs={frame?.timeMs ?? null}
            view={heatmapView}
            full={full}
            onPick={pickTime}
          />
        </section>
      )}
      {help && (
        <ShortcutsHelp
          onClose={() => {
            setHelp(false)
          }}
        />
      )}
    </div>
  )
}

const LIVE_WINDOW_MS = 2 * 60_000

/** The newest minutes of a growing timeline in view, the cursor on its last frame. */
function followLiveEdge(): void {
  const s = useBook.getState().series
  if (!s || s.frames === 0) return
  const to = s.span.toMs
  setView({ fromMs: Math.max(s.span.fromMs, to - LIVE_WINDOW_MS), toMs: to })
  showFrameAt(to)
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

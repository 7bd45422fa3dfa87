// Book: pick a source (capture files or a lake root), replay it in a worker job, then scrub through
// the reconstructed book: counters, best bid/ask + trades with markers, drift, and the ladder.
import { useEffect, useMemo, useRef, useState } from 'react'
import { fmtInt, fmtTime } from '../../../src-shared/format'
import type { AppInfo } from '../../../src-shared/ipc/contract'
import type { JobSpec } from '../../../src-shared/jobs'
import { api } from '../api'
import { BboChart } from '../components/BboChart'
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
import { followReplay, openReplay, showFrame, streamReplay, useBook } from '../stores/book'
import { setView, useHeatmap } from '../stores/heatmap'
import { parseUtcTime, viewAround, type TimeView } from '../timeAxis'
import { startJob, useJobs } from '../stores/jobs'
import { plainError } from '../plainError'
import { MarkerList, TimelineStatus } from './book/TimelineParts'
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

  // A Lake replay we started shows its timeline while it runs (frames stream in every 2 s); when
  // it finishes, the whole timeline.
  const streamingId = job?.state === 'running' && job.kind === 'replay-lake' ? job.id : null
  useEffect(() => {
    if (streamingId === null) return
    const id = streamingId
    const timer = setInterval(() => {
      void streamReplay(id)
    }, 2000)
    return () => {
      clearInterval(timer)
    }
  }, [streamingId])
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
      <ReplayView />
    </div>
  )
}

const SPEEDS = [1, 10, 100, 1000] as const

const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['Space', 'play / pause (in exchange time, at the chosen speed)'],
  ['→ / ←', 'next / previous frame (one book message)'],
  ['Alt+→ / Alt+←', '100 ms forward / back'],
  ['Shift+→ / Shift+←', '1 s forward / back'],
  ['] / [', 'next / previous bookTicker checkpoint'],
  ['+ / -', 'zoom time in / out around the cursor'],
  ['0', 'the whole replay'],
  ['g', 'go to a time'],
  ['m / M', 'next / previous marker (gap, resync, crossing, burst, reseed, drift)'],
  ['?', 'this list (Esc closes it)']
]

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
  const { pickTime, step, stepTime, nextCheckpoint, goToMarker } = nav
  const { playing, setPlaying, speed, setSpeed, help, setHelp } = nav
  const [gotoText, setGotoText] = useState('')
  const [gotoError, setGotoError] = useState<string | null>(null)

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
  const full = fullView(series)
  const clockName = series.clock === 'exchange' ? 'exchange time' : 'receive time'
  const clock =
    series.clock === 'exchange'
      ? 'UTC, exchange time (book and trades alike; receive time only orders the replay)'
      : 'UTC, receive time (a Lake timeline recorded before exchange time was used: replay it again)'
  const goTo = (): void => {
    const ms = parseUtcTime(gotoText, frame?.timeMs ?? full.fromMs)
    if (ms === null) {
      setGotoError(
        'Type a UTC time as YYYY-MM-DD HH:MM:SS.mmm (or HH:MM:SS.mmm, the one nearest the cursor), then press Enter.'
      )
      return
    }
    if (ms < full.fromMs || ms > full.toMs) {
      setGotoError(
        `${fmtTime(ms)} is outside this replay (${fmtTime(full.fromMs)} to ${fmtTime(full.toMs)}): type a time inside it.`
      )
      return
    }
    setGotoError(null)
    pickTime(ms)
    const v: TimeView | null = heatmapView
    if (v && (ms < v.fromMs || ms > v.toMs)) setView(viewAround(ms, v.toMs - v.fromMs, full))
  }
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
            <Ladder
              frame={frame}
              priceDecimals={series.priceDecimals}
              tick={Number(series.tick)}
              trades={windowTrades}
            />
          </section>
        )}
      </div>
      <section className="panel scrub">
        <div className="row">
          <button
            data-testid="play"
            title="play / pause (Space)"
            onClick={() => {
              setPlaying((p) => !p)
            }}
          >
            {playing ? '❚❚ pause' : '▶ play'}
          </button>
          <select
            data-testid="play-speed"
            value={speed}
            title="playback speed, in exchange time"
            onChange={(e) => {
              setSpeed(Number(e.target.value))
            }}
          >
            {SPEEDS.map((x) => (
              <option key={x} value={x}>
                {x}×
              </option>
            ))}
          </select>
          <button
            data-testid="step-back-1s"
            title="1 s back (Shift+←)"
            onClick={() => {
              stepTime(-1000)
            }}
          >
            −1 s
          </button>
          <button
            data-testid="step-back-100ms"
            title="100 ms back (Alt+←)"
            onClick={() => {
              stepTime(-100)
            }}
          >
            −100 ms
          </button>
          <button
            data-testid="step-back"
            title="previous frame (←)"
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
            title="next frame (→)"
            onClick={() => {
              step(1)
            }}
          >
            ▶
          </button>
          <button
            data-testid="step-forward-100ms"
            title="100 ms forward (Alt+→)"
            onClick={() => {
              stepTime(100)
            }}
          >
            +100 ms
          </button>
          <button
            data-testid="step-forward-1s"
            title="1 s forward (Shift+→)"
            onClick={() => {
              stepTime(1000)
            }}
          >
            +1 s
          </button>
          {checkpoints.length > 0 && (
            <>
              <button
                title="previous bookTicker checkpoint ([)"
                onClick={() => {
                  nextCheckpoint(-1)
                }}
              >
                ◀ checkpoint
              </button>
              <button
                data-testid="next-checkpoint"
                title="next bookTicker checkpoint (])"
                onClick={() => {
                  nextCheckpoint(1)
                }}
              >
                checkpoint ▶
              </button>
            </>
          )}
          <form
            className="goto"
            onSubmit={(e) => {
              e.preventDefault()
              goTo()
            }}
          >
            <input
              ref={gotoInput}
              data-testid="goto-time"
              aria-label="go to time (UTC, exchange time)"
              placeholder="go to YYYY-MM-DD HH:MM:SS.mmm"
              value={gotoText}
              onChange={(e) => {
                setGotoText(e.target.value)
              }}
            />
            <button type="submit" data-testid="goto-go">
              go
            </button>
          </form>
          <button
            data-testid="shortcuts"
            title="keyboard shortcuts (?)"
            onClick={() => {
              setHelp(true)
            }}
          >
            ?
          </button>
        </div>
        {gotoError && (
          <div className="error" data-testid="goto-error">
            {gotoError}
          </div>
        )}
        {frame && (
          <div
            className="muted"
            data-testid="frame-info"
            data-frame={frame.index}
            data-update-id={frame.updateId}
          >
            <span className="clock-label" data-testid="clock-label" data-clock={series.clock}>
              UTC · {clockName}
            </span>{' '}
            frame {fmtInt(frame.index + 1)} of {fmtInt(frame.count)} ·{' '}
            <span data-testid="frame-time" data-time-ms={frame.timeMs}>
              {fmtTime(frame.timeMs)}
            </span>{' '}
            · {series.drift ? 'sequence' : 'update id'} {frame.updateId}
            {checkpoints.includes(frame.index) ? ' · bookTicker checkpoint' : ''}
          </div>
        )}
        <TimelineStatus series={series} running={running} />
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
            <MarkerList
              markers={series.markers}
              onPick={(ms) => {
                goToMarker(ms)
              }}
            />
          </div>
        )}
      </section>
      {series.drift && (
        <section className="panel">
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
        <div
          className="shortcuts-help"
          data-testid="shortcuts-help"
          role="dialog"
          aria-label="keyboard shortcuts"
          onClick={() => {
            setHelp(false)
          }}
        >
          <div className="panel">
            <h3>Keyboard shortcuts</h3>
            <table>
              <tbody>
                {SHORTCUTS.map(([k, what]) => (
                  <tr key={k}>
                    <td>
                      <kbd>{k}</kbd>
                    </td>
                    <td>{what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="muted">
              Times are UTC on the exchange’s clock, to the millisecond. Wheel over any time chart:
              zoom; Shift+wheel or drag: pan; click: cursor; double click: the whole replay.
            </div>
          </div>
        </div>
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

// The Book page's transport: play/pause and speed, steps by frame / 100 ms / 1 s, the scrubber,
// bookTicker checkpoints, go to a UTC time, the shortcut list, and what the cursor's frame is.
import { useState, type RefObject } from 'react'
import { fmtInt, fmtTime } from '../../../../src-shared/format'
import type { BookFrame, BookSeries } from '../../../../src-shared/replay'
import { fullView } from '../../components/Heatmap'
import { showFrame, useBook } from '../../stores/book'
import { setView, useHeatmap } from '../../stores/heatmap'
import { parseUtcTime, viewAround, type TimeView } from '../../timeAxis'
import { TimelineStatus } from './TimelineParts'
import type { useBookNavigation } from './useBookNavigation'

const SPEEDS = [1, 10, 100, 1000] as const

interface Props {
  readonly series: BookSeries
  readonly frame: BookFrame | null
  readonly nav: ReturnType<typeof useBookNavigation>
  readonly gotoInput: RefObject<HTMLInputElement | null>
  readonly running: boolean
}

export function ScrubBar({ series, frame, nav, gotoInput, running }: Props) {
  const pending = useBook((s) => s.framePending)
  const {
    pickTime,
    step,
    stepTime,
    nextCheckpoint,
    playing,
    setPlaying,
    speed,
    setSpeed,
    setHelp
  } = nav
  const heatmapView = useHeatmap((s) => s.view)
  const [gotoText, setGotoText] = useState('')
  const [gotoError, setGotoError] = useState<string | null>(null)
  const checkpoints = series.checkpoints.frame
  const full = fullView(series)
  const clockName = series.clock === 'exchange' ? 'exchange time' : 'receive time'
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
          data-pending={pending ? 'true' : 'false'}
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
  )
}

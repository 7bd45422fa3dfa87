// The Monitor page's job metrics: the series a job sampled into the manifest (throughput in its
// progress unit, free disk, a capture's gaps and lag) over time, for a job picked from those with
// samples. One chart, one scale per series, through the one uPlot wrapper. A click on the chart
// picks the nearest sample: its values, the job on the Jobs page and, when the job kept a replay
// timeline, the Book at that time — a #job=…&t=… link, the Book's one URL format (hashView.ts),
// which the app follows like a copied link (stores/viewHash.ts).
import { useCallback, useEffect, useMemo, useState } from 'react'
import type uPlot from 'uplot'
import type { JobMetricsView, MetricJob, MetricName } from '../../../src-shared/monitor'
import { api } from '../api'
import { plainError } from '../plainError'
import { UPlotChart } from './UPlotChart'
import { utcDate } from './BboChart'
import { noDragZoom, timeXAxis, timeXSeries } from './timeChart'
import { fmtInt, fmtTime } from '../../../src-shared/format'
import { formatHash } from '../hashView'
import { hasTimeline, openJob } from '../stores/jobFocus'
import { useJobs } from '../stores/jobs'

const AROUND_MS = 30_000

const SHOWN: readonly { name: MetricName; label: (unit: string) => string; color: string }[] = [
  { name: 'throughput', label: (u) => `throughput (${u}/s)`, color: '#1f6feb' },
  { name: 'diskFreeBytes', label: () => 'disk free (GB)', color: '#b36b00' },
  { name: 'gaps', label: () => 'gaps', color: '#cf222e' },
  { name: 'lagMs', label: () => 'lag (ms)', color: '#8250df' },
  { name: 'crossings', label: () => 'crossings', color: '#1a7f37' },
  { name: 'resyncs', label: () => 'resyncs', color: '#bf3989' },
  { name: 'issues', label: () => 'issues', color: '#6e7781' },
  { name: 'driftMidTicks', label: () => 'drift |Δmid| (ticks)', color: '#0a7ea4' },
  { name: 'driftJaccard', label: () => 'drift Jaccard', color: '#953800' }
]

const shownOf = (m: JobMetricsView) => SHOWN.filter((s) => m.series[s.name] !== undefined)

/** The sample a click picked: its index in the series. */
function Point({ m, index }: { readonly m: JobMetricsView; readonly index: number }) {
  const job = useJobs((s) => s.jobs[m.jobId])
  const atMs = m.at[index] ?? 0
  const values = shownOf(m)
    .map((s) => {
      const v = m.series[s.name]?.[index]
      if (v === null || v === undefined) return null
      const x = s.name === 'diskFreeBytes' ? v / 1e9 : v
      // Rates in whole units with separators (458,876), small figures to 3 decimals.
      const shown = Math.abs(x) >= 1000 ? fmtInt(x) : String(Number(x.toFixed(3)))
      return `${s.label(m.unit ?? 'units')} ${shown}`
    })
    .filter((x) => x !== null)
  const book = job !== undefined && hasTimeline(job.result)
  // A capture's timeline is on the exchange clock, which its samples' machine clock follows (give
  // or take the lag): its Book opens at the sample. A replay's samples are the machine's time
  // while it ran, not a time of its timeline: its Book opens at the replay's own start.
  const onClock = m.kind === 'capture'
  return (
    <div className="row" data-testid="metrics-point" data-at-ms={atMs}>
      <span className="muted">
        sample {index + 1} of {m.at.length} at {fmtTime(atMs)} UTC: {values.join(' · ')}
      </span>
      <button
        className="link"
        data-testid="metrics-point-job"
        onClick={() => {
          openJob(m.jobId)
        }}
      >
        open job {m.jobId} on the Jobs page
      </button>
      {book && (
        <a
          data-testid="metrics-point-book"
          href={formatHash(
            onClock
              ? {
                  job: m.jobId,
                  timeMs: atMs,
                  view: { fromMs: atMs - AROUND_MS, toMs: atMs + AROUND_MS }
                }
              : { job: m.jobId }
          )}
          title={
            onClock
              ? "the capture's book at the sample's time (exchange clock, give or take its lag)"
              : "the replay in the Book (its samples are the machine's clock while it ran, not a time of its timeline)"
          }
        >
          {onClock ? `open in Book at ${fmtTime(atMs)}` : 'open the replay in Book'}
        </a>
      )}
    </div>
  )
}

function Chart({
  m,
  onPick
}: {
  readonly m: JobMetricsView
  readonly onPick: (index: number) => void
}) {
  const data = useMemo<uPlot.AlignedData>(
    () => [
      m.at.map((t) => t / 1000),
      ...shownOf(m).map((s) => {
        const v = m.series[s.name] ?? []
        return s.name === 'diskFreeBytes' ? v.map((x) => (x === null ? null : x / 1e9)) : [...v]
      })
    ],
    [m]
  )
  // Re-made with each new series (the page reads it again every 15 s).
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const shown = shownOf(m)
    return {
      scales: { x: { time: true } },
      tzDate: utcDate,
      cursor: noDragZoom,
      series: [
        // Sample times are the machine's clock (UTC), not exchange time.
        { ...timeXSeries, label: 'time (UTC)' },
        ...shown.map((s) => ({
          label: s.label(m.unit ?? 'units'),
          stroke: s.color,
          scale: s.name,
          points: { show: m.at.length < 50 }
        }))
      ],
      // The first series gets the axis; the others have their own scales and show their values
      // in the legend (their shape over time is what matters here).
      axes: [timeXAxis(), ...(shown[0] ? [{ scale: shown[0].name, size: 70 }] : [])]
    }
  }, [m])
  // A click anywhere over the plot picks the sample nearest the pointer (uPlot's cursor index).
  const onCreate = useCallback(
    (u: uPlot) => {
      u.over.addEventListener('click', () => {
        const i = u.cursor.idx
        if (i !== null && i !== undefined) onPick(i)
      })
    },
    [onPick]
  )
  if (m.at.length === 0) return null
  return <UPlotChart options={options} data={data} height={220} onCreate={onCreate} />
}

export function JobMetricsChart({ refreshKey }: { readonly refreshKey: number }) {
  const [jobs, setJobs] = useState<MetricJob[]>([])
  const [picked, setPicked] = useState<string | null>(null)
  const [metrics, setMetrics] = useState<JobMetricsView | null>(null)
  const [error, setError] = useState<string | null>(null)
  // The sample picked, with its job: another job's chart shows none.
  const [point, setPoint] = useState<{ jobId: string; index: number } | null>(null)
  const jobId = metrics?.jobId
  const onPick = useCallback(
    (index: number) => {
      if (jobId !== undefined) setPoint({ jobId, index })
    },
    [jobId]
  )
  useEffect(() => {
    api.invoke('monitor.metrics', picked === null ? {} : { jobId: picked }).then(
      (r) => {
        setJobs(r.jobs)
        setMetrics(r.metrics)
        setError(null)
      },
      (e: unknown) => {
        setError(plainError(e))
      }
    )
  }, [picked, refreshKey])
  return (
    <section className="panel" data-testid="job-metrics">
      <div className="row">
        <h3>Job metrics</h3>
        {jobs.length > 0 && (
          <select
            value={metrics?.jobId ?? ''}
            onChange={(e) => {
              setPicked(e.target.value)
            }}
          >
            {jobs.map((j) => (
              <option key={j.id} value={j.id}>
                {j.kind} {j.id} ({j.samples} samples)
              </option>
            ))}
          </select>
        )}
      </div>
      {error && <div className="error">{error}</div>}
      {metrics ? (
        <>
          <Chart m={metrics} onPick={onPick} />
          {point !== null && point.jobId === metrics.jobId && point.index < metrics.at.length ? (
            <Point m={metrics} index={point.index} />
          ) : (
            <div className="muted">
              Click the chart for a sample, its job and its time in the Book.
            </div>
          )}
        </>
      ) : (
        <div className="muted">No job has sampled metrics in this lake yet.</div>
      )}
    </section>
  )
}

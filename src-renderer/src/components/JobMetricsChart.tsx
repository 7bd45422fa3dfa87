// The Monitor page's job metrics: the series a job sampled into the manifest (throughput in its
// progress unit, free disk, a capture's gaps and lag) over time, for a job picked from those with
// samples. One chart, one scale per series, through the one uPlot wrapper.
import { useEffect, useMemo, useState } from 'react'
import type uPlot from 'uplot'
import type { JobMetricsView, MetricJob, MetricName } from '../../../src-shared/monitor'
import { api } from '../api'
import { plainError } from '../plainError'
import { UPlotChart } from './UPlotChart'
import { utcDate } from './BboChart'
import { noDragZoom, timeXAxis, timeXSeries } from './timeChart'

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

function Chart({ m }: { readonly m: JobMetricsView }) {
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
  if (m.at.length === 0) return null
  return <UPlotChart options={options} data={data} height={220} />
}

export function JobMetricsChart({ refreshKey }: { readonly refreshKey: number }) {
  const [jobs, setJobs] = useState<MetricJob[]>([])
  const [picked, setPicked] = useState<string | null>(null)
  const [metrics, setMetrics] = useState<JobMetricsView | null>(null)
  const [error, setError] = useState<string | null>(null)
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
        <Chart m={metrics} />
      ) : (
        <div className="muted">No job has sampled metrics in this lake yet.</div>
      )}
    </section>
  )
}

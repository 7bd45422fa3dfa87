// Job metrics in the manifest: a real replay of the REAL usdm capture through the job manager
// (the built worker) leaves its throughput, units done and the free disk sampled at the bounded
// rate, and an export of the converted spot capture its crossings and issues so far; the sampler keeps a year-long job to about ten thousand samples; the disk-fill forecast
// is a least-squares line through the free-disk samples (none on too little), and `lakebook
// status` prints it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { JobManager } from '../../../src-main/jobs/manager'
import { MetricsSampler, METRICS_BASE_MS } from '../../../src-main/jobs/metricsSampler'
import { JobMetricsTable } from '../../../src-main/lake/jobMetrics'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import {
  diskForecast,
  forecastText,
  quotaForecast,
  quotaForecastText
} from '../../../src-main/monitor/forecast'
import { builtWorkerPath, runBuilt } from '../../helpers/build'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const open: { db: Db; jobs: JobManager }[] = []
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.jobs.shutdown()
    o.db.close()
  }
})

describe('job metrics', () => {
  it.skipIf(!hasCaptures)('samples a real job at the bounded rate into the manifest', async () => {
    const lakeRoot = tempDir('lakebook-metrics-')
    const db = openManifest(lakeRoot)
    const every = 50
    const jobs = new JobManager({
      db,
      lakeRoot,
      workerPath: builtWorkerPath(),
      metricsIntervalMs: every
    })
    open.push({ db, jobs })
    const id = jobs.start({
      kind: 'replay-capture',
      params: { files: captureFiles('usdm-btcusdt-20240718'), timeline: false }
    })
    const done = await jobs.wait(id)
    expect(done.state).toBe('done')
    const table = new JobMetricsTable(db)
    const m = table.series(id)
    expect(m?.kind).toBe('replay-capture')
    const at = m?.at ?? []
    expect(at.length).toBeGreaterThanOrEqual(2)
    // Bounded: no more samples than intervals elapsed, plus the final one.
    const ranMs = Date.parse(done.endedAt ?? '') - Date.parse(done.startedAt ?? '')
    expect(at.length).toBeLessThanOrEqual(Math.ceil(ranMs / every) + 2)
    for (let i = 1; i < at.length; i++) expect(at[i]).toBeGreaterThanOrEqual(at[i - 1] ?? 0)
    const thr = m?.series.throughput ?? []
    expect(thr.every((v) => v !== null && v >= 0)).toBe(true)
    expect(Math.max(...thr.map((v) => v ?? 0))).toBeGreaterThan(0)
    const doneSeries = (m?.series.done ?? []).map((v) => v ?? 0)
    for (let i = 1; i < doneSeries.length; i++)
      expect(doneSeries[i]).toBeGreaterThanOrEqual(doneSeries[i - 1] ?? 0)
    expect((m?.series.diskFreeBytes ?? []).every((v) => v !== null && v > 0)).toBe(true)
    expect(m?.unit).not.toBeNull()
    expect(table.jobs().map((j) => j.id)).toEqual([id])
    expect(table.diskSamples(0)).toHaveLength(at.length)

    // The CLI's status says what it can of the disk from these samples (too short a window).
    const s = await runBuilt(['--lake', lakeRoot, 'status'])
    expect(s.out).toContain('disk forecast: not enough samples yet')
  })

  it.skipIf(!hasCaptures)(
    'samples an export with its crossings, resyncs and issues so far',
    async () => {
      const root = (await convertedLake('spot-btcusdt-20240808')).root
      const lakeRoot = tempDir('lakebook-metrics-export-')
      const db = openManifest(lakeRoot)
      const jobs = new JobManager({
        db,
        lakeRoot,
        workerPath: builtWorkerPath(),
        metricsIntervalMs: 20
      })
      open.push({ db, jobs })
      const id = jobs.start({
        kind: 'export',
        params: {
          root,
          exchange: 'BINANCE',
          symbol: 'BTC-USDT',
          grid: '1s',
          tables: ['events', 'book'],
          ungated: true,
          fidelityReference: 'off',
          out: join(tempDir('lakebook-metrics-ds-'), 'ds')
        }
      })
      const done = await jobs.wait(id)
      expect(done.state).toBe('done')
      const m = new JobMetricsTable(db).series(id)
      const crossings = (m?.series.crossings ?? []).filter((v): v is number => v !== null)
      const issues = (m?.series.issues ?? []).filter((v): v is number => v !== null)
      expect(crossings.length).toBeGreaterThan(0)
      expect(issues).toHaveLength(crossings.length)
      const resyncs = (m?.series.resyncs ?? []).filter((v): v is number => v !== null)
      expect(resyncs).toHaveLength(crossings.length)
      for (let i = 1; i < resyncs.length; i++)
        expect(resyncs[i]).toBeGreaterThanOrEqual(resyncs[i - 1] ?? 0)
      for (let i = 1; i < crossings.length; i++)
        expect(crossings[i]).toBeGreaterThanOrEqual(crossings[i - 1] ?? 0)
      // Counted so far: never more than the run's total in the certificate.
      const r = done.state === 'done' && done.kind === 'export' ? done.result : null
      const cert = JSON.parse(readFileSync(r?.certificate ?? '', 'utf8')) as {
        runs: { tables: { crossings: { count: number } } }[]
      }
      expect(crossings.at(-1)).toBeLessThanOrEqual(cert.runs[0]?.tables.crossings.count ?? -1)
      expect(m?.unit).toBe('delta rows')
    }
  )

  it('keeps a year-long job to about ten thousand samples', () => {
    const sampler = new MetricsSampler()
    let n = 0
    for (let t = 0; t < 365 * 86_400_000; t += 1000) {
      if (sampler.due(t)) {
        sampler.taken(t)
        n++
      }
    }
    // The first hour at 5 s, then the interval doubles every 720 samples.
    expect(n).toBeGreaterThan(9_000)
    expect(n).toBeLessThan(10_000)
    const hour = new MetricsSampler()
    let h = 0
    for (let t = 0; t < 3_600_000; t += 100)
      if (hour.due(t)) {
        hour.taken(t)
        h++
      }
    expect(h).toBe(3_600_000 / METRICS_BASE_MS)
  })

  it('forecasts the disk filling from the free-disk samples, and nothing from too few', () => {
    const t0 = Date.parse('2026-12-01T00:00:00Z')
    // Free space falling 2 GB an hour from 100 GB, sampled every minute for an hour.
    const falling = Array.from({ length: 61 }, (_, i) => ({
      atMs: t0 + i * 60_000,
      freeBytes: 100e9 - (2e9 * i) / 60
    }))
    const f = diskForecast(falling)
    expect(f?.bytesPerHour).toBeCloseTo(-2e9, -3)
    expect(f?.freeBytes).toBeCloseTo(98e9, -3)
    expect(f?.hoursToFull).toBeCloseTo(49, 6)
    expect(forecastText(f)).toMatch(
      /^disk forecast: filling at 2\.0 GB\/h over the last 1\.0 h \(61 samples\): full in 2\.0 days at this rate \(98\.0 GB free\)$/
    )
    const rising = falling.map((s, i) => ({ ...s, freeBytes: 50e9 + i * 1e6 }))
    expect(diskForecast(rising)?.hoursToFull).toBeNull()
    expect(forecastText(diskForecast(rising))).toMatch(/not filling \(free space rising/)
    expect(diskForecast(falling.slice(0, 2))).toBeNull()
    expect(diskForecast(falling.slice(0, 4))).toBeNull() // 3 minutes: too short a window
  })

  it('forecasts the month’s quota at its pace so far (synthetic figures)', () => {
    const limit = 1000e9
    // Ten days into December, 400 GB used: 40 GB a day reaches 1 TB on day 25.
    const at = Date.parse('2026-12-11T00:00:00Z')
    const f = quotaForecast({ usedBytes: 400e9, limitBytes: limit }, at)
    expect(f?.bytesPerDay).toBeCloseTo(40e9, -3)
    expect(new Date(f?.reachedAtMs ?? 0).toISOString()).toBe('2026-12-26T00:00:00.000Z')
    expect(quotaForecastText(f)).toBe(
      'quota forecast: 40.0 GB/day this month; the limit (1.0 TB) is reached 2026-12-26 00:00 UTC at this pace'
    )
    // 100 GB in ten days: 10 GB a day does not reach the limit before the month ends.
    const slow = quotaForecast({ usedBytes: 100e9, limitBytes: limit }, at)
    expect(slow?.reachedAtMs).toBeNull()
    expect(quotaForecastText(slow)).toMatch(/not reached before the month ends$/)
    // Over the limit already: reached now. Nothing used, or the month's first minutes: no pace.
    expect(quotaForecast({ usedBytes: 1100e9, limitBytes: limit }, at)?.reachedAtMs).toBe(at)
    expect(quotaForecast({ usedBytes: 0, limitBytes: limit }, at)).toBeNull()
    expect(
      quotaForecast({ usedBytes: 5e9, limitBytes: limit }, Date.parse('2026-12-01T00:10:00Z'))
    ).toBeNull()
    expect(quotaForecast(null, at)).toBeNull()
  })
})

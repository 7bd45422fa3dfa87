// The real-vs-real baseline machinery on REAL data: it accepts two halves of a real window, finds
// that the Lake format (converted from the capture) loses nothing, and rejects a deliberately
// broken reconstruction (every tenth delta message dropped) — the rejection coming from the
// bootstrap statistics (distance above the baseline's 99% upper bound), not from a rule about the
// fault.
import { beforeAll, describe, expect, it } from 'vitest'
import { parseSourceSpec, type FidelityResult } from '../../../src-shared/fidelity'
import { FloatGrid } from '../../../src-shared/units'
import { captureSeries } from '../../../src-main/fidelity/captureSeries'
import { seriesFromLakeSources, lakeSeries } from '../../../src-main/fidelity/lakeSeries'
import { DEFAULT_SETTINGS, measureFidelity } from '../../../src-main/fidelity/measure'
import { sliceSeries, type MarketSeries } from '../../../src-main/fidelity/series'
import { IssueLog } from '../../../src-main/util/issueLog'
import { resolveSelection } from '../../../src-main/engine/source/lakeSources'
import { openLakeSources } from '../../../src-main/engine/source/parallelSources'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { dropEveryTenth } from '../../helpers/faults'
import { convertedLake } from '../../helpers/lake'

const opts = { gridsMs: [100, 1000], profileMs: 1000 }
const settings = DEFAULT_SETTINGS

const metric = (r: Pick<FidelityResult, 'candidates'>, c: number, id: string) => {
  const m = r.candidates[c]?.metrics.find((x) => x.id === id)
  if (!m) throw new Error(`no metric ${id}`)
  return m
}

describe.skipIf(!hasCaptures)('real-vs-real baseline on real data', () => {
  let capture: MarketSeries
  let lake: MarketSeries
  let broken: MarketSeries
  beforeAll(async () => {
    const files = captureFiles('spot-btcusdt-20240808')
    capture = (await captureSeries(parseSourceSpec(`capture:${files.join(',')}`), files, opts))
      .series
    const { root } = await convertedLake('spot-btcusdt-20240808')
    const spec = parseSourceSpec(`lake:${root}#BINANCE/BTC-USDT`)
    lake = await lakeSeries(spec, opts)
    const sel = resolveSelection({ root, exchange: 'BINANCE', symbol: 'BTC-USDT' })
    const src = openLakeSources(sel, new FloatGrid('0.01'), new IssueLog(), { workers: 0 })
    broken = await seriesFromLakeSources(
      spec,
      { ...src, deltas: dropEveryTenth(src.deltas) },
      { exchange: 'BINANCE', symbol: 'BTC-USDT', market: 'spot', tick: '0.01' },
      opts
    )
  })

  it('accepts two halves of a real window: no metric beyond the real-vs-real noise', () => {
    const mid = Math.floor((capture.fromUs + capture.toUs) / 2)
    const first = sliceSeries(capture, capture.fromUs, mid)
    const second = sliceSeries(capture, mid, capture.toUs)
    const r = measureFidelity({
      reference: first,
      candidates: [second],
      baseline: { kind: 'halves' },
      settings
    })
    const c = r.candidates[0]
    if (!c) throw new Error('no candidate')
    expect(c.summary.beyond).toBe(0)
    expect(c.summary.within).toBeGreaterThanOrEqual(11)
    // 13 metrics compared on 5.4 minutes; 1 s returns only to 1 min are too few at 1 and 5 min.
    expect(c.metrics.filter((m) => m.status === 'ok')).toHaveLength(13)
    expect(metric(r, 0, 'returns.5m').status).toBe('insufficient')
    // Every scorecard row's estimate lies in its own interval and carries its units.
    expect(c.scorecard.length).toBeGreaterThan(40)
    for (const row of c.scorecard) {
      const what = `${row.metric} ${row.statistic}`
      expect(row.lower, what).toBeLessThanOrEqual(row.estimate)
      expect(row.estimate, what).toBeLessThanOrEqual(row.upper)
      expect(row.units, what).not.toBe('')
    }
  })

  // The faithful (converted) and the broken reconstruction, measured together: same reference,
  // same baseline, so the same thresholds.
  let both: Pick<FidelityResult, 'candidates'> | undefined
  const measured = (): Pick<FidelityResult, 'candidates'> =>
    (both ??= measureFidelity({
      reference: capture,
      candidates: [lake, broken],
      baseline: { kind: 'halves' },
      settings
    }))

  it('finds the Lake format loses nothing: the converted data replays to the same market', () => {
    const c = measured().candidates[0]
    if (!c) throw new Error('no candidate')
    expect(c.paired?.l1Equal).toBe(1)
    expect(c.paired?.points).toBeGreaterThan(6000)
    for (const m of c.metrics.filter((x) => x.status === 'ok')) {
      expect(m.verdict, m.id).toBe('within')
      // The plug-in distance is exactly 0; the judged estimate (the replicates' median) only
      // carries the resampling noise of two independently resampled copies.
      expect(m.distances?.ks.plugIn, m.id).toBe(0)
      expect(m.distances?.tv.plugIn, m.id).toBe(0)
    }
  })

  it('rejects a reconstruction that drops every tenth delta message, by the statistics', () => {
    const r = measured()
    const good = metric(r, 0, 'spread')
    const bad = metric(r, 1, 'spread')
    const d = bad.distances
    if (!d || !good.distances) throw new Error('spread not compared')
    // The verdict is the bootstrap comparison, nothing else: the broken book's spread distance
    // (and the lower end of its 99% CI) lies far above the real-vs-real threshold.
    expect(bad.verdict).toBe('beyond')
    expect(d.ks.lower).toBeGreaterThan(d.ks.threshold)
    expect(d.ks.estimate).toBeGreaterThan(10 * d.ks.threshold)
    expect(d.w1z.verdict).toBe('beyond')
    expect(d.tv.verdict).toBe('beyond')
    // Same threshold for the faithful candidate, which sits at distance 0.
    expect(good.distances.ks.threshold).toBe(d.ks.threshold)
    expect(good.verdict).toBe('within')
    // The seed's rule agrees on thinned samples.
    expect(bad.pValues?.seedRulePass).toBe(false)
    expect(bad.pValues?.ksP).toBeLessThan(1e-6)
    // Updates went missing, so the book's update process changed too.
    expect(metric(r, 1, 'book.interarrival').verdict).toBe('beyond')
    expect(r.candidates[1]?.summary.beyond).toBeGreaterThanOrEqual(2)
    expect(r.candidates[0]?.summary.beyond).toBe(0)
    // Same period, point by point: the broken book differs at many grid times.
    expect(r.candidates[1]?.paired?.l1Equal).toBeLessThan(0.8)
    // The moments to open in the Book: the largest |Δ mid| first, read back from both grids.
    expect(r.candidates[0]?.paired?.largest).toEqual([])
    const largest = r.candidates[1]?.paired?.largest ?? []
    expect(largest.length).toBe(10)
    const p = r.candidates[1]?.paired
    const grid = (s: typeof capture) => {
      const g = s.grids.find((x) => x.intervalMs === p?.intervalMs)
      if (!g) throw new Error('no shared grid')
      const at = new Map<number, number>()
      for (let i = 0; i < g.n; i++) at.set(g.timeUs[i] ?? 0, i)
      return { g, at }
    }
    const a = grid(capture)
    const b = grid(broken)
    let max = 0
    for (const [t, i] of a.at) {
      const j = b.at.get(t)
      if (j === undefined) continue
      const d = Math.abs(
        ((a.g.bidTick[i] ?? 0) +
          (a.g.askTick[i] ?? 0) -
          (b.g.bidTick[j] ?? 0) -
          (b.g.askTick[j] ?? 0)) /
          2
      )
      if (Number.isFinite(d) && d > max) max = d
    }
    expect(largest[0]?.midDiffTicks).toBe(max)
    for (const [k, x] of largest.entries()) {
      if (k > 0) expect(x.midDiffTicks).toBeLessThanOrEqual(largest[k - 1]?.midDiffTicks ?? 0)
      const i = a.at.get(x.timeMs * 1000)
      const j = b.at.get(x.timeMs * 1000)
      if (i === undefined || j === undefined) throw new Error('not a shared grid time')
      expect(x.reference).toEqual({ bidTick: a.g.bidTick[i], askTick: a.g.askTick[i] })
      expect(x.candidate).toEqual({ bidTick: b.g.bidTick[j], askTick: b.g.askTick[j] })
    }
  })

  it('takes another real period as the baseline source', () => {
    const mid = Math.floor((capture.fromUs + capture.toUs) / 2)
    const r = measureFidelity({
      reference: sliceSeries(capture, capture.fromUs, mid),
      candidates: [
        sliceSeries(lake, capture.fromUs, mid),
        sliceSeries(broken, capture.fromUs, mid)
      ],
      baseline: { kind: 'source', series: sliceSeries(capture, mid, capture.toUs) },
      settings
    })
    expect(r.baseline.kind).toBe('source')
    expect(r.candidates[0]?.summary.beyond).toBe(0)
    expect(metric(r, 1, 'spread').verdict).toBe('beyond')
  })
})

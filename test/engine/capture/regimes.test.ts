// Market regimes (src-main/capture/regimes.ts): the window measurements on hand-made input, the
// quantile rules, and the classifier validated on the four REAL shared sets — what it finds there
// is what docs/capture.md reports. Also the small pieces the scheduler and the REST side rely on:
// --until / --duration parsing, the snapshot weight budget and the reconnect backoff.
import { describe, expect, it } from 'vitest'
import { WeightBudget } from '../../../src-main/capture/rateLimit'
import { Backoff } from '../../../src-main/util/backoff'
import { depthWeight } from '../../../src-main/capture/endpoints'
import {
  classify,
  summarize,
  thresholdsFrom,
  windowsFromFiles,
  WindowAccumulator
} from '../../../src-main/capture/regimes'
import { parseDuration, parseUntil, type RegimeWindow } from '../../../src-shared/capture'
import { captureFiles, hasCaptures, type CaptureSet } from '../../helpers/data'

const minute = (iso: string): string => iso.slice(0, 16)

describe('regime windows', () => {
  it('measures trades, notional, 1-s mid volatility, time-weighted spread and coverage', () => {
    const out: RegimeWindow[] = []
    const acc = new WindowAccumulator(60_000, (w) => out.push(w))
    const t0 = Date.parse('2024-08-08T23:00:00Z')
    // Mid 100 for 30 s (spread 2 = 200 bps), then 101 (spread 1 ≈ 99 bps) for 30 s.
    acc.quote(t0, 99, 101)
    acc.trade(t0 + 1000, 100, 2)
    acc.trade(t0 + 2000, 101, 1)
    acc.quote(t0 + 30_000, 100.5, 101.5)
    acc.uncovered(t0 + 90_000, t0 + 105_000)
    acc.quote(t0 + 110_000, 100.5, 101.5)
    acc.finish(t0 + 120_000)
    expect(out).toHaveLength(2)
    const [a, b] = out as [RegimeWindow, RegimeWindow]
    expect(a.trades).toBe(2)
    expect(a.volume).toBe(3)
    expect(a.notional).toBe(301)
    expect(a.rvBps).toBeCloseTo(Math.log(101 / 100) * 1e4, 6)
    expect(a.maxAbsReturnBps).toBeCloseTo(Math.log(101 / 100) * 1e4, 6)
    expect(a.spreadBps).toBeCloseTo((200 * 30 + (1 / 101) * 1e4 * 30) / 60, 6)
    expect(a.returnBps).toBeCloseTo(Math.log(101 / 100) * 1e4, 6)
    expect(a.coverage).toBe(1)
    expect(b.trades).toBe(0)
    expect(b.rvBps).toBe(0)
    expect(b.coverage).toBeCloseTo(45 / 60, 9)
  })

  it('labels with quantile thresholds of the reference windows', () => {
    const w = (notional: number, rv: number, jump = 1, spread = 1): RegimeWindow => ({
      startMs: 0,
      endMs: 60_000,
      coverage: 1,
      trades: 1,
      volume: 1,
      notional,
      rvBps: rv,
      maxAbsReturnBps: jump,
      spreadBps: spread,
      returnBps: 0
    })
    const ref = Array.from({ length: 101 }, (_, i) => w(i, 10))
    const t = thresholdsFrom(ref)
    expect(t?.lowNotional).toBe(25)
    expect(t?.highNotional).toBe(75)
    // rv all equal: the 1.5 × median floor decides.
    expect(t?.eventRvBps).toBe(15)
    expect(classify(w(80, 10), t)).toBe('high-volume')
    expect(classify(w(20, 10), t)).toBe('low-volume')
    expect(classify(w(50, 10), t)).toBe('normal')
    expect(classify(w(50, 16, 5), t)).toBe('event')
    expect(classify(w(50, 16, 1, 1), t)).toBe('event') // spread at its q99 (all equal)
    expect(classify({ ...w(50, 16, 5), coverage: 0.5 }, t)).toBe('partial')
    expect(thresholdsFrom(ref.slice(0, 3))).toBeNull()
    expect(summarize(ref, t, 60_000).covered).toEqual(['high-volume', 'low-volume'])
  })

  it('parses --until and --duration', () => {
    expect(parseUntil('3 regimes covered')).toEqual({
      regimes: 3,
      among: ['high-volume', 'low-volume', 'event']
    })
    expect(parseUntil('event, high-volume covered')).toEqual({
      regimes: 2,
      among: ['event', 'high-volume']
    })
    expect(parseUntil('4 regimes covered')).toBeNull()
    expect(parseUntil('whenever')).toBeNull()
    expect(parseDuration('24h')).toBe(86_400_000)
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('1.5m')).toBe(90_000)
    expect(parseDuration('soon')).toBeNaN()
  })
})

describe('REST weight budget and reconnect backoff', () => {
  it('spaces snapshots, caps the weight per rolling minute, follows the server', () => {
    let now = 0
    const b = new WeightBudget({
      perMinute: 120,
      exchangeLimit: 6000,
      minIntervalMs: 1000,
      now: () => now
    })
    expect(depthWeight('spot', 1000)).toBe(50)
    expect(depthWeight('usdm', 1000)).toBe(20)
    expect(b.delayFor(50)).toBe(0)
    b.take(50)
    expect(b.delayFor(50)).toBe(1000)
    now = 1000
    b.take(50)
    // A third would exceed 120 per minute: wait until the first leaves the window.
    now = 2000
    expect(b.delayFor(50)).toBe(58_000)
    now = 60_001
    expect(b.delayFor(50)).toBe(0)
    b.observeUsed(5000) // others on this IP used 5000 of 6000: wait for the next minute
    expect(b.delayFor(50)).toBe(59_999)
    now = 120_000
    b.pauseFor(30_000) // 429 / 418 Retry-After
    expect(b.delayFor(5)).toBe(30_000)
  })

  it('backs off exponentially with jitter, capped', () => {
    const b = new Backoff(100, 1000, () => 1)
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000])
    b.reset()
    expect(new Backoff(100, 1000, () => 0).next()).toBe(50)
    expect(b.next()).toBe(100)
  })
})

describe.skipIf(!hasCaptures)('the regime classifier on the real shared captures', () => {
  it('NEXOUSDT, 5-min windows over 34 h: quantile thresholds, three event windows', async () => {
    const r = await windowsFromFiles(captureFiles('spot-nexousdt-20240723'), 300_000)
    const s = summarize(r.windows, thresholdsFrom(r.windows), 300_000)
    expect(s.thresholds?.referenceWindows).toBe(410)
    expect(s.counts).toEqual({
      'high-volume': 100,
      'low-volume': 103,
      event: 3,
      normal: 204,
      partial: 2
    })
    // The +98 bps / +81 bps burst of 2024-07-24 02:30–02:40 (860 trades in 5 min, 2× the next
    // busiest window) and a 49 bps jump at 16:55.
    expect(
      s.windows
        .filter((w) => w.label === 'event')
        .map((w) => minute(new Date(w.startMs).toISOString()))
    ).toEqual(['2024-07-24T02:30', '2024-07-24T02:35', '2024-07-24T16:55'])
    expect(s.covered).toEqual(['high-volume', 'low-volume', 'event'])
  })

  const btc: { set: CaptureSet; events: string[]; high: string[] }[] = [
    {
      set: 'spot-btcusdt-20240808',
      events: ['2024-08-08T23:58'],
      high: ['2024-08-08T23:57', '2024-08-09T00:01']
    },
    {
      set: 'usdm-btcusdt-20240718',
      events: ['2024-07-19T00:00'],
      high: ['2024-07-19T00:02']
    },
    {
      set: 'usdm-btcusdt-20240808',
      events: [],
      high: ['2024-08-08T23:57', '2024-08-08T23:58']
    }
  ]
  it.each(btc)('$set, 1-min windows: the burst around midnight', async (c) => {
    const r = await windowsFromFiles(captureFiles(c.set), 60_000)
    // Five-minute windows would leave one or two complete ones: too few for thresholds.
    expect(thresholdsFrom(r.windows.filter((w) => w.coverage >= 0.8).slice(0, 3))).toBeNull()
    const s = summarize(r.windows, thresholdsFrom(r.windows), 60_000)
    const at = (label: string): string[] =>
      s.windows
        .filter((w) => w.label === label)
        .map((w) => minute(new Date(w.startMs).toISOString()))
    expect(at('event')).toEqual(c.events)
    expect(at('high-volume')).toEqual(c.high)
    expect(s.counts['low-volume']).toBeGreaterThanOrEqual(2)
  })
})

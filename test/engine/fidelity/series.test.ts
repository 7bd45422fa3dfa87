// Fidelity series and metric values on the REAL spot BTCUSDT capture, checked against an
// independent hand computation straight from the capture lines (handReplay.ts: its own gunzip,
// JSON, Map book and sums), never against the engine's own intermediate results.
import { beforeAll, describe, expect, it } from 'vitest'
import { parseSourceSpec } from '../../../src-shared/fidelity'
import { captureSeries } from '../../../src-main/fidelity/captureSeries'
import { bboCheck } from '../../../src-main/fidelity/paired'
import { gapsMs } from '../../../src-main/fidelity/metrics/interarrival'
import { ofi } from '../../../src-main/fidelity/metrics/ofi'
import { returns1s } from '../../../src-main/fidelity/metrics/returns'
import { spread } from '../../../src-main/fidelity/metrics/spread'
import { tradeSize } from '../../../src-main/fidelity/metrics/trades'
import { tradeInterarrival } from '../../../src-main/fidelity/metrics/interarrival'
import type { MetricContext } from '../../../src-main/fidelity/metrics/types'
import { gridOf, PROFILE_LEVELS, type MarketSeries } from '../../../src-main/fidelity/series'
import { powerLawFit } from '../../../src-main/fidelity/stats'
import type { CaptureReplaySummary } from '../../../src-main/engine/captureReplay'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { handReplay, type HandState } from './handReplay'

const SET = 'spot-btcusdt-20240808'
const TICK = 0.01
const ctx: MetricContext = { finestMs: 100, coarsestMs: 1000, profileMs: 1000 }
const opts = { gridsMs: [100, 1000], profileMs: 1000, withTicker: true }

describe.skipIf(!hasCaptures)('fidelity series of a real capture vs a hand computation', () => {
  let s: MarketSeries
  let impact: MarketSeries
  let replay: CaptureReplaySummary
  let hand: ReturnType<typeof handReplay>
  beforeAll(async () => {
    const files = captureFiles(SET)
    const r = await captureSeries(parseSourceSpec(`capture:${files.join(',')}`), files, opts)
    s = r.series
    replay = r.replay
    impact = (
      await captureSeries(parseSourceSpec(`capture:${files.join(',')}+impact`), files, opts)
    ).series
    hand = handReplay(files, TICK)
  })

  /** The hand book's state as of each grid time: the last state at or before it. */
  const handAt = (grid: Float64Array, n: number): HandState[] => {
    const out: HandState[] = []
    let i = 0
    for (let k = 0; k < n; k++) {
      const g = grid[k] ?? NaN
      while (i + 1 < hand.states.length && (hand.states[i + 1]?.timeUs ?? Infinity) <= g) i++
      out.push(hand.states[i] as HandState)
    }
    return out
  }

  it('samples trades as the capture lines have them: sizes and inter-trade times', () => {
    expect(s.trades?.n).toBe(hand.trades.length)
    expect(hand.trades.length).toBe(19_904)
    const sizes = tradeSize.extract(s, ctx).values
    const gaps = tradeInterarrival.extract(s, ctx).values
    for (let i = 0; i < hand.trades.length; i++) {
      expect(sizes[i]).toBeCloseTo(hand.trades[i]?.qty ?? NaN, 12)
      if (i > 0) expect(gaps[i - 1]).toBe((hand.trades[i]?.T ?? 0) - (hand.trades[i - 1]?.T ?? 0))
    }
  })

  it('writes the book as of every 1 s grid time, best levels and 5/20-level depth included', () => {
    const g = gridOf(s, 1000)
    expect(g).not.toBeNull()
    if (!g) return
    expect(g.n).toBeGreaterThan(600)
    const tops = hand.topAt(Array.from(g.timeUs))
    const sum = (lv: [number, number][], k: number): number =>
      lv.slice(0, k).reduce((a, [, q]) => a + q, 0)
    for (let k = 0; k < g.n; k++) {
      const t = tops[k]
      if (!t) throw new Error('missing')
      expect(g.bidTick[k]).toBe(t.bids[0]?.[0])
      expect(g.askTick[k]).toBe(t.asks[0]?.[0])
      expect(g.bidLots[k]).toBe(t.bids[0]?.[1])
      expect(g.askLots[k]).toBe(t.asks[0]?.[1])
      expect(g.bid5[k]).toBe(sum(t.bids, 5))
      expect(g.ask5[k]).toBe(sum(t.asks, 5))
      expect(g.bid20[k]).toBe(sum(t.bids, 20))
      expect(g.ask20[k]).toBe(sum(t.asks, 20))
    }
    // The depth profile (1 s) holds the same 20 levels, level by level.
    const p = s.profile
    if (!p) throw new Error('no profile')
    expect(Array.from(p.timeUs)).toEqual(Array.from(g.timeUs))
    for (let k = 0; k < p.n; k += 7) {
      for (let l = 0; l < PROFILE_LEVELS; l++) {
        expect(p.bidLots[k * PROFILE_LEVELS + l]).toBe(tops[k]?.bids[l]?.[1] ?? NaN)
        expect(p.askLots[k * PROFILE_LEVELS + l]).toBe(tops[k]?.asks[l]?.[1] ?? NaN)
      }
    }
  })

  it('spread on the 100 ms grid equals the hand book at those times', () => {
    const g = gridOf(s, 100)
    if (!g) throw new Error('no grid')
    const h = handAt(g.timeUs, g.n)
    const v = spread.extract(s, ctx).values
    expect(v.length).toBe(g.n)
    for (let k = 0; k < g.n; k++) expect(v[k]).toBe((h[k]?.ask ?? 0) - (h[k]?.bid ?? 0))
    // Mean by hand; the scalar is the same number.
    const mean = h.reduce((a, x) => a + x.ask - x.bid, 0) / h.length
    expect(spread.scalars[0]?.compute(v, null, ctx)).toBeCloseTo(mean, 9)
  })

  it('OFI per second (Cont et al.) and its R² for mid changes, summed by hand from every update', () => {
    const g = gridOf(s, 1000)
    if (!g) throw new Error('no grid')
    // e_n from consecutive best levels of the hand book, summed over (g - 1 s, g].
    const ofiAt = new Float64Array(g.n)
    let k = 0
    const st = hand.states
    for (let i = 1; i < st.length; i++) {
      const p = st[i - 1] as HandState
      const c = st[i] as HandState
      let e = 0
      if (c.bid >= p.bid) e += c.bidLots
      if (c.bid <= p.bid) e -= p.bidLots
      if (c.ask <= p.ask) e -= c.askLots
      if (c.ask >= p.ask) e += p.askLots
      while (k < g.n && (g.timeUs[k] ?? Infinity) < c.timeUs) k++
      if (k < g.n && k > 0) ofiAt[k] = (ofiAt[k] ?? 0) + e
    }
    for (let j = 1; j < g.n; j++) expect(g.ofi[j]).toBe(ofiAt[j])
    // R² of Δmid (ticks) on OFI (base units) by hand OLS.
    const x: number[] = []
    const y: number[] = []
    for (let j = 1; j < g.n; j++) {
      x.push((ofiAt[j] ?? 0) / 1e8)
      y.push(
        ((g.bidTick[j] ?? 0) + (g.askTick[j] ?? 0)) / 2 -
          ((g.bidTick[j - 1] ?? 0) + (g.askTick[j - 1] ?? 0)) / 2
      )
    }
    const mx = x.reduce((a, b) => a + b, 0) / x.length
    const my = y.reduce((a, b) => a + b, 0) / y.length
    let sxy = 0
    let sxx = 0
    let syy = 0
    for (let j = 0; j < x.length; j++) {
      sxy += ((x[j] ?? 0) - mx) * ((y[j] ?? 0) - my)
      sxx += ((x[j] ?? 0) - mx) ** 2
      syy += ((y[j] ?? 0) - my) ** 2
    }
    const sample = ofi.extract(s, ctx)
    expect(Array.from(sample.values)).toEqual(x)
    const r2 = ofi.scalars[0]?.compute(sample.values, sample.aux, ctx) ?? NaN
    expect(r2).toBeCloseTo((sxy * sxy) / (sxx * syy), 9)
    expect(r2).toBeGreaterThan(0.2) // OFI explains a good part of 1 s mid changes, as Cont et al. find
  })

  it('1 s mid returns: kurtosis, Hill tail index and lag-1 ACF by hand', () => {
    const g = gridOf(s, 1000)
    if (!g) throw new Error('no grid')
    const h = handAt(g.timeUs, g.n)
    const mids = h.map((x) => (x.bid + x.ask) / 2)
    const r = mids.slice(1).map((m, i) => Math.log(m) - Math.log(mids[i] ?? NaN))
    const v = returns1s.extract(s, ctx).values
    expect(v.length).toBe(r.length)
    for (let i = 0; i < r.length; i++) expect(v[i]).toBeCloseTo(r[i] ?? NaN, 15)
    const n = r.length
    const mean = r.reduce((a, b) => a + b, 0) / n
    let m2 = 0
    let m4 = 0
    let c1 = 0
    for (let i = 0; i < n; i++) {
      const d = (r[i] ?? 0) - mean
      m2 += d * d
      m4 += d ** 4
      if (i + 1 < n) c1 += d * ((r[i + 1] ?? 0) - mean)
    }
    const [kurt, hillS, acf1] = returns1s.scalars
    expect(kurt?.compute(v, null, ctx)).toBeCloseTo(m4 / n / (m2 / n) ** 2 - 3, 9)
    expect(acf1?.compute(v, null, ctx)).toBeCloseTo(c1 / m2, 9)
    // Hill: k = floor(sqrt(#|r| > 0)) largest |r| over the (k+1)-th.
    const abs = r
      .map(Math.abs)
      .filter((a) => a > 0)
      .sort((a, b) => b - a)
    const k = Math.floor(Math.sqrt(abs.length))
    const thr = Math.log(abs[k] ?? NaN)
    const gamma = abs.slice(0, k).reduce((a, x) => a + Math.log(x) - thr, 0) / k
    expect(hillS?.compute(v, null, ctx)).toBeCloseTo(1 / gamma, 9)
    // Heavy tails, as the stylized facts say (Cont 2001): excess kurtosis well above 0.
    expect(kurt?.compute(v, null, ctx)).toBeGreaterThan(1)
  })

  it('trade burstiness, Fano factor and power-law tail exponent by hand', () => {
    const T = hand.trades.map((t) => t.T)
    const gaps = T.slice(1).map((t, i) => t - (T[i] ?? 0))
    const mu = gaps.reduce((a, b) => a + b, 0) / gaps.length
    const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mu) ** 2, 0) / gaps.length)
    const v = gapsMs(s.trades?.timeUs ?? new Float64Array(0), s.trades?.n ?? 0).values
    const [burst, fano] = tradeInterarrival.scalars
    expect(burst?.compute(v, null, ctx)).toBeCloseTo((sd - mu) / (sd + mu), 12)
    // Counts in whole 1 s windows from the first trade; the partial last window is left out.
    const t0 = T[0] ?? 0
    const windows = Math.floor(((T[T.length - 1] ?? 0) - t0) / 1000)
    const counts = new Array<number>(windows).fill(0)
    for (const t of T) {
      const w = Math.floor((t - t0) / 1000)
      if (w < windows) counts[w] = (counts[w] ?? 0) + 1
    }
    const cm = counts.reduce((a, b) => a + b, 0) / windows
    const cv = counts.reduce((a, b) => a + (b - cm) ** 2, 0) / (windows - 1)
    expect(fano?.compute(v, null, ctx)).toBeCloseTo(cv / cm, 9)
    expect(cv / cm).toBeGreaterThan(10) // trades cluster far beyond Poisson
    // α = 1 + n / Σ ln(x / xmin) over the tail at the xmin the KS search picked.
    const sizes = hand.trades.map((t) => t.qty)
    const xmin = powerLawFit(sizes, { maxCandidates: 100 }).xmin
    const tail = sizes.filter((x) => x >= xmin)
    const alpha = 1 + tail.length / tail.reduce((a, x) => a + Math.log(x / xmin), 0)
    expect(tradeSize.scalars[0]?.compute(Float64Array.from(sizes), null, ctx)).toBeCloseTo(alpha, 9)
  })

  it('pairs the replay with every bookTicker exactly as the replay itself counts them', () => {
    const plain = bboCheck(s)
    const model = bboCheck(impact)
    if (!plain || !model) throw new Error('no bookTicker pairing')
    expect(plain.compared).toBe(replay.bboAll.compared)
    expect(Math.round(plain.pricesMatched * plain.compared)).toBe(replay.bboAll.plain.priceMatched)
    expect(Math.round(plain.pricesAndSizesMatched * plain.compared)).toBe(
      replay.bboAll.plain.matched
    )
    expect(Math.round(model.pricesMatched * model.compared)).toBe(
      replay.bboAll.tradeImpact.priceMatched
    )
    expect(Math.round(model.pricesAndSizesMatched * model.compared)).toBe(
      replay.bboAll.tradeImpact.matched
    )
  })
})

// Two books on one clock, on REAL replays of the spot BTCUSDT capture: the capture replayed as is,
// its Lake conversion replayed (the same book: nothing differs), and the conversion with every
// tenth delta message dropped (a broken book: many prices differ, the largest difference is real).
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { PriceGrid } from '../../../src-shared/units'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { TimelineRecorder } from '../../../src-main/engine/sink/timeline'
import { runLakeReplay } from '../../../src-main/replay/lakeJob'
import { TimelineStore } from '../../../src-main/replay/timelineStore'
import { diffHeatmaps } from '../../../src-renderer/src/components/heatmapDiff'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { dropEveryTenthInLake } from '../../helpers/faults'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const dir = tempDir('lakebook-diff-')
const store = new TimelineStore((id) => join(dir, id), 4)
const SET = 'spot-btcusdt-20240808'
const TICK = 0.01

describe.skipIf(!hasCaptures)('difference of two books (real replays)', () => {
  beforeAll(async () => {
    const timeline = new TimelineRecorder(0)
    const r = await replayCapture(captureFiles(SET), { timeline })
    const grid = new PriceGrid(r.tick)
    timeline.write(join(dir, 'capture'), {
      symbol: r.symbol,
      tick: r.tick,
      priceScale: grid.scale,
      tickStep: grid.step,
      lotScale: 8
    })
    const good = await convertedLake(SET)
    await runLakeReplay(
      { root: good.root, exchange: 'BINANCE', symbol: 'BTC-USDT', frameIntervalMs: 0 },
      { workers: 0, timelineDir: join(dir, 'lake') }
    )
    const bad = await convertedLake(SET)
    await dropEveryTenthInLake(bad.root, 'BINANCE', 'BTC-USDT')
    await runLakeReplay(
      { root: bad.root, exchange: 'BINANCE', symbol: 'BTC-USDT', frameIntervalMs: 0 },
      { workers: 0, timelineDir: join(dir, 'broken') }
    )
  }, 180_000)

  // Two minutes well inside all three replays, 200 columns.
  const from = Date.UTC(2024, 7, 9, 0, 0, 0)
  const req = { fromMs: from, toMs: from + 120_000, columns: 200 }
  const heat = (id: string) => store.heatmap(id, req)

  it('finds nothing to tell apart between a book and itself, or the capture and its conversion', () => {
    const same = diffHeatmaps(heat('capture'), heat('capture'), TICK)
    expect(same.differing).toBe(0)
    expect(same.compared).toBeGreaterThan(200 * 30)
    const conv = diffHeatmaps(heat('capture'), heat('lake'), TICK)
    expect(conv.compared).toBeGreaterThan(200 * 30)
    expect(conv.differing).toBe(0)
    expect(conv.bestDiffer).toBe(0)
    expect(conv.largest).toBeNull()
  })

  it('shows where a broken book differs, and its largest difference is in both heatmaps', () => {
    const a = heat('capture')
    const b = heat('broken')
    const d = diffHeatmaps(a, b, TICK)
    expect(d.differing).toBeGreaterThan(d.compared / 10)
    expect(d.bestDiffer).toBeGreaterThan(10)
    const l = d.largest
    if (!l) throw new Error('no difference found')
    // Read the largest difference back from the two heatmaps' own levels.
    const sizeAt = (h: typeof a, c: number, t: number): number => {
      let s = 0
      for (let k = 0; k < h.depth; k++) {
        if (Math.round((h.bidPrice[c * h.depth + k] ?? 0) / TICK) === t)
          s += h.bidSize[c * h.depth + k] ?? 0
        if (Math.round((h.askPrice[c * h.depth + k] ?? 0) / TICK) === t)
          s += h.askSize[c * h.depth + k] ?? 0
      }
      return s
    }
    expect(Math.abs(sizeAt(a, l.col, l.ticks) - sizeAt(b, l.col, l.ticks))).toBeCloseTo(
      Math.abs(l.diff),
      8
    )
    // Every differing cell lies inside that column's known range.
    for (let i = 0; i < d.col.length; i++) {
      const c = d.col[i] ?? 0
      expect(d.ticks[i]).toBeGreaterThanOrEqual(d.knownLo[c] ?? Infinity)
      expect(d.ticks[i]).toBeLessThanOrEqual(d.knownHi[c] ?? -Infinity)
    }
  })

  it('refuses heatmaps of different windows', () => {
    expect(() =>
      diffHeatmaps(heat('capture'), store.heatmap('lake', { ...req, columns: 100 }), TICK)
    ).toThrow(/same window/)
  })
})

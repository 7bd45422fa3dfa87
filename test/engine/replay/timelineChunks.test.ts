// Chunked timelines with a level-of-detail pyramid, on the REAL spot BTCUSDT capture converted to
// Crypto Lake format: small chunks give the same frames, series and heatmaps as one chunk; the
// coarse levels show the frames they name; a replay's timeline can be read while it runs; and a
// window of exchange time records exactly the full replay's frames in that window.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BookFrame } from '../../../src-shared/replay'
import { runLakeReplay, type LakeRunOptions } from '../../../src-main/replay/lakeJob'
import { TimelineStore } from '../../../src-main/replay/timelineStore'
import { EmptySelectionError } from '../../../src-main/util/errors'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const dirs = tempDir('lakebook-chunks-')
const store = new TimelineStore((id) => join(dirs, id), 8)
const SEL = { exchange: 'BINANCE', symbol: 'BTC-USDT' } as const

describe.skipIf(!hasCaptures)('chunked replay timelines (converted real capture)', () => {
  let root = ''
  const replay = async (
    id: string,
    extra: { fromMs?: number; toMs?: number; frameIntervalMs?: number } = {},
    opts: Partial<LakeRunOptions> = {}
  ) =>
    runLakeReplay(
      { root, ...SEL, frameIntervalMs: extra.frameIntervalMs ?? 0, ...extra },
      { workers: 0, timelineDir: join(dirs, id), ...opts }
    )

  beforeAll(async () => {
    root = (await convertedLake('spot-btcusdt-20240808')).root
    await replay('one')
    await replay('small', {}, { timelineChunkRows: 500 })
  })

  const frames = (id: string): BookFrame[] => {
    const n = store.frame(id, 0).count
    return Array.from({ length: n }, (_, i) => store.frame(id, i))
  }

  it('small chunks hold the same frames, series and heatmaps as one chunk', () => {
    const meta = (id: string) =>
      JSON.parse(readFileSync(join(dirs, id, 'meta.json'), 'utf8')) as {
        streams: Record<string, { chunks: unknown[] }>
      }
    expect(meta('one').streams['frames']?.chunks.length).toBe(1)
    expect(meta('small').streams['frames']?.chunks.length).toBeGreaterThan(10)
    expect(meta('small').streams['trades']?.chunks.length).toBeGreaterThan(10)
    const a = frames('one')
    const b = frames('small')
    expect(a.length).toBeGreaterThan(6000) // every book message of the capture's 11 minutes
    expect(b).toEqual(a)
    const sa = store.series('one', 1_000_000)
    const sb = store.series('small', 1_000_000)
    expect(sb).toEqual(sa)
    expect(sa.source).toBe('frames')
    expect(sa.frameIndex.length).toBe(a.length)
    expect(sa.trades.timeMs.length).toBeGreaterThan(19_000)
    for (const columns of [7, 300, 1500]) {
      expect(store.heatmap('small', { columns })).toEqual(store.heatmap('one', { columns }))
    }
  })

  it('merged trade bubbles from a level of detail hold every traded lot once', () => {
    const whole = store.series('small', 1_000_000)
    const lots = (xs: number[]): number => Math.round(xs.reduce((x, y) => x + y, 0) * 1e8)
    const all = lots(whole.trades.size)
    expect(all).toBeGreaterThan(0)
    for (const columns of [8, 40, 300]) {
      const h = store.heatmap('small', {
        fromMs: whole.span.fromMs - 60_000,
        toMs: whole.span.toMs + 60_000,
        columns,
        maxTrades: 200
      })
      expect(h.tradesMerged).toBe(true)
      expect(lots(h.trades.size)).toBe(all)
    }
    // A chart asked for fewer points than prints gets one per bucket, price and side (the same
    // volume) when a level fits; fewer still, a level's points thinned (a chart's dots, no sums).
    const coarse = store.series('small', 6000)
    expect(coarse.trades.timeMs.length).toBeLessThanOrEqual(6000)
    expect(coarse.trades.timeMs.length).toBeLessThan(whole.trades.timeMs.length)
    expect(lots(coarse.trades.size)).toBe(all)
    expect(store.series('small', 2000).trades.timeMs.length).toBeLessThanOrEqual(2000)
  })

  it('a frame asked for by time is the last one at or before it', () => {
    const all = frames('small')
    for (const k of [0, 1, 777, 3001, all.length - 1]) {
      const f = all[k]
      if (!f) throw new Error('no frame')
      const byTime = store.frame('small', 0, f.timeMs + 0.5)
      expect(byTime.timeMs).toBe(f.timeMs)
      expect(byTime.index).toBeGreaterThanOrEqual(k)
      expect(store.frame('small', 0, f.timeMs - 1e6).index).toBe(0)
    }
  })

  it('frames in blocks (across chunk boundaries) are the frames asked for one by one', () => {
    const all = frames('small')
    for (const from of [0, 450, 3001, all.length - 100]) {
      expect(store.frames('small', from, 128)).toEqual(all.slice(from, from + 128))
    }
    // Past the end: what there is, then nothing.
    expect(store.frames('small', all.length - 3, 128)).toHaveLength(3)
    expect(store.frames('small', all.length + 5, 128)).toEqual([])
  })

  it('wide columns read a level of detail whose rows are the frames they name', () => {
    // 11 minutes over 8 columns: 82 s per column, two 10 s buckets or more.
    const h = store.heatmap('small', { columns: 8 })
    expect(h.source).toBe('lod-10000')
    const fine = store.heatmap('small', { columns: 2000 })
    expect(fine.source).toBe('frames')
    for (let c = 0; c < h.columns; c++) {
      const g = h.frame[c] ?? -1
      if (g < 0) continue
      const f = store.frame('small', g)
      expect(h.bidPrice[c * h.depth]).toBeCloseTo(f.bids[0]?.[0] ?? 0, 9)
      expect(h.askSize[c * h.depth]).toBeCloseTo(f.asks[0]?.[1] ?? 0, 12)
      // The level's row is the first frame of its bucket: at most a bucket before the column's end.
      const end = h.fromMs + ((c + 1) * (h.toMs - h.fromMs)) / h.columns
      expect(f.timeMs).toBeLessThanOrEqual(end)
      expect(f.timeMs).toBeGreaterThan(end - 10_000 - 1)
    }
    // A series asked for fewer points than frames reads a level, each point naming its frame.
    const s = store.series('small', 1000)
    expect(s.source).toBe('lod-1000')
    for (let i = 0; i < s.timeMs.length; i += 50) {
      const f = store.frame('small', s.frameIndex[i] ?? -1)
      expect(f.timeMs).toBe(s.timeMs[i])
      expect(f.bids[0]?.[0] ?? null).toBe(s.bestBid[i])
    }
  })

  it('streams: read while the replay runs, the timeline is incomplete and a prefix of the end', async () => {
    let seen: { frames: number; complete: boolean; last: BookFrame } | null = null
    await replay(
      'live',
      {},
      {
        timelineChunkRows: 500,
        timelineFlushMs: 0,
        onProgress: () => {
          const s = store.series('live', 1_000_000)
          seen = {
            frames: s.frames,
            complete: s.complete,
            last: store.frame('live', s.frames - 1)
          }
        }
      }
    )
    const mid = seen as { frames: number; complete: boolean; last: BookFrame } | null
    expect(mid).not.toBeNull()
    if (!mid) return
    expect(mid.complete).toBe(false)
    expect(mid.frames).toBeGreaterThan(100)
    const end = store.series('live', 1_000_000)
    expect(end.complete).toBe(true)
    expect(end.frames).toBeGreaterThan(mid.frames)
    expect(store.frame('live', mid.last.index)).toEqual({ ...mid.last, count: end.frames })
  })

  it('a window of exchange time keeps the full replay’s frames and trades in it, nothing else', async () => {
    const all = frames('one')
    const fromMs = (all[2000]?.timeMs ?? 0) - 0.5
    const toMs = (all[3000]?.timeMs ?? 0) + 0.5
    const r = await replay('window', { fromMs, toMs })
    expect(r.window).toEqual({ fromMs, toMs })
    const w = frames('window')
    const inside = all.filter((f) => f.timeMs >= fromMs && f.timeMs <= toMs)
    expect(w.length).toBe(inside.length)
    expect(w.map((f) => ({ ...f, index: 0, count: 0 }))).toEqual(
      inside.map((f) => ({ ...f, index: 0, count: 0 }))
    )
    const s = store.series('window', 1_000_000)
    expect(s.trades.timeMs.length).toBeGreaterThan(0)
    for (const t of s.trades.timeMs) {
      expect(t).toBeGreaterThanOrEqual(fromMs)
      expect(t).toBeLessThanOrEqual(toMs)
    }
    // A window with no book message in it did nothing: refused, and no timeline left.
    const before = Date.parse('2024-08-08T10:00:00Z')
    await expect(replay('empty', { fromMs: before, toMs: before + 300_000 })).rejects.toThrow(
      EmptySelectionError
    )
    expect(existsSync(join(dirs, 'empty'))).toBe(false)
    // It stopped after the window: fewer rows read than the whole replay.
    const whole = await replay('whole-again')
    expect(r.events.deltaRows).toBeLessThan(whole.events.deltaRows)
  })
})

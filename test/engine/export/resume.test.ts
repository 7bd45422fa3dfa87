// The replay's snapshot/restore API on its own: a SideBook restored from a snapshot behaves
// exactly like the original through later window moves and overflow (synthetic random steps: a
// property of the data structure), and the Lake replay resumed from states captured at many
// pause points of a run over converted real data, with its sources opened at the captured
// offsets, ends with the same summary and output hash as the uninterrupted run.
import { describe, expect, it } from 'vitest'
import { SideBook } from '../../../src-main/engine/book/sideBook'
import { FloatGrid } from '../../../src-shared/units'
import { decodeJson, encodeJson } from '../../../src-main/export/checkpoint'
import { IssueLog } from '../../../src-main/util/issueLog'
import { replayLake, type LakeReplayCore, type LakeReplayState } from '../../../src-main/engine'
import { resolveSelection } from '../../../src-main/engine/source/lakeSources'
import { openLakeSources } from '../../../src-main/engine/source/parallelSources'
import { hasCaptures } from '../../helpers/data'
import { convertedLake } from '../../helpers/lake'

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function top(side: SideBook): number[] {
  const t = new Float64Array(50)
  const l = new Float64Array(50)
  const k = side.top(50, t, l)
  return [...t.subarray(0, k), ...l.subarray(0, k), side.levels]
}

/** Without the figures of the run itself (time, memory). */
function stable(r: LakeReplayCore): unknown {
  const { elapsedMs: _e, deltaRowsPerSecond: _d, peakRssMb: _p, ...rest } = r
  return rest
}

describe('SideBook snapshot/restore', () => {
  for (const isBid of [true, false]) {
    it(`continues exactly like the original (${isBid ? 'bids' : 'asks'})`, () => {
      const a = new SideBook(isBid, 256) // a tiny window: many re-centrings and overflow levels
      const r = rng(isBid ? 3 : 5)
      let mid = 50_000
      const step = (s: SideBook[], x: number, y: number, z: number): void => {
        mid += Math.round((x - 0.5) * 6)
        const tick = mid + Math.round((y - 0.5) * (y < 0.1 ? 4000 : 80))
        const lots = z < 0.35 ? 0 : 1 + Math.floor(z * 1000)
        for (const b of s) b.set(tick, lots)
      }
      for (let i = 0; i < 5000; i++) step([a], r(), r(), r())
      // Through JSON as a checkpoint stores it.
      const b = new SideBook(isBid, 256)
      b.restore(decodeJson(encodeJson(a.snapshot())) as ReturnType<SideBook['snapshot']>)
      expect(top(b)).toEqual(top(a))
      for (let i = 0; i < 20_000; i++) {
        step([a, b], r(), r(), r())
        if (i % 97 === 0) expect(top(b)).toEqual(top(a))
      }
      expect(b.snapshot()).toEqual(a.snapshot())
    })
  }
})

describe.skipIf(!hasCaptures)('Lake replay resumed from captured states', () => {
  it('ends as the uninterrupted replay does, from pause points all through the run', async () => {
    const { root } = await convertedLake('usdm-btcusdt-20240718')
    const sel = resolveSelection({ root, exchange: 'BINANCE_FUTURES', symbol: 'BTC-USDT-PERP' })
    const grid = new FloatGrid('0.1')
    const states: LakeReplayState[] = []
    let next = 0
    const full = await replayLake(openLakeSources(sel, grid, new IssueLog(), { workers: 0 }), {
      market: 'usdm',
      clock: {
        get next() {
          return next
        },
        tick(h, control) {
          states.push(decodeJson(encodeJson(control.snapshot())) as LakeReplayState)
          next = h + 30_000_000
          return undefined
        }
      }
    })
    expect(states.length).toBeGreaterThan(10)
    expect(states.some((s) => s.seeding.seeded)).toBe(true)
    for (const s of states.filter((_, i) => i % 3 === 1)) {
      const r = await replayLake(
        openLakeSources(sel, grid, new IssueLog(), { workers: 0, start: s.offsets }),
        { market: 'usdm', resume: s }
      )
      expect(r.outputHash).toBe(full.outputHash)
      expect(stable(r)).toEqual(stable(full))
    }
  })
})

// Golden replays of all four real shared capture sets. The bookTicker checkpoints (bookTicker u ==
// a depth diff's final u) are Binance's own best bid/ask: every one must match exactly.
import { describe, expect, it } from 'vitest'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { captureFiles, hasCaptures, type CaptureSet } from '../../helpers/data'

interface Golden {
  set: CaptureSet
  market: 'spot' | 'usdm'
  tick: string
  depthUpdates: number
  trades: number
  compared: number
  arrivedBeforeDiff: number
  unknownDepthUpdates: number
}

// Counts measured on the real files (see docs/book-semantics.md for what each one means). The
// README of the data set counts checkpoints whose bookTicker arrived before its diff: those are
// `arrivedBeforeDiff` here (spot 1,072; usdm 519 and 503; NEXO 17,335).
const goldens: Golden[] = [
  {
    set: 'spot-btcusdt-20240808',
    market: 'spot',
    tick: '0.01',
    depthUpdates: 6495,
    trades: 19904,
    compared: 1072,
    arrivedBeforeDiff: 1072,
    unknownDepthUpdates: 1217
  },
  {
    set: 'usdm-btcusdt-20240718',
    market: 'usdm',
    tick: '0.1',
    depthUpdates: 9022,
    trades: 10701,
    compared: 625,
    arrivedBeforeDiff: 519,
    unknownDepthUpdates: 0
  },
  {
    set: 'usdm-btcusdt-20240808',
    market: 'usdm',
    tick: '0.1',
    depthUpdates: 6551,
    trades: 21313,
    compared: 629,
    arrivedBeforeDiff: 503,
    unknownDepthUpdates: 1070
  },
  {
    set: 'spot-nexousdt-20240723',
    market: 'spot',
    tick: '0.001',
    depthUpdates: 99030,
    trades: 18817,
    compared: 17468,
    arrivedBeforeDiff: 17335,
    unknownDepthUpdates: 0
  }
]

describe.skipIf(!hasCaptures)('replay of the real shared captures', () => {
  for (const g of goldens) {
    it(`${g.set}: in sync, no gaps, every bookTicker checkpoint matches`, async () => {
      const r = await replayCapture(captureFiles(g.set))
      expect(r.market).toBe(g.market)
      expect(r.tick).toBe(g.tick)
      expect(r.depthUpdates).toBe(g.depthUpdates)
      expect(r.trades).toBe(g.trades)
      expect(r.gaps).toBe(0)
      expect(r.resyncs).toBe(0)
      expect(r.tradeIdGaps).toBe(0)
      expect(r.crossedMs).toBe(0)
      expect(r.complete).toBe(true)
      expect(r.issues).toEqual([])
      // Every diff is either discarded by the documented procedure or applied.
      expect(r.appliedUpdates + r.discardedBeforeSnapshot + r.staleUpdates).toBe(r.depthUpdates)
      expect(r.bbo.compared).toBe(g.compared)
      expect(r.bbo.arrivedBeforeDiff).toBe(g.arrivedBeforeDiff)
      expect(r.bbo.matched).toBe(r.bbo.compared)
      expect(r.bbo.mismatches).toEqual([])
      expect(r.unknownDepthUpdates).toBe(g.unknownDepthUpdates)
    })
  }

  it('orders the files of a window by time whatever order they are given in', async () => {
    const files = captureFiles('spot-btcusdt-20240808').reverse()
    const r = await replayCapture(files)
    expect(r.files).toEqual(captureFiles('spot-btcusdt-20240808'))
    expect(r.bbo.matched).toBe(1072)
  })

  it('a range-clearing snapshot policy gives the same book on these sets', async () => {
    const r = await replayCapture(captureFiles('usdm-btcusdt-20240718'), { snapshotClear: 'range' })
    expect(r.bbo.matched).toBe(r.bbo.compared)
  })
})

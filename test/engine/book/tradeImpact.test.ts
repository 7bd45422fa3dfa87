// The trade impact model on a SYNTHETIC book (semantics), then its measured effect on the real
// spot capture (every bookTicker, not only checkpoints), asserted so a change is noticed.
import { describe, expect, it } from 'vitest'
import { OrderBook } from '../../../src-main/engine/book/orderBook'
import { TradeImpactModel } from '../../../src-main/engine/book/tradeImpact'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { captureFiles, hasCaptures } from '../../helpers/data'

function book(): OrderBook {
  const b = new OrderBook()
  b.set(true, 100, 5)
  b.set(true, 99, 7)
  b.set(false, 101, 3)
  b.set(false, 102, 4)
  return b
}

describe('TradeImpactModel (synthetic book)', () => {
  it('consumes displayed size at the trade price until a later diff arrives', () => {
    const b = book()
    const m = new TradeImpactModel()
    m.trade(101, 2, true, 1000)
    expect(m.best(b, false)).toEqual([101, 1])
    m.trade(101, 1, true, 1001)
    expect(m.best(b, false)).toEqual([102, 4])
    expect(m.best(b, true)).toEqual([100, 5])
    m.diffApplied(1000) // reflects the first trade only: the second one's lot is still taken
    expect(m.best(b, false)).toEqual([101, 2])
    m.diffApplied(1001)
    expect(m.best(b, false)).toEqual([101, 3])
  })

  it('treats levels beyond a trade price as swept', () => {
    const b = book()
    const m = new TradeImpactModel()
    m.trade(99, 1, false, 5) // a sell at 99: no bid above 99 can have been left
    expect(m.best(b, true)).toEqual([99, 6])
    m.diffApplied(5)
    expect(m.best(b, true)).toEqual([100, 5])
    expect(b.bids.bestTick()).toBe(100) // the book itself is never changed
  })
})

describe.skipIf(!hasCaptures)('trade impact on the real spot capture', () => {
  it('is measured against every bookTicker, with and without the model', async () => {
    const r = await replayCapture(captureFiles('spot-btcusdt-20240808'))
    expect(r.bboAll.compared).toBe(73171)
    expect(r.bboAll.plain).toEqual({ priceMatched: 37276, matched: 383 })
    expect(r.bboAll.tradeImpact).toEqual({ priceMatched: 36970, matched: 787 })
    expect(r.tradesInsideBook).toBe(1243)
    expect(r.tradesOnDisplayedLevel).toBe(16276)
  })
})

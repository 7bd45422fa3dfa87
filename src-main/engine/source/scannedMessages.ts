// The message objects the JSON path would have built for a line the capture scanner read, for
// its slow paths (a diff the sync must buffer or bridge, an observer): the same values and the
// same strings, sliced from the line (ASCII, so latin1 is its text).
import type { CaptureScanner } from './captureScanner'
import type { DepthMsg, Levels, TradeMsg } from './captureMessages'

function side(sc: CaptureScanner, isBid: boolean): Levels {
  const n = isBid ? sc.nBids : sc.nAsks
  const pos = isBid ? sc.bidPos : sc.askPos
  const out: (readonly [string, string])[] = []
  for (let k = 0; k < n; k++) {
    const b = 4 * k
    out.push([
      sc.text.toString('latin1', pos[b], pos[b + 1]),
      sc.text.toString('latin1', pos[b + 2], pos[b + 3])
    ])
  }
  return out
}

export function scannedDepth(sc: CaptureScanner): DepthMsg {
  return {
    kind: 'depth',
    symbol: sc.symbol,
    U: sc.U,
    u: sc.u,
    pu: Number.isNaN(sc.pu) ? null : sc.pu,
    E: sc.E,
    bids: side(sc, true),
    asks: side(sc, false)
  }
}

export function scannedTrade(sc: CaptureScanner): TradeMsg {
  const p = sc.strPos
  return {
    kind: 'trade',
    symbol: sc.symbol,
    id: sc.id,
    aggregate: sc.aggregate,
    price: sc.text.toString('latin1', p[0], p[1]),
    qty: sc.text.toString('latin1', p[2], p[3]),
    T: sc.T,
    buyerMaker: sc.buyerMaker
  }
}

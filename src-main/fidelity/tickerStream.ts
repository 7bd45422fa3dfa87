// Binance's own best bid/ask (the bookTicker stream) from capture files, read in one pass before
// the replay: where each bookTicker sits in the files (to pair it with the replayed book at the
// same point of the stream), its prices and sizes, and its exchange time.
//
// Time: USD-M bookTickers carry their event time E. Spot bookTickers carry none, so their time is
// the receive time moved onto the exchange clock by the offset (E − receive time) of the last depth
// message before them: the recorder's clock ran ~1.3 s behind the exchange in these captures, and
// the book is sampled in exchange time. Only bookTicker lines are parsed as JSON; depth lines are
// read for E with a regex, which is far cheaper than parsing their levels.
//
// CaptureObserver has no bookTicker hook, hence this second read of the files; such a hook would
// make it unnecessary (noted for integration).
import { detectTick } from '../../src-shared/units'
import { IssueLog } from '../util/issueLog'
import { readCaptureLines } from '../engine/source/captureReader'
import { knownTick } from '../lake/instruments'
import { parseCaptureJson } from '../engine/source/captureMessages'
import { GrowableF64 } from '../util/growable'

export interface TickerStream {
  /** The files in replay order (by their first receive time, as replayCapture orders them). */
  readonly files: string[]
  /** From the first depth message; the tick from the instrument table, else the bookTicker prices. */
  readonly symbol: string
  readonly market: 'spot' | 'usdm'
  readonly tick: string
  readonly n: number
  /** Position in the stream: file index × 1e9 + line. */
  readonly pos: Float64Array
  readonly timeUs: Float64Array
  /** Prices and sizes as floats; converted to ticks and lots once the tick is known. */
  readonly bid: Float64Array
  readonly bidQty: Float64Array
  readonly ask: Float64Array
  readonly askQty: Float64Array
}

export const POS_FILE = 1e9

const E_FIELD = /"E":(\d+)/

/** Orders capture files by their first line's receive time (replayCapture's probe does the same). */
export async function orderCaptureFiles(
  files: readonly string[],
  signal?: AbortSignal
): Promise<string[]> {
  const firsts: { file: string; ts: number }[] = []
  for (const file of files) {
    let ts = Infinity
    for await (const l of readCaptureLines(file, new IssueLog(), undefined, signal)) {
      ts = l.localUs
      break
    }
    firsts.push({ file, ts })
  }
  firsts.sort((a, b) => a.ts - b.ts)
  return firsts.map((f) => f.file)
}

export async function readTickerStream(
  files: readonly string[],
  signal?: AbortSignal
): Promise<TickerStream> {
  const ordered = await orderCaptureFiles(files, signal)
  const pos = new GrowableF64()
  const time = new GrowableF64()
  const bid = new GrowableF64()
  const bidQty = new GrowableF64()
  const ask = new GrowableF64()
  const askQty = new GrowableF64()
  let offsetUs = NaN
  let lastTime = -Infinity
  let symbol = ''
  let market: 'spot' | 'usdm' = 'spot'
  const prices: string[] = []
  const issues = new IssueLog()
  for (let f = 0; f < ordered.length; f++) {
    const file = ordered[f] ?? ''
    for await (const l of readCaptureLines(file, issues, undefined, signal)) {
      const j = l.json
      if (j.includes('@depth')) {
        const m = E_FIELD.exec(j)
        if (m) offsetUs = Number(m[1]) * 1000 - l.localUs
        if (symbol === '') {
          try {
            const d = parseCaptureJson(j)
            if (d.kind === 'depth') {
              symbol = d.symbol
              market = d.pu === null ? 'spot' : 'usdm'
            }
          } catch {
            // a malformed line: the replay counts it
          }
        }
        continue
      }
      if (!j.includes('@bookTicker')) continue
      let msg
      try {
        msg = parseCaptureJson(j)
      } catch {
        continue // counted by the replay itself as a malformed line
      }
      if (msg.kind !== 'bookTicker') continue
      if (prices.length < 1000) prices.push(msg.bid, msg.ask)
      let t = msg.E !== null ? msg.E * 1000 : l.localUs + offsetUs
      if (!(t >= lastTime)) t = lastTime
      if (Number.isFinite(t)) lastTime = t
      pos.push(f * POS_FILE + l.line)
      time.push(t)
      bid.push(Number.parseFloat(msg.bid))
      bidQty.push(Number.parseFloat(msg.bidQty))
      ask.push(Number.parseFloat(msg.ask))
      askQty.push(Number.parseFloat(msg.askQty))
    }
  }
  return {
    files: ordered,
    symbol,
    market,
    tick: knownTick(market, symbol) ?? detectTick(prices),
    n: pos.length,
    pos: pos.toArray(),
    timeUs: time.toArray(),
    bid: bid.toArray(),
    bidQty: bidQty.toArray(),
    ask: ask.toArray(),
    askQty: askQty.toArray()
  }
}

// Classifies one capture line's JSON: combined-stream depth / trade / aggTrade / bookTicker
// messages, or the REST depth snapshot. Prices and sizes stay decimal strings here; the replay
// converts them to ticks and lots.

/** The capture line a message came from. */
export interface Where {
  readonly file: string
  readonly line: number
  /** Local receive time of the line, µs. */
  readonly localUs: number
}

export type Levels = readonly (readonly [string, string])[]

export interface DepthMsg {
  readonly kind: 'depth'
  readonly symbol: string
  /** First and final update id of the event; `pu` is the previous event's `u` (USD-M only). */
  readonly U: number
  readonly u: number
  readonly pu: number | null
  /** Event time, ms. */
  readonly E: number
  readonly bids: Levels
  readonly asks: Levels
}

export interface TradeMsg {
  readonly kind: 'trade'
  readonly symbol: string
  /** Trade id (`t`) or aggregate trade id (`a`). */
  readonly id: number
  readonly aggregate: boolean
  readonly price: string
  readonly qty: string
  /** Trade time, ms. */
  readonly T: number
  /** True when the buyer was the maker, i.e. the taker sold. */
  readonly buyerMaker: boolean
}

export interface BookTickerMsg {
  readonly kind: 'bookTicker'
  readonly symbol: string
  readonly u: number
  readonly bid: string
  readonly bidQty: string
  readonly ask: string
  readonly askQty: string
  /** Event time, ms (USD-M only; spot bookTicker carries none). */
  readonly E: number | null
}

export interface SnapshotMsg {
  readonly kind: 'snapshot'
  readonly lastUpdateId: number
  readonly bids: Levels
  readonly asks: Levels
  readonly E: number | null
}

export interface UnknownMsg {
  readonly kind: 'unknown'
  readonly reason: string
  /** True when the line is not a message of its kind at all (a malformed line), false for a stream not replayed. */
  readonly malformed: boolean
}

export type CaptureMsg = DepthMsg | TradeMsg | BookTickerMsg | SnapshotMsg | UnknownMsg

type Json = Record<string, unknown>

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown): number => (typeof v === 'number' ? v : NaN)
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

function levels(v: unknown): Levels | null {
  if (!Array.isArray(v)) return null
  for (const l of v) {
    // [price, quantity] as strings, exactly: anything else is not Binance's level format.
    if (!Array.isArray(l) || l.length !== 2 || typeof l[0] !== 'string' || typeof l[1] !== 'string')
      return null
  }
  return v as Levels
}

/** Throws SyntaxError for text that is not JSON; everything else becomes a message or 'unknown'. */
export function parseCaptureJson(text: string): CaptureMsg {
  const v: unknown = JSON.parse(text)
  if (!isObj(v)) return { kind: 'unknown', reason: 'not a JSON object', malformed: true }
  if ('lastUpdateId' in v) {
    const bids = levels(v['bids'])
    const asks = levels(v['asks'])
    const id = num(v['lastUpdateId'])
    if (!bids || !asks || !Number.isSafeInteger(id))
      return { kind: 'unknown', reason: 'malformed snapshot', malformed: true }
    return {
      kind: 'snapshot',
      lastUpdateId: id,
      bids,
      asks,
      E: Number.isFinite(num(v['E'])) ? num(v['E']) : null
    }
  }
  const stream = str(v['stream'])
  const d = v['data']
  if (stream === '' || !isObj(d))
    return {
      kind: 'unknown',
      reason: 'neither a combined-stream message nor a snapshot',
      malformed: true
    }
  const at = stream.indexOf('@')
  const channel = at < 0 ? '' : stream.slice(at + 1)
  if (channel === 'depth' || channel.startsWith('depth@')) {
    const bids = levels(d['b'])
    const asks = levels(d['a'])
    const U = num(d['U'])
    const u = num(d['u'])
    if (!bids || !asks || !Number.isSafeInteger(U) || !Number.isSafeInteger(u)) {
      return { kind: 'unknown', reason: `malformed ${stream} message`, malformed: true }
    }
    const pu = num(d['pu'])
    return {
      kind: 'depth',
      symbol: str(d['s']),
      U,
      u,
      pu: Number.isSafeInteger(pu) ? pu : null,
      E: num(d['E']),
      bids,
      asks
    }
  }
  if (channel === 'trade' || channel === 'aggTrade') {
    const aggregate = channel === 'aggTrade'
    const id = num(aggregate ? d['a'] : d['t'])
    const price = str(d['p'])
    const qty = str(d['q'])
    if (!Number.isSafeInteger(id) || price === '' || qty === '' || typeof d['m'] !== 'boolean') {
      return { kind: 'unknown', reason: `malformed ${stream} message`, malformed: true }
    }
    return {
      kind: 'trade',
      symbol: str(d['s']),
      id,
      aggregate,
      price,
      qty,
      T: num(d['T']),
      buyerMaker: d['m']
    }
  }
  if (channel === 'bookTicker') {
    const u = num(d['u'])
    const bid = str(d['b'])
    const ask = str(d['a'])
    if (!Number.isSafeInteger(u) || bid === '' || ask === '') {
      return { kind: 'unknown', reason: `malformed ${stream} message`, malformed: true }
    }
    const E = num(d['E'])
    return {
      kind: 'bookTicker',
      symbol: str(d['s']),
      u,
      bid,
      bidQty: str(d['B']),
      ask,
      askQty: str(d['A']),
      E: Number.isFinite(E) ? E : null
    }
  }
  return { kind: 'unknown', reason: `unknown stream "${stream}"`, malformed: false }
}

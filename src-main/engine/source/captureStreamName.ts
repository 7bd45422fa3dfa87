// Which stream a capture line is (captureScanner.ts): `{"stream":"<symbol>@<channel>","data":{`
// read into the scanner's kind, with where the data object's members start.
//
// Why a file of its own: every line starts so, and the prefix is a fifth of a bookTicker line.
// The replayed symbol's usual prefixes (`{"stream":"btcusdt@bookTicker","data":{` and the like,
// every real capture line) are compared as whole literals four bytes at a time through a
// DataView (about half the time of a byte compare per character, measured on the real lines);
// any other line is read character by character as before (anyChannel()). A literal holds no
// quote, backslash or control character inside the name and only the one `@` (or two for
// `depth@<speed>`), so where it matches, anyChannel() would have found the same `@`, the same
// closing quote and the same kind: the literals change the cost, never the answer.

import { has, hasData, hasStream, QUOTE } from './captureScanCursor'

export const SCAN_NONE = 0
export const SCAN_DEPTH = 1
export const SCAN_TRADE = 2
export const SCAN_TICKER = 3
export type ScanKind = 0 | 1 | 2 | 3

const L_AGGTRADE = Buffer.from('aggTrade', 'latin1')
const L_BOOKTICKER = Buffer.from('bookTicker', 'latin1')
const L_DEPTH = Buffer.from('depth', 'latin1')
const L_TRADE = Buffer.from('trade', 'latin1')

/**
 * A literal as little-endian 32-bit words at given offsets: every 4 bytes, and when the length is
 * not a multiple of 4 one more word ending at its last byte (overlapping the one before, so no
 * byte-by-byte tail: that loop was a third of the compares' time). Shorter than 4 bytes: bytes.
 */
export class Prefix {
  readonly length: number
  readonly words: Int32Array
  readonly offsets: Int32Array
  private readonly bytes: Uint8Array

  constructor(
    text: string,
    readonly kind: ScanKind,
    readonly aggregate: boolean
  ) {
    const b = Buffer.from(text, 'latin1')
    this.length = b.length
    this.bytes = Uint8Array.from(b)
    const offsets: number[] = []
    if (b.length >= 4) {
      for (let o = 0; o + 4 <= b.length; o += 4) offsets.push(o)
      if (b.length % 4 !== 0) offsets.push(b.length - 4)
    }
    this.offsets = Int32Array.from(offsets)
    this.words = Int32Array.from(offsets, (o) => b.readInt32LE(o))
  }

  /** t[at, to) starts with this literal (dv views the same bytes as t). */
  at(dv: DataView, t: Uint8Array, at: number, to: number): boolean {
    if (at + this.length > to) return false
    const w = this.words
    const n = w.length
    if (n === 0) {
      const b = this.bytes
      for (let k = 0; k < b.length; k++) if (t[at + k] !== b[k]) return false
      return true
    }
    const o = this.offsets
    for (let k = 0; k < n; k++) if (dv.getInt32(at + (o[k] ?? 0), true) !== w[k]) return false
    return true
  }
}

export class StreamName {
  /** After read(): where the data object's first member starts, and whether it is an aggTrade. */
  dataAt = 0
  aggregate = false
  /**
   * Whether read() matched one of the literals (the replayed symbol's usual streams); `view` is
   * then a DataView of the line's buffer.
   */
  literal = false
  view: DataView = new DataView(new ArrayBuffer(0))
  /** Position of the channel's first character in a prefix of the replayed symbol. */
  private readonly channelAt: number
  private readonly ticker: Prefix | null = null
  private readonly trade: Prefix | null = null
  private readonly aggTrade: Prefix | null = null
  private readonly depth: Prefix | null = null
  /** depth@100ms, depth@1000ms, depth@0ms, depth@500ms (Binance's update speeds). */
  private readonly depthAt: Prefix[] = []
  private viewOf: Uint8Array | null = null

  constructor(symbol: string) {
    // Only a symbol without a quote, backslash, control character or `@` may have literals (see
    // the header); with any other, every line is read by anyChannel().
    const lower = symbol.toLowerCase()
    this.channelAt = 11 + lower.length + 1
    if (!/^[\x21-\x7e]+$/.test(lower) || /["\\@]/.test(lower)) return
    const p = (channel: string, kind: ScanKind, aggregate = false): Prefix =>
      new Prefix(`{"stream":"${lower}@${channel}","data":{`, kind, aggregate)
    this.ticker = p('bookTicker', SCAN_TICKER)
    this.trade = p('trade', SCAN_TRADE)
    this.aggTrade = p('aggTrade', SCAN_TRADE, true)
    this.depth = p('depth', SCAN_DEPTH)
    for (const speed of ['100ms', '1000ms', '0ms', '500ms'])
      this.depthAt.push(p(`depth@${speed}`, SCAN_DEPTH))
  }

  /** The kind of the line whose JSON is t[from, to), SCAN_NONE when it is none the scanner reads. */
  read(t: Buffer, from: number, to: number): ScanKind {
    const p = this.known(t, from, to)
    if (p !== null) {
      this.dataAt = from + p.length
      this.aggregate = p.aggregate
      this.literal = true
      return p.kind
    }
    this.literal = false
    if (!hasStream(t, from)) return SCAN_NONE
    return this.anyChannel(t, from + 11, to)
  }

  /** The replayed symbol's literal this line starts with, or null. */
  private known(t: Buffer, from: number, to: number): Prefix | null {
    if (this.ticker === null) return null
    if (this.viewOf !== t) {
      // One view per chunk of lines (the reader hands the same buffer for all of them).
      this.view = new DataView(t.buffer, t.byteOffset, t.byteLength)
      this.viewOf = t
    }
    const dv = this.view
    const c = from + this.channelAt
    const c0 = t[c] ?? 0
    let p: Prefix | null = null
    if (c0 === 98 /* b */) p = this.ticker
    else if (c0 === 116 /* t */) p = this.trade
    else if (c0 === 97 /* a */) p = this.aggTrade
    else if (c0 === 100 /* d */) {
      if (t[c + 5] === QUOTE) p = this.depth
      else {
        for (const d of this.depthAt) if (d.at(dv, t, from, to)) return d
        return null
      }
    }
    return p !== null && p.at(dv, t, from, to) ? p : null
  }

  /** The stream name from s0, any symbol, a character at a time. */
  private anyChannel(t: Uint8Array, s0: number, to: number): ScanKind {
    let i = s0
    let at = -1
    for (; i < to; i++) {
      const c = t[i] ?? 0
      if (c === QUOTE) break
      if (c === 92 || c < 32) return SCAN_NONE
      if (c === 64 && at < 0) at = i
    }
    if (i >= to || at < 0 || !hasData(t, i + 1)) return SCAN_NONE
    const chEnd = i
    const chLen = chEnd - at - 1
    let kind: ScanKind = SCAN_NONE
    if (has(t, at + 1, L_DEPTH) && (chLen === 5 || (t[at + 6] ?? 0) === 64)) kind = SCAN_DEPTH
    else if (chLen === 5 && has(t, at + 1, L_TRADE)) kind = SCAN_TRADE
    else if (chLen === 8 && has(t, at + 1, L_AGGTRADE)) kind = SCAN_TRADE
    else if (chLen === 10 && has(t, at + 1, L_BOOKTICKER)) kind = SCAN_TICKER
    if (kind === SCAN_NONE) return SCAN_NONE
    this.aggregate = chLen === 8
    this.dataAt = chEnd + 10
    return kind
  }
}

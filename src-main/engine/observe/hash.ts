// A fast, deterministic 64-bit (two 32-bit lanes) hash of a stream of numbers: the replay's output
// fingerprint, cheap enough to feed every applied message. Not cryptographic — it detects
// differences between runs, it does not resist adversaries.
import type { OrderBook } from '../book/orderBook'

const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)

/** A hash's lanes and count, as a checkpoint keeps them (hex: to check the restore). */
export interface HashState {
  readonly h1: number
  readonly h2: number
  readonly count: number
  readonly hex: string
}

export class StreamHash {
  private h1 = 0x811c9dc5
  private h2 = 0x01000193
  count = 0

  add(v: number): void {
    f64[0] = v
    const lo = u32[0] ?? 0
    const hi = u32[1] ?? 0
    this.h1 = Math.imul(this.h1 ^ lo, 0x01000193) ^ hi
    this.h2 = Math.imul(this.h2 ^ hi, 0x5bd1e995) ^ (lo >>> 7)
    this.h1 = (this.h1 << 13) | (this.h1 >>> 19)
    this.count++
  }

  hex(): string {
    const a = Math.imul(this.h1 ^ (this.h2 >>> 15), 0x2c1b3c6d) >>> 0
    const b = Math.imul(this.h2 ^ (this.h1 >>> 13), 0x297a2d39) >>> 0
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')
  }

  state(): HashState {
    return { h1: this.h1, h2: this.h2, count: this.count, hex: this.hex() }
  }

  restore(s: HashState): void {
    this.h1 = s.h1
    this.h2 = s.h2
    this.count = s.count
    if (this.hex() !== s.hex) throw new Error('replay state: the output hash did not restore')
  }
}

/** The replay's fingerprint of a book change: its sequence number and both best levels. */
export function addBest(hash: StreamHash, seq: number, book: OrderBook): void {
  const bb = book.bids.bestTick()
  const ba = book.asks.bestTick()
  hash.add(seq)
  hash.add(bb === bb ? bb : -1)
  hash.add(bb === bb ? book.bids.bestQty() : -1)
  hash.add(ba === ba ? ba : -1)
  hash.add(ba === ba ? book.asks.bestQty() : -1)
}

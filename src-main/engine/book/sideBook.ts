// One side of an L2 book in integer ticks (DESIGN.md, "Book engine"): a Float64Array window of
// `size` ticks holding sizes (in lots), with a pointer to the best level, and a Map for the rare
// levels outside the window. hftbacktest's ROIVector idea; measured in docs/benchmarks.md.
//
// Invariant: when the side has any level, the best one is inside the window. So bid overflow levels
// all lie below the window and ask overflow levels above it, and the best is found by scanning the
// window alone. The window re-centres on the best when a better level arrives outside it, or when the
// window empties while the overflow still holds levels.
//
// An occupancy bitmap (one bit per window tick, set exactly when qty[i] > 0) lets top() and the
// best-level search skip 32 empty ticks per word instead of testing every tick. On real BTCUSDT
// spot data (tick 0.01) the top 20 levels of a side span ~700 ticks on average (up to ~4,000), so
// the tick-by-tick scan in top() was the largest cost with top-20 reads after every message
// (profiled with `node --cpu-prof`, bench/book.bench.ts). With the bitmap that case went from ~90
// to ~41 ns per level update in an A/B run (docs/benchmarks.md). Maintaining the bit costs one
// or/and on level creation and deletion only, nothing on size changes; results are identical to
// the plain scan. Reads stay allocation-free.

/**
 * The exact internal state of a side, for checkpoints: where the window sits and every level, so
 * a restored side behaves exactly like the original (same window moves, same overflow), not only
 * with the same levels. Levels are [tick, lots] pairs, window first (by index), then overflow.
 */
export interface SideBookState {
  readonly base: number
  readonly hasBase: boolean
  readonly recenters: number
  /** Levels inside the window (count) then in the overflow, as parallel arrays. */
  readonly windowLevels: number
  readonly ticks: Float64Array
  readonly lots: Float64Array
}

export class SideBook {
  private readonly qty: Float64Array
  /** Bit i % 32 of occ[i >> 5] is set exactly when qty[i] > 0. */
  private readonly occ: Int32Array
  private readonly size: number
  private base = 0
  private hasBase = false
  /** Window index of the best level, -1 when the window is empty. */
  private bestIdx = -1
  private windowCount = 0
  private readonly overflow = new Map<number, number>()
  /** Overflow ticks, best first; rebuilt lazily after the overflow changes. */
  private overflowSorted: number[] | null = null
  /** How often the window moved; exposed for diagnostics and benchmarks. */
  recenters = 0

  constructor(
    readonly isBid: boolean,
    size = 1 << 16
  ) {
    this.size = size
    this.qty = new Float64Array(size)
    this.occ = new Int32Array((size + 31) >> 5)
  }

  get levels(): number {
    return this.windowCount + this.overflow.size
  }

  /** The best price in ticks, NaN when the side is empty. */
  bestTick(): number {
    return this.bestIdx < 0 ? NaN : this.base + this.bestIdx
  }

  bestQty(): number {
    return this.bestIdx < 0 ? 0 : (this.qty[this.bestIdx] ?? 0)
  }

  get(tick: number): number {
    const i = tick - this.base
    if (this.hasBase && i >= 0 && i < this.size) return this.qty[i] ?? 0
    return this.overflow.get(tick) ?? 0
  }

  /** Sets the size at a price (0 deletes) and returns the size it had before (0 = unknown level). */
  set(tick: number, lots: number): number {
    if (!this.hasBase) {
      if (lots <= 0) return 0
      this.moveWindow(tick)
    }
    const i = tick - this.base
    if (i >= 0 && i < this.size) {
      const q = this.qty
      const prev = q[i] ?? 0
      if (lots > 0) {
        q[i] = lots
        if (prev === 0) {
          this.occ[i >> 5] = (this.occ[i >> 5] ?? 0) | (1 << (i & 31))
          this.windowCount++
          const b = this.bestIdx
          if (b < 0 || (this.isBid ? i > b : i < b)) this.bestIdx = i
        }
      } else if (prev > 0) {
        q[i] = 0
        this.occ[i >> 5] = (this.occ[i >> 5] ?? 0) & ~(1 << (i & 31))
        this.windowCount--
        if (i === this.bestIdx) this.findBestFrom(i)
      }
      return prev
    }
    const prev = this.overflow.get(tick) ?? 0
    if (lots > 0) {
      const b = this.bestIdx
      const better = b < 0 || (this.isBid ? tick > this.base + b : tick < this.base + b)
      if (better) {
        // A new best outside the window: move the window to it, then store it there.
        this.moveWindow(tick)
        return this.set(tick, lots)
      }
      this.overflow.set(tick, lots)
      if (prev === 0) this.overflowSorted = null
    } else if (prev > 0) {
      this.overflow.delete(tick)
      this.overflowSorted = null
    }
    return prev
  }

  /**
   * Writes up to n levels, best first, into the given arrays (ticks, lots); returns how many.
   * Allocation-free unless the overflow has to be read.
   */
  top(n: number, ticks: Float64Array, lots: Float64Array): number {
    let k = 0
    const b = this.bestIdx
    if (b < 0 || n <= 0) return 0
    const q = this.qty
    const occ = this.occ
    const base = this.base
    // Walk the occupancy words away from the touch; within a word take set bits best first
    // (highest bit for bids, lowest for asks). The first word is masked to the best and beyond.
    let w = b >> 5
    if (this.isBid) {
      let bits = (occ[w] ?? 0) & ((2 << (b & 31)) - 1)
      for (;;) {
        while (bits !== 0) {
          const bit = 31 - Math.clz32(bits)
          const i = (w << 5) | bit
          ticks[k] = base + i
          lots[k++] = q[i] ?? 0
          if (k >= n) return k
          bits ^= 1 << bit
        }
        if (--w < 0) break
        bits = occ[w] ?? 0
      }
    } else {
      const words = occ.length
      let bits = (occ[w] ?? 0) & (-1 << (b & 31))
      for (;;) {
        while (bits !== 0) {
          const bit = 31 - Math.clz32(bits & -bits)
          const i = (w << 5) | bit
          ticks[k] = base + i
          lots[k++] = q[i] ?? 0
          if (k >= n) return k
          bits ^= 1 << bit
        }
        if (++w >= words) break
        bits = occ[w] ?? 0
      }
    }
    if (k < n && this.overflow.size > 0) {
      for (const t of this.sortedOverflow()) {
        if (k >= n) break
        ticks[k] = t
        lots[k++] = this.overflow.get(t) ?? 0
      }
    }
    return k
  }

  /**
   * The price of the n-th level (1 = best), NaN when the side has fewer levels. Reads the bitmap
   * only, writing nothing: the replay's unknown-depth check needs just this one price.
   */
  nthTick(n: number): number {
    const b = this.bestIdx
    if (b < 0 || n <= 0) return NaN
    const occ = this.occ
    let k = 0
    let w = b >> 5
    if (this.isBid) {
      let bits = (occ[w] ?? 0) & ((2 << (b & 31)) - 1)
      for (;;) {
        while (bits !== 0) {
          const bit = 31 - Math.clz32(bits)
          if (++k === n) return this.base + ((w << 5) | bit)
          bits ^= 1 << bit
        }
        if (--w < 0) break
        bits = occ[w] ?? 0
      }
    } else {
      const words = occ.length
      let bits = (occ[w] ?? 0) & (-1 << (b & 31))
      for (;;) {
        while (bits !== 0) {
          const bit = 31 - Math.clz32(bits & -bits)
          if (++k === n) return this.base + ((w << 5) | bit)
          bits ^= 1 << bit
        }
        if (++w >= words) break
        bits = occ[w] ?? 0
      }
    }
    const rest = n - k
    if (rest > 0 && this.overflow.size >= rest) return this.sortedOverflow()[rest - 1] ?? NaN
    return NaN
  }

  /** Calls fn for every level, best first. For snapshots and checkpoints, not hot paths. */
  forEach(fn: (tick: number, lots: number) => void): void {
    const b = this.bestIdx
    if (b < 0) return
    const q = this.qty
    if (this.isBid) {
      for (let i = b; i >= 0; i--) if ((q[i] ?? 0) > 0) fn(this.base + i, q[i] ?? 0)
    } else {
      for (let i = b; i < this.size; i++) if ((q[i] ?? 0) > 0) fn(this.base + i, q[i] ?? 0)
    }
    for (const t of this.sortedOverflow()) fn(t, this.overflow.get(t) ?? 0)
  }

  /** The exact state (see SideBookState); allocates, for checkpoints only. */
  snapshot(): SideBookState {
    const n = this.windowCount + this.overflow.size
    const ticks = new Float64Array(n)
    const lots = new Float64Array(n)
    let k = 0
    if (this.hasBase) {
      const occ = this.occ
      for (let w = 0; w < occ.length; w++) {
        let bits = occ[w] ?? 0
        while (bits !== 0) {
          const bit = 31 - Math.clz32(bits & -bits)
          const i = (w << 5) | bit
          ticks[k] = this.base + i
          lots[k++] = this.qty[i] ?? 0
          bits ^= 1 << bit
        }
      }
    }
    const windowLevels = k
    // Overflow in tick order: a Map's insertion order depends on history, the state does not.
    const over = [...this.overflow.keys()].sort((a, b) => a - b)
    for (const t of over) {
      ticks[k] = t
      lots[k++] = this.overflow.get(t) ?? 0
    }
    return {
      base: this.base,
      hasBase: this.hasBase,
      recenters: this.recenters,
      windowLevels,
      ticks,
      lots
    }
  }

  /** Replaces this side's state with a snapshot taken from a side of the same window size. */
  restore(s: SideBookState): void {
    this.clear()
    this.base = s.base
    this.hasBase = s.hasBase
    this.recenters = s.recenters
    for (let k = 0; k < s.ticks.length; k++) {
      const t = s.ticks[k] ?? NaN
      const v = s.lots[k] ?? 0
      const i = t - this.base
      if (k < s.windowLevels) {
        if (!this.hasBase || !(i >= 0 && i < this.size) || !(v > 0))
          throw new Error(`side snapshot: window level ${t} outside the window at ${s.base}`)
        this.placeNew(i, v)
      } else this.overflow.set(t, v)
    }
  }

  clear(): void {
    this.qty.fill(0)
    this.occ.fill(0)
    this.overflow.clear()
    this.overflowSorted = null
    this.windowCount = 0
    this.bestIdx = -1
    this.hasBase = false
  }

  /** Removes every level with lo <= tick <= hi; returns how many were removed. */
  clearRange(lo: number, hi: number): number {
    let removed = 0
    if (this.hasBase) {
      const from = Math.max(0, lo - this.base)
      const to = Math.min(this.size - 1, hi - this.base)
      for (let i = from; i <= to; i++) {
        if ((this.qty[i] ?? 0) > 0) {
          this.qty[i] = 0
          this.occ[i >> 5] = (this.occ[i >> 5] ?? 0) & ~(1 << (i & 31))
          removed++
        }
      }
      this.windowCount -= removed
    }
    for (const t of [...this.overflow.keys()]) {
      if (t >= lo && t <= hi) {
        this.overflow.delete(t)
        this.overflowSorted = null
        removed++
      }
    }
    this.findBestFrom(this.isBid ? this.size - 1 : 0)
    return removed
  }

  /**
   * Re-finds the best by scanning the window away from the touch, starting at index `from`
   * (inclusive), a bitmap word at a time.
   */
  private findBestFrom(from: number): void {
    if (this.windowCount > 0 && from >= 0 && from < this.size) {
      const occ = this.occ
      let w = from >> 5
      if (this.isBid) {
        let bits = (occ[w] ?? 0) & ((2 << (from & 31)) - 1)
        for (;;) {
          if (bits !== 0) {
            this.bestIdx = (w << 5) | (31 - Math.clz32(bits))
            return
          }
          if (--w < 0) break
          bits = occ[w] ?? 0
        }
      } else {
        const words = occ.length
        let bits = (occ[w] ?? 0) & (-1 << (from & 31))
        for (;;) {
          if (bits !== 0) {
            this.bestIdx = (w << 5) | (31 - Math.clz32(bits & -bits))
            return
          }
          if (++w >= words) break
          bits = occ[w] ?? 0
        }
      }
    }
    this.bestIdx = -1
    if (this.overflow.size > 0) {
      const best = this.sortedOverflow()[0]
      if (best !== undefined) this.moveWindow(best)
    }
  }

  /** Centres the window on `tick` and redistributes every level between window and overflow. */
  private moveWindow(tick: number): void {
    const levels: [number, number][] = []
    if (this.hasBase) {
      for (let i = 0; i < this.size; i++) {
        const v = this.qty[i] ?? 0
        if (v > 0) levels.push([this.base + i, v])
      }
      this.recenters++
    }
    for (const [t, v] of this.overflow) levels.push([t, v])
    this.qty.fill(0)
    this.occ.fill(0)
    this.overflow.clear()
    this.overflowSorted = null
    this.windowCount = 0
    this.bestIdx = -1
    this.base = tick - (this.size >> 1)
    this.hasBase = true
    for (const [t, v] of levels) {
      const i = t - this.base
      if (i >= 0 && i < this.size) this.placeNew(i, v)
      else this.overflow.set(t, v)
    }
  }

  /** Puts a level into an empty window slot `i` (restore and re-centring fill a cleared window). */
  private placeNew(i: number, v: number): void {
    this.qty[i] = v
    this.occ[i >> 5] = (this.occ[i >> 5] ?? 0) | (1 << (i & 31))
    this.windowCount++
    const b = this.bestIdx
    if (b < 0 || (this.isBid ? i > b : i < b)) this.bestIdx = i
  }

  private sortedOverflow(): number[] {
    if (!this.overflowSorted) {
      const keys = [...this.overflow.keys()]
      keys.sort(this.isBid ? (a, b) => b - a : (a, b) => a - b)
      this.overflowSorted = keys
    }
    return this.overflowSorted
  }
}

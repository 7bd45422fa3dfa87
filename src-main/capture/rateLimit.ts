// REST request-weight budget for depth snapshots. Binance limits request weight per IP per minute
// (spot 6000, USD-M 2400) and bans IPs that keep hitting 429 (HTTP 418). A capture only needs a
// snapshot at the start and after a gap, so it grants itself a small share of the limit, spaces
// requests, follows the server's own used-weight header, and stops for Retry-After on 429/418.

import { wallMs } from './clock'

export interface WeightBudgetOptions {
  /** Weight this capture may spend per rolling minute (default: 10% of the exchange limit). */
  readonly perMinute: number
  /** The exchange's per-IP limit, for its used-weight header (x-mbx-used-weight-1m). */
  readonly exchangeLimit: number
  /** Minimum spacing between two requests, ms. */
  readonly minIntervalMs: number
  readonly now?: () => number
}

export class WeightBudget {
  private readonly spent: { at: number; weight: number }[] = []
  private lastAt = -Infinity
  private pausedUntil = 0
  private readonly now: () => number

  constructor(private readonly opts: WeightBudgetOptions) {
    this.now = opts.now ?? wallMs
  }

  /** How long to wait before a request of this weight may be sent (0 = now). */
  delayFor(weight: number): number {
    const t = this.now()
    while (this.spent.length > 0 && (this.spent[0]?.at ?? t) <= t - 60_000) this.spent.shift()
    let wait = Math.max(0, this.pausedUntil - t, this.lastAt + this.opts.minIntervalMs - t)
    let used = this.spent.reduce((s, x) => s + x.weight, 0)
    // Wait until enough old requests leave the rolling minute.
    for (const x of this.spent) {
      if (used + weight <= this.opts.perMinute) break
      used -= x.weight
      wait = Math.max(wait, x.at + 60_000 - t)
    }
    return wait
  }

  take(weight: number): void {
    const t = this.now()
    this.spent.push({ at: t, weight })
    this.lastAt = t
  }

  /** The server's count of weight used by this IP in the current minute. */
  observeUsed(used: number): void {
    if (!Number.isFinite(used)) return
    // Near the exchange's limit (other programs on this IP count too): wait for the next minute.
    if (used >= this.opts.exchangeLimit * 0.8) {
      const t = this.now()
      this.pausedUntil = Math.max(this.pausedUntil, t + (60_000 - (t % 60_000)))
    }
  }

  /** 429 / 418 with Retry-After: no request before then. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms)
  }

  get usedLastMinute(): number {
    const t = this.now()
    return this.spent.filter((x) => x.at > t - 60_000).reduce((s, x) => s + x.weight, 0)
  }
}

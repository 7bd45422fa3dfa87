// Fetches REST depth snapshots within the weight budget. The body is kept as the raw bytes
// received (the capture writes them unchanged as the snapshot line) with its receive time.
import type { CaptureMarket } from '../../src-shared/capture'
import type { NsClock } from './clock'
import { depthUrl, depthWeight } from './endpoints'
import type { WeightBudget } from './rateLimit'

export interface SnapshotBody {
  readonly raw: Buffer
  /** Receive time of the complete body, ns. */
  readonly ns: bigint
  readonly requestedNs: bigint
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | null,
    message: string
  ) {
    super(message)
  }
}

export interface SnapshotClientOptions {
  readonly restBase: string
  readonly market: CaptureMarket
  readonly symbol: string
  readonly limit: number
  readonly budget: WeightBudget
  readonly clock: NsClock
  readonly timeoutMs: number
}

export class SnapshotClient {
  readonly weight: number
  readonly url: string
  requests = 0
  weightSpent = 0

  constructor(private readonly opts: SnapshotClientOptions) {
    this.weight = depthWeight(opts.market, opts.limit)
    this.url = depthUrl(opts.restBase, opts.market, opts.symbol, opts.limit)
  }

  /** ms until the budget allows the next request. */
  delay(): number {
    return this.opts.budget.delayFor(this.weight)
  }

  /** One request, now (the caller waited for delay()). Throws RestError / network errors. */
  async fetch(signal: AbortSignal): Promise<SnapshotBody> {
    this.opts.budget.take(this.weight)
    this.requests++
    this.weightSpent += this.weight
    const requestedNs = this.opts.clock()
    const res = await fetch(this.url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs)])
    })
    const used = Number(res.headers.get('x-mbx-used-weight-1m') ?? NaN)
    this.opts.budget.observeUsed(used)
    if (res.status === 429 || res.status === 418) {
      const ra = Number(res.headers.get('retry-after') ?? NaN)
      const retryAfterMs = Number.isFinite(ra) ? ra * 1000 : res.status === 418 ? 120_000 : 60_000
      this.opts.budget.pauseFor(retryAfterMs)
      await res.body?.cancel()
      throw new RestError(res.status, retryAfterMs, `HTTP ${res.status} from the depth endpoint`)
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new RestError(res.status, null, `HTTP ${res.status} from the depth endpoint`)
    }
    const raw = Buffer.from(await res.arrayBuffer())
    return { raw, ns: this.opts.clock(), requestedNs }
  }
}

// The webhook channel: an HTTP POST of AlertWebhookBody per raised or cleared alert, retried with
// backoff on network errors, timeouts and 5xx/429, given up after the configured retries. It never
// blocks the caller (send() queues and returns) and never throws; what it could not deliver is
// counted and said once per failure, so a dead endpoint is visible without stopping any job.
import type { AlertRecord, AlertWebhookBody } from '../../src-shared/monitor'
import { backoffDelayMs } from '../util/backoff'
import { errorMessage } from '../util/errors'

export interface WebhookOptions {
  readonly url: string
  readonly timeoutMs: number
  readonly retries: number
  /** The lake the alerts are about (in the body). */
  readonly lake: string
  /** First retry after this (doubles per attempt, jitter in [½, 1]); default 500 ms. */
  readonly retryBaseMs?: number | undefined
  /** Told once per alert that could not be delivered. */
  readonly onFailure?: ((message: string) => void) | undefined
}

/** A failed fetch in words: a timeout, or the network error behind undici's "fetch failed". */
function fetchFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
  const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined) : undefined
  const code = typeof cause?.code === 'string' ? cause.code : ''
  if (code === 'ECONNREFUSED') return 'the connection was refused (is the endpoint running?)'
  if (code === 'ENOTFOUND') return 'the host name does not resolve'
  return code !== '' ? `${errorMessage(e)} (${code})` : errorMessage(e)
}

/** Deliveries kept waiting at most; older ones are dropped (and counted) past this. */
const MAX_QUEUE = 100

export class WebhookChannel {
  delivered = 0
  failed = 0
  dropped = 0
  private readonly queue: AlertWebhookBody[] = []
  private running: Promise<void> | null = null

  constructor(private readonly opts: WebhookOptions) {}

  send(event: 'raised' | 'cleared', alert: AlertRecord): void {
    if (this.queue.length >= MAX_QUEUE) {
      this.queue.shift()
      this.dropped++
    }
    this.queue.push({ source: 'lakebook', version: 1, event, lake: this.opts.lake, alert })
    this.running ??= this.drain().finally(() => {
      this.running = null
    })
  }

  /** Resolves when everything queued so far was delivered or given up (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  private async drain(): Promise<void> {
    for (let body = this.queue.shift(); body; body = this.queue.shift()) {
      const why = await this.deliver(body)
      if (why === null) this.delivered++
      else {
        this.failed++
        this.opts.onFailure?.(
          `alert webhook ${this.opts.url}: ${body.event} alert ${body.alert.id} (${body.alert.rule}) not delivered: ${why}`
        )
      }
    }
  }

  /** null when delivered, else why not (after the retries). */
  private async deliver(body: AlertWebhookBody): Promise<string | null> {
    const json = JSON.stringify(body)
    let why = ''
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (attempt > 0) {
        const wait = backoffDelayMs(this.opts.retryBaseMs ?? 500, 30_000, attempt - 1)
        await new Promise((r) => setTimeout(r, wait).unref())
      }
      try {
        const res = await fetch(this.opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: json,
          signal: AbortSignal.timeout(this.opts.timeoutMs)
        })
        await res.body?.cancel()
        if (res.ok) return null
        why = `HTTP ${res.status}`
        if (res.status < 500 && res.status !== 429) return why
      } catch (e) {
        why = fetchFailure(e, this.opts.timeoutMs)
      }
    }
    return `${why} (after ${this.opts.retries + 1} attempts)`
  }
}

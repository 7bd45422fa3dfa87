// A local HTTP server standing in for an alert webhook: it keeps every body POSTed to it (the
// documented JSON of src-shared/monitor.ts) and answers 204.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll } from 'vitest'
import type { AlertWebhookBody } from '../../src-shared/monitor'

export interface WebhookReceiver {
  readonly url: string
  /** Every body received, in order. */
  readonly got: AlertWebhookBody[]
  close(): Promise<void>
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const got: AlertWebhookBody[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      got.push(JSON.parse(body) as AlertWebhookBody)
      res.statusCode = 204
      res.end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => {
          r()
        })
      })
  }
}

/**
 * A receiver for the tests of one describe block: started before them, closed after. Its url and
 * bodies are read inside the tests (they exist once beforeAll has run).
 */
export function webhookReceiverForSuite(): WebhookReceiver {
  let r: WebhookReceiver | null = null
  beforeAll(async () => {
    r = await startWebhookReceiver()
  })
  afterAll(async () => {
    await r?.close()
  })
  const started = (): WebhookReceiver => {
    if (r === null) throw new Error('the webhook receiver starts in beforeAll')
    return r
  }
  return {
    get url() {
      return started().url
    },
    get got() {
      return started().got
    },
    close: () => started().close()
  }
}

// A local HTTP server standing in for an alert webhook: it keeps every body POSTed to it (the
// documented JSON of src-shared/monitor.ts) and answers 204.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
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

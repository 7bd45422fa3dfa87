// A small fault-injecting HTTP proxy between the S3 client and the local S3 server. Rules match
// requests (by decoded path, method) and apply one fault a number of times: a connection cut
// mid-body, an error status with S3's XML body (503, 429 + Retry-After, 403, 301…), a stall (some
// bytes, then silence), a slow body, or a flipped byte (bytes that no longer match the ETag).
// Every request is logged with whether it was signed, so tests can check anonymous mode too.
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'

export type Fault =
  /** Forward the headers and `afterBytes` of the body, then destroy the connection. */
  | { readonly kind: 'cut'; readonly afterBytes: number }
  /** Answer this status with an S3 error body instead of forwarding. */
  | {
      readonly kind: 'status'
      readonly status: number
      readonly code?: string
      readonly message?: string
      readonly retryAfter?: string
      readonly headers?: Readonly<Record<string, string>>
      /** Extra XML elements inside <Error>, e.g. <CanonicalRequest>… as real S3 sends. */
      readonly extraXml?: string
    }
  /** Forward the headers and `afterBytes` of the body, then send nothing more (hold the socket). */
  | { readonly kind: 'stall'; readonly afterBytes: number }
  /** Forward the body in `chunkBytes` pieces, `delayMs` apart. */
  | { readonly kind: 'slow'; readonly chunkBytes: number; readonly delayMs: number }
  /** Flip the byte at this offset of the object (wherever the response's range puts it). */
  | { readonly kind: 'corrupt'; readonly atByte: number }
  /** Forward as is, with these response headers replaced (e.g. an SSE-KMS ETag). */
  | { readonly kind: 'headers'; readonly set: Readonly<Record<string, string>> }

export interface ProxyRequest {
  readonly method: string
  /** Decoded path and query, e.g. /qnt.data/market-data/…/1.snappy.parquet?x-id=GetObject */
  readonly path: string
  readonly range: string | null
}

export interface FaultRule {
  /** Substring of the decoded path, a regexp, or a predicate. */
  readonly match: string | RegExp | ((r: ProxyRequest) => boolean)
  readonly method?: string
  readonly fault: Fault
  /** How many requests this rule applies to (default: all). */
  readonly times?: number
}

export interface ProxyLogEntry extends ProxyRequest {
  /** Date.now() when the request arrived. */
  readonly at: number
  readonly fault: Fault['kind'] | null
  readonly signed: boolean
  readonly securityToken: boolean
  status: number | null
  bytesSent: number
}

function matches(rule: FaultRule, r: ProxyRequest): boolean {
  if (rule.method !== undefined && rule.method !== r.method) return false
  if (typeof rule.match === 'string') return r.path.includes(rule.match)
  if (rule.match instanceof RegExp) return rule.match.test(r.path)
  return rule.match(r)
}

function xmlError(f: Extract<Fault, { kind: 'status' }>): string {
  const code =
    f.code ??
    (f.status === 503 ? 'SlowDown' : f.status === 429 ? 'TooManyRequests' : 'InternalError')
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
    `<Message>${f.message ?? code}</Message>${f.extraXml ?? ''}<RequestId>fault-proxy</RequestId></Error>`
  )
}

export class FaultProxy {
  readonly log: ProxyLogEntry[] = []
  private rules: { rule: FaultRule; left: number }[] = []
  private readonly sockets = new Set<Socket>()
  private readonly agent = new http.Agent({ keepAlive: true })

  private constructor(
    private readonly server: http.Server,
    private readonly upstream: URL
  ) {}

  static async start(upstream: string): Promise<FaultProxy> {
    const server = http.createServer()
    const proxy = new FaultProxy(server, new URL(upstream))
    server.on('request', (req, res) => {
      proxy.handle(req, res)
    })
    server.on('connection', (s) => {
      proxy.sockets.add(s)
      s.on('close', () => proxy.sockets.delete(s))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    return proxy
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times ?? Infinity })
  }

  clear(): void {
    this.rules = []
    this.log.length = 0
  }

  /** Requests whose decoded path contains `s`. */
  requests(s: string): ProxyLogEntry[] {
    return this.log.filter((e) => e.path.includes(s))
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    this.agent.destroy()
    await new Promise<void>((r) => {
      this.server.close(() => {
        r()
      })
    })
  }

  private pick(r: ProxyRequest): Fault | null {
    for (const entry of this.rules) {
      if (entry.left > 0 && matches(entry.rule, r)) {
        entry.left--
        return entry.rule.fault
      }
    }
    return null
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/'
    let path: string
    try {
      path = decodeURIComponent(url)
    } catch {
      path = url
    }
    const r: ProxyRequest = { method: req.method ?? 'GET', path, range: req.headers.range ?? null }
    const fault = this.pick(r)
    const entry: ProxyLogEntry = {
      ...r,
      at: Date.now(),
      fault: fault?.kind ?? null,
      signed: req.headers.authorization !== undefined,
      securityToken: req.headers['x-amz-security-token'] !== undefined,
      status: null,
      bytesSent: 0
    }
    this.log.push(entry)

    if (fault?.kind === 'status') {
      req.resume()
      const body = r.method === 'HEAD' ? '' : xmlError(fault)
      entry.status = fault.status
      res.writeHead(fault.status, {
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(body),
        ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
        ...fault.headers
      })
      res.end(body)
      return
    }

    const up = http.request(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        method: req.method,
        path: url,
        headers: req.headers,
        agent: this.agent
      },
      (upRes) => {
        entry.status = upRes.statusCode ?? null
        res.writeHead(upRes.statusCode ?? 502, {
          ...upRes.headers,
          ...(fault?.kind === 'headers' ? fault.set : {})
        })
        if (fault === null || fault.kind === 'headers') {
          upRes.on('data', (c: Buffer) => (entry.bytesSent += c.length))
          upRes.pipe(res)
          return
        }
        const cr = /^bytes (\d+)-/.exec(upRes.headers['content-range'] ?? '')
        const start = cr ? Number(cr[1]) : 0
        void this.transform(fault, upRes, res, start, entry)
      }
    )
    up.on('error', () => {
      res.destroy()
    })
    req.pipe(up)
  }

  private async transform(
    fault: Exclude<Fault, { kind: 'status' | 'headers' }>,
    upRes: http.IncomingMessage,
    res: http.ServerResponse,
    start: number,
    entry: ProxyLogEntry
  ): Promise<void> {
    let pos = start
    try {
      for await (const raw of upRes as AsyncIterable<Buffer>) {
        let chunk = raw
        if (fault.kind === 'cut' || fault.kind === 'stall') {
          const room = fault.afterBytes - entry.bytesSent
          if (room <= 0 || chunk.length > room) {
            if (room > 0) {
              res.write(chunk.subarray(0, room))
              entry.bytesSent += room
            }
            if (fault.kind === 'cut') {
              // Let the partial body reach the client before the connection goes.
              await delay(20)
              res.socket?.destroy()
            }
            // stall: keep the socket open and silent until the client gives up or close().
            upRes.destroy()
            return
          }
        }
        if (fault.kind === 'corrupt' && fault.atByte >= pos && fault.atByte < pos + chunk.length) {
          chunk = Buffer.from(chunk)
          const i = fault.atByte - pos
          chunk[i] = (chunk[i] ?? 0) ^ 0xff
        }
        if (fault.kind === 'slow') {
          for (let off = 0; off < chunk.length; off += fault.chunkBytes) {
            if (res.destroyed) return
            const piece = chunk.subarray(off, off + fault.chunkBytes)
            res.write(piece)
            entry.bytesSent += piece.length
            await delay(fault.delayMs)
          }
        } else {
          if (!res.write(chunk)) {
            await Promise.race([once(res, 'drain'), once(res, 'close')])
          }
          entry.bytesSent += chunk.length
        }
        pos += raw.length
      }
      res.end()
    } catch {
      res.destroy()
    }
  }
}

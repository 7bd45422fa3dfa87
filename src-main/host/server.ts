// The browser host: serves the built renderer on 127.0.0.1 and carries the IPC contract over a
// WebSocket, guarded by a random per-launch token in the URL. The page gets the same window.api
// as in Electron (src-preload/web.ts), so the renderer cannot tell the hosts apart.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ServerFrame } from '../../src-shared/ipc/wire'
import { IpcRequestError, toWireError, type Router } from '../ipc/router'
import { parseClientFrame } from './frames'
import { DEFAULT_QUEUE_LIMITS, SendQueue, type QueueLimits } from './sendQueue'
import { EVIDENCE_CSP, evidenceFile } from './evidence'

export interface HostOptions {
  readonly router: Router
  /** The built renderer (out/renderer). */
  readonly rendererDir: string
  readonly port?: number | undefined
  readonly token?: string
  /** The lake whose HTML evidence reports /evidence may serve (none when absent). */
  readonly lakeRoot?: string | undefined
  /** Per-client send queue limits (tests use small ones). */
  readonly queueLimits?: QueueLimits
  /** Where the host reports what it refused or dropped (default: stderr). */
  readonly log?: (message: string) => void
}

/** What the host refused or dropped since it started (nothing is dropped silently). */
export interface HostStats {
  /** Requests answered 400 (a target that is not a valid URL or percent-encoding). */
  badRequests: number
  /** WebSocket frames refused (not JSON, not a frame, invalid UTF-8, over the size limit). */
  badFrames: number
  /** Live frames (progress, live counters) replaced by a later one for a client that lagged. */
  droppedFrames: number
  /** Clients disconnected because their send queue passed the hard limit. */
  disconnectedClients: number
}

export interface Host {
  readonly url: string
  readonly port: number
  readonly token: string
  stats(): HostStats
  close(): Promise<void>
}

/** The largest frame a client may send (its requests are small; pushes go the other way). */
export const MAX_CLIENT_FRAME = 16 << 20

// A request target as a URL and its decoded path; null when either is malformed (`/%zz`,
// `http://[`), which would otherwise throw inside the request handler.
function parseTarget(target: string | undefined): { url: URL; path: string } | null {
  try {
    const url = new URL(target ?? '/', 'http://127.0.0.1')
    return { url, path: decodeURIComponent(url.pathname) }
  } catch {
    return null
  }
}

// Live frames keep only their latest for a client that lags (see SendQueue).
function liveKey(frame: ServerFrame): string | null {
  if (frame.t !== 'push') return null
  if (frame.channel !== 'jobs.progress' && frame.channel !== 'jobs.live') return null
  return `${frame.channel}:${(frame.payload as { jobId?: string }).jobId ?? ''}`
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

// The same policy as the Electron window, plus the host's own WebSocket.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function wsText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8')
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const indexPath = join(opts.rendererDir, 'index.html')
  if (!existsSync(indexPath)) {
    throw new Error(`no built renderer at ${opts.rendererDir}; run \`npm run build\` first`)
  }
  // The bridge replaces the Electron preload: it must run before the app's own module.
  const index = readFileSync(indexPath, 'utf8').replace(
    '<head>',
    '<head>\n    <script type="module" src="./bridge.js"></script>'
  )

  const log = opts.log ?? ((m: string) => process.stderr.write(`lakebook host: ${m}\n`))
  const stats: HostStats = {
    badRequests: 0,
    badFrames: 0,
    droppedFrames: 0,
    disconnectedClients: 0
  }
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' }
  const server = createServer((req, res) => {
    try {
      serve(req, res)
    } catch (e) {
      // Nothing a request carries may end the host (and the jobs running in it).
      log(`request ${req.method ?? '?'} failed: ${e instanceof Error ? e.message : String(e)}`)
      if (!res.headersSent) res.writeHead(500, headers)
      res.end()
    }
  })
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const target = parseTarget(req.url)
    if (!target) {
      stats.badRequests++
      res.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('bad request target\n')
      return
    }
    const { url } = target
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end()
      return
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!sameToken(url.searchParams.get('token') ?? '', token)) {
        res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' })
        res.end('lakebook: open the URL printed by `npm start`, including its token.\n')
        return
      }
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES['.html'],
        'Cache-Control': 'no-store'
      })
      res.end(index)
      return
    }
    if (url.pathname === '/evidence') {
      serveEvidence(url, res)
      return
    }
    // Static assets of the built renderer only; no path may leave its folder.
    const rel = normalize(target.path).replace(/^([/\\])+/, '')
    const file = join(opts.rendererDir, rel)
    if (!file.startsWith(opts.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers).end()
      return
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream'
    })
    createReadStream(file)
      .on('error', () => {
        res.destroy()
      })
      .pipe(res)
  }

  // An evidence report for the in-app viewer: token as for the page, then evidence.ts decides.
  const serveEvidence = (url: URL, res: ServerResponse): void => {
    const headers = {
      'Content-Security-Policy': EVIDENCE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store'
    }
    if (!sameToken(url.searchParams.get('token') ?? '', token) || opts.lakeRoot === undefined) {
      res.writeHead(403, headers).end('lakebook: not allowed.\n')
      return
    }
    const found = evidenceFile(opts.lakeRoot, url.searchParams.get('path') ?? '')
    if (!found.ok) {
      res.writeHead(found.status, headers).end(`lakebook: ${found.reason}.\n`)
      return
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES['.html'] })
    createReadStream(found.file).pipe(res)
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME })
  server.on('upgrade', (req, socket, head) => {
    // Until ws takes the socket over, a reset by the client must not reach the process.
    socket.on('error', () => {
      socket.destroy()
    })
    const target = parseTarget(req.url)
    if (!target) {
      stats.badRequests++
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
      return
    }
    const { url } = target
    const origin = req.headers.origin
    const port = (server.address() as AddressInfo).port
    const originOk =
      origin === undefined ||
      origin === `http://127.0.0.1:${port}` ||
      origin === `http://localhost:${port}`
    if (
      url.pathname !== '/ipc' ||
      !originOk ||
      !sameToken(url.searchParams.get('token') ?? '', token)
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      attach(ws)
    })
  })

  const attach = (ws: WebSocket): void => {
    const queue = new SendQueue(
      {
        get bufferedAmount() {
          return ws.bufferedAmount
        },
        send: (data, cb) => {
          ws.send(data, cb)
        },
        terminate: () => {
          ws.terminate()
        }
      },
      opts.queueLimits ?? DEFAULT_QUEUE_LIMITS,
      (queued) => {
        stats.disconnectedClients++
        log(
          `disconnected a client ${queued} bytes behind (limit ${(opts.queueLimits ?? DEFAULT_QUEUE_LIMITS).hardBytes}); ` +
            `${stats.disconnectedClients} so far`
        )
      }
    )
    const send = (frame: ServerFrame): void => {
      if (ws.readyState !== ws.OPEN) return
      let text: string
      try {
        text = JSON.stringify(frame)
      } catch (e) {
        log(`cannot send a ${frame.t} frame: ${e instanceof Error ? e.message : String(e)}`)
        return
      }
      const before = queue.dropped
      queue.send(text, liveKey(frame))
      stats.droppedFrames += queue.dropped - before
    }
    const detach = opts.router.addSink((channel, payload) => {
      send({ t: 'push', channel, payload })
    })
    ws.on('close', () => {
      detach()
      queue.close()
    })
    // ws reports protocol errors (invalid UTF-8: 1007, a frame over maxPayload: 1009) here and
    // closes the connection; without a listener they would end the process.
    ws.on('error', (e) => {
      stats.badFrames++
      log(`closed a client connection: ${e.message}`)
    })
    ws.on('message', (data) => {
      const check = parseClientFrame(wsText(data))
      if (!check.ok) {
        stats.badFrames++
        if (check.id === undefined) ws.close(1008, check.reason)
        else {
          const error = toWireError(new IpcRequestError(check.reason))
          send({ t: 'result', id: check.id, ok: false, error })
        }
        return
      }
      const frame = check.frame
      if (frame.t === 'invoke') {
        opts.router.invoke(frame.channel, frame.payload).then(
          (value) => {
            send({ t: 'result', id: frame.id, ok: true, value })
          },
          (e: unknown) => {
            send({ t: 'result', id: frame.id, ok: false, error: toWireError(e) })
          }
        )
      } else {
        try {
          opts.router.command(frame.channel, frame.payload)
        } catch {
          // Commands have no reply; an invalid one is dropped (the schema already rejected it).
          stats.badFrames++
        }
      }
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Loopback only: never 0.0.0.0. Reach it from another machine with an SSH tunnel.
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close()
        server.close(() => {
          resolve()
        })
        server.closeAllConnections()
      })
  }
}

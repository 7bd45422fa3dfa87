// The browser host: serves the built renderer on 127.0.0.1 and carries the IPC contract over a
// WebSocket, guarded by a random per-launch token in the URL. The page gets the same window.api
// as in Electron (src-preload/web.ts), so the renderer cannot tell the hosts apart.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ClientFrame, ServerFrame } from '../../src-shared/ipc/wire'
import { toWireError, type Router } from '../ipc/router'
import { EVIDENCE_CSP, evidenceFile } from './evidence'

export interface HostOptions {
  readonly router: Router
  /** The built renderer (out/renderer). */
  readonly rendererDir: string
  readonly port?: number | undefined
  readonly token?: string
  /** The lake whose HTML evidence reports /evidence may serve (none when absent). */
  readonly lakeRoot?: string | undefined
}

export interface Host {
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
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

  const server = createServer((req, res) => {
    serve(req, res)
  })
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' }
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
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '')
    const file = join(opts.rendererDir, rel)
    if (!file.startsWith(opts.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers).end()
      return
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream'
    })
    createReadStream(file).pipe(res)
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 << 20 })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
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
    const send = (frame: ServerFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
    }
    const detach = opts.router.addSink((channel, payload) => {
      send({ t: 'push', channel, payload })
    })
    ws.on('close', detach)
    ws.on('message', (data) => {
      let frame: ClientFrame
      try {
        frame = JSON.parse(wsText(data)) as ClientFrame
      } catch {
        ws.close(1003, 'not JSON')
        return
      }
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

// The browser host: loopback only, token-guarded page and WebSocket, and the IPC contract over it
// with main's validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHost, type Host } from '../../../src-main/host/server'
import { createRouter } from '../../../src-main/ipc/services'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import { builtWorkerPath, OUT } from '../../helpers/build'
import { call } from '../../helpers/hostClient'
import { tempDir } from '../../helpers/synthetic'

let host: Host
let db: Db
let jobs: JobManager

beforeAll(async () => {
  const lakeRoot = tempDir()
  db = openManifest(lakeRoot)
  jobs = new JobManager({ db, lakeRoot, workerPath: builtWorkerPath() })
  const router = createRouter({ lakeRoot, version: 'test', jobs, db })
  host = await startHost({ router, rendererDir: `${OUT}/renderer` })
})

afterAll(async () => {
  await host.close()
  await jobs.shutdown()
  db.close()
})

function connect(token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${token}`, {
      headers: { origin: `http://127.0.0.1:${host.port}` }
    })
    ws.once('open', () => {
      resolve(ws)
    })
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`))
    })
  })
}

describe('browser host', () => {
  it('listens on 127.0.0.1 only, with a long random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/)
  })

  it('serves the page only with the token, with the bridge injected and a CSP', async () => {
    const denied = await fetch(`http://127.0.0.1:${host.port}/`)
    expect(denied.status).toBe(403)
    const page = await fetch(host.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).toContain('src="./bridge.js"')
    expect(html.indexOf('bridge.js')).toBeLessThan(html.indexOf('/assets/index'))
    const bridge = await fetch(`http://127.0.0.1:${host.port}/bridge.js`)
    expect(bridge.status).toBe(200)
  })

  it('never serves files outside the renderer folder', async () => {
    const r = await fetch(`http://127.0.0.1:${host.port}/..%2F..%2Fpackage.json`)
    expect(r.status).toBe(404)
  })

  it('refuses a WebSocket without the right token', async () => {
    await expect(connect('wrong')).rejects.toThrow(/403/)
  })

  it('carries the contract and validates requests in main', async () => {
    const ws = await connect(host.token)
    const info = await call(ws, 1, 'app.info', null)
    expect(info).toMatchObject({ ok: true, value: { version: 'test', canPickFiles: false } })
    const bad = await call(ws, 2, 'jobs.start', { kind: 'replay-capture', params: { files: [] } })
    expect(bad).toMatchObject({ ok: false, error: { name: 'IpcRequestError' } })
    const unknown = await call(ws, 3, 'fs.readFile', { path: '/etc/passwd' })
    expect(unknown).toMatchObject({ ok: false, error: { message: 'unknown channel fs.readFile' } })
    const list = await call(ws, 4, 'jobs.list', {})
    expect(list).toMatchObject({ ok: true, value: [] })
    ws.close()
  })
})

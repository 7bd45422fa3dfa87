// The browser host against hostile input: malformed request lines and paths get 400, bad frames
// on an authenticated WebSocket get an error answer or a close, and a bounded fuzz run of all three
// (synthetic inputs, loopback only) leaves the host answering.
import { connect as netConnect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHost, type Host } from '../../../src-main/host/server'
import { createRouter } from '../../../src-main/ipc/services'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest, type Db } from '../../../src-main/lake/manifest'
import type { ServerFrame } from '../../../src-shared/ipc/wire'
import { builtWorkerPath, OUT } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

let host: Host
let db: Db
let jobs: JobManager
const logged: string[] = []

beforeAll(async () => {
  const lakeRoot = tempDir()
  db = openManifest(lakeRoot)
  jobs = new JobManager({ db, lakeRoot, workerPath: builtWorkerPath() })
  const router = createRouter({ lakeRoot, version: 'test', jobs, db })
  host = await startHost({
    router,
    rendererDir: `${OUT}/renderer`,
    log: (m) => logged.push(m)
  })
})

afterAll(async () => {
  await host.close()
  await jobs.shutdown()
  db.close()
})

/** Sends raw bytes and returns the status code of the first response ('closed' when none). */
function raw(bytes: string | Buffer): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const s = netConnect(host.port, '127.0.0.1')
    let got = ''
    const done = (v: number | 'closed'): void => {
      s.destroy()
      resolve(v)
    }
    s.setTimeout(5000, () => {
      done('closed')
    })
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1')
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got)
      if (m) done(Number(m[1]))
    })
    s.on('error', () => {
      done('closed')
    })
    s.on('close', () => {
      done('closed')
    })
    s.write(bytes)
  })
}

function req(line: string): Promise<number | 'closed'> {
  return raw(`${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
}

function connectWs(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`, {
      headers: { origin: `http://127.0.0.1:${host.port}` }
    })
    ws.once('open', () => {
      ws.off('error', reject)
      // The client side may see its own socket error when the server closes on a protocol error.
      ws.on('error', () => undefined)
      resolve(ws)
    })
    ws.once('error', reject)
  })
}

/** Sends one frame and waits for an answer frame or the close, whichever comes first. */
function answer(
  ws: WebSocket,
  data: string | Buffer,
  binary = false
): Promise<{ frame?: ServerFrame; close?: number }> {
  return new Promise((resolve) => {
    ws.once('message', (d: Buffer) => {
      resolve({ frame: JSON.parse(d.toString('utf8')) as ServerFrame })
    })
    ws.once('close', (code) => {
      resolve({ close: code })
    })
    ws.send(data, { binary })
  })
}

/** Sends a fuzz frame, then a valid request; true when that request is answered, false on a close. */
function probe(ws: WebSocket, fuzz: string, id: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onMessage = (d: Buffer): void => {
      const f = JSON.parse(d.toString('utf8')) as ServerFrame
      if (f.t === 'result' && f.id === id) {
        ws.off('message', onMessage)
        ws.off('close', onClose)
        resolve(true)
      }
    }
    const onClose = (): void => {
      ws.off('message', onMessage)
      resolve(false)
    }
    ws.on('message', onMessage)
    ws.once('close', onClose)
    ws.send(fuzz)
    ws.send(JSON.stringify({ t: 'invoke', id, channel: 'app.info', payload: null }))
  })
}

async function hostAnswers(): Promise<void> {
  const page = await fetch(host.url)
  expect(page.status).toBe(200)
  const ws = await connectWs()
  const r = await answer(
    ws,
    JSON.stringify({ t: 'invoke', id: 1, channel: 'app.info', payload: null })
  )
  expect(r.frame).toMatchObject({ t: 'result', id: 1, ok: true })
  ws.close()
}

describe('browser host against hostile requests', () => {
  it.each([
    'GET /%zz HTTP/1.1',
    'GET /%E0%A4%A HTTP/1.1',
    'GET /assets/%ff HTTP/1.1',
    'HEAD /%E0 HTTP/1.1',
    'GET http://[ HTTP/1.1',
    'GET /ipc/%zz?token=x HTTP/1.1'
  ])('answers %s with 400 and stays up', async (line) => {
    expect(await req(line)).toBe(400)
    expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(403)
  })

  it('refuses a WebSocket upgrade with a malformed target and stays up', async () => {
    const status = await raw(
      'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
    )
    expect([400, 403]).toContain(status)
    await hostAnswers()
  })

  it.each([
    ['a null frame', 'null'],
    ['a number', '42'],
    ['an array', '[1,2]'],
    ['a string', '"invoke"'],
    ['an object without t', '{"id":1}'],
    ['an invoke without an id', '{"t":"invoke","channel":"app.info"}'],
    ['a command without a channel', '{"t":"command"}']
  ])('answers %s with an error or a close, never a crash', async (_name, text) => {
    const ws = await connectWs()
    const r = await answer(ws, text)
    if (r.frame) expect(r.frame).toMatchObject({ t: 'result', ok: false })
    else expect(r.close).toBeGreaterThanOrEqual(1000)
    ws.terminate()
    await hostAnswers()
  })

  it('closes on a text frame of invalid UTF-8 and stays up', async () => {
    const ws = await connectWs()
    // A text frame with bytes that are not UTF-8 (ws sends the buffer as is).
    const r = await answer(ws, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false)
    expect(r.close).toBe(1007)
    await hostAnswers()
  })

  it('closes on a frame over 16 MiB and stays up', async () => {
    const ws = await connectWs()
    const r = await answer(ws, Buffer.alloc((16 << 20) + 1, 0x20))
    expect(r.close).toBe(1009)
    await hostAnswers()
    expect(logged.some((m) => /Max payload/.test(m))).toBe(true)
  })

  it('a bounded fuzz run of request lines, paths and frames leaves it answering', async () => {
    // Deterministic pseudo-random inputs (synthetic, built here): 150 request lines, 150 frames.
    let seed = 14
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const pieces = [
      '%',
      '%e0',
      '%ff',
      '%zz',
      '..',
      '/',
      '[',
      ']',
      '?',
      '#',
      '\\',
      'a',
      '%00',
      '@',
      ':'
    ]
    const word = (): string =>
      Array.from({ length: 1 + rnd(8) }, () => pieces[rnd(pieces.length)]).join('')
    const methods = ['GET', 'HEAD', 'POST', 'GE T', 'OPTIONS', '']
    const statuses = new Set<number | 'closed'>()
    for (let i = 0; i < 150; i++) {
      const target = rnd(4) === 0 ? `http://${word()}` : `/${word()}`
      statuses.add(await req(`${methods[rnd(methods.length)] ?? 'GET'} ${target} HTTP/1.1`))
    }
    // Every answer is a refusal or a served file, never a server error.
    for (const s of statuses) expect([200, 400, 403, 404, 405, 'closed']).toContain(s)
    const frames = [
      () => JSON.stringify({ t: 'invoke', id: rnd(100), channel: word(), payload: word() }),
      () => JSON.stringify({ t: 'command', channel: 'jobs.cancel', payload: rnd(2) ? null : {} }),
      () => JSON.stringify({ t: word(), id: word() }),
      () => JSON.stringify([word()]),
      () =>
        `{"t":"invoke","id":${rnd(10)},"channel":"jobs.list","payload":${rnd(2) ? '{}' : 'null'}}`,
      () => word()
    ]
    let ws = await connectWs()
    let answered = 0
    for (let i = 0; i < 150; i++) {
      if (ws.readyState !== WebSocket.OPEN) ws = await connectWs()
      const f = frames[rnd(frames.length)]
      if (f && (await probe(ws, f(), 1000 + i))) answered++
    }
    ws.terminate()
    // Most fuzz frames leave the connection open (an error answer); the rest were closes.
    expect(answered).toBeGreaterThan(0)
    // Every refusal is counted.
    expect(host.stats().badRequests).toBeGreaterThan(6)
    expect(host.stats().badFrames).toBeGreaterThan(10)
    await hostAnswers()
  })
})

// Bounded pushes: a client that stops reading gets the latest live frame (not every one), and a
// client too far behind on frames that must arrive is disconnected, counted and logged.
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHost } from '../../../src-main/host/server'
import { SendQueue, type Outlet } from '../../../src-main/host/sendQueue'
import { createRouter } from '../../../src-main/ipc/services'
import { JobManager } from '../../../src-main/jobs/manager'
import { openManifest } from '../../../src-main/lake/manifest'
import type { ServerFrame } from '../../../src-shared/ipc/wire'
import type { PushMap } from '../../../src-shared/ipc/contract'
import { builtWorkerPath, OUT } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

/** A socket whose queued bytes the test controls; writes complete when the test says so. */
class FakeOutlet implements Outlet {
  bufferedAmount = 0
  sent: string[] = []
  terminated = false
  private readonly callbacks: (() => void)[] = []
  send(data: string, cb: () => void): void {
    this.sent.push(data)
    this.bufferedAmount += data.length
    this.callbacks.push(cb)
  }
  terminate(): void {
    this.terminated = true
  }
  /** The socket writes everything out. */
  drain(): void {
    this.bufferedAmount = 0
    for (const cb of this.callbacks.splice(0)) cb()
  }
}

describe('send queue', () => {
  it('sends at once while the socket has room', () => {
    const out = new FakeOutlet()
    const q = new SendQueue(out, { softBytes: 100, hardBytes: 1000 }, () => undefined)
    q.send('a'.repeat(10), 'live:1')
    q.send('b'.repeat(10), 'live:1')
    expect(out.sent).toHaveLength(2)
    expect(q.dropped).toBe(0)
  })

  it('keeps only the latest live frame of a kind while the socket is full, in order', () => {
    const out = new FakeOutlet()
    const q = new SendQueue(out, { softBytes: 100, hardBytes: 10_000 }, () => undefined)
    q.send('x'.repeat(200)) // fills the socket past the soft limit
    for (let i = 0; i < 50; i++) q.send(`live-a-${i}`, 'live:a')
    q.send('result-1')
    for (let i = 0; i < 50; i++) q.send(`live-b-${i}`, 'live:b')
    expect(out.sent).toHaveLength(1)
    expect(q.dropped).toBe(98)
    out.drain()
    expect(out.sent.slice(1)).toEqual(['live-a-49', 'result-1', 'live-b-49'])
  })

  it('disconnects a client past the hard limit, once, and frees what waited', () => {
    const out = new FakeOutlet()
    const overflows: number[] = []
    const q = new SendQueue(out, { softBytes: 100, hardBytes: 1000 }, (n) => overflows.push(n))
    q.send('x'.repeat(200))
    for (let i = 0; i < 20; i++) q.send('m'.repeat(100))
    expect(out.terminated).toBe(true)
    expect(overflows).toHaveLength(1)
    expect(overflows[0]).toBeGreaterThan(1000)
    out.drain()
    expect(out.sent).toHaveLength(1)
  })
})

describe('browser host pushes to a stalled client', () => {
  it('drops live frames to the latest and disconnects past the hard limit, counted and logged', async () => {
    const lakeRoot = tempDir()
    const db = openManifest(lakeRoot)
    const jobs = new JobManager({ db, lakeRoot, workerPath: builtWorkerPath() })
    const router = createRouter({ lakeRoot, version: 'test', jobs, db })
    const logged: string[] = []
    const host = await startHost({
      router,
      rendererDir: `${OUT}/renderer`,
      queueLimits: { softBytes: 64 << 10, hardBytes: 16 << 20 },
      log: (m) => logged.push(m)
    })
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`)
      await new Promise((r) => ws.once('open', r))
      const got: ServerFrame[] = []
      ws.on('message', (d: Buffer) => got.push(JSON.parse(d.toString('utf8')) as ServerFrame))
      ws.pause() // a stalled tab: reads nothing
      // 400 live frames of 100 kB (40 MB) for one job: far more than any socket buffer holds.
      const blob = 'z'.repeat(100_000)
      // Not a real capture view: only the frame's size and order matter here.
      const frame = (i: number): PushMap['jobs.live'] =>
        ({ jobId: 'j1', kind: 'capture', payload: { i, blob } }) as unknown as PushMap['jobs.live']
      for (let i = 0; i < 400; i++) router.push('jobs.live', frame(i))
      expect(host.stats().droppedFrames).toBeGreaterThan(0)
      expect(host.stats().disconnectedClients).toBe(0)
      ws.resume()
      await new Promise<void>((resolve) => {
        const check = (): void => {
          const last = got.at(-1)
          if (last?.t === 'push' && (last.payload as { payload: { i: number } }).payload.i === 399)
            resolve()
          else setTimeout(check, 20)
        }
        check()
      })
      // Every frame either arrived or was counted as replaced by a later one.
      expect(got.length + host.stats().droppedFrames).toBe(400)

      // Frames that must arrive (logs) are never dropped: a client too far behind is cut off.
      ws.pause()
      const closed = new Promise((r) => ws.once('close', r))
      for (let i = 0; i < 400; i++)
        router.push('jobs.log', { jobId: 'j1', level: 'info', message: blob, at: '' })
      ws.resume()
      await closed
      expect(host.stats().disconnectedClients).toBe(1)
      expect(logged.some((m) => /disconnected a client \d+ bytes behind/.test(m))).toBe(true)
    } finally {
      await host.close()
      await jobs.shutdown()
      db.close()
    }
  })
})

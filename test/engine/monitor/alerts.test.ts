// The alert rules on given snapshots (synthetic, named as such: they are states of a lake, not
// market data), the manifest's alert table on real SQLite (raise once, see again, clear, ack),
// and the webhook against a local HTTP server: delivered once per change, retried on 5xx, and a
// dead endpoint counted and said without blocking the caller.
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ALERT_RULES,
  DEFAULT_ALERT_CONFIG,
  runbookOf,
  type AlertRecord,
  type AlertWebhookBody
} from '../../../src-shared/monitor'
import { openManifest } from '../../../src-main/lake/manifest'
import { AlertStore } from '../../../src-main/monitor/alertStore'
import { evaluate, type MonitorSnapshot } from '../../../src-main/monitor/rules'
import { WebhookChannel } from '../../../src-main/monitor/webhook'
import { ROOT } from '../../helpers/build'
import { tempDir } from '../../helpers/synthetic'

const T = Date.parse('2026-12-02T12:00:00Z')
const syntheticQuietLake: MonitorSnapshot = {
  atMs: T,
  jobs: [],
  replays: [],
  captures: [],
  disk: { path: '/lake', freeBytes: 500e9 },
  quota: { usedBytes: 10e9, limitBytes: 300e9 }
}

describe('alert rules (synthetic lake states)', () => {
  it('finds nothing in a quiet lake', () => {
    expect(evaluate(syntheticQuietLake, DEFAULT_ALERT_CONFIG)).toEqual([])
  })

  it('names each rule with its key and the numbers behind it', () => {
    const s: MonitorSnapshot = {
      ...syntheticQuietLake,
      jobs: [
        {
          id: 'j1',
          kind: 'export',
          state: 'failed',
          startedAtMs: T - 7e6,
          progressAtMs: null,
          endedAtMs: T - 3.6e6,
          error: 'disk full'
        },
        {
          id: 'j2',
          kind: 'download',
          state: 'running',
          startedAtMs: T - 3.6e6,
          progressAtMs: T - 20 * 60_000,
          endedAtMs: null,
          error: null
        },
        {
          id: 'j3',
          kind: 'export',
          state: 'failed',
          startedAtMs: T - 3e8,
          progressAtMs: null,
          endedAtMs: T - 2 * 86_400_000,
          error: 'old'
        }
      ],
      replays: [{ jobId: 'r1', meanJaccard: 0.62, crossedShare: 0.05 }],
      captures: [
        {
          sessionId: 's1',
          lagMs: 9_000,
          gapsPerHour: 12,
          streams: [
            { stream: 'depth', silentS: 75 },
            { stream: 'trade', silentS: 2 }
          ]
        }
      ],
      disk: { path: '/lake', freeBytes: 3e9 },
      quota: { usedBytes: 290e9, limitBytes: 300e9 }
    }
    const found = evaluate(s, DEFAULT_ALERT_CONFIG)
    expect(found.map((c) => `${c.rule}:${c.key}`).sort()).toEqual(
      [
        'job-failed:j1',
        'job-stalled:j2',
        'drift:r1',
        'crossed:r1',
        'gaps:s1',
        'capture-lag:s1',
        'stale-stream:s1/depth',
        'disk-free:/lake',
        'quota:cryptolake'
      ].sort()
    )
    const msg = Object.fromEntries(found.map((c) => [c.rule, c.message]))
    expect(msg['job-failed']).toBe('export job j1 failed: disk full')
    expect(msg['job-stalled']).toContain('no progress for 20 min (limit 15 min)')
    expect(msg['disk-free']).toBe('3.0 GB free at /lake (limit 20 GB)')
    expect(msg['quota']).toContain('96.7 % of the Crypto Lake quota used')
  })

  it('takes its thresholds from the config', () => {
    const s: MonitorSnapshot = { ...syntheticQuietLake, disk: { path: '/lake', freeBytes: 30e9 } }
    expect(evaluate(s, DEFAULT_ALERT_CONFIG)).toEqual([])
    expect(evaluate(s, { ...DEFAULT_ALERT_CONFIG, diskFreeMinGb: 50 }).map((c) => c.rule)).toEqual([
      'disk-free'
    ])
  })
})

describe('alert store (manifest, real SQLite)', () => {
  it('raises once, counts repeats, clears when the condition is gone, keeps history and acks', () => {
    const db = openManifest(tempDir('lakebook-alerts-'))
    try {
      const store = new AlertStore(db)
      const disk = {
        rule: 'disk-free',
        key: '/lake',
        severity: 'error',
        message: '3 GB free'
      } as const
      const lag = { rule: 'capture-lag', key: 's1', severity: 'warn', message: 'late' } as const
      const a = store.apply([disk], '2026-12-02T12:00:00.000Z')
      expect(a.raised.map((r) => r.rule)).toEqual(['disk-free'])
      expect(a.raised[0]?.runbook).toBe('docs/runbooks/disk-free.md')
      const b = store.apply([disk, lag], '2026-12-02T12:00:15.000Z')
      expect(b.raised.map((r) => r.rule)).toEqual(['capture-lag'])
      expect(b.cleared).toEqual([])
      const c = store.apply([lag], '2026-12-02T12:00:30.000Z')
      expect(c.raised).toEqual([])
      expect(c.cleared.map((r) => [r.rule, r.count, r.clearedAt])).toEqual([
        ['disk-free', 2, '2026-12-02T12:00:30.000Z']
      ])
      expect(store.firing().map((r) => r.rule)).toEqual(['capture-lag'])
      // The same condition later is a new episode.
      expect(
        store.apply([lag, disk], '2026-12-02T13:00:00.000Z').raised.map((r) => r.rule)
      ).toEqual(['disk-free'])
      const id = store.firing()[0]?.id ?? -1
      expect(store.ack(id, '2026-12-02T13:01:00.000Z')).toBe(true)
      expect(store.get(id).ackAt).toBe('2026-12-02T13:01:00.000Z')
      expect(store.ack(9999, '2026-12-02T13:01:00.000Z')).toBe(false)
      expect(store.history().length).toBe(3)
    } finally {
      db.close()
    }
  })
})

describe('alert webhook (local HTTP server)', () => {
  let server: Server | null = null
  afterEach(async () => {
    const s = server
    server = null
    if (s) await closeServer(s)
  })

  const closeServer = (s: Server): Promise<void> =>
    new Promise((r) => {
      s.close(() => {
        r()
      })
    })

  async function listen(handler: (req: IncomingMessage, body: string) => number): Promise<string> {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        res.statusCode = handler(req, body)
        res.end()
      })
    })
    const s = server
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`
  }

  const alert = (id: number): AlertRecord => ({
    id,
    rule: 'disk-free',
    key: '/lake',
    severity: 'error',
    message: '3 GB free',
    state: 'firing',
    firstAt: '2026-12-02T12:00:00.000Z',
    lastAt: '2026-12-02T12:00:00.000Z',
    count: 1,
    clearedAt: null,
    ackAt: null,
    runbook: 'docs/runbooks/disk-free.md'
  })

  it('posts the documented body once per change, retrying a 5xx', async () => {
    const got: AlertWebhookBody[] = []
    let calls = 0
    const url = await listen((req, body) => {
      calls++
      if (calls === 1) return 503
      expect(req.headers['content-type']).toBe('application/json')
      got.push(JSON.parse(body) as AlertWebhookBody)
      return 204
    })
    const w = new WebhookChannel({
      url,
      timeoutMs: 2000,
      retries: 2,
      lake: '/lake',
      retryBaseMs: 10
    })
    w.send('raised', alert(1))
    w.send('cleared', { ...alert(1), state: 'cleared' })
    await w.idle()
    expect(calls).toBe(3)
    expect(got.map((b) => [b.source, b.version, b.event, b.lake, b.alert.id])).toEqual([
      ['lakebook', 1, 'raised', '/lake', 1],
      ['lakebook', 1, 'cleared', '/lake', 1]
    ])
    expect([w.delivered, w.failed]).toEqual([2, 0])
  })

  it('counts and names a dead endpoint without blocking the caller', async () => {
    const url = await listen(() => 204)
    if (server) await closeServer(server)
    server = null
    const said: string[] = []
    const w = new WebhookChannel({
      url,
      timeoutMs: 500,
      retries: 2,
      lake: '/lake',
      retryBaseMs: 10,
      onFailure: (m) => said.push(m)
    })
    const t0 = performance.now()
    w.send('raised', alert(7))
    // send() only queues: it returns before any delivery was tried.
    expect(performance.now() - t0).toBeLessThan(50)
    expect(w.delivered + w.failed).toBe(0)
    await w.idle()
    expect([w.delivered, w.failed]).toEqual([0, 1])
    expect(said).toHaveLength(1)
    expect(said[0]).toContain(
      `alert webhook ${url}: raised alert 7 (disk-free) not delivered: the connection was refused`
    )
    expect(said[0]).toContain('after 3 attempts')
  })

  it('gives up on a 4xx at once (a wrong URL does not get better by retrying)', async () => {
    let calls = 0
    const url = await listen(() => {
      calls++
      return 404
    })
    const w = new WebhookChannel({
      url,
      timeoutMs: 2000,
      retries: 3,
      lake: '/lake',
      retryBaseMs: 10
    })
    w.send('raised', alert(2))
    await w.idle()
    expect(calls).toBe(1)
    expect(w.failed).toBe(1)
  })
})

describe('runbooks', () => {
  it('has a page for every rule, listed in the index', () => {
    const index = readFileSync(join(ROOT, 'docs/runbooks/README.md'), 'utf8')
    for (const rule of ALERT_RULES) {
      const page = runbookOf(rule)
      expect(existsSync(join(ROOT, page)), page).toBe(true)
      expect(readFileSync(join(ROOT, page), 'utf8')).toMatch(
        /\*\*See it:\*\*[\s\S]*\*\*Means:\*\*[\s\S]*\*\*Fix:\*\*/
      )
      expect(index).toContain(`(${rule}.md)`)
    }
  })
})

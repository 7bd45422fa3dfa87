// The stale-stream alert on a live capture, end to end: the local Binance-like server replays the
// first three minutes of the REAL spot capture (5× speed) and stops sending one stream while the
// others go on — trades for a minute of source time, then bookTicker from 2:10 to the end. The
// capture job writes each stream's silence into the manifest; `lakebook status` (the built CLI,
// another process, as a cron would run it) raises stale-stream once per stream — stderr, exit 1,
// the webhook once, the manifest's history — clears the trade alert when trades flow again and
// the bookTicker alert when the capture ends. The capture measures silence on its own (wall) timer
// clock: the mutes last 12 s and 10 s of it, and the longest natural pause in this capture, 2.0 s
// of source time (trades; bookTicker 0.64 s, depth 0.20 s), is 0.4 s at 5×: the threshold is 4 s.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCaptureJob } from '../../../src-main/capture/job'
import { createJobContext } from '../../../src-main/jobs/context'
import { openManifest } from '../../../src-main/lake/manifest'
import { captureParams } from '../../../src-shared/capture'
import type { AlertRecord } from '../../../src-shared/monitor'
import {
  loadCapture,
  startBinanceServer,
  type BinanceTestServer
} from '../../helpers/binanceServer'
import { runBuilt } from '../../helpers/build'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'
import { webhookReceiverForSuite } from '../../helpers/webhookReceiver'

const S = 1e6

describe.skipIf(!hasCaptures)('stale-stream alert on a live capture (real spot capture)', () => {
  const hook = webhookReceiverForSuite()
  let server: BinanceTestServer
  afterAll(async () => {
    await server.close()
  })

  it('raises once per stream, tells the webhook once, clears on data and at the end', async () => {
    const all = await loadCapture(captureFiles('spot-btcusdt-20240808'))
    const t0 = all[0]?.us ?? 0
    const lines = all.filter((l) => l.us < t0 + 180 * S)
    server = await startBinanceServer({
      lines,
      market: 'spot',
      speed: 5,
      faults: [
        { atUs: t0 + 40 * S, kind: 'mute', stream: 'btcusdt@trade', untilUs: t0 + 100 * S },
        { atUs: t0 + 130 * S, kind: 'mute', stream: 'btcusdt@bookTicker', untilUs: Infinity }
      ]
    })
    const s = server
    s.start(20, true)
    const lake = tempDir('lakebook-stale-')
    writeFileSync(
      join(lake, 'lakebook.config.json'),
      JSON.stringify({ alerts: { staleStreamS: 4, webhook: { url: hook.url, retries: 0 } } })
    )
    const db = openManifest(lake)
    const ac = new AbortController()
    // The capture ends with the server's timeline (before its depth and trades go quiet too).
    void s.done.then(() => {
      ac.abort()
    })
    let sessionId = ''
    const capture = runCaptureJob(
      captureParams.parse({
        symbol: 'btcusdt',
        market: 'spot',
        depthStream: 'depth@100ms',
        tradeStream: 'trade',
        wsBase: s.wsBase,
        restBase: s.restBase,
        durationMs: 3_600_000
      }),
      createJobContext('job-stale', lake, ac.signal, {
        progress: () => undefined,
        log: () => undefined
      }),
      {
        db,
        onLive: (l) => {
          sessionId = l.sessionId
        },
        engine: { clock: s.clock(), fsync: false, timing: { tickMs: 20 } }
      }
    )

    interface Run {
      code: number | null
      err: string
      raised: AlertRecord[]
      cleared: AlertRecord[]
      firing: AlertRecord[]
    }
    const runs: Run[] = []
    const status = async (): Promise<Run> => {
      const r = await runBuilt(['--lake', lake, '--json', 'status'])
      const j = JSON.parse(r.out) as Omit<Run, 'code' | 'err'>
      const run = { code: r.code, err: r.err, ...j }
      runs.push(run)
      return run
    }
    const stale = (as: readonly AlertRecord[], stream: string) =>
      as.filter((a) => a.rule === 'stale-stream' && a.key.endsWith(`/${stream}`))
    // Each phase waits for its condition, bounded by a number of evaluations (not by time).
    const until = async (cond: (r: Run) => boolean): Promise<Run> => {
      for (let i = 0; i < 200; i++) {
        const r = await status()
        if (cond(r)) return r
      }
      throw new Error('the condition was never met in 200 evaluations')
    }
    const raisedTrade = await until((r) => stale(r.raised, 'btcusdt@trade').length > 0)
    expect(raisedTrade.code).toBe(1)
    expect(raisedTrade.err).toMatch(
      /alert raised: {2}ERROR #\d+ stale-stream: capture \S+: no btcusdt@trade message for \d+ s \(limit 4 s\)/
    )
    await until((r) => stale(r.cleared, 'btcusdt@trade').length > 0)
    await until((r) => stale(r.raised, 'btcusdt@bookTicker').length > 0)
    const result = await capture
    expect(result.stoppedBy).toBe('cancelled')
    const end = await status()
    expect(stale(end.cleared, 'btcusdt@bookTicker')).toHaveLength(1)
    expect(end.firing).toEqual([])
    expect(end.code).toBe(0)
    // The server muted what it was told to (and only that).
    expect(s.muted.get('btcusdt@trade')).toBeGreaterThan(100)
    expect(s.muted.get('btcusdt@bookTicker')).toBeGreaterThan(100)
    expect(s.muted.has('btcusdt@depth@100ms')).toBe(false)

    // Once per stream: raised in one evaluation, cleared in one; depth never went stale.
    for (const st of ['btcusdt@trade', 'btcusdt@bookTicker']) {
      expect(runs.filter((r) => stale(r.raised, st).length > 0)).toHaveLength(1)
      expect(runs.filter((r) => stale(r.cleared, st).length > 0)).toHaveLength(1)
    }
    expect(runs.some((r) => stale(r.firing, 'btcusdt@depth@100ms').length > 0)).toBe(false)
    const history = await runBuilt(['--lake', lake, '--json', 'alerts'])
    const list = (JSON.parse(history.out) as AlertRecord[]).filter((a) => a.rule === 'stale-stream')
    expect(list.map((a) => [a.key, a.state]).sort()).toEqual([
      [`${sessionId}/btcusdt@bookTicker`, 'cleared'],
      [`${sessionId}/btcusdt@trade`, 'cleared']
    ])
    // The webhook heard each once: raised, then cleared.
    const heard = hook.got
      .filter((h) => h.alert.rule === 'stale-stream')
      .map((h) => `${h.event} ${h.alert.key.split('/').at(-1) ?? ''}`)
    expect(heard).toEqual([
      'raised btcusdt@trade',
      'cleared btcusdt@trade',
      'raised btcusdt@bookTicker',
      'cleared btcusdt@bookTicker'
    ])
    db.close()
  }, 300_000)
})

// The capture job runner (what the job manager will run in a worker, and the CLI runs today):
// params validated by the shared zod schema, live counters through ctx.progress, the live top-20
// ladder for the Capture page, the manifest mirror, and a cancel that stops cleanly with every
// line flushed and the session returned.
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { runCaptureJob, runCaptureRegimesJob } from '../../../src-main/capture/job'
import { CAPTURE_SESSIONS_SQL } from '../../../src-main/lake/migrations'
import { loadSession } from '../../../src-main/capture/session'
import { CaptureSessionRepo } from '../../../src-main/capture/sessionRepo'
import { createJobContext } from '../../../src-main/jobs/context'
import { captureParams, captureRegimesParams, type CaptureLive } from '../../../src-shared/capture'
import type { JobLog, JobProgress } from '../../../src-shared/jobs'
import {
  loadCapture,
  startBinanceServer,
  type BinanceTestServer
} from '../../helpers/binanceServer'
import { isSnapshotJson, readRecording } from '../../helpers/captureRun'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

let server: BinanceTestServer | null = null
afterAll(async () => {
  await server?.close()
})

describe.skipIf(!hasCaptures)('capture job runner', () => {
  it('reports progress and the live ladder, mirrors the session, stops cleanly on cancel', async () => {
    const all = await loadCapture(captureFiles('usdm-btcusdt-20240718'))
    const lines = all.filter((l) => l.us < (all[0]?.us ?? 0) + 90e6)
    server = await startBinanceServer({ lines, market: 'usdm', speed: 100 })
    const s = server
    s.start(20, true)
    const lake = tempDir('lakebook-capture-job-')
    const params = captureParams.parse({
      symbol: 'btcusdt',
      market: 'usdm',
      depthStream: 'depth@0ms',
      tradeStream: 'trade',
      wsBase: s.wsBase,
      restBase: s.restBase,
      durationMs: 60_000
    })
    const progress: JobProgress[] = []
    const logs: JobLog[] = []
    const ac = new AbortController()
    const ctx = createJobContext('job-1', lake, ac.signal, {
      progress: (p) => progress.push(p),
      log: (l) => logs.push(l)
    })
    const db = new Database(':memory:')
    db.exec(CAPTURE_SESSIONS_SQL)
    let live: CaptureLive | null = null
    let synced: CaptureLive | null = null
    // Cancel once the timeline is over and the capture has gone quiet.
    let quiet = 0
    let seen = -1
    let over = false
    void s.done.then(() => {
      over = true
    })
    const r = await runCaptureJob(params, ctx, {
      db,
      onLive: (l) => {
        live = l
        quiet = l.counts.messages === seen ? quiet + 1 : 0
        seen = l.counts.messages
        if (over && quiet >= 4) ac.abort()
        if (l.top && !l.top.outOfSync && l.phase === 'synced') synced = l
      },
      engine: { clock: s.clock(), fsync: false, timing: { tickMs: 20 } }
    })
    expect(r.stoppedBy).toBe('cancelled')
    expect(r.session.state).toBe('cancelled')
    expect(r.session.runs[0]?.jobId).toBe('job-1')
    expect(progress.length).toBeGreaterThan(3)
    expect(progress.at(-1)?.unit).toBe('messages')
    expect(progress.some((p) => p.message.startsWith('synced'))).toBe(true)
    expect(logs.some((l) => l.message.includes('capture_sessions'))).toBe(false)
    expect((live as CaptureLive | null)?.phase).toBe('stopped')

    // The ladder: 20 levels a side, best first, never crossed.
    const ladder = (synced as CaptureLive | null)?.top
    expect(ladder?.bids).toHaveLength(20)
    expect(ladder?.asks).toHaveLength(20)
    const bids = ladder?.bids.map((b) => Number(b[0])) ?? []
    const asks = ladder?.asks.map((a) => Number(a[0])) ?? []
    expect(bids).toEqual([...bids].sort((a, b) => b - a))
    expect(asks).toEqual([...asks].sort((a, b) => a - b))
    expect(bids[0]).toBeLessThan(asks[0] ?? 0)

    // Cancelled: everything received is on disk, the session file is final and mirrored.
    const rec = await readRecording(r.dir, r)
    expect(rec.issues.total).toBe(0)
    expect(rec.lines.filter((l) => !isSnapshotJson(l.json)).map((l) => l.json)).toEqual(
      s.conns[0]?.sent.map((x) => x.text)
    )
    expect(loadSession(r.dir)).toEqual(r.session)
    expect(new CaptureSessionRepo(db).list()[0]).toMatchObject({
      id: r.session.id,
      state: 'cancelled',
      messages: r.session.counts.messages
    })
    db.close()

    // The regimes job over the recorded session, by id.
    const rctx = createJobContext('job-2', lake, new AbortController().signal, {
      progress: () => undefined,
      log: () => undefined
    })
    const reg = await runCaptureRegimesJob(
      captureRegimesParams.parse({ inputs: [r.session.id], windowMs: 10_000 }),
      rctx
    )
    expect(reg.windows.length).toBeGreaterThan(5)
    expect(reg.lines).toBe(rec.lines.length)
    expect(reg.thresholds?.referenceWindows).toBeGreaterThanOrEqual(4)
  })
})

// Runs the live capture engine against the local Binance-like server (binanceServer.ts) and reads
// back what it recorded, for the capture tests.
import { join } from 'node:path'
import type { CaptureResult } from '../../src-shared/capture'
import { runCapture, type CaptureEngineOptions } from '../../src-main/capture/engine'
import { readCapturePart } from '../../src-main/capture/partReader'
import { orderedFiles } from '../../src-main/capture/session'
import { IssueLog } from '../../src-main/util/issueLog'
import type { BinanceTestServer } from './binanceServer'

export const STREAMS = {
  spot: { depthStream: 'depth@100ms', tradeStream: 'trade' },
  usdm: { depthStream: 'depth@0ms', tradeStream: 'trade' }
} as const

export interface RunOptions {
  readonly lakeRoot: string
  readonly symbol: string
  readonly market: 'spot' | 'usdm'
  readonly timing?: CaptureEngineOptions['timing']
  /** Stop once nothing arrived for this long (real ms) after the server's timeline ended. */
  readonly tailMs?: number
  readonly extra?: Partial<CaptureEngineOptions>
}

export async function captureFromServer(
  server: BinanceTestServer,
  o: RunOptions
): Promise<CaptureResult> {
  const ac = new AbortController()
  const logs: string[] = []
  let received = 0
  // Live pushes in a row that saw no new message: counted only when the engine's timer ran (a
  // process draining a backlog runs its timers late, and is not quiet).
  let quietPushes = 0
  let openGap = false
  const p = runCapture({
    lakeRoot: o.lakeRoot,
    symbol: o.symbol,
    market: o.market,
    ...STREAMS[o.market],
    endpoints: { wsBase: server.wsBase, restBase: server.restBase },
    clock: server.clock(),
    fsync: false,
    signal: ac.signal,
    timing: {
      tickMs: 20,
      reconnectBaseMs: 50,
      reconnectMaxMs: 200,
      snapshotMinIntervalMs: 50,
      staleMs: 5000,
      ...o.timing
    },
    onLog: (level, m) => {
      logs.push(`${level}: ${m}`)
      if (process.env['CAPTURE_DEBUG']) console.log(Date.now() - server.realStartMs, level, m)
    },
    onLive: (live) => {
      openGap = live.openGap
      const n = live.counts.messages + live.counts.duplicatesDropped
      if (n !== received) {
        received = n
        quietPushes = 0
      } else quietPushes++
    },
    ...o.extra
  })
  // The client may lag the accelerated timeline: stop once it has gone quiet.
  void server.done.then(async () => {
    const quiet = Math.ceil((o.tailMs ?? 400) / 100)
    quietPushes = 0
    const t = Date.now()
    // …and, for a while, until a resync still running at the end has finished.
    while (quietPushes < quiet || (openGap && Date.now() - t < 3000)) {
      await new Promise((r) => setTimeout(r, 50))
    }
    if (process.env['CAPTURE_DEBUG']) console.log('abort at', received)
    ac.abort()
  })
  try {
    return await p
  } catch (e) {
    throw new Error(`${String(e)}\n${logs.join('\n')}`)
  }
}

export interface RecordedLine {
  readonly file: string
  readonly line: number
  readonly ts: string
  readonly json: string
}

export async function readRecording(
  dir: string,
  result: CaptureResult
): Promise<{ lines: RecordedLine[]; issues: IssueLog; files: string[] }> {
  const files = orderedFiles(dir, result.session)
  const issues = new IssueLog()
  const lines: RecordedLine[] = []
  for (const f of files) {
    for await (const l of readCapturePart(f, issues)) {
      lines.push({ file: join(f), line: l.line, ts: l.ts, json: l.json })
    }
  }
  return { lines, issues, files }
}

export const isSnapshotJson = (json: string): boolean => json.startsWith('{"lastUpdateId"')

// Child process for the capture crash test (test/engine/capture/crash.test.ts): runs the live
// capture engine against the local Binance-like server with the server's accelerated clock,
// printing "session <id>", "live <messages>" lines and "done <state>". The test SIGKILLs it
// mid-capture and starts it again with `resume`; SIGTERM stops it cleanly.
//   node --import tsx test/helpers/captureChild.ts   (config in CAPTURE_CHILD_CFG)
import { CaptureEngine, type CaptureTiming } from '../../src-main/capture/engine'
import { scaledClock } from '../../src-main/capture/clock'

export interface CaptureChildConfig {
  readonly lakeRoot: string
  readonly symbol: string
  readonly market: 'spot' | 'usdm'
  readonly depthStream: string
  readonly tradeStream: 'trade' | 'aggTrade'
  readonly wsBase: string
  readonly restBase: string
  readonly clock: {
    readonly virtualStartNs: string
    readonly realStartMs: number
    readonly speed: number
  }
  readonly resume?: string
  readonly timing?: Partial<CaptureTiming>
}

const cfg = JSON.parse(process.env['CAPTURE_CHILD_CFG'] ?? '{}') as CaptureChildConfig
const ac = new AbortController()
process.on('SIGTERM', () => {
  ac.abort()
})
const engine = new CaptureEngine({
  lakeRoot: cfg.lakeRoot,
  symbol: cfg.symbol,
  market: cfg.market,
  depthStream: cfg.depthStream,
  tradeStream: cfg.tradeStream,
  endpoints: { wsBase: cfg.wsBase, restBase: cfg.restBase },
  clock: scaledClock(BigInt(cfg.clock.virtualStartNs), cfg.clock.realStartMs, cfg.clock.speed),
  resume: cfg.resume,
  signal: ac.signal,
  timing: { tickMs: 20, snapshotMinIntervalMs: 50, reconnectBaseMs: 50, ...cfg.timing },
  onLive: (l) => {
    process.stdout.write(
      `live ${l.counts.messages} ${l.phase} ${l.counts.writtenBytes} ${Date.now()}\n`
    )
  },
  onLog: (level, m) => {
    process.stdout.write(`log ${level} ${m}\n`)
  }
})
process.stdout.write(`session ${engine.sessionId}\n`)
const r = await engine.run()
process.stdout.write(`done ${r.session.state}\n`)

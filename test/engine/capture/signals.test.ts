// The built CLI stops a live capture on SIGTERM and SIGHUP as on Ctrl-C: the job is cancelled,
// the capture gets its final flush and its session ends `cancelled`, never left `running`.
// The capture runs against the local Binance-like server replaying a REAL usdm capture.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  loadCapture,
  startBinanceServer,
  type BinanceTestServer
} from '../../helpers/binanceServer'
import { OUT } from '../../helpers/build'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

let server: BinanceTestServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

describe.skipIf(!hasCaptures)('CLI capture and stop signals', () => {
  // Each run gets its own real capture set (a replaying server serves one timeline).
  it.each([
    ['SIGTERM', 'usdm-btcusdt-20240718'],
    ['SIGHUP', 'usdm-btcusdt-20240808']
  ] as const)('%s cancels the capture with its final flush (%s)', async (sig, set) => {
    const all = await loadCapture(captureFiles(set))
    const lines = all.filter((l) => l.us < (all[0]?.us ?? 0) + 60e6)
    const s = await startBinanceServer({ lines, market: 'usdm', speed: 20 })
    server = s
    s.start(20, true)
    const lake = tempDir('lakebook-signal-')
    const args = ['--lake', lake, 'capture', '--symbol', 'BTCUSDT', '--market', 'usdm']
    args.push('--depth-stream', 'depth@0ms', '--ws-base', s.wsBase, '--rest-base', s.restBase)
    const child = spawn(
      process.execPath,
      [join(OUT, 'main', 'cli.js'), ...args, '--duration', '10m'],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let err = ''
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const exited = new Promise<number | null>((r) => child.once('exit', r))
    // Signal once the capture is synced and recording.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString()
        if (/synced/.test(err)) resolve()
      })
    })
    child.kill(sig)
    const code = await exited
    expect(err).toContain(`${sig}: cancelling`)
    // A stopped capture is a complete session (exit 0), recorded up to the signal.
    expect(code).toBe(0)
    const sessions = readdirSync(join(lake, 'captures'))
    expect(sessions).toHaveLength(1)
    const session = JSON.parse(
      readFileSync(join(lake, 'captures', sessions[0] ?? '', 'session.json'), 'utf8')
    ) as { state: string; counts: { messages: number } }
    expect(session.state).toBe('cancelled')
    expect(session.counts.messages).toBeGreaterThan(0)
    expect(out).toContain('stopped by cancelled')
  })
})

// Restart / append safety with a real process crash: a capture runs in a child process
// (test/helpers/captureChild.ts) against the local Binance-like server replaying the REAL spot
// BTCUSDT capture; it is SIGKILLed mid-capture and started again on the same session.
// After the kill: every file is readable by readCaptureLines, what was recorded is exactly a
// prefix of what the server sent (byte for byte), and it lacks at most the last flush interval
// (1 s). After the restart: the earlier files are byte-identical (never reopened), new part files
// follow, a `restart` gap joins the runs, and a clean SIGTERM stop flushes everything.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSession, orderedFiles, repairSession } from '../../../src-main/capture/session'
import { replayPlan } from '../../../src-main/capture/sessions'
import { partNumber } from '../../../src-main/capture/writer'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import { IssueLog } from '../../../src-main/util/issueLog'
import { readCaptureLines } from '../../../src-main/engine/source/captureReader'
import {
  loadCapture,
  startBinanceServer,
  type BinanceTestServer,
  type SourceLine
} from '../../helpers/binanceServer'
import type { CaptureChildConfig } from '../../helpers/captureChild'
import { isSnapshotJson } from '../../helpers/captureRun'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

const ROOT = resolve(import.meta.dirname, '../../..')
const CHILD = join(ROOT, 'test/helpers/captureChild.ts')
const FLUSH_MS = 1000
const SPEED = 50

async function childCommand(): Promise<string[]> {
  try {
    const esbuild = await import('esbuild')
    const out = join(ROOT, 'node_modules/.cache/lakebook-capture-child/child.mjs')
    await esbuild.build({
      entryPoints: [CHILD],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: out,
      external: ['ws'],
      logLevel: 'error'
    })
    return [out]
  } catch {
    return ['--import', 'tsx', CHILD]
  }
}

interface Child {
  readonly proc: ChildProcess
  readonly session: Promise<string>
  messages: number
  readonly exited: Promise<number | null>
  readonly out: string[]
}

function startChild(args: string[], cfg: CaptureChildConfig): Child {
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, CAPTURE_CHILD_CFG: JSON.stringify(cfg) },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const out: string[] = []
  let resolveSession: (id: string) => void = () => undefined
  const c: Child = {
    proc,
    session: new Promise((r) => (resolveSession = r)),
    messages: 0,
    exited: new Promise((r) => {
      proc.on('exit', (code) => {
        r(code)
      })
    }),
    out
  }
  let buf = ''
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString()
    let nl
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl)
      buf = buf.slice(nl + 1)
      out.push(line)
      if (line.startsWith('session ')) resolveSession(line.slice(8))
      if (line.startsWith('live ')) c.messages = Number(line.split(' ')[1])
    }
  })
  return c
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex')

async function recordedMessages(
  files: readonly string[]
): Promise<{ json: string[]; issues: IssueLog }> {
  const issues = new IssueLog()
  const json: string[] = []
  for (const f of files) {
    for await (const l of readCaptureLines(f, issues))
      if (!isSnapshotJson(l.json)) json.push(l.json)
  }
  return { json, issues }
}

describe.skipIf(!hasCaptures)('capture crash safety (SIGKILL, restart)', () => {
  let server: BinanceTestServer
  let lines: SourceLine[]
  let args: string[]
  const lake = tempDir('lakebook-capture-crash-')

  beforeAll(async () => {
    ;[lines, args] = await Promise.all([
      loadCapture(captureFiles('spot-btcusdt-20240808')),
      childCommand()
    ])
    server = await startBinanceServer({ lines, market: 'spot', speed: SPEED })
  })
  afterAll(async () => {
    await server.close()
  })

  it('keeps every flushed line through a kill and appends on restart', async () => {
    server.start(1500)
    const cfg: CaptureChildConfig = {
      lakeRoot: lake,
      symbol: 'BTCUSDT',
      market: 'spot',
      depthStream: 'depth@100ms',
      tradeStream: 'trade',
      wsBase: server.wsBase,
      restBase: server.restBase,
      clock: {
        virtualStartNs: String(server.virtualStartNs),
        realStartMs: server.realStartMs,
        speed: SPEED
      },
      timing: { flushIntervalMs: FLUSH_MS }
    }
    // Run 1: killed without warning once it has recorded for a while.
    const c1 = startChild(args, cfg)
    const id = await c1.session
    await until(() => c1.messages > 8000, 30_000, 'the first run to record')
    await new Promise((r) => setTimeout(r, Math.random() * 700))
    const killedAt = Date.now()
    c1.proc.kill('SIGKILL')
    await c1.exited
    const dir = join(lake, 'captures', id)

    const conn1 = server.conns[0]
    expect(conn1).toBeDefined()
    const files1 = readdirSync(dir)
      .filter((n) => partNumber(n) >= 0)
      .map((n) => join(dir, n))
    const before = new Map(files1.map((f) => [f, sha(f)]))
    const rec1 = await recordedMessages(files1.sort((a, b) => partNumber(a) - partNumber(b)))
    if (process.env['CAPTURE_DEBUG'])
      console.log(
        files1,
        files1.map((f) => readFileSync(f).length),
        c1.out.filter((_l, i) => i % 5 === 0),
        c1.messages,
        Date.now()
      )
    // Readable by the project's reader; a member cut by the kill could only be the tail.
    expect(Object.keys(rec1.issues.counts).filter((k) => k !== 'truncated-file')).toEqual([])
    const sent1 = conn1?.sent ?? []
    // Exactly a prefix of what the server sent on that connection.
    expect(rec1.json.length).toBeGreaterThan(1000)
    expect(rec1.json).toEqual(sent1.slice(0, rec1.json.length).map((s) => s.text))
    // At most the last flush interval is lost (plus scheduling slack).
    const mustHave = sent1.filter((s) => s.atMs < killedAt - FLUSH_MS - 400).length
    expect(rec1.json.length).toBeGreaterThanOrEqual(mustHave)
    const repaired = await repairSession(dir)
    expect(repaired.info.state).toBe('interrupted')
    expect(repaired.info.files.reduce((s, f) => s + f.lines, 0)).toBe(
      rec1.json.length + repaired.info.counts.snapshots
    )

    // Run 2: the same session again, stopped cleanly with SIGTERM.
    const c2 = startChild(args, { ...cfg, resume: id })
    expect(await c2.session).toBe(id)
    // Counts continue from the first run's.
    await until(() => c2.messages > rec1.json.length + 3000, 30_000, 'the second run to record')
    c2.proc.kill('SIGTERM')
    expect(await c2.exited).toBe(0)
    expect(c2.out).toContain('done cancelled')

    for (const [f, h] of before) expect(sha(f), `${f} must never be rewritten`).toBe(h)
    const info = loadSession(dir)
    expect(info.state).toBe('cancelled')
    expect(info.runs).toHaveLength(2)
    const newFiles = info.files.filter((f) => !before.has(join(dir, f.name)))
    expect(newFiles.length).toBeGreaterThan(0)
    const maxOld = Math.max(...[...before.keys()].map(partNumber))
    for (const f of newFiles) expect(partNumber(f.name)).toBeGreaterThan(maxOld)

    const restart = info.gaps.find((g) => g.kind === 'restart')
    expect(restart).toBeDefined()
    const lastDepth1 = [...rec1.json].reverse().find((j) => j.includes('@depth'))
    expect(restart?.lastU).toBe(
      lastDepth1 ? (JSON.parse(lastDepth1) as { data: { u: number } }).data.u : null
    )
    if (process.env['CAPTURE_DEBUG'])
      console.log(
        c2.out.filter((l) => !l.startsWith('live')),
        info.gaps,
        info.segments
      )
    expect(restart?.endNs).not.toBeNull()
    expect(BigInt(restart?.startNs ?? 0)).toBe(BigInt(repaired.info.endNs ?? -1))

    // Run 2 recorded exactly what its connection received, and all of it (clean stop).
    const conn2 = server.conns[1]
    const rec2 = await recordedMessages(orderedFiles(dir, info).filter((f) => !before.has(f)))
    expect(rec2.issues.total).toBe(0)
    expect(rec2.json).toEqual((conn2?.sent ?? []).slice(0, rec2.json.length).map((s) => s.text))
    expect(rec2.json.length).toBe(info.counts.messages - rec1.json.length)

    // Each segment with its own snapshot replays exactly.
    for (const seg of replayPlan(dir, info).segments.filter((s) => s.replayable)) {
      const r = await replayCapture(seg.files)
      expect(r.bbo.matched).toBe(r.bbo.compared)
      expect(r.gaps).toBe(0)
    }
  })
})

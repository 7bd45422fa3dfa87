// Faults injected by the local Binance-like server while it replays REAL shared captures: a
// sequence gap (diffs dropped), a malformed message, a dropped connection whose resnapshot is
// slow, a stalled stream, a frozen connection (no pongs), and Binance's 24 h connection limit
// (a planned hand-over). Each fault must be recorded as a gap whose ids and times match what the
// server actually did; everything the server sent outside the faults is recorded byte for byte;
// each segment replays exactly (every bookTicker checkpoint), and the hand-over leaves no gap.
import { afterAll, describe, expect, it } from 'vitest'
import { readQuarantine } from '../../../src-main/capture/session'
import { replayPlan } from '../../../src-main/capture/sessions'
import { replayCapture } from '../../../src-main/engine/captureReplay'
import type { CaptureGap } from '../../../src-shared/capture'
import {
  loadCapture,
  startBinanceServer,
  type BinanceTestServer,
  type ConnRecord,
  type SentRecord,
  type SourceLine
} from '../../helpers/binanceServer'
import { captureFromServer, isSnapshotJson, readRecording } from '../../helpers/captureRun'
import { captureFiles, hasCaptures } from '../../helpers/data'
import { tempDir } from '../../helpers/synthetic'

const servers: BinanceTestServer[] = []
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
})

const SPEED = 100
const ns = (g: CaptureGap, k: 'startNs' | 'endNs'): bigint => BigInt(g[k] ?? -1)

function depthSent(lines: readonly SourceLine[], c: ConnRecord | undefined): SentRecord[] {
  return (c?.sent ?? []).filter((s) => !s.malformed && lines[s.index]?.kind === 'depth')
}

describe.skipIf(!hasCaptures)('capture faults, recorded as gaps', () => {
  it('spot BTCUSDT: sequence gap, malformed diff, drop with slow resnapshot, stalled stream', async () => {
    const lines = await loadCapture(captureFiles('spot-btcusdt-20240808'))
    const t0 = lines[0]?.us ?? 0
    const at = (s: number): number => t0 + s * 1e6
    const server = await startBinanceServer({
      lines,
      market: 'spot',
      speed: SPEED,
      faults: [
        { atUs: at(60), kind: 'gap', diffs: 3 },
        { atUs: at(150), kind: 'malformed' },
        { atUs: at(239), kind: 'slow-snapshot', delayMs: 400 },
        { atUs: at(240), kind: 'drop' },
        { atUs: at(400), kind: 'stall' }
      ]
    })
    servers.push(server)
    server.start(20, true)
    const r = await captureFromServer(server, {
      lakeRoot: tempDir('lakebook-capture-faults-'),
      symbol: 'BTCUSDT',
      market: 'spot',
      timing: { staleMs: 600 },
      tailMs: 300
    })
    const s = r.session
    expect(s.gaps.map((g) => g.kind)).toEqual(['sequence', 'malformed', 'disconnect', 'stale'])
    for (const g of s.gaps) {
      expect(g.endNs, `gap ${g.seq} closed`).not.toBeNull()
      expect(ns(g, 'endNs') >= ns(g, 'startNs')).toBe(true)
      // Closed by a snapshot the server served, bridged by the next diffs.
      expect(server.snapshots.map((x) => x.lastUpdateId)).toContain(g.snapshotUpdateId)
    }
    const [seq, bad, drop, stale] = s.gaps as [CaptureGap, CaptureGap, CaptureGap, CaptureGap]
    const [c0, c1, c2] = server.conns
    expect(server.conns.length).toBeGreaterThanOrEqual(3)

    // 1. Sequence gap: exactly around the dropped diffs.
    const dropped = server.droppedDiffs
    expect(dropped).toHaveLength(3)
    const d0 = depthSent(lines, c0)
    const before = d0.filter((x) => x.index < (dropped[0] ?? 0)).at(-1)
    const after = d0.find((x) => x.index > (dropped[2] ?? 0))
    expect(seq.lastU).toBe(lines[before?.index ?? -1]?.u)
    expect(seq.nextU).toBe(lines[after?.index ?? -1]?.U)
    expect(seq.nextU).toBe((lines[dropped[2] ?? 0]?.u ?? 0) + 1)

    // 2. Malformed: the truncated diff is quarantined byte for byte, its ids are the gap.
    const m = c0?.sent.find((x) => x.malformed)
    expect(m).toBeDefined()
    const q = readQuarantine(r.dir)
    expect(q.map((x) => x.raw.toString())).toEqual([m?.text])
    const mi = m?.index ?? 0
    expect(bad.lastU).toBe(lines[d0.filter((x) => x.index < mi).at(-1)?.index ?? -1]?.u)
    expect(bad.nextU).toBe(lines[d0.find((x) => x.index > mi)?.index ?? -1]?.U)
    expect(bad.lastU).toBe((lines[mi]?.U ?? 0) - 1)
    expect(s.counts.malformed).toBe(1)

    // 3. Dropped connection: from the last diff received on it to the first on the next one;
    //    the slow resnapshot (400 ms = 40 s of market time) kept the gap open that long.
    const d1 = depthSent(lines, c1)
    expect(drop.nextU).toBe(lines[d1[0]?.index ?? -1]?.U)
    expect(drop.lastU).toBeLessThanOrEqual(lines[d0.at(-1)?.index ?? -1]?.u ?? 0)
    const slow = server.snapshots.find((x) => x.delayedMs === 400)
    expect(drop.snapshotUpdateId).toBe(slow?.lastUpdateId)
    expect(ns(drop, 'endNs') - ns(drop, 'startNs')).toBeGreaterThan(
      400n * BigInt(SPEED) * 1_000_000n
    )
    expect(s.counts.snapshots).toBe(5)

    // 4. Stalled stream: detected as stale, resynced on a new connection.
    expect(c1?.stalled).toBe(true)
    expect(stale.lastU).toBe(lines[d1.at(-1)?.index ?? -1]?.u)
    expect(stale.nextU).toBe(lines[depthSent(lines, c2)[0]?.index ?? -1]?.U)

    // Everything sent outside the faults was recorded, byte for byte and in order: every
    // connection's messages (the dropped one's minus what was in flight when it was cut).
    const rec = await readRecording(r.dir, r)
    expect(rec.issues.total).toBe(0)
    const ws = rec.lines.filter((l) => !isSnapshotJson(l.json)).map((l) => l.json)
    let pos = 0
    for (const c of server.conns) {
      const sent = c.sent.filter((x) => !x.malformed).map((x) => x.text)
      const got = ws.slice(pos, pos + sent.length)
      const n = c === c0 ? got.findIndex((x, i) => x !== sent[i]) : -1
      const take = n < 0 ? got.length : n
      expect(got.slice(0, take)).toEqual(sent.slice(0, take))
      if (c !== c0) expect(take).toBe(sent.length)
      pos += take
    }
    expect(pos).toBe(ws.length)

    // Each segment replays exactly. (Not the whole file list in one pass: replayCapture compares
    // a bookTicker that arrives after the resync with a diff state kept from before it, see
    // docs/capture.md.)
    const plan = replayPlan(r.dir, s)
    expect(plan.segments.map((x) => x.reason)).toEqual([
      'start',
      'sequence',
      'malformed',
      'disconnect',
      'stale'
    ])
    let compared = 0
    for (const seg of plan.segments) {
      const rep = await replayCapture(seg.files)
      expect(rep.gaps).toBe(0)
      expect(rep.bbo.matched).toBe(rep.bbo.compared)
      compared += rep.bbo.compared
    }
    expect(compared).toBeGreaterThan(300)
  })

  it('usdm BTCUSDT: a planned hand-over before the connection limit records no gap', async () => {
    const all = await loadCapture(captureFiles('usdm-btcusdt-20240808'))
    // The first three minutes.
    const lines = all.filter((l) => l.us < (all[0]?.us ?? 0) + 180e6)
    const server = await startBinanceServer({ lines, market: 'usdm', speed: SPEED })
    servers.push(server)
    server.start(20, true)
    const r = await captureFromServer(server, {
      lakeRoot: tempDir('lakebook-capture-handover-'),
      symbol: 'BTCUSDT',
      market: 'usdm',
      timing: { maxConnectionMs: 600, handoverTimeoutMs: 3000 }
    })
    expect(r.session.counts.plannedReconnects).toBeGreaterThanOrEqual(1)
    expect(server.conns.length).toBeGreaterThanOrEqual(2)
    expect(r.session.gaps).toEqual([])
    expect(r.session.segments).toHaveLength(1)
    // Across the switch: every source message exactly once, in order.
    const rec = await readRecording(r.dir, r)
    const ws = rec.lines.filter((l) => !isSnapshotJson(l.json)).map((l) => l.json)
    expect(ws).toEqual(lines.filter((l) => l.kind !== 'snapshot').map((l) => l.json))
    const rep = await replayCapture(rec.files)
    expect(rep.gaps).toBe(0)
    expect(rep.bbo.compared).toBeGreaterThan(100)
    expect(rep.bbo.matched).toBe(rep.bbo.compared)
  })

  it('usdm BTCUSDT: a frozen connection (no pong) is replaced and recorded as pong-timeout', async () => {
    const lines = await loadCapture(captureFiles('usdm-btcusdt-20240718'))
    const t0 = lines[0]?.us ?? 0
    const server = await startBinanceServer({
      lines,
      market: 'usdm',
      speed: SPEED,
      toUs: t0 + 120e6,
      faults: [{ atUs: t0 + 60e6, kind: 'freeze' }]
    })
    servers.push(server)
    server.start(20, true)
    const r = await captureFromServer(server, {
      lakeRoot: tempDir('lakebook-capture-pong-'),
      symbol: 'BTCUSDT',
      market: 'usdm',
      timing: { pingIntervalMs: 100, pongTimeoutMs: 300, staleMs: 5000 }
    })
    expect(r.session.gaps.map((g) => g.kind)).toEqual(['pong-timeout'])
    const g = r.session.gaps[0]
    const frozen = server.conns[0]
    expect(g?.lastU).toBe(lines[depthSent(lines, frozen).at(-1)?.index ?? -1]?.u)
    expect(g?.nextU).toBe(lines[depthSent(lines, server.conns[1])[0]?.index ?? -1]?.U)
    expect(g?.endNs).not.toBeNull()
  })

  it('spot BTCUSDT: a depth level off the tick is written as received and counted, not dropped in silence', async () => {
    const all = await loadCapture(captureFiles('spot-btcusdt-20240808'))
    const lines = all.filter((l) => l.us < (all[0]?.us ?? 0) + 60e6)
    // One real depth message, its first bid moved off the 0.01 tick (the damage is made here).
    const k = lines.findIndex((l, i) => i > 200 && l.kind === 'depth' && l.json.includes('"b":[["'))
    const target = lines[k]
    if (!target) throw new Error('no depth line to damage')
    const damaged = target.json.replace(/"b":\[\["(\d+\.\d\d)/, '"b":[["$15')
    expect(damaged).not.toBe(target.json)
    const server = await startBinanceServer({
      lines: lines.map((l, i) => (i === k ? { ...l, json: damaged } : l)),
      market: 'spot',
      speed: SPEED
    })
    servers.push(server)
    server.start(20, true)
    const r = await captureFromServer(server, {
      lakeRoot: tempDir('lakebook-capture-offtick-'),
      symbol: 'BTCUSDT',
      market: 'spot'
    })
    expect(r.session.counts.offTickLevels).toBe(1)
    const rec = await readRecording(r.dir, r)
    expect(rec.lines.map((l) => l.json)).toContain(damaged)
  })
})

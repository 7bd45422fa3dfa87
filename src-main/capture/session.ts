// A capture session on disk: `<lake>/captures/<session id>/` holds the part files, `session.json`
// (written atomically: at every segment start and gap change, and every few seconds for counts)
// and `quarantine.jsonl` (messages that cannot be stored as capture lines, kept as base64).
// session.json is the truth on disk; the manifest tables (schema.ts) mirror it for listing.
// After a crash, repairSession() recounts the files the last save did not know about.
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type {
  CaptureCounts,
  CaptureFileInfo,
  CaptureMarket,
  CaptureSessionInfo
} from '../../src-shared/capture'
import { lakePaths } from '../lake/paths'
import { IssueLog } from '../util/issueLog'
import { writeFileAtomic } from '../util/atomicWrite'
import { readCapturePart, type PartReadStats } from './partReader'
import { partNumber } from './writer'

export const SESSION_FILE = 'session.json'
export const QUARANTINE_FILE = 'quarantine.jsonl'

export const zeroCounts = (): CaptureCounts => ({
  messages: 0,
  depthUpdates: 0,
  trades: 0,
  bookTickers: 0,
  snapshots: 0,
  rejectedSnapshots: 0,
  snapshotRequests: 0,
  snapshotWeight: 0,
  malformed: 0,
  connections: 0,
  reconnects: 0,
  plannedReconnects: 0,
  duplicatesDropped: 0,
  offTickLevels: 0,
  rawBytes: 0,
  writtenBytes: 0
})

export function capturesRoot(lakeRoot: string): string {
  return lakePaths.captures(lakeRoot)
}

export function sessionDir(lakeRoot: string, id: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(id) || id.startsWith('.')) {
    throw new Error(`invalid capture session id "${id}"`)
  }
  return join(capturesRoot(lakeRoot), id)
}

/** `spot-btcusdt-20240808T235415Z-3fa2`: sortable by start, unique per start. */
export function newSessionId(market: CaptureMarket, symbol: string, now: Date): string {
  const t = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${market}-${symbol.toLowerCase()}-${t}-${randomBytes(2).toString('hex')}`
}

export function saveSession(dir: string, info: CaptureSessionInfo): void {
  writeFileAtomic(join(dir, SESSION_FILE), `${JSON.stringify(info, null, 1)}\n`)
}

export function loadSession(dir: string): CaptureSessionInfo {
  return JSON.parse(readFileSync(join(dir, SESSION_FILE), 'utf8')) as CaptureSessionInfo
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'
  }
}

/** A session marked running whose recorder process is gone was interrupted (crash, kill). */
export function effectiveState(info: CaptureSessionInfo): CaptureSessionInfo['state'] {
  if (info.state !== 'running') return info.state
  const last = info.runs[info.runs.length - 1]
  return last && last.endedAt === null && pidAlive(last.pid) ? 'running' : 'interrupted'
}

/** Every session under `<lake>/captures/`, newest first (state corrected for dead recorders). */
export function listSessionsOnDisk(lakeRoot: string): { dir: string; info: CaptureSessionInfo }[] {
  const root = capturesRoot(lakeRoot)
  if (!existsSync(root)) return []
  const out: { dir: string; info: CaptureSessionInfo }[] = []
  for (const name of readdirSync(root)) {
    const dir = join(root, name)
    if (!existsSync(join(dir, SESSION_FILE))) continue
    try {
      const info = loadSession(dir)
      out.push({ dir, info: { ...info, state: effectiveState(info) } })
    } catch {
      // A session.json that cannot be read is skipped here; repairSession can rebuild counts.
    }
  }
  return out.sort((a, b) => b.info.startedAt.localeCompare(a.info.startedAt))
}

/** Resolves a session id (or a unique prefix of one) to its folder. */
export function findSession(lakeRoot: string, idOrPrefix: string): string | null {
  const root = capturesRoot(lakeRoot)
  if (!existsSync(root)) return null
  if (existsSync(join(root, idOrPrefix, SESSION_FILE))) return join(root, idOrPrefix)
  const hits = readdirSync(root).filter(
    (n) => n.startsWith(idOrPrefix) && existsSync(join(root, n, SESSION_FILE))
  )
  return hits.length === 1 && hits[0] !== undefined ? join(root, hits[0]) : null
}

export function quarantine(dir: string, ns: bigint, reason: string, raw: Buffer): void {
  appendFileSync(
    join(dir, QUARANTINE_FILE),
    `${JSON.stringify({ ns: String(ns), reason, base64: raw.toString('base64') })}\n`
  )
}

export interface QuarantinedMessage {
  readonly ns: string
  readonly reason: string
  readonly raw: Buffer
}

export function readQuarantine(dir: string): QuarantinedMessage[] {
  const p = join(dir, QUARANTINE_FILE)
  if (!existsSync(p)) return []
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        const j = JSON.parse(l) as { ns: string; reason: string; base64: string }
        return [{ ns: j.ns, reason: j.reason, raw: Buffer.from(j.base64, 'base64') }]
      } catch {
        return []
      }
    })
}

export interface RepairResult {
  readonly info: CaptureSessionInfo
  /** Last depth diff (final id u) and last trade id found in the files, for the restart gap. */
  readonly lastDepthU: number | null
  readonly lastTradeId: number | null
  readonly issues: IssueLog
}

const DEPTH_U = /"stream":"[^"]*@depth[^"]*".*"u":(\d+)/
const TRADE_ID = /"stream":"[^"]*@(?:trade|aggTrade)".*?"[ta]":(\d+)/

/**
 * Recounts the files of a session whose recorder may have died after its last save: files the
 * save did not list are added (to the last segment: a new segment is always saved before its
 * first file is created), and every file of the last segment is re-read with the tolerant reader
 * (lines, first/last receive time, bytes; a damaged tail is counted, never rewritten).
 */
export async function repairSession(dir: string): Promise<RepairResult> {
  const info = loadSession(dir)
  const known = new Map(info.files.map((f) => [f.name, f]))
  const lastSegment = info.segments.length > 0 ? info.segments.length - 1 : 0
  const onDisk = readdirSync(dir)
    .filter((n) => partNumber(n) >= 0)
    .sort((a, b) => partNumber(a) - partNumber(b))
  const issues = new IssueLog()
  const files: CaptureFileInfo[] = []
  let lastDepthU: number | null = null
  let lastTradeId: number | null = null
  const added = {
    messages: 0,
    depthUpdates: 0,
    trades: 0,
    bookTickers: 0,
    snapshots: 0,
    rawBytes: 0
  }
  for (const name of onDisk) {
    const prev = known.get(name)
    const segment = prev?.segment ?? lastSegment
    if (prev && segment < lastSegment && prev.lines > 0) {
      files.push({ ...prev, bytes: statSync(join(dir, name)).size })
      continue
    }
    const stats: PartReadStats = {
      members: 0,
      damagedMembers: 0,
      truncatedTail: false,
      skippedBytes: 0,
      lines: 0,
      foreign: false
    }
    let first: string | null = null
    let last: string | null = null
    let rawBytes = 0
    const savedLines = prev?.lines ?? 0
    for await (const l of readCapturePart(join(dir, name), issues, stats)) {
      first ??= l.ts
      last = l.ts
      const bytes = l.ts.length + l.json.length + 2
      rawBytes += bytes
      const d = DEPTH_U.exec(l.json)
      if (d) lastDepthU = Number(d[1])
      const t = TRADE_ID.exec(l.json)
      if (t) lastTradeId = Number(t[1])
      // Lines the last save did not count (written after it).
      if (l.line > savedLines) {
        added.rawBytes += bytes - l.ts.length - 2
        if (l.json.startsWith('{"lastUpdateId"')) added.snapshots++
        else {
          added.messages++
          if (d) added.depthUpdates++
          else if (t) added.trades++
          else if (l.json.includes('@bookTicker"')) added.bookTickers++
        }
      }
    }
    const m = /_(\d{4})(\d{2})(\d{2})\./.exec(name)
    files.push({
      name,
      segment,
      day: prev?.day ?? (m ? `${m[1]}-${m[2]}-${m[3]}` : ''),
      firstNs: first,
      lastNs: last,
      lines: stats.lines,
      members: stats.members,
      bytes: statSync(join(dir, name)).size,
      rawBytes
    })
  }
  const lastNs = files.reduce<string | null>(
    (acc, f) =>
      f.lastNs !== null && (acc === null || BigInt(f.lastNs) > BigInt(acc)) ? f.lastNs : acc,
    info.endNs
  )
  const repaired: CaptureSessionInfo = {
    ...info,
    state: effectiveState(info),
    files,
    endNs: lastNs,
    counts: {
      ...info.counts,
      messages: info.counts.messages + added.messages,
      depthUpdates: info.counts.depthUpdates + added.depthUpdates,
      trades: info.counts.trades + added.trades,
      bookTickers: info.counts.bookTickers + added.bookTickers,
      snapshots: info.counts.snapshots + added.snapshots,
      rawBytes: info.counts.rawBytes + added.rawBytes,
      writtenBytes: files.reduce((s, f) => s + f.bytes, 0)
    }
  }
  return { info: repaired, lastDepthU, lastTradeId, issues }
}

/** The session's files in replay order (by first receive time; part number breaks ties). */
export function orderedFiles(dir: string, info: CaptureSessionInfo): string[] {
  return [...info.files]
    .filter((f) => f.lines > 0 || f.firstNs !== null)
    .sort((a, b) => {
      const fa = a.firstNs === null ? null : BigInt(a.firstNs)
      const fb = b.firstNs === null ? null : BigInt(b.firstNs)
      if (fa !== null && fb !== null && fa !== fb) return fa < fb ? -1 : 1
      return partNumber(a.name) - partNumber(b.name)
    })
    .map((f) => join(dir, f.name))
}

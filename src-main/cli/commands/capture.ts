// lakebook capture: record live Binance market data (golden samples) into the lake, list the
// recorded sessions, and label a recording's market regimes. The capture and the regime
// measurement run as jobs (kinds capture and capture-regimes).
import { Option, type Command } from 'commander'
import {
  captureParams,
  captureRegimesParams,
  parseDuration,
  parseUntil,
  type CaptureParams,
  type CaptureResult
} from '../../../src-shared/capture'
import { fmtBytes, fmtDuration } from '../../../src-shared/format'
import type { JobError, JobState } from '../../../src-shared/jobs'
import type { RegimesResult } from '../../capture/job'
import { listSessionsOnDisk } from '../../capture/session'
import { CaptureSessionRepo } from '../../capture/sessionRepo'
import { openManifest } from '../../lake/manifest'
import { resolveLakeRoot } from '../../lake/paths'
import { EXIT, runJob, type GlobalOpts } from '../run'

const n = (v: number): string => v.toLocaleString('en-US')

interface Outcome<R> {
  readonly state: 'done' | 'failed' | 'cancelled'
  readonly result: R | null
  readonly error: string | null
}

/** A capture job's outcome (the job ran through runJob: recorded in the manifest, in a worker). */
function outcome<R>(record: {
  readonly state: JobState
  readonly result: R | null
  readonly error: JobError | null
}): Outcome<R> {
  return {
    state: record.state === 'done' ? 'done' : record.state === 'cancelled' ? 'cancelled' : 'failed',
    result: record.result,
    error: record.error?.message ?? null
  }
}

function fail(message: string, code: number = EXIT.usage): void {
  process.stderr.write(`lakebook capture: ${message}\n`)
  process.exitCode = code
}

function printCapture(r: CaptureResult): void {
  const s = r.session
  const c = s.counts
  const span =
    s.startNs !== null && s.endNs !== null
      ? fmtDuration(Number((BigInt(s.endNs) - BigInt(s.startNs)) / 1_000_000n))
      : '–'
  const lines = [
    `session ${s.id} (${s.market} ${s.symbol}) ${s.state}, stopped by ${r.stoppedBy}: ${span} recorded`,
    `  ${r.dir}`,
    `messages ${n(c.messages)}: depth ${n(c.depthUpdates)}, trades ${n(c.trades)}, bookTicker ${n(c.bookTickers)}, snapshots ${n(c.snapshots)} (${n(c.rejectedSnapshots)} refused, ${n(c.snapshotRequests)} requests, weight ${n(c.snapshotWeight)})`,
    `connections ${n(c.connections)}, reconnects ${n(c.reconnects)}, planned hand-overs ${n(c.plannedReconnects)}, quarantined ${n(c.malformed)}, off-tick levels in the live book ${n(c.offTickLevels ?? 0)}`,
    `files ${n(s.files.length)}, ${fmtBytes(c.writtenBytes)} written (${fmtBytes(c.rawBytes)} raw), segments ${n(s.segments.length)}`,
    `gaps ${n(s.gaps.length)}`
  ]
  for (const g of s.gaps) {
    const dur =
      g.endNs === null
        ? 'open at the end'
        : fmtDuration(Number((BigInt(g.endNs) - BigInt(g.startNs)) / 1_000_000n))
    lines.push(
      `  #${g.seq} ${g.kind} at ${isoOfNs(g.startNs)} (${dur}): u ${g.lastU ?? '?'} → U ${g.nextU ?? '?'}, resynced at ${g.snapshotUpdateId ?? '–'}; ${g.detail}`
    )
  }
  if (s.regimes) {
    const k = s.regimes.counts
    lines.push(
      `regimes (${fmtDuration(s.regimes.windowMs)} windows): high-volume ${k['high-volume']}, low-volume ${k['low-volume']}, event ${k.event}, normal ${k.normal}, partial ${k.partial}${s.regimes.thresholds ? '' : ' (too few complete windows for thresholds)'}`
    )
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

const isoOfNs = (ns: string): string =>
  new Date(Number(BigInt(ns) / 1_000_000n)).toISOString().replace('.000Z', 'Z')

function printRegimes(r: RegimesResult): void {
  const f = (v: number, d = 2): string => (Number.isFinite(v) ? v.toFixed(d) : '–')
  const lines: string[] = []
  const t = r.thresholds
  lines.push(
    t
      ? `thresholds from ${t.referenceWindows} complete ${r.referenceSource} windows: low-volume notional ≤ ${f(t.lowNotional, 0)}, high-volume ≥ ${f(t.highNotional, 0)}; event rv ≥ ${f(t.eventRvBps)} bps and (1-s move ≥ ${f(t.eventMaxAbsReturnBps)} bps or spread ≥ ${f(t.eventSpreadBps, 4)} bps)`
      : 'too few complete windows for thresholds: windows are not labelled'
  )
  for (const w of r.windows) {
    lines.push(
      `${new Date(w.startMs).toISOString().slice(0, 16)}  ${w.label.padEnd(11)} cov ${f(w.coverage)}  trades ${String(w.trades).padStart(6)}  notional ${f(w.notional, 0).padStart(12)}  rv ${f(w.rvBps).padStart(7)}  1s-move ${f(w.maxAbsReturnBps).padStart(7)}  spread ${f(w.spreadBps, 4)} bps`
    )
  }
  const k = r.counts
  lines.push(
    `high-volume ${k['high-volume']}, low-volume ${k['low-volume']}, event ${k.event}, normal ${k.normal}, partial ${k.partial}; covered: ${r.covered.join(', ') || 'none'}`
  )
  process.stdout.write(`${lines.join('\n')}\n`)
}

function msOption(text: string, what: string): number | null {
  const ms = parseDuration(text)
  if (!Number.isFinite(ms) || ms <= 0) {
    fail(`${what}: cannot read "${text}" (use e.g. 30m, 24h)`)
    return null
  }
  return ms
}

interface CaptureOpts {
  symbol?: string
  market?: 'spot' | 'usdm'
  duration?: string
  until?: string
  out?: string
  trades?: 'trade' | 'aggTrade'
  depthStream?: string
  snapshotLimit?: string
  wsBase?: string
  restBase?: string
  window?: string
  resume?: string
  reference?: string[]
  json?: boolean
}

export function register(program: Command): void {
  const capture = program
    .command('capture')
    .description(
      'record live Binance depth, trades and bookTicker (golden samples) into <lake>/captures'
    )
    .option('--symbol <symbol>', 'Binance symbol, e.g. BTCUSDT')
    .addOption(new Option('--market <market>', 'Binance market').choices(['spot', 'usdm']))
    .option('--duration <time>', 'stop after this long, e.g. 30m, 24h (default: 24h)')
    .option('--until <condition>', 'stop earlier, e.g. "3 regimes covered"')
    .option('--out <lake root>', 'lake root to record into (default: --lake)')
    .addOption(
      new Option(
        '--trades <stream>',
        'trade stream (default: trade on spot, aggTrade on usdm)'
      ).choices(['trade', 'aggTrade'])
    )
    .option('--depth-stream <name>', 'depth stream suffix', 'depth@100ms')
    .option('--snapshot-limit <levels>', 'REST snapshot depth', '1000')
    .option('--ws-base <url>', 'WebSocket base URL (default: Binance)')
    .option('--rest-base <url>', 'REST base URL (default: Binance)')
    .option('--window <time>', 'regime window (default: 5m)')
    .option('--resume <session>', 'continue an interrupted session (new part files)')
    .option('--reference <sessions...>', 'sessions whose windows set the regime thresholds')
    .option('--json', 'print one JSON document on stdout')
    .action(async (o: CaptureOpts) => {
      const g = { ...program.opts<GlobalOpts>(), ...(o.json === true ? { json: true } : {}) }
      if (o.symbol === undefined || o.market === undefined) {
        fail('--symbol and --market are required (or use: capture sessions | capture regimes)')
        return
      }
      const durationMs = msOption(o.duration ?? '24h', '--duration')
      const windowMs = msOption(o.window ?? '5m', '--window')
      if (durationMs === null || windowMs === null) return
      if (o.until !== undefined && parseUntil(o.until) === null) {
        fail(`--until: cannot read "${o.until}" (use e.g. "3 regimes covered")`)
        return
      }
      const parsed = captureParams.safeParse({
        symbol: o.symbol,
        market: o.market,
        durationMs,
        windowMs,
        depthStream: o.depthStream,
        snapshotLimit: Number(o.snapshotLimit),
        ...(o.until === undefined ? {} : { until: o.until }),
        ...(o.out === undefined ? {} : { lakeRoot: resolveLakeRoot(o.out) }),
        ...(o.trades === undefined ? {} : { tradeStream: o.trades }),
        ...(o.wsBase === undefined ? {} : { wsBase: o.wsBase }),
        ...(o.restBase === undefined ? {} : { restBase: o.restBase }),
        ...(o.resume === undefined ? {} : { resume: o.resume }),
        ...(o.reference === undefined ? {} : { reference: o.reference })
      } satisfies Record<string, unknown>)
      if (!parsed.success) {
        fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
        return
      }
      const params: CaptureParams = parsed.data
      const out = outcome(await runJob({ kind: 'capture', params }, g))
      if (out.state === 'failed' || out.result === null) {
        fail(out.error ?? out.state, out.state === 'cancelled' ? EXIT.cancelled : EXIT.failed)
        return
      }
      const r = out.result
      if (g.json === true) process.stdout.write(`${JSON.stringify(r)}\n`)
      else printCapture(r)
      // A stopped capture is a complete session; quarantined messages are counted input problems.
      if (r.session.counts.malformed > 0) process.exitCode = EXIT.dataIssues
    })

  capture
    .command('sessions')
    .description('list recorded capture sessions (newest first)')
    .option('--json', 'print one JSON document on stdout')
    .action((o: { json?: boolean }) => {
      const g = program.opts<GlobalOpts>()
      // Options also defined on `capture` (--json) may be parsed there: merge both.
      const json = o.json === true || capture.opts<CaptureOpts>().json === true
      const lakeRoot = resolveLakeRoot(g.lake)
      const sessions = listSessionsOnDisk(lakeRoot)
      // Keep the manifest mirror in step with the folders.
      const db = openManifest(lakeRoot)
      try {
        new CaptureSessionRepo(db).importFromDisk(lakeRoot)
      } finally {
        db.close()
      }
      if (json || g.json === true) {
        process.stdout.write(
          `${JSON.stringify(sessions.map(({ dir, info }) => ({ dir, ...info, windows: undefined })))}\n`
        )
        return
      }
      if (sessions.length === 0) process.stdout.write('no capture sessions\n')
      for (const { info: s } of sessions) {
        const span =
          s.startNs !== null && s.endNs !== null
            ? fmtDuration(Number((BigInt(s.endNs) - BigInt(s.startNs)) / 1_000_000n))
            : '–'
        const open = s.gaps.filter((x) => x.endNs === null).length
        process.stdout.write(
          `${s.id}  ${s.state.padEnd(11)} ${s.startNs === null ? s.startedAt : isoOfNs(s.startNs)}  ${span.padStart(7)}  ${n(s.counts.messages).padStart(12)} msgs  ${String(s.gaps.length).padStart(3)} gaps${open > 0 ? ` (${open} open)` : ''}  ${fmtBytes(s.counts.writtenBytes)}\n`
        )
      }
    })

  capture
    .command('regimes')
    .description('label the market regime of every window of a session or of capture files')
    .argument('<inputs...>', 'a session id (or unique prefix), or capture files')
    .option('--window <time>', 'window length (default: 5m)')
    .option('--reference <inputs...>', 'sessions or files whose windows set the thresholds')
    .option('--json', 'print one JSON document on stdout')
    .action(
      async (inputs: string[], sub: { window?: string; reference?: string[]; json?: boolean }) => {
        // Options also defined on `capture` (--window, --reference, --json) may be parsed there.
        const parent = capture.opts<CaptureOpts>()
        const o = {
          window: sub.window ?? parent.window ?? '5m',
          reference: sub.reference ?? parent.reference,
          json: sub.json === true || parent.json === true
        }
        const g = { ...program.opts<GlobalOpts>(), ...(o.json ? { json: true } : {}) }
        const windowMs = msOption(o.window, '--window')
        if (windowMs === null) return
        const parsed = captureRegimesParams.safeParse({
          inputs,
          windowMs,
          ...(o.reference === undefined ? {} : { reference: o.reference })
        })
        if (!parsed.success) {
          fail(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
          return
        }
        const out = outcome(await runJob({ kind: 'capture-regimes', params: parsed.data }, g))
        if (out.state !== 'done' || out.result === null) {
          fail(out.error ?? out.state, out.state === 'cancelled' ? EXIT.cancelled : EXIT.failed)
          return
        }
        const r = out.result
        if (g.json === true) process.stdout.write(`${JSON.stringify(r)}\n`)
        else printRegimes(r)
        if (Object.keys(r.issueCounts).length > 0) process.exitCode = EXIT.dataIssues
      }
    )
}

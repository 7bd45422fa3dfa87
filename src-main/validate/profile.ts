// `lakebook profile`: what the data looks like, per table and day (profileStats.ts), and the gap
// between the formats: the project's Lake replay (runLakeReplay) rebuilds the book from
// book_delta_v2 and compares it with every `book` row; its drift summary, seeds, bursts and
// unknown depth say what book_delta_v2 adds over `book`, where they disagree, and therefore what
// a reconstruction must do (the `requirements` list). JSON + a self-contained HTML report.
import type {
  FormatGap,
  ProfileParams,
  ProfileResult,
  TableDayProfile
} from '../../src-shared/validate'
import type { LakeReplayResult } from '../../src-shared/lake'
import { FloatGrid } from '../../src-shared/units'
import { CancelledError, errorMessage } from '../util/errors'
import { readLakeTable } from '../lake/parquet/reader'
import { dataBase, marketOfExchange, partitionDays, partitionFiles } from '../lake/layout'
import { runLakeReplay } from '../replay/lakeJob'
import { writeFileAtomic } from '../util/atomicWrite'
import { mergeThresholds, selectionOf } from './gate'
import { lakeRelative, parsePartitionRel, tickFiles, type GateFile } from './partition'
import { renderProfileHtml } from './profileHtml'
import { TableDayStats } from './profileStats'
import { round6 } from './sample'
import { resolveTick } from '../lake/tick'

export interface ProfileEnv {
  readonly lakeRoot: string
  readonly signal?: AbortSignal | undefined
  readonly progress?: ((done: number, total: number, message: string) => void) | undefined
  readonly log?: ((level: 'info' | 'warn' | 'error', message: string) => void) | undefined
  readonly now?: (() => Date) | undefined
}

export async function profileLake(params: ProfileParams, env: ProfileEnv): Promise<ProfileResult> {
  const root = params.root ?? env.lakeRoot
  const base = dataBase(root)
  const sel = selectionOf(params)
  const t = mergeThresholds()
  const days = new Set<string>()
  for (const tb of sel.tables)
    for (const d of partitionDays(base, tb, sel.exchange, sel.symbol))
      if (
        (params.from === undefined || d >= params.from) &&
        (params.to === undefined || d <= params.to)
      )
        days.add(d)
  const sortedDays = [...days].sort()
  const from = params.from ?? sortedDays[0] ?? null
  const to = params.to ?? sortedDays[sortedDays.length - 1] ?? null

  const work: { table: (typeof sel.tables)[number]; day: string; files: string[] }[] = []
  for (const table of sel.tables)
    for (const day of sortedDays) {
      const files = partitionFiles(base, table, sel.exchange, sel.symbol, day)
      if (files.length > 0) work.push({ table, day, files })
    }
  const gateFiles: GateFile[] = work.flatMap((w) =>
    w.files.map((abs) => {
      const rel = lakeRelative(base, abs)
      const p = parsePartitionRel(rel)
      return {
        abs,
        rel,
        zone: 'other' as const,
        table: w.table,
        exchange: sel.exchange,
        symbol: sel.symbol,
        day: w.day,
        filename: p?.filename ?? abs
      }
    })
  )
  const tick = (await resolveTick(params.tick, sel.exchange, sel.symbol, tickFiles(gateFiles))).tick
  const opts = {
    grid: tick === null ? null : new FloatGrid(tick),
    quietS: params.quietS ?? 5,
    burstMinRows: t.burstMinRows,
    market: marketOfExchange(sel.exchange)
  }

  const tables: TableDayProfile[] = []
  let largestMessageRows = 0
  for (const [i, w] of work.entries()) {
    env.progress?.(i, work.length, `${w.table} ${w.day}`)
    const stats = new TableDayStats(w.table, w.day, opts)
    for (const abs of w.files) {
      const rel = lakeRelative(root, abs)
      stats.files.push(rel)
      try {
        for await (const b of readLakeTable(abs, w.table, {
          extraColumns: 'ignore',
          ...(env.signal ? { signal: env.signal } : {})
        }))
          stats.batch(b)
      } catch (e) {
        if (e instanceof CancelledError) throw e
        stats.unreadable.push({ file: rel, reason: errorMessage(e) })
        env.log?.('warn', `${rel}: ${errorMessage(e)}`)
      }
    }
    const p = stats.finish()
    if (stats.largestMessage > largestMessageRows) largestMessageRows = stats.largestMessage
    tables.push(p)
  }
  env.progress?.(work.length, work.length, 'tables profiled')

  let replay: LakeReplayResult | null = null
  let replayError: string | null = null
  const hasDeltas = tables.some((p) => p.table === 'book_delta_v2')
  if (params.replay !== false && hasDeltas && sel.tables.includes('book')) {
    try {
      replay = await runLakeReplay(
        {
          root,
          exchange: sel.exchange,
          symbol: sel.symbol,
          ...(from === null ? {} : { from }),
          ...(to === null ? {} : { to }),
          ...(tick === null ? {} : { tick })
        },
        { workers: 0, signal: env.signal }
      )
    } catch (e) {
      if (e instanceof CancelledError) throw e
      replayError = errorMessage(e)
      env.log?.('warn', `Lake replay for the format comparison failed: ${replayError}`)
    }
  } else if (params.replay !== false) {
    replayError = 'needs book_delta_v2 and book in the selection'
  } else replayError = 'not run (replay: false)'

  const result: ProfileResult = {
    root,
    exchange: sel.exchange,
    symbol: sel.symbol,
    from,
    to,
    tick,
    tables,
    formatGap: formatGap(tables, replay, replayError, largestMessageRows),
    report: params.report ?? null
  }
  if (params.report !== undefined)
    writeFileAtomic(
      params.report,
      renderProfileHtml(result, (env.now ?? (() => new Date()))().toISOString())
    )
  return result
}

// 6 significant digits, like every other number of the profile (round6): its sentences quote the
// same values its JSON records, which fmtPct's one decimal would not.
const pct = (x: number): string => `${round6(x * 100)} %`

/** Reconstruction requirements and the format comparison, from the profiles and the replay. */
export function formatGap(
  tables: readonly TableDayProfile[],
  r: LakeReplayResult | null,
  replayError: string | null,
  largestMessageRows: number
): FormatGap {
  const sum = (table: string): number =>
    tables.filter((p) => p.table === table).reduce((s, p) => s + p.events, 0)
  const messages = sum('book_delta_v2')
  const bookRows = sum('book')
  const perBookRow = bookRows > 0 && messages > 0 ? round6(messages / bookRows) : null
  const req: string[] = []
  if (perBookRow !== null)
    req.push(
      `\`book\` holds one row per ${perBookRow} book_delta_v2 messages and only 20 levels a side: ` +
        'the states in between and all depth beyond level 20 exist only in book_delta_v2, so the ' +
        'reconstruction replays book_delta_v2 and uses `book` to seed and to check'
    )
  if (largestMessageRows > 40)
    req.push(
      `in-stream snapshot bursts reach ${largestMessageRows} rows (vs 40 levels in a \`book\` row): ` +
        'detect them (no flag column: size, both sides, spot origin time 0) and clear the book before applying them'
    )
  const lags = tables.map((p) => p.feedLagMs?.p50).filter((x): x is number => x !== undefined)
  const lagMin = lags.length === 0 ? 0 : Math.min(...lags)
  if (lagMin < mergeThresholds().lagWarnLowMs)
    req.push(
      `median feed lag down to ${lagMin} ms (receive before origin): the capture clock runs behind the exchange; ` +
        'order events by receive time and never derive latency from these times without correcting the offset'
    )
  const quiet = tables.filter((p) => p.table === 'book_delta_v2' && p.quiet.count > 0)
  if (quiet.length > 0) {
    const longest = Math.max(...quiet.flatMap((p) => p.quiet.longest.map((q) => q.seconds)))
    req.push(
      `book_delta_v2 has quiet periods (longest ${longest} s): a silent period is not a gap by itself — ` +
        'Binance sends no diff when nothing changes; gaps are judged by sequence numbers and bursts'
    )
  }
  if (r !== null) {
    const d = r.drift
    if (r.seeds.fromBook > 0)
      req.push(
        `${r.seeds.fromBook} day(s) start mid-stream without a snapshot: seed from the first two-sided \`book\` row ` +
          `and report depth beyond its 20 levels as unknown (${pct(r.unknownDepthShare)} of applied messages had unknown depth in the top 20)`
      )
    else if (r.unknownDepthShare > 0)
      req.push(
        `${pct(r.unknownDepthShare)} of applied messages left the top 20 partly unknown (the price moved past the snapshot's depth): report it, never fill it`
      )
    if (d.aligned > 0)
      req.push(
        d.exactRows === d.aligned
          ? `all ${d.aligned} \`book\` rows aligned by sequence number agree exactly with the reconstruction ` +
              `(mean Jaccard ${round6(d.meanJaccard)}): align book rows on sequence_number and use them as the oracle`
          : `${d.aligned - d.exactRows} of ${d.aligned} aligned \`book\` rows disagree with the reconstruction ` +
              `(mean Jaccard ${round6(d.meanJaccard)}, min ${round6(d.minJaccard)}, best price mismatch on ${d.bestPriceMismatchRows} rows): ` +
              'reseed from `book` when drift persists'
      )
    if (d.rowBehind + d.rowAhead > 0)
      req.push(
        `${d.rowBehind + d.rowAhead} \`book\` rows had no delta message with the same sequence number ` +
          `(${d.rowBehind} behind, ${d.rowAhead} ahead): compare only aligned rows`
      )
    if (r.crossedMs > 0)
      req.push(
        `the reconstruction was crossed for ${round6(r.crossedMs / 1000)} s: reseed after ${r.policy.reseedAfterCrossedMs ?? 'never'} ms crossed`
      )
    const missing = Object.entries(r.missingDays).filter(([, v]) => v.length > 0)
    if (missing.length > 0)
      req.push(
        `missing days (${missing.map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}): never carry the book over a missing day`
      )
  }
  return {
    replay:
      r === null
        ? null
        : {
            deltaMessages: r.events.deltaMessages,
            bookRows: r.events.bookRows,
            appliedMessages: r.appliedMessages,
            seeds: r.seeds,
            bursts: r.bursts.count,
            reseeds: r.reseeds.count,
            crossedMs: r.crossedMs,
            unknownDepthShare: round6(r.unknownDepthShare),
            drift: {
              rows: r.drift.rows,
              aligned: r.drift.aligned,
              rowBehind: r.drift.rowBehind,
              rowAhead: r.drift.rowAhead,
              exactRows: r.drift.exactRows,
              meanJaccard: round6(r.drift.meanJaccard),
              minJaccard: round6(r.drift.minJaccard),
              bestPriceMismatchRows: r.drift.bestPriceMismatchRows,
              meanAbsMidErrTicks: round6(r.drift.meanAbsMidErrTicks),
              unknownDepthRows: r.drift.unknownDepthRows,
              alerts: r.drift.alerts.length
            },
            missingDays: r.missingDays
          },
    replayError,
    deltaMessagesPerBookRow: perBookRow,
    largestMessageRows,
    requirements: req
  }
}

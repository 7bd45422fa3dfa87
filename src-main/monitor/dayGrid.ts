// The Monitor page's day × table grid from the manifest: the data gate's verdict of each input
// table's files per day (gate_files, the ready zone before staging), each backfill day's replay
// verdict (its summary) and its export (the day job's state). Every cell carries a sentence, and
// where a click goes: the Quality page for a verdict of the gate, the Book for a replayed day.
import type { BackfillDaysView } from '../../src-shared/backfillDays'
import {
  GRID_TABLES,
  GRID_VERDICTS,
  type DayGridCell,
  type DayGridView,
  type GridColumn,
  type GridVerdict
} from '../../src-shared/dayGrid'
import type { BackfillDayView, ExportParams } from '../../src-shared/export'
import { fmtBytes, fmtInt } from '../../src-shared/format'
import { BackfillStore } from '../export/backfillStore'
import type { Db } from '../lake/manifest'
import { ValidationStore } from '../validate/store'
import { latestBackfillDays } from './backfillDays'

/** The part of a gate_files row the grid reads. */
export interface GridGateFile {
  readonly table: string
  readonly day: string
  readonly zone: 'staging' | 'ready'
  readonly status: 'staged' | 'pass' | 'warn' | 'fail'
  readonly validatedAt: string | null
}

const RANK: Record<GridGateFile['status'], number> = { staged: 0, pass: 1, warn: 2, fail: 3 }
const hhmmss = (ms: number): string => new Date(ms).toISOString().slice(11, 19)

function tableCell(
  table: string,
  day: string,
  files: readonly GridGateFile[],
  bf: BackfillDayView | undefined
): DayGridCell {
  const ready = files.filter((f) => f.zone === 'ready')
  const shown = ready.length > 0 ? ready : files
  if (shown.length > 0) {
    const worst = shown.reduce((a, f) => (RANK[f.status] > RANK[a.status] ? f : a))
    const where = `${shown.length} file${shown.length === 1 ? '' : 's'} in ${ready.length > 0 ? 'ready' : 'staging'}/`
    if (worst.status === 'staged')
      return {
        verdict: 'pending',
        title: `${table} ${day}: ${where}, not validated yet (lakebook validate)`
      }
    return {
      verdict: worst.status,
      title: `${table} ${day}: ${worst.status} by the data gate (${where}${worst.validatedAt ? `, validated ${worst.validatedAt.slice(0, 19)} UTC` : ''}); click for its findings on the Quality page`,
      quality: { table, day }
    }
  }
  if (bf?.summary?.missingTables.includes(table))
    return { verdict: 'missing', title: `${table} ${day}: no file for this day` }
  if (bf?.state === 'done')
    return {
      verdict: 'pending',
      title: `${table} ${day}: read by the backfill but never validated by this lake's data gate`
    }
  return { verdict: 'pending', title: `${table} ${day}: not downloaded or validated yet` }
}

const noData = (d: BackfillDayView): boolean =>
  d.summary !== null && d.summary.inputRows === 0 && d.summary.missingTables.length === 3

function replayCell(day: string, d: BackfillDayView | undefined): DayGridCell {
  if (d === undefined) return { verdict: 'pending', title: `replay ${day}: not in the backfill` }
  if (d.state === 'failed')
    return { verdict: 'fail', title: `replay ${day}: the day job failed: ${d.reason ?? ''}` }
  if (d.state !== 'done') return { verdict: 'pending', title: `replay ${day}: ${d.state}` }
  const s = d.summary
  if (s === null)
    return {
      verdict: 'pending',
      title: `replay ${day}: done before day summaries were kept (no verdict)`
    }
  if (noData(d))
    return { verdict: 'missing', title: `replay ${day}: no data (accepted as missing)` }
  const at = s.firstReceiveTime ? Date.parse(s.firstReceiveTime) : undefined
  const drift =
    s.drift.meanAbsMidErrTicks === null
      ? 'no drift compared'
      : `drift |Δmid| ${s.drift.meanAbsMidErrTicks.toFixed(3)} ticks${s.drift.maxAbsMidErrTicks == null ? '' : ` (max ${s.drift.maxAbsMidErrTicks.toFixed(3)})`}`
  return {
    verdict: s.verdict,
    title:
      `replay ${day}: ${s.verdict} — ${fmtInt(s.bookRowsApplied)} of ${fmtInt(s.events.deltaRows)} delta rows applied (${s.seed}), ${s.resyncs} resync(s), ${fmtInt(s.crossedMs)} ms crossed, ${drift}` +
      (s.reasons.length > 0 ? `; ${s.reasons.join('; ')}` : '') +
      (at === undefined ? '' : `; click for the Book at ${hhmmss(at)} UTC`),
    bookAtMs: at
  }
}

function exportCell(day: string, d: BackfillDayView | undefined): DayGridCell {
  if (d === undefined) return { verdict: 'pending', title: `export ${day}: not in the backfill` }
  if (d.state === 'failed')
    return { verdict: 'fail', title: `export ${day}: failed: ${d.reason ?? ''}` }
  if (d.state !== 'done')
    return {
      verdict: 'pending',
      title: `export ${day}: ${d.state}${d.reason ? ` (${d.reason})` : ''}`
    }
  if (noData(d)) return { verdict: 'missing', title: `export ${day}: nothing to export (no data)` }
  const rows = d.summary ? `${fmtInt(d.summary.outputRows)} rows, ` : ''
  return {
    verdict: 'pass',
    title: `export ${day}: done, ${rows}${fmtBytes(d.outputBytes ?? 0)} in ${(d.seconds ?? 0).toFixed(1)} s`
  }
}

export function buildDayGrid(
  backfill: BackfillDaysView | null,
  sourceRoot: string | null,
  files: readonly GridGateFile[]
): DayGridView {
  const byDay = new Map((backfill?.days ?? []).map((d) => [d.day, d]))
  const days = [...new Set([...byDay.keys(), ...files.map((f) => f.day)])].sort()
  const counts = Object.fromEntries(GRID_VERDICTS.map((v) => [v, 0])) as Record<GridVerdict, number>
  const rows = days.map((day) => {
    const bf = byDay.get(day)
    const cells = {} as Record<GridColumn, DayGridCell>
    for (const t of GRID_TABLES)
      cells[t] = tableCell(
        t,
        day,
        files.filter((f) => f.table === t && f.day === day),
        bf
      )
    cells.replay = replayCell(day, bf)
    cells.export = exportCell(day, bf)
    for (const c of Object.values(cells)) counts[c.verdict]++
    return { day, cells }
  })
  return {
    source:
      backfill === null || sourceRoot === null
        ? null
        : { root: sourceRoot, exchange: backfill.exchange, symbol: backfill.symbol },
    backfillId: backfill?.id ?? null,
    days: rows,
    counts
  }
}

/** The grid of the lake: the latest backfill (its instrument) and the gate's files for it. */
export function lakeDayGrid(db: Db, lakeRoot: string): DayGridView {
  const backfill = latestBackfillDays(db)
  const exchange = backfill?.exchange ?? 'BINANCE'
  const symbol = backfill?.symbol ?? 'BTC-USDT'
  const files = new ValidationStore(db).gateFiles({
    exchange,
    symbol,
    from: '0000-00-00',
    to: '9999-99-99'
  })
  let root: string | null = null
  if (backfill !== null) {
    const p = new BackfillStore(db).get(backfill.id).params as Partial<ExportParams>
    root = p.root ?? lakeRoot
  }
  return buildDayGrid(backfill, root, files)
}

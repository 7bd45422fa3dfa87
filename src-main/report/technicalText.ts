// `lakebook report technical` in the terminal: the stages, the extrapolations, the targets, the
// pivots, the figures from `lakebook bench` when the lake has them, and the verdict.
import { fmtBytes, fmtDuration, fmtInt } from '../../src-shared/format'
import type { TechnicalReport } from '../../src-shared/report'

/** The `lakebook bench` figures the report used, and when they were measured. */
function benchLines(r: TechnicalReport): string[] {
  const b = r.bench
  if (b === undefined || b === null)
    return ['no lakebook bench result in the lake (run `lakebook bench` for a second estimate)']
  const y = b.year
  const m = (x: number): string => `${(x / 1e6).toFixed(2)} M`
  return [
    `from lakebook bench of ${b.createdAt} (${b.file}${b.quick ? ', a --quick run: not a measurement' : ''}): validate ${m(b.validateRowsPerSecond)} rows/s on ${b.validateWorkers} threads (${m(b.validateSerialRowsPerSecond)} on one), replay ${m(b.replayRowsPerSecond)} rows/s, export ${m(b.exportEventsPerSecond)} events/s`,
    `  ${y.label}: validate + export ${fmtDuration(y.seconds * 1000)}` +
      (b.yearOnePass === null
        ? ''
        : `, in one pass (export --validate at ${m(b.onePassEventsPerSecond ?? 0)} events/s) ${fmtDuration(b.yearOnePass.seconds * 1000)}`) +
      `, replay ${fmtDuration(y.replaySeconds * 1000)} (the verdict above is from this report's own measurements)`
  ]
}

export function technicalText(r: TechnicalReport): string {
  const s = r.sample
  const lines = [
    `${s.exchange} ${s.symbol} ${s.days.join(', ')}: ${s.hours.toFixed(2)} h, ${s.files} files, ${fmtBytes(s.bytes)}, ${(s.rows.book_delta_v2 + s.rows.trades + s.rows.book).toLocaleString('en-US')} rows`,
    'stage      input rows/s   seconds',
    ...r.stages.map(
      (x) =>
        `  ${x.stage.padEnd(9)}${fmtInt(x.rowsPerSecond).padStart(12)}  ${x.seconds.toFixed(2).padStart(8)}`
    ),
    `peak RSS ${r.peakRssMb} MB; export output ${r.exportOutputRatio.toFixed(2)}× input bytes`,
    ...r.extrapolations.map(
      (e) =>
        `${e.label}: ${e.events.toExponential(2)} events, input ${fmtBytes(e.inputBytes)}, dataset ${fmtBytes(e.outputBytes)}, validate + export ${fmtDuration(e.seconds * 1000)}, replay ${fmtDuration(e.replaySeconds * 1000)}`
    ),
    ...r.targets.map(
      (t) =>
        `  ${t.pass ? 'pass  ' : t.required ? 'FAIL  ' : 'missed'} ${t.name}: ${fmtInt(t.measured)} ${t.direction === 'min' ? '>=' : '<='} ${fmtInt(t.target)} ${t.unit}${t.required ? '' : ' (goal)'}`
    ),
    'pivots (judged again from the same measurements):',
    ...r.pivots.map(
      (p) =>
        `  ${p.verdict.toUpperCase().padEnd(15)} ${p.title}: a year ${fmtInt(p.yearHours)} h, ${fmtBytes(p.yearDiskBytes)} on disk (${p.basis})`
    ),
    ...benchLines(r),
    `VERDICT: ${r.verdict.toUpperCase()}`,
    r.recommendation,
    `report: ${r.html}`
  ]
  return lines.join('\n')
}

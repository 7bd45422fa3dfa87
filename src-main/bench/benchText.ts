// The result of `lakebook bench` in plain sentences and one table, for the terminal.
import { fmtBytes } from '../../src-shared/format'
import type { BenchRate, BenchResult } from '../../src-shared/bench'

const num = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(0)} k` : x.toFixed(1)

function row(what: string, r: BenchRate | null, extra = ''): string {
  if (r === null) return `  ${what.padEnd(34)} not measured`
  const runs = r.runs.map((x) => num(x)).join(', ')
  return `  ${what.padEnd(34)}${`${num(r.perSecond)} ${r.unit}/s`.padStart(18)}   runs: ${runs}${extra}`
}

export function benchText(r: BenchResult & { file?: string }): string {
  const f = r.figures
  const m = r.machine
  const rows = r.input.rows.book_delta_v2 + r.input.rows.trades + r.input.rows.book
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}, ${m.os}.`,
    `Input: ${r.input.description}; ${r.input.exchange} ${r.input.symbol} ${r.input.days.join(', ')}, ${r.input.files} files, ${fmtBytes(r.input.bytes)}, ${rows.toLocaleString('en-US')} rows (${r.input.rows.book_delta_v2.toLocaleString('en-US')} book_delta_v2).`,
    `Each figure is the median of ${r.runs} timed run${r.runs === 1 ? '' : 's'}${r.quick ? ' (quick: no warm-up, tiny input, not a measurement to quote)' : ' after a warm-up'}; load average ${r.loadavg.start} at the start, ${r.loadavg.end} at the end.`,
    '',
    row('validate, one thread', f.validateSerial),
    row(
      `validate, ${f.validateWorkers} threads`,
      f.validateParallel,
      `  (${num(f.validatePerCore)} rows/s per thread)`
    ),
    row('Lake replay (1 decode worker)', f.lakeReplay),
    row('export (events, book, features)', f.export),
    row('export --validate (one pass)', f.onePass ?? null),
    row('capture replay', f.captureReplay),
    `  ${'output per row'.padEnd(34)}${`${f.outputBytesPerRow.toFixed(1)} bytes`.padStart(18)}   (${f.outputBytesPerDeltaRow.toFixed(1)} bytes per book_delta_v2 row)`,
    `  ${'peak RSS (whole process)'.padEnd(34)}${`${f.peakRssMb} MB`.padStart(18)}`,
    '',
    ...r.notes.map((n) => `Note: ${n}.`),
    `Took ${r.seconds.toFixed(0)} s.${r.file === undefined ? '' : ` Result: ${r.file} (read by lakebook report technical).`}`
  ].join('\n')
}

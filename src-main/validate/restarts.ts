// Restarts of the vendor's writer, found in the rows rather than read from the contains_gaps flag
// (which every real file carries: research notes, "Corrections"). Each row check reports what it
// sees — a snapshot burst (the REST snapshot the writer stores when it reconnects), a receive-time
// gap above the warning threshold, trade ids missing — and one restart is one row where any of
// them meet, with the longest hole before it.
import type { Restart } from '../../src-shared/validate'
import { isoUs } from './rowCheck'

/** Findings kept per check: a file with more is broken in other ways the rules report. */
const KEEP = 1000

export interface RestartFinding {
  readonly row: number
  readonly atUs: number
  /** µs without rows before it (the previous row's receive time to this one's). */
  readonly gapUs: number
  readonly evidence: string
}

export class RestartFindings {
  readonly list: RestartFinding[] = []

  add(f: RestartFinding): void {
    if (this.list.length < KEEP) this.list.push(f)
  }
}

/** One restart per row where findings meet, in row order. */
export function mergeRestarts(findings: readonly RestartFinding[]): Restart[] {
  const byRow = new Map<number, { atUs: number; gapUs: number; evidence: string[] }>()
  for (const f of findings) {
    const m = byRow.get(f.row)
    if (!m) byRow.set(f.row, { atUs: f.atUs, gapUs: f.gapUs, evidence: [f.evidence] })
    else {
      if (!m.evidence.includes(f.evidence)) m.evidence.push(f.evidence)
      if (f.gapUs > m.gapUs) m.gapUs = f.gapUs
    }
  }
  return [...byRow]
    .sort(([a], [b]) => a - b)
    .map(([row, m]) => ({
      at: isoUs(m.atUs),
      gapS: Math.round(m.gapUs / 1000) / 1000,
      evidence: m.evidence.join('; '),
      row
    }))
}

/** "2024-08-08T23:54:14.206651Z after 30 s without rows (receive-time gap; snapshot burst of 2000 rows)". */
export function restartText(r: Restart): string {
  return `${r.at} after ${r.gapS} s without rows (${r.evidence})`
}

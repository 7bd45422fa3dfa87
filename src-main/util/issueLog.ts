// Counts every input problem and keeps the first few of each kind with file and line, so nothing
// is dropped silently and reports stay small.
import type { InputIssue } from '../../src-shared/replay'
import { clipText } from './clip'

export class IssueLog {
  readonly counts: Partial<Record<InputIssue['kind'], number>> = {}
  readonly kept: InputIssue[] = []

  constructor(private readonly keepPerKind = 10) {}

  add(kind: InputIssue['kind'], file: string, line: number, message: string): void {
    const n = (this.counts[kind] ?? 0) + 1
    this.counts[kind] = n
    // A message may quote the offending input (a price, a stream name): kept short, length stated.
    if (n <= this.keepPerKind) this.kept.push({ kind, file, line, message: clipText(message, 300) })
  }

  /** Adds another log's counts and kept issues (e.g. from a decode worker). */
  merge(counts: Partial<Record<InputIssue['kind'], number>>, kept: readonly InputIssue[]): void {
    for (const [k, v] of Object.entries(counts) as [InputIssue['kind'], number][]) {
      const before = this.counts[k] ?? 0
      this.counts[k] = before + v
      const room = Math.max(0, this.keepPerKind - before)
      this.kept.push(...kept.filter((i) => i.kind === k).slice(0, room))
    }
  }

  count(kind: InputIssue['kind']): number {
    return this.counts[kind] ?? 0
  }

  get total(): number {
    let t = 0
    for (const v of Object.values(this.counts)) t += v
    return t
  }
}

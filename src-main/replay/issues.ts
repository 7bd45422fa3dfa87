// Counts every input problem and keeps the first few of each kind with file and line, so nothing
// is dropped silently and reports stay small.
import type { InputIssue } from '../../src-shared/replay'

export class IssueLog {
  readonly counts: Partial<Record<InputIssue['kind'], number>> = {}
  readonly kept: InputIssue[] = []

  constructor(private readonly keepPerKind = 10) {}

  add(kind: InputIssue['kind'], file: string, line: number, message: string): void {
    const n = (this.counts[kind] ?? 0) + 1
    this.counts[kind] = n
    if (n <= this.keepPerKind) this.kept.push({ kind, file, line, message })
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

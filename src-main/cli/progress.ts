// Progress on stderr: a redrawn line on a terminal, a line every few seconds otherwise (logs, CI).
import { fmtAmount, fmtDuration } from '../../src-shared/format'
import type { JobProgress } from '../../src-shared/jobs'

export function progressLine(p: JobProgress): string {
  // Padded to a fixed width (not fmtPct) so a redrawn terminal line does not jitter.
  const pct = p.total ? ` ${((100 * p.done) / p.total).toFixed(1).padStart(5)}%` : ''
  const of = p.total ? ` / ${fmtAmount(p.total, p.unit)}` : ''
  const rate = `${fmtAmount(p.rate, p.unit)}/s`
  const eta = p.etaMs === null ? '' : `  ETA ${fmtDuration(p.etaMs)}`
  return `${p.message}${pct}  ${fmtAmount(p.done, p.unit)}${of}  ${rate}${eta}`
}

export class StderrProgress {
  private lastPlain = 0
  private drawn = false

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false
  ) {}

  update(p: JobProgress): void {
    if (this.quiet) return
    const line = progressLine(p)
    if (this.stream.isTTY) {
      this.stream.write(
        `\r${line.slice(0, (this.stream.columns || 100) - 1).padEnd(this.stream.columns - 1 || 99)}`
      )
      this.drawn = true
    } else if (Date.now() - this.lastPlain > 2000) {
      this.stream.write(`${line}\n`)
      this.lastPlain = Date.now()
    }
  }

  log(text: string): void {
    this.end()
    this.stream.write(`${text}\n`)
  }

  end(): void {
    if (this.drawn) this.stream.write('\n')
    this.drawn = false
  }
}

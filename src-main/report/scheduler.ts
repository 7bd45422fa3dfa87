// The scheduled progress reports where main runs (the app, the browser host): checked at start
// and at every evaluation of the alert rules (ipc/handlers/monitor.ts), and when the UI lists
// them, on the clock it is given (tests inject one). What it writes is logged; a failure (a full
// disk) is said once until a check succeeds again, never thrown into the caller.
import type { ScheduleResult } from '../../src-shared/reports'
import type { Db } from '../lake/manifest'
import { errorMessage } from '../util/errors'
import { writeScheduledReports } from './schedule'

export class ReportScheduler {
  private failing = false

  constructor(
    private readonly db: Db,
    private readonly lakeRoot: string,
    private readonly now: () => number = Date.now,
    private readonly log: (message: string) => void = (m) => {
      process.stderr.write(`${m}\n`)
    }
  ) {}

  tick(): ScheduleResult | null {
    try {
      const r = writeScheduledReports(this.db, this.lakeRoot, this.now())
      for (const w of r.written)
        this.log(`lakebook: ${w.kind} progress report ${w.period}: ${w.html}`)
      this.failing = false
      return r
    } catch (e) {
      if (!this.failing)
        this.log(`lakebook: scheduled progress reports not written: ${errorMessage(e)}`)
      this.failing = true
      return null
    }
  }
}

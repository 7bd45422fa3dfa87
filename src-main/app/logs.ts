// The app's log file in the platform's log folder (app.getPath('logs'): ~/.config/lakebook/logs on
// Linux, ~/Library/Logs/lakebook on macOS, %APPDATA%\lakebook\logs on Windows): main-process events
// and every job's warnings, errors and outcome. One previous file is kept (lakebook.1.log).
import { appendFileSync, existsSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { shell } from 'electron'
import type { JobManager } from '../jobs/manager'
import { makeDir } from '../util/makeDir'

const MAX_BYTES = 5 * 1024 * 1024

export class AppLog {
  readonly file: string
  constructor(readonly dir: string) {
    makeDir(dir)
    this.file = join(dir, 'lakebook.log')
    if (existsSync(this.file) && statSync(this.file).size > MAX_BYTES) {
      renameSync(this.file, join(dir, 'lakebook.1.log'))
    }
  }

  write(level: 'info' | 'warn' | 'error', message: string): void {
    try {
      appendFileSync(this.file, `${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`)
    } catch {
      // Logging must never take the app down (full disk, folder removed while running).
    }
  }

  /** Job warnings, errors and outcomes (info lines stay in the job's own log view). */
  follow(jobs: JobManager): () => void {
    return jobs.subscribe({
      log: (l) => {
        if (l.level !== 'info') this.write(l.level, `job ${l.jobId}: ${l.message}`)
      },
      changed: (j) => {
        if (j.state === 'running' || j.state === 'queued') return
        const why = j.error ? `: ${j.error.message}` : ''
        this.write(j.state === 'done' ? 'info' : 'warn', `job ${j.id} (${j.kind}) ${j.state}${why}`)
      }
    })
  }

  /** Shows the log file in the system's file manager. */
  reveal(): void {
    if (existsSync(this.file)) shell.showItemInFolder(this.file)
    else void shell.openPath(this.dir)
  }
}

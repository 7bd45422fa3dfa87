// Desktop notifications of the engine's alerts, from main (Electron's Notification): one per raised
// alert, never again while it stays raised — whatever evaluates it again (the 15 s timer, the
// Monitor page's "Evaluate now") — and its click opens the alert's runbook. A cleared alert is
// forgotten, so the same condition raised again later notifies again. Off with
// alerts.desktopNotifications = false (read at each alert, so the Settings page applies at once).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Notification, shell } from 'electron'
import type { AlertRecord } from '../../src-shared/monitor'
import type { AlertChannel } from '../monitor/monitor'
import { loadAlertConfig } from '../monitor/config'
import { errorMessage } from '../util/errors'

export interface NotifierOptions {
  readonly lakeRoot: string
  /** The app's folder (app.getAppPath(): the project in development). */
  readonly appPath: string
  /** Electron's resources folder, where a packaged app keeps docs/runbooks (as runbooks/). */
  readonly resourcesPath?: string | undefined
  readonly log?: (message: string) => void
}

/** The file of a runbook ("docs/runbooks/drift.md"): in the packaged resources, else the project. */
export function runbookFile(runbook: string, o: NotifierOptions): string {
  const page = runbook.replace(/#.*$/, '')
  const packaged = o.resourcesPath ? join(o.resourcesPath, page.replace(/^docs\//, '')) : undefined
  return packaged !== undefined && existsSync(packaged) ? packaged : join(o.appPath, page)
}

export class DesktopNotifier implements AlertChannel {
  /** Alerts notified and still raised, by id (and by rule and key, as the manifest folds them). */
  private readonly shown = new Map<string, Notification>()

  constructor(private readonly o: NotifierOptions) {}

  private enabled(): boolean {
    try {
      return loadAlertConfig(this.o.lakeRoot).desktopNotifications && Notification.isSupported()
    } catch {
      // A config the monitor refuses stops the rules with its own sentence; nothing to add here.
      return false
    }
  }

  raised(a: AlertRecord): void {
    const key = `${a.rule}\u0000${a.key}`
    if (this.shown.has(key) || !this.enabled()) return
    const n = new Notification({
      title: `lakebook ${a.severity === 'error' ? 'error' : 'warning'}: ${a.rule}`,
      body: `${a.message} — click for the runbook (${a.runbook})`
    })
    n.on('click', () => {
      const file = runbookFile(a.runbook, this.o)
      shell.openPath(file).then(
        (failure) => {
          if (failure !== '') this.o.log?.(`the runbook ${file} could not be opened: ${failure}`)
        },
        (e: unknown) => this.o.log?.(`the runbook ${file} could not be opened: ${errorMessage(e)}`)
      )
    })
    // Kept referenced while raised: a notification garbage-collected loses its click handler.
    this.shown.set(key, n)
    n.show()
  }

  cleared(a: AlertRecord): void {
    this.shown.delete(`${a.rule}\u0000${a.key}`)
  }
}

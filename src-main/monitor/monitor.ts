// One evaluation of the alert rules over the lake: collect a snapshot, evaluate, fold into the
// manifest's alerts, and hand what was raised or cleared to the channels (the CLI's stderr, the
// app's notifications, the webhook). The app and the browser host call tick() on an interval;
// `lakebook status` calls it once. Channels never block or fail the tick.
import type { AlertConfig, AlertRecord } from '../../src-shared/monitor'
import type { Db } from '../lake/manifest'
import { loadTrustConfig } from '../lake/trustConfig'
import type { AlertChanges } from './alertStore'
import { AlertStore } from './alertStore'
import { collectSnapshot } from './collect'
import { loadAlertConfig } from './config'
import { evaluate, type MonitorSnapshot } from './rules'
import { WebhookChannel } from './webhook'

export interface AlertChannel {
  raised(a: AlertRecord): void
  cleared(a: AlertRecord): void
}

export interface TickResult extends AlertChanges {
  readonly firing: readonly AlertRecord[]
  readonly snapshot: MonitorSnapshot
}

export class Monitor {
  readonly store: AlertStore
  config: AlertConfig
  webhook: WebhookChannel | null
  private readonly log: ((message: string) => void) | undefined

  constructor(
    private readonly db: Db,
    private readonly lakeRoot: string,
    private readonly channels: readonly AlertChannel[] = [],
    /** Adds what only this process knows (a running capture's live view) to the snapshot. */
    private readonly live?: (s: MonitorSnapshot) => MonitorSnapshot,
    log?: (message: string) => void
  ) {
    this.store = new AlertStore(db)
    this.log = log
    this.config = loadAlertConfig(lakeRoot)
    this.webhook = this.channelOf(this.config)
  }

  private channelOf(c: AlertConfig): WebhookChannel | null {
    const w = c.webhook
    return w ? new WebhookChannel({ ...w, lake: this.lakeRoot, onFailure: this.log }) : null
  }

  /** The config is read again at every tick, so a change on the Settings page applies at once. */
  private reload(): void {
    const next = loadAlertConfig(this.lakeRoot)
    if (JSON.stringify(next.webhook) !== JSON.stringify(this.config.webhook))
      this.webhook = this.channelOf(next)
    this.config = next
  }

  tick(atMs = Date.now()): TickResult {
    this.reload()
    let snapshot = collectSnapshot(this.db, this.lakeRoot, loadTrustConfig(this.lakeRoot), atMs)
    if (this.live) snapshot = this.live(snapshot)
    const changes = this.store.apply(evaluate(snapshot, this.config), new Date(atMs).toISOString())
    for (const a of changes.raised) {
      for (const c of this.channels) c.raised(a)
      this.webhook?.send('raised', a)
    }
    for (const a of changes.cleared) {
      for (const c of this.channels) c.cleared(a)
      this.webhook?.send('cleared', a)
    }
    return { ...changes, firing: this.store.firing(), snapshot }
  }
}

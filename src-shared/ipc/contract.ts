// The one IPC contract between the UI and main, whichever host carries it (Electron IPC or the
// browser host's WebSocket). Three maps: invoke (request → response), command (fire and forget),
// push (main → UI). Every request from the UI is validated in main (schemas.ts). This file holds
// no runtime dependency, so the sandboxed preload can include it.
import type {
  AlertRecord,
  DiskForecast,
  JobMetricsView,
  MetricJob,
  QuotaForecast
} from '../monitor'
import type {
  AccessReportView,
  CredentialStatus,
  InventoryView,
  LakeSourceParams,
  PlanView
} from '../acquire'
import type { CaptureSessionView } from '../capture'
import type { DoctorReport } from '../doctor'
import type { BackfillDaysView } from '../backfillDays'
import type { DayGridView } from '../dayGrid'
import type { ScheduledReport } from '../reports'
import type { BackfillStatusView } from '../export'
import type {
  DataRequirement,
  Decision,
  DecideParams,
  GatesView,
  RequirementView,
  TrustConfig
} from '../gates'
import type { JobLive, JobLog, JobProgress, JobRecord, JobSpec } from '../jobs'
import type { PipelineStatusView } from '../pipeline'
import type { BookFrame, BookHeatmap, BookSeries, ReplayCover } from '../replay'
import type { SettingsView, SettingValue } from '../settings'

/** What a lake root (or vendor-layout folder) holds: series and their days per table. */
export interface LakeListing {
  readonly root: string
  /** The folder the tables were found in (root/ready for a lake root). */
  readonly base: string
  readonly series: readonly {
    readonly exchange: string
    readonly symbol: string
    readonly days: Readonly<Record<'book_delta_v2' | 'trades' | 'book', readonly string[]>>
  }[]
}

type AcquireTable = 'trades' | 'book' | 'book_delta_v2'

/** A file the data gate knows, in one zone, with its latest verdict. */
export interface GateFileView {
  readonly table: string
  readonly day: string
  readonly filename: string
  readonly zone: 'staging' | 'ready'
  readonly path: string
  readonly status: 'staged' | 'pass' | 'warn' | 'fail'
  readonly reasons: readonly string[]
  readonly bytes: number
  readonly validatedAt: string | null
}

export interface AppInfo {
  readonly version: string
  readonly lakeRoot: string
  /** True where a native file dialog exists (Electron); elsewhere the UI asks for paths. */
  readonly canPickFiles: boolean
  /** True where files and folders can be opened with the system's handler (Electron). */
  readonly canOpenFiles: boolean
  /** Folder suggested for capture files, when one is known (the shared test corpus). */
  readonly sampleCaptureDir: string | null
}

export interface InvokeMap {
  'app.info': { req: null; res: AppInfo }
  /** lakebook doctor's checks, run where main runs. */
  'app.doctor': { req: null; res: DoctorReport }
  /** Opens a report or dataset with the system's handler (Electron only). */
  'files.open': { req: { path: string }; res: null }
  'jobs.start': { req: JobSpec; res: { jobId: string } }
  'jobs.list': { req: { limit?: number | undefined }; res: JobRecord[] }
  /** Runs an interrupted, failed or cancelled job again (an export resumes from its checkpoint). */
  'jobs.again': { req: { jobId: string }; res: { jobId: string } }
  /** The alert history, newest first (the manifest's alerts). */
  'alerts.list': { req: { limit?: number | undefined }; res: AlertRecord[] }
  /** Acknowledges an alert (it stays firing until its condition is gone). */
  'alerts.ack': { req: { id: number }; res: null }
  /** One evaluation of the alert rules now: the lake's state and what fires (lakebook status). */
  'monitor.status': { req: null; res: MonitorStatus }
  'files.pick': {
    req: { title: string; multi: boolean; directory?: boolean | undefined }
    res: string[]
  }
  /** The tables of a lake's ready/ (or, with zone 'staging', its staging/) or of a vendor folder. */
  'lake.list': { req: { root: string; zone?: 'staging' | undefined }; res: LakeListing }
  'acquire.verifyAccess': { req: { source: LakeSourceParams }; res: AccessReportView }
  'acquire.inventory': {
    req: {
      source: LakeSourceParams
      tables?: AcquireTable[] | undefined
      from?: string | undefined
      to?: string | undefined
    }
    res: InventoryView
  }
  'acquire.plan': {
    req: {
      source: LakeSourceParams
      tables?: AcquireTable[] | undefined
      from: string
      to: string
      quotaGb?: number | undefined
      start?: 'now' | 'schedule' | undefined
    }
    res: PlanView
  }
  'gate.files': {
    req: { exchange: string; symbol: string; from?: string | undefined; to?: string | undefined }
    res: GateFileView[]
  }
  'capture.sessions': { req: { limit?: number | undefined }; res: CaptureSessionView[] }
  'capture.files': {
    req: { sessionId: string }
    res: { files: string[]; symbol: string; market: 'spot' | 'usdm' }
  }
  /** A backfill's day queue (the most recent backfill when no id); null when none is planned. */
  'backfill.status': { req: { id?: string | undefined }; res: BackfillStatusView | null }
  'credentials.status': { req: null; res: CredentialStatus }
  'credentials.set': {
    req: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }
    res: CredentialStatus
  }
  'credentials.clear': { req: null; res: CredentialStatus }
  /** The whole replay, or with fromMs/toMs one window of it (exchange time, ms). */
  'replay.series': {
    req: {
      jobId: string
      maxPoints?: number | undefined
      fromMs?: number | undefined
      toMs?: number | undefined
    }
    res: BookSeries
  }
  /** Finished replays whose timelines cover `atMs`, newest first (none: an empty list). */
  'replay.find': { req: { atMs: number }; res: ReplayCover[] }
  /** Frame `index`, or with `atMs` the last frame at or before that exchange time. */
  'replay.frame': {
    req: { jobId: string; index: number; atMs?: number | undefined }
    res: BookFrame
  }
  /** Up to `count` (≤ FRAMES_MAX) frames from `from` on: the viewer's cache around its cursor. */
  'replay.frames': {
    req: { jobId: string; from: number; count: number }
    res: BookFrame[]
  }
  /** The window's book frames and trades as CSV text (refused beyond 500,000 rows). */
  'replay.csv': {
    req: { jobId: string; fromMs: number; toMs: number }
    res: { csv: string; frames: number; trades: number }
  }
  'replay.heatmap': {
    req: {
      jobId: string
      fromMs?: number | undefined
      toMs?: number | undefined
      columns: number
      maxTrades?: number | undefined
    }
    res: BookHeatmap
  }
  /** The roadmap's phase gates of the app's lake (lakebook gates). */
  'gates.view': { req: null; res: GatesView }
  /** Records a decision; refused with a sentence when the why is not one. */
  'gates.decide': { req: DecideParams; res: Decision }
  /** Saves the data requirement and returns its budget. */
  'gates.require': { req: DataRequirement; res: RequirementView }
  /** The saved data requirement with its budget, or null. */
  'gates.requirement': { req: null; res: RequirementView | null }
  /** The thresholds in force (defaults merged with <lake>/lakebook.config.json). */
  'gates.config': { req: null; res: TrustConfig }
  /** The lake's pipelines from their stage files, the most recently started first. */
  'pipeline.status': { req: null; res: PipelineStatusView[] }
  /** Jobs with metric samples, and one job's series (the most recent job's when none is named). */
  'monitor.metrics': {
    req: { jobId?: string | undefined }
    res: { jobs: MetricJob[]; metrics: JobMetricsView | null }
  }
  /** The day × table grid: per day, the gate's verdict per table and the replay and export. */
  'monitor.dayGrid': { req: null; res: DayGridView }
  /** The scheduled progress reports in <lake>/reports (any due one is written first). */
  'reports.list': { req: null; res: ScheduledReport[] }
  /** Every setting with its default and value in force (the same as `lakebook config list`). */
  'settings.get': { req: null; res: SettingsView }
  /** Sets one setting by dotted key; a value as typed (text) or typed. Refused with a sentence. */
  'settings.set': { req: { key: string; value: SettingValue }; res: SettingsView }
  /** Removes one setting from its file, so its default is in force again. */
  'settings.reset': { req: { key: string }; res: SettingsView }
}

export interface CommandMap {
  'jobs.cancel': { jobId: string }
}

export interface PushMap {
  'jobs.changed': JobRecord
  'jobs.progress': JobProgress
  'jobs.log': JobLog
  'jobs.live': JobLive
  /** After each evaluation of the alert rules that raised or cleared something. */
  'alerts.changed': AlertChanges
}

export interface MonitorStatus {
  readonly at: string
  readonly runningJobs: number
  readonly disk: { readonly path: string; readonly freeBytes: number } | null
  readonly quota: { readonly usedBytes: number; readonly limitBytes: number } | null
  readonly firing: readonly AlertRecord[]
  /** When the disk fills at the rate the jobs' samples show; null without enough samples. */
  readonly diskForecast?: DiskForecast | null | undefined
  /** When this month's quota runs out at the month's pace; null without a pace yet. */
  readonly quotaForecast?: QuotaForecast | null | undefined
  /** The latest backfill's days with their summaries; null when the lake has none. */
  readonly backfill?: BackfillDaysView | null | undefined
}

export interface AlertChanges {
  readonly raised: readonly AlertRecord[]
  readonly cleared: readonly AlertRecord[]
  readonly firing: readonly AlertRecord[]
}

export type InvokeChannel = keyof InvokeMap
export type CommandChannel = keyof CommandMap
export type PushChannel = keyof PushMap
export type InvokeRequest<K extends InvokeChannel> = InvokeMap[K]['req']
export type InvokeResponse<K extends InvokeChannel> = InvokeMap[K]['res']

// Channel lists for the preload's allow-list; `satisfies` makes the compiler check they are complete.
const invokeList = {
  'app.info': true,
  'app.doctor': true,
  'files.open': true,
  'jobs.start': true,
  'jobs.list': true,
  'jobs.again': true,
  'alerts.list': true,
  'alerts.ack': true,
  'monitor.status': true,
  'files.pick': true,
  'lake.list': true,
  'acquire.verifyAccess': true,
  'acquire.inventory': true,
  'acquire.plan': true,
  'gate.files': true,
  'capture.sessions': true,
  'capture.files': true,
  'backfill.status': true,
  'credentials.status': true,
  'credentials.set': true,
  'credentials.clear': true,
  'replay.series': true,
  'replay.frame': true,
  'replay.frames': true,
  'replay.find': true,
  'replay.heatmap': true,
  'replay.csv': true,
  'gates.view': true,
  'gates.decide': true,
  'gates.require': true,
  'gates.requirement': true,
  'gates.config': true,
  'pipeline.status': true,
  'monitor.metrics': true,
  'monitor.dayGrid': true,
  'reports.list': true,
  'settings.get': true,
  'settings.set': true,
  'settings.reset': true
} satisfies Record<InvokeChannel, true>
const commandList = { 'jobs.cancel': true } satisfies Record<CommandChannel, true>
const pushList = {
  'jobs.changed': true,
  'jobs.progress': true,
  'jobs.log': true,
  'jobs.live': true,
  'alerts.changed': true
} satisfies Record<PushChannel, true>

export const invokeChannels = Object.keys(invokeList) as InvokeChannel[]
export const commandChannels = Object.keys(commandList) as CommandChannel[]
export const pushChannels = Object.keys(pushList) as PushChannel[]

/** An error as it crosses the boundary: data, never an Error object. */
export interface WireError {
  readonly name: string
  readonly message: string
}

/** How the preload (or the browser bridge) reaches main. Both hosts implement it. */
export interface Transport {
  invoke(channel: InvokeChannel, payload: unknown): Promise<unknown>
  send(channel: CommandChannel, payload: unknown): void
  on(channel: PushChannel, listener: (payload: unknown) => void): () => void
  /**
   * Where the UI can show an evidence report (an HTML file under the lake root): the browser
   * host's /evidence route, or the Electron shell's lakebook-evidence: protocol. Both refuse any
   * other file.
   */
  evidenceUrl(path: string): string
}

// The engine's public face: what the shell (app, CLI, browser host, IPC, jobs) may use. Inside the
// engine the folders are the flow — source/ (capture lines and Lake batches), merge/ (the k-way
// merge), book/ (the book and its policies), observe/ (checks with their own state), sink/
// (timelines) — and the two replay loops, lakeReplay.ts and captureReplay.ts, join them.
export { replayLake, lakePolicy, ROW_STATUS } from './lakeReplay'
export type {
  LakeClock,
  LakeObserver,
  LakeReplayControl,
  LakeReplayCore,
  LakeReplayOptions,
  LakeReplayState,
  PolicyOverrides
} from './lakeReplayTypes'
export { replayCapture } from './captureReplay'
export type { CaptureObserver, CaptureReplayOptions, CaptureReplaySummary } from './captureReplay'
export { openLakeSources, filesFrom } from './source/parallelSources'
export type { DecodeWorkerSpec, LakeSourceSet, SourceOptions } from './source/parallelSources'
export { resolveSelection, resolveLakeTick } from './source/lakeSources'
export type { LakeSelection, ResolvedSelection, SourceFile } from './source/lakeSources'
export type { BookBatch, DeltaBatch, LakeSources, TradeBatch } from './source/batches'
export type { SourceOffset, SourceOffsets } from './source/cursor'
export { OrderBook, TOP_N } from './book/orderBook'
export { TimelineRecorder } from './sink/timeline'

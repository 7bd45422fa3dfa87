// The replay-capture job: replays capture files in a worker and keeps the timeline in the lake.
import type { ReplayCaptureParams } from '../../src-shared/jobs'
import type { ReplayCaptureResult } from '../../src-shared/replay'
import type { JobContext } from '../jobs/context'
import { lakePaths } from '../lake/paths'
import { PriceGrid } from '../../src-shared/units'
import { replayCapture } from '../engine/captureReplay'
import { TimelineRecorder } from '../engine/sink/timeline'

export async function runReplayCaptureJob(
  params: ReplayCaptureParams,
  ctx: JobContext
): Promise<ReplayCaptureResult> {
  const timeline = params.timeline === false ? undefined : new TimelineRecorder(0)
  ctx.log('info', `replaying ${params.files.length} capture file(s)`)
  const summary = await replayCapture(params.files, {
    market: params.market,
    tick: params.tick,
    onGap: params.onGap,
    snapshotClear: params.snapshotClear,
    timeline,
    signal: ctx.signal,
    onProgress: (done, total) => {
      ctx.progress({ done, total, unit: 'bytes', message: 'replaying' })
    }
  })
  ctx.checkCancelled()
  for (const i of summary.issues) ctx.log('warn', `${i.file}:${i.line}: ${i.kind}: ${i.message}`)
  let timelineDir: string | null = null
  if (timeline) {
    timelineDir = lakePaths.replay(ctx.lakeRoot, ctx.jobId)
    const grid = new PriceGrid(summary.tick)
    timeline.write(timelineDir, {
      symbol: summary.symbol,
      tick: summary.tick,
      priceScale: grid.scale,
      tickStep: grid.step,
      lotScale: 8
    })
  }
  return { ...summary, timeline: timelineDir }
}

// The convert-capture job: capture files → Crypto Lake tables in the vendor's layout.
import type { ConvertParams } from '../../src-shared/jobs'
import type { JobContext } from '../jobs/context'
import { convertCaptureToLake } from './captureToLake'

export async function runConvertJob(params: ConvertParams, ctx: JobContext): Promise<unknown> {
  const r = await convertCaptureToLake(params.files, params.out, {
    market: params.market,
    tick: params.tick,
    bookCadence: params.bookCadence,
    force: params.force,
    signal: ctx.signal,
    onProgress: (done, total) => {
      ctx.progress({ done, total, unit: 'bytes', message: 'converting' })
    }
  })
  ctx.checkCancelled()
  const { replay, ...rest } = r
  for (const i of replay.issues) ctx.log('warn', `${i.file}:${i.line}: ${i.kind}: ${i.message}`)
  return {
    ...rest,
    replay: {
      gaps: replay.gaps,
      resyncs: replay.resyncs,
      complete: replay.complete,
      issueCounts: replay.issueCounts,
      issues: replay.issues,
      bbo: { compared: replay.bbo.compared, matched: replay.bbo.matched }
    }
  }
}

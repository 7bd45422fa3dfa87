// The pipeline from the app: the stages of the lake's pipelines as their stage files have them
// (the Monitor page). The pipeline itself runs as a job (jobs.start, kind pipeline).
import { listPipelines } from '../../ops/pipelineFile'
import type { InvokeHandlers } from '../router'

export function pipelineHandlers(lakeRoot: string): Pick<InvokeHandlers, 'pipeline.status'> {
  return {
    'pipeline.status': () => listPipelines(lakeRoot)
  }
}

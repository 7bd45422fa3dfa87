// Live capture from the app: the recorded sessions (the manifest mirrors their session.json, kept
// in step with the folders here) and a session's files in receive order, for replay or conversion.
import { findSession, loadSession } from '../../capture/session'
import { replayPlan } from '../../capture/sessions'
import { CaptureSessionRepo } from '../../capture/sessionRepo'
import type { Db } from '../../lake/manifest'
import type { InvokeHandlers } from '../router'

export function captureHandlers(opts: {
  lakeRoot: string
  db: Db
}): Pick<InvokeHandlers, 'capture.sessions' | 'capture.files'> {
  const repo = new CaptureSessionRepo(opts.db)
  return {
    'capture.sessions': (req) => {
      repo.importFromDisk(opts.lakeRoot)
      return repo.list(req.limit === undefined ? {} : { limit: req.limit })
    },
    'capture.files': (req) => {
      const dir = findSession(opts.lakeRoot, req.sessionId)
      if (dir === null) throw new Error(`no capture session ${req.sessionId}`)
      const plan = replayPlan(dir, loadSession(dir))
      return { files: [...plan.files], symbol: plan.symbol, market: plan.market }
    }
  }
}

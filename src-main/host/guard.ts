// The host process's last line of defence: jobs run inside it, so an error that escapes every
// handler (a bug, not a request: requests are checked in server.ts) is logged and counted instead
// of ending the process and every job with it.
import { errorMessage } from '../util/errors'

export interface ProcessGuard {
  /** Errors that escaped every handler since the guard was installed. */
  readonly caught: number
}

export function guardProcess(log: (message: string) => void): ProcessGuard {
  const guard = { caught: 0 }
  const onError = (what: string) => (e: unknown) => {
    guard.caught++
    log(`${what} (the host keeps running; ${guard.caught} so far): ${errorMessage(e)}`)
  }
  process.on('uncaughtException', onError('internal error'))
  process.on('unhandledRejection', onError('unhandled rejection'))
  return guard
}

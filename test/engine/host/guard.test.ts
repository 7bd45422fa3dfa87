// The host's process guard: an error that escapes every handler is logged and the process lives.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../helpers/build'

describe('host process guard', () => {
  it('logs an uncaught exception and an unhandled rejection and keeps running', () => {
    const script = [
      "import { guardProcess } from './src-main/host/guard.ts'",
      "guardProcess((m) => process.stderr.write(m + '\\n'))",
      "setTimeout(() => { throw new Error('boom in a timer') }, 1)",
      "setTimeout(() => { void Promise.reject(new Error('lost promise')) }, 5)",
      "setTimeout(() => { process.stdout.write('still alive') }, 50)"
    ].join('\n')
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000
      }
    )
    expect(r.stdout).toBe('still alive')
    expect(r.stderr).toContain('internal error (the host keeps running; 1 so far): boom in a timer')
    expect(r.stderr).toContain(
      'unhandled rejection (the host keeps running; 2 so far): lost promise'
    )
    expect(r.status).toBe(0)
  })
})

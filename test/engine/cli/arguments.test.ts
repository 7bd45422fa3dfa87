// Bad arguments to the built CLI and host end in one sentence and a usage exit, never a stack
// trace or a hang: an impossible calendar day, a grid below 1 ms, a port out of range or in use,
// an export into /proc (a real vendor-writer day as its input).
// (The checks themselves are tested in test/shared/params.test.ts; this is the wiring.)
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { runBuilt } from '../../helpers/build'
import { vendorWriterLake } from '../../helpers/lake'
import { tempDir } from '../../helpers/synthetic'

const run = (script: 'cli.js' | 'host.js', args: string[]) => runBuilt(args, script, 60_000)

// A stack frame line ("    at fn (file:line:col)"), not help text that wraps onto "at …".
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m

describe('CLI and host arguments', () => {
  it('are refused in one sentence, with a usage exit and no stack trace', async () => {
    const lake = tempDir('lakebook-args-')
    const taken = createServer()
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r))
    const port = (taken.address() as { port: number }).port
    try {
      // In parallel (each is a process start-up), each with its own lake.
      const vendor = vendorWriterLake({ days: ['2024-08-09'] })
      const [day, grid, range, inUse, proc] = await Promise.all([
        run('cli.js', ['--lake', lake, 'export', '--from', '2024-02-30']),
        run('cli.js', ['--lake', tempDir('lakebook-args-'), 'export', '--grid', '1us']),
        run('host.js', ['--lake', tempDir('lakebook-args-'), '--port', '99999']),
        run('host.js', ['--lake', tempDir('lakebook-args-'), '--port', String(port)]),
        // Node 20's recursive mkdir never returns here; the export must end in a sentence.
        run('cli.js', [
          '--lake',
          tempDir('lakebook-args-'),
          'export',
          '--root',
          vendor,
          '--ungated',
          '--fidelity-reference',
          'off',
          '--out',
          '/proc/lakebook-ds'
        ])
      ])
      expect(day.code).toBe(2)
      expect(day.err).toContain('2024-02-30 is not a calendar day: February 2024 has 29 days.')
      expect(grid.code).toBe(2)
      expect(grid.err).toContain('a grid finer than 1ms is refused')
      expect(range.code).toBe(2)
      expect(range.err).toContain('99999 is not a port: use 1–65535, or 0 for any free port.')
      expect({ code: inUse.code, err: inUse.err.trim() }).toEqual({
        code: 1,
        err: `lakebook host: port ${port} on 127.0.0.1 is already in use; pick another with --port or leave it out for any free port`
      })
      expect(proc.code).toBe(1)
      expect(proc.err).toContain(
        'lakebook: failed: /proc/lakebook-ds: cannot make the folder: the file system does not allow a folder here (ENOENT)'
      )
      for (const r of [day, grid, range, inUse, proc]) expect(r.err).not.toMatch(STACK_FRAME)
    } finally {
      taken.close()
    }
  })
})

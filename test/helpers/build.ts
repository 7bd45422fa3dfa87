// Paths of the built app (npm test builds before running vitest).
import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const OUT = join(ROOT, 'out')

/** The built job worker (emitted by electron-vite from src-main/worker/worker.ts). */
export function builtWorkerPath(): string {
  const dir = join(OUT, 'main', 'chunks')
  const file = existsSync(dir) ? readdirSync(dir).find((f) => /^worker-.*\.js$/.test(f)) : undefined
  if (!file) throw new Error('no built job worker in out/main/chunks; run `npm run build` first')
  return join(dir, file)
}

/** Runs the built CLI (or host) with arguments: its exit code (null when killed) and output. */
export function runBuilt(
  args: readonly string[],
  script: 'cli.js' | 'host.js' = 'cli.js',
  timeoutMs = 120_000
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(OUT, 'main', script), ...args],
      // SIGKILL at the timeout: a process that handles SIGTERM would exit 0 and hide a hang.
      { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' },
      (e, out, err) => {
        resolve({ code: e ? ((e as { code?: number }).code ?? null) : 0, out, err })
      }
    )
  })
}

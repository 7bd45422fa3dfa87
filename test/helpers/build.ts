// Paths of the built app (npm test builds before running vitest).
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const OUT = join(ROOT, 'out')

/** The built job worker (emitted by electron-vite from src-main/jobs/worker.ts). */
export function builtWorkerPath(): string {
  const dir = join(OUT, 'main', 'chunks')
  const file = existsSync(dir) ? readdirSync(dir).find((f) => /^worker-.*\.js$/.test(f)) : undefined
  if (!file) throw new Error('no built job worker in out/main/chunks; run `npm run build` first')
  return join(dir, file)
}

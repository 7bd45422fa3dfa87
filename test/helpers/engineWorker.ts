// Worker threads for tests and benchmarks that run the engine's worker roles straight from the
// TypeScript sources, so changes need no build: a data: URL module registers tsx in the new
// thread and then imports the worker entry (test/helpers/engineWorkerEntry.ts), which dispatches
// on workerData.role like the built job worker does. The app uses the built job worker instead
// (src-main/worker/worker.ts).
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { ROOT } from './build'

export type EngineRole = 'decode' | 'export-writer' | 'export-day' | 'validate'

export function engineWorker(role: EngineRole): { path: URL; workerData: { role: string } } {
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/esm/api/index.mjs')).href
  const entry = pathToFileURL(join(ROOT, 'test/helpers/engineWorkerEntry.ts')).href
  const code = `import { register } from ${JSON.stringify(tsx)}\nregister()\nawait import(${JSON.stringify(entry)})\n`
  return {
    path: new URL(`data:text/javascript,${encodeURIComponent(code)}`),
    workerData: { role }
  }
}

// `node out/main/host.js [--lake DIR] [--port N]`: the browser host (what `npm start` runs where no
// Electron binary exists). Prints the URL with its token.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { JobManager } from '../jobs/manager'
import workerPath from '../jobs/workerPath'
import { openManifest } from '../lake/manifest'
import { resolveLakeRoot } from '../lake/paths'
import { createRouter } from '../ipc/services'
import { VERSION } from '../version'
import { startHost } from './server'

const program = new Command('lakebook-host')
  .description('serve the lakebook UI to a browser on 127.0.0.1')
  .option('--lake <dir>', 'lake root (default: LAKEBOOK_LAKE or the user data folder)')
  .option('--port <n>', 'port on 127.0.0.1 (default: any free port)', (v) => Number.parseInt(v, 10))
  .parse()
const opts = program.opts<{ lake?: string; port?: number }>()

const lakeRoot = resolveLakeRoot(opts.lake)
const db = openManifest(lakeRoot)
const jobs = new JobManager({ db, lakeRoot, workerPath })
const router = createRouter({ lakeRoot, version: VERSION, jobs, db })
const here = dirname(fileURLToPath(import.meta.url))
const host = await startHost({
  router,
  rendererDir: join(here, '../renderer'),
  port: opts.port,
  lakeRoot
})
process.stdout.write(`lakebook browser host (lake: ${lakeRoot})\nopen ${host.url}\n`)

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  void jobs
    .shutdown()
    .then(() => host.close())
    .finally(() => {
      db.close()
      process.exit(0)
    })
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

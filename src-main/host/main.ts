// `node out/main/host.js [--lake DIR] [--port N] [--allow-dir DIR]…`: the browser host (what
// `npm start` runs where no Electron binary exists). Prints the URL with its token. Jobs started
// from the page write only under the lake and the --allow-dir folders (ipc/outputPaths.ts).
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command, InvalidArgumentError } from 'commander'
import { JobManager } from '../jobs/manager'
import workerPath from '../worker/workerPath'
import { openManifest } from '../lake/manifest'
import { resolveLakeRoot } from '../lake/paths'
import { createRouter } from '../ipc/services'
import { startupWorkers } from '../settings/workers'
import { VERSION } from '../version'
import { guardProcess } from './guard'
import { startHost } from './server'

function portArg(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || n > 65535) {
    throw new InvalidArgumentError(
      `${text.slice(0, 20)} is not a port: use 1–65535, or 0 for any free port.`
    )
  }
  return n
}

/** Why the host could not listen, in a sentence (no stack trace). */
function listenProblem(e: unknown, port: number | undefined): string {
  const code = (e as { code?: string }).code
  if (code === 'EADDRINUSE')
    return `port ${port} on 127.0.0.1 is already in use; pick another with --port or leave it out for any free port`
  if (code === 'EACCES')
    return `port ${port} on 127.0.0.1 needs privileges this user does not have (ports below 1024); use a port above 1023`
  return `cannot listen on 127.0.0.1:${port ?? 0}: ${e instanceof Error ? e.message : String(e)}`
}

const program = new Command('lakebook-host')
  .description('serve the lakebook UI to a browser on 127.0.0.1')
  .option('--lake <dir>', 'lake root (default: LAKEBOOK_LAKE or the user data folder)')
  .option('--port <n>', 'port on 127.0.0.1 (default: any free port)', portArg)
  .option(
    '--allow-dir <dir>',
    'a folder beyond the lake that jobs started from the page may write to (repeatable)',
    (dir: string, prev: string[]) => [...prev, dir],
    [] as string[]
  )
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 2)
  })
  .parse()
const opts = program.opts<{ lake?: string; port?: number; allowDir: string[] }>()

const log = (m: string): void => {
  process.stderr.write(`lakebook host: ${m}\n`)
}
guardProcess(log)

const lakeRoot = resolveLakeRoot(opts.lake)
const db = openManifest(lakeRoot)
const jobs = new JobManager({ db, lakeRoot, workerPath, concurrency: startupWorkers(log).jobs })
const recovered = jobs.recoveredText()
if (recovered !== null) log(recovered)
let router: ReturnType<typeof createRouter>
try {
  router = createRouter({ lakeRoot, version: VERSION, jobs, db, allowDirs: opts.allowDir })
} catch (e) {
  // An --allow-dir folder that does not exist: a usage error, said in a sentence.
  process.stderr.write(`lakebook host: ${e instanceof Error ? e.message : String(e)}\n`)
  await jobs.shutdown()
  db.close()
  process.exit(2)
}
const here = dirname(fileURLToPath(import.meta.url))
const host = await startHost({
  router,
  rendererDir: join(here, '../renderer'),
  port: opts.port,
  log,
  lakeRoot
}).catch(async (e: unknown) => {
  process.stderr.write(`lakebook host: ${listenProblem(e, opts.port)}\n`)
  await jobs.shutdown()
  db.close()
  process.exit(1)
})
const extra = opts.allowDir.length > 0 ? `; jobs may also write to ${opts.allowDir.join(', ')}` : ''
process.stdout.write(`lakebook browser host (lake: ${lakeRoot}${extra})\nopen ${host.url}\n`)

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  void jobs
    .shutdown()
    .then(() => host.close())
    .finally(() => {
      const st = host.stats()
      if (st.badRequests + st.badFrames + st.droppedFrames + st.disconnectedClients > 0) {
        log(
          `refused ${st.badRequests} bad requests and ${st.badFrames} bad frames; dropped ${st.droppedFrames} live frames for lagging clients; disconnected ${st.disconnectedClients} clients`
        )
      }
      db.close()
      process.exit(0)
    })
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
process.on('SIGHUP', stop)

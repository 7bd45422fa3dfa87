// lakebook jobs: recent jobs from the manifest.
import type { Command } from 'commander'
import { JobManager } from '../../jobs/manager'
import workerPath from '../../jobs/workerPath'
import { openManifest } from '../../lake/manifest'
import { resolveLakeRoot } from '../../lake/paths'
import type { GlobalOpts } from '../run'

export function register(program: Command): void {
  program
    .command('jobs')
    .description('list recent jobs from the manifest')
    .option('-n, --limit <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
    .action((o: { limit: number }) => {
      const g = program.opts<GlobalOpts>()
      const db = openManifest(resolveLakeRoot(g.lake))
      const list = new JobManager({ db, lakeRoot: resolveLakeRoot(g.lake), workerPath }).list(
        o.limit
      )
      db.close()
      if (g.json === true) {
        process.stdout.write(`${JSON.stringify(list)}\n`)
        return
      }
      for (const j of list) {
        process.stdout.write(
          `${j.id}  ${j.state.padEnd(11)} ${j.createdAt}  ${j.error ? j.error.message : ''}\n`
        )
      }
    })
}

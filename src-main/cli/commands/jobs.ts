// lakebook jobs: recent jobs from the manifest.
import type { Command } from 'commander'
import { JobManager } from '../../jobs/manager'
import workerPath from '../../worker/workerPath'
import { openManifest } from '../../lake/manifest'
import { resolveLakeRoot } from '../../lake/paths'
import { finish, runJob, type GlobalOpts } from '../run'

export function register(program: Command): void {
  const jobs = program
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

  jobs
    .command('again')
    .description(
      'run an interrupted, failed or cancelled job again with its recorded settings (an export or backfill resumes from its last checkpoint)'
    )
    .argument('<id>', 'the job id (lakebook jobs lists them)')
    .action(async (id: string) => {
      const g = program.opts<GlobalOpts>()
      const lakeRoot = resolveLakeRoot(g.lake)
      const db = openManifest(lakeRoot)
      let spec
      try {
        spec = new JobManager({ db, lakeRoot, workerPath }).againSpec(id)
      } finally {
        db.close()
      }
      const record = await runJob(spec, g)
      finish(
        record,
        g,
        () => {
          process.stdout.write(`job ${record.id} (${record.kind}, again of ${id}): done\n`)
        },
        // Results that say they are incomplete or not certified end in exit 3, as their commands do.
        (r) => {
          const x = r as { complete?: unknown; certified?: unknown } | null
          return x?.complete === false || x?.certified === false
        }
      )
    })
}

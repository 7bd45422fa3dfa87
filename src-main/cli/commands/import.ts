// lakebook import <dir>: a vendor-layout folder into the lake's staging/ (hard links when possible),
// hashed and recorded, so local data goes through the same gate as downloads.
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { finish, runJob, type GlobalOpts } from '../run'

export function register(program: Command): void {
  program
    .command('import')
    .description(
      "copy (or hard-link) a vendor-layout folder into the lake's staging/ for validation"
    )
    .argument('<dir>', 'folder laid out as {table}/exchange=…/symbol=…/dt=YYYY-MM-DD/*.parquet')
    .option('--copy', 'always copy, never hard-link')
    .action(async (dir: string, o: { copy?: boolean }) => {
      const g = program.opts<GlobalOpts>()
      const record = await runJob(
        { kind: 'import', params: { dir: resolve(dir), link: o.copy !== true } },
        g
      )
      finish(
        record,
        g,
        (r) => {
          const v = r
          const lines = [
            `imported ${v.files.length} files (${v.bytes.toLocaleString('en-US')} bytes) from ${v.dir}`
          ]
          for (const f of v.files)
            lines.push(`  ${f.path}  ${f.sha256.slice(0, 16)}…  ${f.linked ? 'linked' : 'copied'}`)
          for (const s of v.skipped) lines.push(`  skipped ${s.path}: ${s.reason}`)
          lines.push('next: lakebook validate')
          process.stdout.write(`${lines.join('\n')}\n`)
        },
        (r) => r.skipped.length > 0
      )
    })
}

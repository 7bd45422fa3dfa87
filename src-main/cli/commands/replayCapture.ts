// lakebook replay-capture: replay Binance capture files into the order book.
import { Option, type Command } from 'commander'
import { finish, runJob, type GlobalOpts } from '../run'
import { printReplaySummary } from '../summaries'

export function register(program: Command): void {
  program
    .command('replay-capture')
    .description(
      'replay Binance capture files (gzip lines "<receive ts> <json>") into the order book'
    )
    .argument('<files...>', 'capture files of one recording window')
    .addOption(
      new Option('--market <market>', 'Binance market (default: detected)').choices([
        'spot',
        'usdm'
      ])
    )
    .option('--tick <size>', 'price tick, e.g. 0.01 (default: known symbol table, else detected)')
    .addOption(
      new Option('--on-gap <policy>', 'after a sequence gap')
        .choices(['keep-applying', 'wait-snapshot'])
        .default('keep-applying')
    )
    .addOption(
      new Option('--snapshot-clear <mode>', 'what a snapshot clears')
        .choices(['full', 'range'])
        .default('full')
    )
    .option('--no-timeline', 'do not keep a scrubbable timeline in the lake')
    .action(
      async (
        files: string[],
        o: {
          market?: 'spot' | 'usdm'
          tick?: string
          onGap: 'keep-applying' | 'wait-snapshot'
          snapshotClear: 'full' | 'range'
          timeline: boolean
        }
      ) => {
        const g = program.opts<GlobalOpts>()
        const record = await runJob(
          {
            kind: 'replay-capture',
            params: {
              files,
              ...(o.market ? { market: o.market } : {}),
              ...(o.tick ? { tick: o.tick } : {}),
              onGap: o.onGap,
              snapshotClear: o.snapshotClear,
              timeline: o.timeline
            }
          },
          g
        )
        finish(
          record,
          g,
          (r) => {
            printReplaySummary(r)
          },
          (r) => !r.complete
        )
      }
    )
}

// lakebook fidelity: how close a candidate market (a reconstruction, a format conversion, a model)
// is to a real reference, judged against the noise between two real periods. One command per
// question, e.g.
//   reconstructed book vs the Lake book table:
//     lakebook fidelity --reference lakebook:ROOT#BINANCE/BTC-USDT --candidate lake:ROOT#BINANCE/BTC-USDT
//   does the Lake format lose information?
//     lakebook fidelity --reference capture:DIR --candidate converted:DIR
//   the trade impact model against Binance's bookTicker:
//     lakebook fidelity --reference bookticker:DIR --candidate capture:DIR --candidate capture:DIR+impact
//   an exported dataset's book, as written, vs the Lake book table of its inputs:
//     lakebook fidelity --reference lakebook:ROOT#BINANCE/BTC-USDT --candidate dataset:DATASET_DIR
//   one real period against another:
//     lakebook fidelity --reference capture:DIR@+0m..+5m --candidate capture:DIR@+5m..+10m
import type { Command } from 'commander'
import type { FidelityParams } from '../../../src-shared/fidelity'
import { paramsFromOptions, type FidelityCliOptions } from '../../fidelity/params'
import { fidelitySummary } from '../../fidelity/summary'
import { EXIT, finish, runJob, type GlobalOpts } from '../run'

const int = (v: string): number => Number.parseInt(v, 10)
const collect = (v: string, prev: string[] = []): string[] => [...prev, v]

export function register(program: Command): void {
  program
    .command('fidelity')
    .description(
      'compare a candidate market (reconstruction, conversion, model) with a real reference, against the noise between two real periods'
    )
    .requiredOption(
      '--reference <source>',
      'capture:<files|dir>, bookticker:<files|dir>, lake:<root>#EXCHANGE/SYMBOL, lakebook:<root>#EXCHANGE/SYMBOL, dataset:<exported dataset dir>; optional @<from>..<to>'
    )
    .requiredOption(
      '--candidate <source>',
      'a source as for --reference (also converted:<files|dir>); +impact for the trade impact model; repeatable',
      collect
    )
    .option(
      '--baseline <source>',
      'real-vs-real noise: "halves" (default) of the reference, or another real source'
    )
    .option('--grid <ms,...>', 'book sampling grids in ms (default 100,1000)')
    .option('--profile <ms>', 'depth profile grid in ms (default 1000)', int)
    .option('--resamples <n>', 'bootstrap resamples (default 100)', int)
    .option('--alpha <a>', 'two-sided alpha of the CIs (default 0.01)', Number.parseFloat)
    .option('--seed <n>', 'bootstrap and thinning seed (default 12345)', int)
    .option('--max-n <n>', 'largest sample the bootstrap walks (default 50000)', int)
    .option('--scalar-m <n>', 'resample size of the scalar statistics (default 20000)', int)
    .option('--thin-n <n>', 'thinned sample size for p-values (default 2000)', int)
    .option('--min-n <n>', 'smallest sample a metric is compared on (default 10)', int)
    .option('--report <file>', 'write the self-contained HTML report here')
    .option('--workers <n>', 'Parquet decode workers for lake sources (default 0)', int)
    .action(async (o: FidelityCliOptions) => {
      const g = program.opts<GlobalOpts>()
      let params: FidelityParams
      try {
        params = paramsFromOptions(o)
      } catch (e) {
        const issues = (e as { issues?: { message: string; path: PropertyKey[] }[] }).issues
        const msg = issues
          ? issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')
          : e instanceof Error
            ? e.message
            : String(e)
        process.stderr.write(`lakebook fidelity: ${msg}\n`)
        process.exitCode = EXIT.usage
        return
      }
      const record = await runJob({ kind: 'fidelity', params }, g)
      finish(
        record,
        g,
        (r) => {
          process.stdout.write(`${fidelitySummary(r)}\n`)
        },
        () => false
      )
    })
}

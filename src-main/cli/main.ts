// The `lakebook` command line: the same engine and job manager as the app, no UI. `--json` prints
// one JSON document on stdout; progress and logs go to stderr. One file per command in commands/.
import { Command } from 'commander'
import { EmptySelectionError, errorMessage, InputError } from '../util/errors'
import { VERSION } from '../version'
import { register as acquire } from './commands/acquire'
import { register as bench } from './commands/bench'
import { register as capture } from './commands/capture'
import { register as certify } from './commands/certify'
import { register as backfill } from './commands/backfill'
import { register as config } from './commands/config'
import { register as convert } from './commands/convert'
import { register as doctor } from './commands/doctor'
import { register as exportCmd } from './commands/export'
import { register as fidelity } from './commands/fidelity'
import { register as gates } from './commands/gates'
import { register as importCmd } from './commands/import'
import { register as pipeline } from './commands/pipeline'
import { register as profile } from './commands/profile'
import { register as validate } from './commands/validate'
import { register as jobs } from './commands/jobs'
import { register as replay } from './commands/replay'
import { register as report } from './commands/report'
import { register as replayCapture } from './commands/replayCapture'
import { register as sample } from './commands/sample'
import { register as status } from './commands/status'
import { EXIT } from './run'

const program = new Command('lakebook')
  .description('Crypto Lake / Binance order-book workbench: replay, certify, measure, export')
  .version(VERSION)
  .option('--lake <dir>', 'lake root (default: LAKEBOOK_LAKE or the user data folder)')
  .option('--json', 'print one JSON document on stdout')
  .option('-q, --quiet', 'no progress on stderr')
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage)
  })

for (const register of [
  acquire,
  sample,
  importCmd,
  validate,
  profile,
  certify,
  capture,
  replayCapture,
  convert,
  replay,
  fidelity,
  exportCmd,
  backfill,
  pipeline,
  report,
  bench,
  gates,
  jobs,
  status,
  doctor,
  config
]) {
  register(program)
}

try {
  await program.parseAsync()
} catch (e) {
  // Errors before a job starts (e.g. an option the job's schema refuses): one line, no stack.
  const empty = e instanceof EmptySelectionError
  process.stderr.write(`lakebook: ${empty ? 'nothing to do: ' : ''}${errorMessage(e)}\n`)
  process.exitCode = e instanceof InputError || empty ? EXIT.usage : EXIT.failed
}

// The Python that reads exported datasets in the consumer tests: LAKEBOOK_PYTHON, a venv's
// python with polars, pyarrow, pandas, duckdb and numpy (.ci/run makes one in
// /tmp/lakebook-ci-venv, the default when it exists). In CI it must be
// there and import them; locally its absence skips those tests with a loud message.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** The venv .ci/run makes (used when LAKEBOOK_PYTHON is not set and it exists). */
const CI_VENV_PYTHON = '/tmp/lakebook-ci-venv/bin/python'
export const PYTHON =
  process.env['LAKEBOOK_PYTHON'] ?? (existsSync(CI_VENV_PYTHON) ? CI_VENV_PYTHON : '')
const MODULES = ['polars', 'pyarrow', 'pandas', 'duckdb', 'numpy']

function check(): string | null {
  if (PYTHON === '') return 'LAKEBOOK_PYTHON is not set'
  if (!existsSync(PYTHON)) return `LAKEBOOK_PYTHON=${PYTHON} does not exist`
  const r = spawnSync(PYTHON, ['-c', `import ${MODULES.join(', ')}`], { encoding: 'utf8' })
  if (r.status !== 0)
    return `${PYTHON} cannot import ${MODULES.join(', ')}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`
  return null
}

const problem = check()
export const hasPython = problem === null

if (problem !== null) {
  const msg = `\n*** PYTHON CONSUMERS MISSING (${problem}): Python dataset tests are SKIPPED (bash .ci/run makes a venv; or python3 -m venv v && v/bin/pip install polars pyarrow pandas duckdb numpy, then LAKEBOOK_PYTHON=v/bin/python) ***\n`
  if (process.env['CI']) throw new Error(msg)
  process.stderr.write(msg)
}

/** Runs a Python script with arguments; its stdout parsed as JSON. Fails with its stderr. */
export function runPython(script: string, args: readonly string[]): unknown {
  const r = spawnSync(PYTHON, [script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }
  })
  if (r.status !== 0)
    throw new Error(`${script} exited with ${String(r.status)}:\n${r.stderr}\n${r.stdout}`)
  return JSON.parse(r.stdout) as unknown
}

#!/usr/bin/env node
// `npm run bench [-- <filter>...]`: runs every bench/*.bench.ts (or those whose name contains one
// of the filters, e.g. `npm run bench -- book`), one at a time, each in its own Node process with
// tsx. Each bench writes bench-results/<name>.json ({ name, command, machine, date, results }, see
// bench/lib.ts); this script checks that the file is fresh, prints one summary table, and writes
// bench-results/machine.json and bench-results/summary.json beside them. `--list` lists benches.
// `node scripts/bench.mjs [filter]` does the same without npm's preceding build (the benches run
// the TypeScript sources through tsx and do not need it).
// Benches run sequentially on purpose: on a 2-core machine, parallel runs would measure each other.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const benchDir = join(root, 'bench')
const resultsDir = join(root, 'bench-results')
const args = process.argv.slice(2)
const filters = args.filter((a) => !a.startsWith('--'))

// Same description as bench/lib.ts machineInfo() (duplicated so this runner needs no TypeScript).
function machineInfo() {
  let cpu = os.cpus()[0]?.model ?? 'unknown'
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (m?.[1]) cpu = m[1].trim()
  } catch {
    // not Linux: keep os.cpus()
  }
  let osName = `${os.type()} ${os.release()}`
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))
    if (m?.[1]) osName = `${m[1]} (${os.type()} ${os.release()})`
  } catch {
    // no os-release: keep the kernel name
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    os: osName,
    arch: process.arch
  }
}

function fmt(x) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x === undefined ? '' : String(x)
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3)
}

function printTable(head, rows) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)))
  const line = (r) =>
    r.map((c, i) => (i <= 2 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ')
  console.log(line(head))
  console.log(w.map((n) => '-'.repeat(n)).join('  '))
  for (const r of rows) console.log(line(r))
}

const all = existsSync(benchDir)
  ? readdirSync(benchDir)
      .filter((f) => f.endsWith('.bench.ts'))
      .sort()
  : []
const names = all.map((f) => f.replace(/\.bench\.ts$/, ''))
if (args.includes('--list')) {
  for (const n of names) console.log(n)
  process.exit(0)
}
const selected = names.filter((n) => filters.length === 0 || filters.some((f) => n.includes(f)))
if (selected.length === 0) {
  console.error(
    `bench: nothing matches ${filters.map((f) => `"${f}"`).join(', ') || '(no benches)'}; have: ${names.join(', ') || 'none'}`
  )
  process.exit(1)
}

const machine = machineInfo()
console.log(
  `bench: ${selected.join(', ')} on ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, ${machine.os}\n`
)
mkdirSync(resultsDir, { recursive: true })

const runs = []
for (const name of selected) {
  const file = join('bench', `${name}.bench.ts`)
  const command = `node --import tsx ${file}`
  console.log(`=== ${name}: ${command}`)
  const started = Date.now()
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    stdio: 'inherit',
    env: process.env
  })
  const seconds = Math.round((Date.now() - started) / 100) / 10
  const out = join(resultsDir, `${name}.json`)
  let report = null
  let error = null
  if (r.error) error = String(r.error)
  else if (r.status !== 0) error = `exit ${r.status ?? r.signal}`
  if (existsSync(out)) {
    try {
      const rep = JSON.parse(readFileSync(out, 'utf8'))
      // A results file older than this run is a previous run's: do not report it as this one.
      if (Date.parse(rep.date) >= started) report = rep
      else error ??= `${out} was not rewritten`
    } catch (e) {
      error ??= `unreadable ${out}: ${String(e)}`
    }
  } else error ??= `no ${out}`
  runs.push({ name, command, seconds, ok: error === null, error, report })
  if (report?.loadavg) {
    const { start, end } = report.loadavg
    console.log(`load average (1/5/15 min) at start ${start.join(' ')}, at end ${end.join(' ')}`)
  }
  console.log(`=== ${name}: ${error ?? 'ok'} in ${seconds} s\n`)
}

const rows = []
for (const run of runs) {
  if (!run.report) {
    rows.push([run.name, 'FAILED', run.error ?? '', '', '', ''])
    continue
  }
  for (const r of run.report.results ?? []) {
    const ratio =
      typeof r.vsBaseline === 'number' ? `${fmt(r.vsBaseline)}× vs ${r.baseline ?? 'baseline'}` : ''
    rows.push([run.name, r.case, r.impl, fmt(r.value), r.metric, ratio])
  }
}
console.log(
  `Summary (${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}):`
)
printTable(['bench', 'case', 'impl', 'value', 'metric', 'ratio'], rows)

writeFileSync(join(resultsDir, 'machine.json'), `${JSON.stringify(machine, null, 2)}\n`)
writeFileSync(
  join(resultsDir, 'summary.json'),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      runs: runs.map(({ report, ...r }) => ({ ...r, results: report ? `${r.name}.json` : null }))
    },
    null,
    2
  )}\n`
)
console.log(`\nwrote ${join('bench-results', 'machine.json')} and summary.json`)
if (runs.some((r) => !r.ok)) process.exit(1)

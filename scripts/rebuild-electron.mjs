#!/usr/bin/env node
// `npm run rebuild:electron`: a better-sqlite3 build for this project's Electron, kept apart from
// the Node build in node_modules/.lakebook-native/electron-<abi>-<platform>-<arch>/ so the CLI,
// the browser host and the tests keep theirs (src-main/native/binding.ts picks one per runtime).
// @electron/rebuild fetches a prebuilt binary or compiles against Electron's headers: both need
// the network. Builds in a scratch copy of the package, then proves the result loads in Electron.
import {
  cpSync,
  existsSync,
  mkdirSync,
  rmSync,
  writeFileSync,
  copyFileSync,
  readFileSync
} from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { electronRuntime, findOrFetchElectron, nativeRoot, root, runAsNode } from './electron.mjs'

const fail = (sentence, code = 1) => {
  process.stderr.write(`lakebook: ${sentence}\n`)
  process.exit(code)
}

const binary = findOrFetchElectron()
if (!binary) {
  fail(
    'rebuild:electron needs the Electron binary to know its NODE_MODULE_VERSION and to prove the build, and it could not be fetched on this machine; run it on a workstation with internet.',
    2
  )
}
const rt = electronRuntime(binary)
if (!rt) fail(`the Electron binary at ${binary} would not run as Node (ELECTRON_RUN_AS_NODE).`)

const dest = join(nativeRoot, rt.folder)
const built = join(dest, 'better_sqlite3.node')
const force = process.argv.includes('--force')
if (existsSync(built) && !force) {
  process.stdout.write(
    `lakebook: better-sqlite3 for Electron ${rt.version} is already in ${dest} (--force rebuilds it)\n`
  )
  process.exit(0)
}

// A scratch package inside node_modules, so prebuild-install is found by walking up.
const scratch = join(nativeRoot, '.build')
const pkgDir = join(root, 'node_modules', 'better-sqlite3')
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version
rmSync(scratch, { recursive: true, force: true })
mkdirSync(join(scratch, 'node_modules'), { recursive: true })
writeFileSync(
  join(scratch, 'package.json'),
  JSON.stringify({
    name: 'lakebook-native-build',
    private: true,
    dependencies: { 'better-sqlite3': version }
  })
)
cpSync(pkgDir, join(scratch, 'node_modules', 'better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.startsWith(join(pkgDir, 'build'))
})

// A nodedir (set in ~/.npmrc on the offline build machines) makes node-gyp build against Node's
// headers while reporting success: drop it so the build really targets Electron.
for (const k of Object.keys(process.env)) {
  if (k.toLowerCase() === 'npm_config_nodedir') delete process.env[k]
}
process.stderr.write(
  `lakebook: building better-sqlite3 ${version} for Electron ${rt.version} (NODE_MODULE_VERSION ${rt.abi})…\n`
)
// In a child process, so the tools' own output (node-gyp's stack traces) goes to a log file and the
// user reads one sentence; the log is there for the details.
const log = join(nativeRoot, 'rebuild.log')
const options = {
  buildPath: scratch,
  electronVersion: rt.version,
  arch: rt.arch,
  onlyModules: ['better-sqlite3'],
  force: true
}
const child = spawnSync(
  process.execPath,
  [
    '-e',
    "import('@electron/rebuild').then((m) => m.rebuild(JSON.parse(process.argv[1]))).catch((e) => { console.error(e); process.exit(1) })",
    JSON.stringify(options)
  ],
  { cwd: root, encoding: 'utf8', timeout: 900_000 }
)
writeFileSync(log, `${child.stdout ?? ''}${child.stderr ?? ''}`)
if (child.status !== 0) {
  rmSync(scratch, { recursive: true, force: true })
  const lines = (child.stderr ?? '').split('\n').map((l) => l.trim())
  const cause =
    lines.find(
      (l) => /^(Error|gyp ERR!|An unhandled)/.test(l) && !/^Error: This is most likely/.test(l)
    ) ??
    lines.find((l) => l !== '' && !l.startsWith('at ')) ??
    `exit ${child.status}`
  fail(
    `could not build better-sqlite3 for Electron ${rt.version} (${cause}; details in ${log}); run npm run rebuild:electron again where the Electron headers and GitHub are reachable, with python3, make and g++ installed.`
  )
}

const out = join(
  scratch,
  'node_modules',
  'better-sqlite3',
  'build',
  'Release',
  'better_sqlite3.node'
)
if (!existsSync(out)) fail(`@electron/rebuild finished but left no ${out}.`)
const probe = `const D = require(${JSON.stringify(join(pkgDir, 'lib', 'index.js'))}); new D(':memory:', { nativeBinding: ${JSON.stringify(out)} }).close()`
const check = runAsNode(binary, probe)
if (!check.ok) {
  fail(
    `the rebuilt better-sqlite3 does not load in Electron ${rt.version} (${check.err.split('\n')[0]}); unset nodedir (npm config delete nodedir) and run npm run rebuild:electron -- --force.`
  )
}
mkdirSync(dest, { recursive: true })
copyFileSync(out, built)
writeFileSync(
  join(dest, 'build.json'),
  `${JSON.stringify({ module: 'better-sqlite3', version, electron: rt.version, abi: rt.abi, platform: rt.platform, arch: rt.arch, builtAt: new Date().toISOString() }, null, 2)}\n`
)
rmSync(scratch, { recursive: true, force: true })
process.stdout.write(`lakebook: better-sqlite3 for Electron ${rt.version} is in ${dest}\n`)

#!/usr/bin/env node
// `npm start`: the Electron app where its binary exists (fetching it once if the network allows),
// otherwise the browser host on 127.0.0.1, which prints the URL to open. On the first Electron
// start it also builds better-sqlite3 for Electron's ABI (scripts/rebuild-electron.mjs); when that
// cannot be done the browser host starts instead.
// Arguments after `--` are passed on (e.g. `npm start -- --lake /data/lake`).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { electronRuntime, findOrFetchElectron, nativeRoot, root } from './electron.mjs'

const args = process.argv.slice(2)

function run(cmd, argv) {
  const child = spawn(cmd, argv, { stdio: 'inherit', cwd: root })
  const forward = (sig) => () => child.kill(sig)
  process.on('SIGINT', forward('SIGINT'))
  process.on('SIGTERM', forward('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

/** better-sqlite3 for this Electron, built once; false when it could not be. */
function ensureNativeBuild(binary) {
  const rt = electronRuntime(binary)
  if (rt && existsSync(join(nativeRoot, rt.folder, 'better_sqlite3.node'))) return true
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'rebuild-electron.mjs')], {
    stdio: 'inherit',
    cwd: root
  })
  return r.status === 0
}

const binary = process.env.LAKEBOOK_BROWSER === '1' ? null : findOrFetchElectron()
if (binary && ensureNativeBuild(binary)) {
  run(binary, [root, ...args])
} else {
  process.stderr.write(
    binary
      ? 'lakebook: Electron has no better-sqlite3 build yet; starting the browser host instead.\n'
      : 'lakebook: no Electron binary on this machine; starting the browser host instead.\n'
  )
  run(process.execPath, [join(root, 'out', 'main', 'host.js'), ...args])
}
